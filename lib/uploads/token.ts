// Capability tokens of upload URLs: the URL is the credential, so only its sha256 is stored.
import { createHash } from "node:crypto";
import { randomToken } from "@/lib/ids";

/** 40 base62 characters: about 238 bits. */
const TOKEN_LENGTH = 40;
const TOKEN_PATTERN = /^[A-Za-z0-9]{32,64}$/;

export function newUploadToken(): string {
  return randomToken(TOKEN_LENGTH);
}

export function hashUploadToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** A token could only be one of ours if it looks like one: anything else is refused without a database read. */
export function isWellFormedToken(token: string): boolean {
  return TOKEN_PATTERN.test(token);
}

export function uploadUrl(origin: string, token: string): string {
  return `${origin}/u/${token}`;
}

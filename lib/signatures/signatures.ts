// POST /signatures: expiring, HMAC-signed delivery URLs (uploads.md §4) for private access.
import { z } from "zod";
import { AppError } from "@/lib/api/errors";
import { db } from "@/lib/db/client";
import { deliveryPath } from "@/lib/files/files";
import type { ProjectScope } from "@/lib/keys/keys";
import { projectSigningSecret, signPath, signedUrl, type SignedMethod } from "@/lib/storage/signing";
import { sanitizeFilename, sanitizeFolder } from "@/lib/storage/object-key";

export const ZCreateSignature = z.object({
  filename: z.string().trim().min(1, "filename is required").max(255),
  folder: z.string().trim().max(512).optional(),
  expiry: z.number().int().positive().optional(),
  method: z.enum(["get", "put"]).default("get"),
});
export type TCreateSignature = z.infer<typeof ZCreateSignature>;

const DEFAULT_LIFETIME_S = 3600;
const MAX_LIFETIME_S = 366 * 24 * 3600;

export async function createSignature(scope: ProjectScope, input: TCreateSignature, origin: string) {
  const now = Math.floor(Date.now() / 1000);
  const expiry = input.expiry ?? now + DEFAULT_LIFETIME_S;
  if (expiry <= now) throw new AppError("request_invalid", "expiry: must be in the future (Unix seconds).", [{ field: "expiry", message: "in the past" }]);
  if (expiry > now + MAX_LIFETIME_S) throw new AppError("request_invalid", "expiry: at most one year ahead.", [{ field: "expiry", message: "too far ahead" }]);
  const folder = input.folder ? sanitizeFolder(input.folder) || null : null;
  const filename = sanitizeFilename(input.filename);
  const path = deliveryPath(folder, filename);
  const prisma = await db();
  const project = await prisma.project.findUniqueOrThrow({ where: { id: scope.projectId }, select: { alias: true } });
  const secret = projectSigningSecret(scope.projectId);
  const method: SignedMethod = input.method;
  const base = `${origin}/f/${encodeURIComponent(project.alias)}`;
  return {
    object: "signature",
    domain: new URL(origin).host,
    filename,
    folder,
    expiry,
    method,
    signature: signPath({ path, expiry, method, secret }),
    url: signedUrl({ origin: base, path, expiry, method, secret }),
  };
}

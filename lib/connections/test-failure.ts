// What a failed connection test means, in words a person can act on: the S3 call's error sorted by what happened.
import type { VerifyResult } from "@/lib/storage/verify";

export type TestFailureKind =
  | "blocked"
  | "refused"
  | "timed_out"
  | "dns"
  | "no_such_bucket"
  | "access_denied"
  | "bad_credentials"
  | "http_status"
  | "network";

export type TestFailure = { kind: TestFailureKind; title: string; hint: string };

type Failed = Extract<VerifyResult, { ok: false }>;

const ALLOW_SETTING = "MEDIABIT_ALLOW_PRIVATE_HOSTS";
const CREDENTIAL_CODES = new Set(["InvalidAccessKeyId", "SignatureDoesNotMatch", "InvalidToken", "ExpiredToken", "InvalidClientTokenId"]);
const TIMEOUT_CODES = new Set(["ETIMEDOUT", "TimeoutError", "AbortError", "ESOCKETTIMEDOUT", "UND_ERR_CONNECT_TIMEOUT"]);
const DNS_CODES = new Set(["ENOTFOUND", "EAI_AGAIN", "EAI_FAIL", "EAI_NODATA", "EAI_NONAME"]);

/** Sorts a failed test by what actually happened; the raw message stays available beside it. */
export function classifyTestFailure(result: Failed): TestFailure {
  const code = result.code ?? "";
  if (code === "outbound_blocked") {
    return {
      kind: "blocked",
      title: "Blocked by this server's address policy",
      hint: `The endpoint is a private or local address, which Mediabit does not connect to on a user's behalf. The operator can allow it by adding the host to the ${ALLOW_SETTING} setting.`,
    };
  }
  if (code === "ECONNREFUSED") {
    return { kind: "refused", title: "Connection refused", hint: "Nothing is listening at that host and port. Check the endpoint's port, and that the server is running." };
  }
  if (TIMEOUT_CODES.has(code) || /timed? ?out/i.test(result.message)) {
    return { kind: "timed_out", title: "Timed out", hint: "The endpoint did not answer in time. Check the address, and that a firewall lets this server reach it." };
  }
  if (DNS_CODES.has(code)) {
    return { kind: "dns", title: "Host name not found", hint: "The endpoint's host name does not resolve (DNS). Check it for typos." };
  }
  if (code === "NoSuchBucket") {
    return { kind: "no_such_bucket", title: "No such bucket", hint: "The endpoint answered, but the bucket does not exist there. Check the bucket name and the region." };
  }
  if (CREDENTIAL_CODES.has(code)) {
    return { kind: "bad_credentials", title: "Credentials rejected", hint: "The endpoint does not accept this access key ID and secret. Check both, and that the key is active." };
  }
  if (code === "AccessDenied" || result.status === 403) {
    return { kind: "access_denied", title: "Access denied", hint: "The credentials are valid, but they may not list this bucket. Give the key list and read/write access to it." };
  }
  if (result.status) {
    return { kind: "http_status", title: `The endpoint answered with HTTP ${result.status}`, hint: "The endpoint answered with an error. Its message is below." };
  }
  return { kind: "network", title: "Could not reach the endpoint", hint: "The request failed before the endpoint answered. Its message is below." };
}

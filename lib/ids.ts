// Prefixed random IDs (`con_8fK2...`), the one generator for every resource.
import { randomBytes } from "node:crypto";

export const ID_PREFIXES = {
  organization: "org",
  project: "prj",
  user: "usr",
  apiKey: "key",
  connection: "con",
  request: "req",
  file: "file",
  media: "med",
  task: "task",
  run: "run",
  job: "job",
  automation: "auto",
  event: "evt",
  webhookEndpoint: "we",
  upload: "upl",
  domain: "dom",
  execution: "exe",
  worker: "wrk",
  invitation: "inv",
  authAttempt: "att",
} as const;

export type IdPrefix = (typeof ID_PREFIXES)[keyof typeof ID_PREFIXES];

const ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

/** `length` characters of base62, without modulo bias. */
export function randomToken(length: number): string {
  let out = "";
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      // 248 = 4 * 62: bytes above it would favour the first characters.
      if (byte < 248) out += ALPHABET[byte % 62];
      if (out.length === length) break;
    }
  }
  return out;
}

export function newId(prefix: IdPrefix, length = 16): string {
  return `${prefix}_${randomToken(length)}`;
}

/**
 * IDs arrive in either generation's prefix (`con_`/`conn_`, `tsk_`/`task_`, `prj_`/`proj_`);
 * stored IDs use the first form.
 */
const PREFIX_ALIASES: Record<string, string> = { conn: "con", tsk: "task", proj: "prj" };

export function canonicalId(id: string): string {
  const underscore = id.indexOf("_");
  if (underscore < 0) return id;
  const alias = PREFIX_ALIASES[id.slice(0, underscore)];
  return alias ? `${alias}${id.slice(underscore)}` : id;
}

// The one reader of process.env: every setting Mediabit honours, validated once.
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

const ZEnv = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().positive().default(3000),
  MEDIABIT_DATA_DIR: z.string().default("./.data"),
  DATABASE_URL: z.string().optional(),
  MEDIABIT_BOOTSTRAP_KEY: z.string().min(16).optional(),
  MEDIABIT_SECRET: z.string().min(32).optional(),
  MEDIABIT_PUBLIC_URL: z.url().optional(),
  // Custom delivery domains are CNAMEs to this hostname (default: MEDIABIT_PUBLIC_URL's host), e.g. cdn.example.com.
  MEDIABIT_DOMAIN_TARGET: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^(?=.{1,253}$)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/, "must be a hostname such as cdn.example.com")
    .optional(),
  // Behind a reverse proxy: believe X-Forwarded-For/-Host/-Proto (client address, origin of URLs).
  MEDIABIT_TRUST_PROXY: z.enum(["0", "1", "true", "false"]).default("0").transform((v) => v === "1" || v === "true"),
  MEDIABIT_MAX_JSON_BYTES: z.coerce.number().int().positive().default(1024 * 1024),
  MEDIABIT_ALLOW_PRIVATE_HOSTS: z.string().default(""),
  // Project store: local disk under the data dir, or s3://bucket/prefix with the S3 settings below.
  MEDIABIT_STORAGE_URL: z.string().regex(/^s3:\/\/[a-z0-9][a-z0-9.-]+[a-z0-9](\/.*)?$/, "must look like s3://bucket/prefix").optional(),
  MEDIABIT_S3_ENDPOINT: z.url().optional(),
  MEDIABIT_S3_REGION: z.string().default("us-east-1"),
  MEDIABIT_S3_ACCESS_KEY_ID: z.string().optional(),
  MEDIABIT_S3_SECRET_ACCESS_KEY: z.string().optional(),
  MEDIABIT_S3_FORCE_PATH_STYLE: z.enum(["true", "false"]).default("true").transform((v) => v === "true"),
  MEDIABIT_MAX_FILE_BYTES: z.coerce.number().int().positive().default(5 * 1024 ** 3),
  // With the store on S3, dashboard uploads go from the browser straight to the bucket (`auto`) or through this server (`off`).
  MEDIABIT_UPLOADS_DIRECT: z.enum(["auto", "off"]).default("auto"),
  // Downloads (URL ingest, S3 connection reads): a source slower than this over the window, or longer than the total, fails for good.
  MEDIABIT_DOWNLOAD_MIN_BYTES_PER_SECOND: z.coerce.number().min(0).default(32 * 1024),
  MEDIABIT_DOWNLOAD_MIN_RATE_WINDOW_SECONDS: z.coerce.number().positive().default(30),
  MEDIABIT_DOWNLOAD_MAX_SECONDS: z.coerce.number().positive().default(3600),
  // Media sanity limits: inputs beyond them are refused before any decoding work.
  MEDIABIT_MAX_DURATION_SECONDS: z.coerce.number().positive().default(4 * 3600),
  MEDIABIT_MAX_DIMENSION: z.coerce.number().int().positive().default(16384),
  MEDIABIT_MAX_PIXELS: z.coerce.number().int().positive().default(100_000_000),
  MEDIABIT_MAX_STREAMS: z.coerce.number().int().positive().default(16),
  MEDIABIT_MAX_FPS: z.coerce.number().positive().default(240),
  MEDIABIT_FFMPEG_TIMEOUT_SECONDS: z.coerce.number().positive().default(3 * 3600),
  // The embedded durable runner; `off` when another process (or Inngest) does the work.
  MEDIABIT_WORKER: z.enum(["embedded", "off"]).default("embedded"),
  MEDIABIT_WORKER_CONCURRENCY: z.coerce.number().int().positive().optional(),
  // Executions one project may run at once in a worker while another project's work waits (default: half the slots, at least 1).
  MEDIABIT_PROJECT_CONCURRENCY: z.coerce.number().int().positive().optional(),
  MEDIABIT_WORKER_LEASE_MS: z.coerce.number().int().min(500).default(30_000),
  MEDIABIT_WORKER_POLL_MS: z.coerce.number().int().min(10).default(1000),
  MEDIABIT_RETRY_BASE_MS: z.coerce.number().int().min(1).default(1000),
  MEDIABIT_TASK_MAX_ATTEMPTS: z.coerce.number().int().min(1).default(5),
  MEDIABIT_SYNC_INGEST_TIMEOUT_MS: z.coerce.number().int().positive().default(120_000),
  INNGEST_EVENT_KEY: z.string().optional(),
  INNGEST_SIGNING_KEY: z.string().optional(),
  INNGEST_DEV: z.string().optional(),
  // Signs dashboard sessions; without it one is derived from serverSecret().
  AUTH_SECRET: z.string().min(32).optional(),
  // Invitation e-mails: smtp(s)://user:pass@host:port and the From header; links in them need MEDIABIT_PUBLIC_URL.
  MEDIABIT_SMTP_URL: z.url({ protocol: /^smtps?$/, error: "must look like smtp://user:pass@host:587 or smtps://…" }).optional(),
  MEDIABIT_MAIL_FROM: z.string().min(3).optional(),
  // The first owner of the organisation made at first start (both or neither); else a one-time login is printed.
  MEDIABIT_BOOTSTRAP_EMAIL: z.string().trim().toLowerCase().pipe(z.email()).optional(),
  MEDIABIT_BOOTSTRAP_PASSWORD: z.string().min(8).max(200).optional(),
  // Who may create an account: anyone (`open`), holders of an invitation (`invite`), or nobody (`closed`).
  MEDIABIT_SIGNUP: z.enum(["open", "invite", "closed"]).default("invite"),
  // Failed sign-ins and sign-ups per client address: beyond the limit, 429 until the window lets one go.
  MEDIABIT_AUTH_ADDRESS_LIMIT: z.coerce.number().int().positive().default(20),
  MEDIABIT_AUTH_ADDRESS_WINDOW_SECONDS: z.coerce.number().int().positive().default(300),
  // Failed sign-ins per account: beyond the limit each attempt on it waits the delay first (never a lock-out).
  MEDIABIT_AUTH_ACCOUNT_LIMIT: z.coerce.number().int().positive().default(10),
  MEDIABIT_AUTH_ACCOUNT_WINDOW_SECONDS: z.coerce.number().int().positive().default(900),
  MEDIABIT_AUTH_ACCOUNT_DELAY_MS: z.coerce.number().int().min(0).default(3000),
});

export type TEnv = z.infer<typeof ZEnv> & { dataDir: string };

let cached: TEnv | undefined;

export function env(): TEnv {
  if (cached) return cached;
  const parsed = ZEnv.safeParse(process.env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`invalid settings: ${problems.join("; ")}`);
  }
  cached = { ...parsed.data, dataDir: path.resolve(parsed.data.MEDIABIT_DATA_DIR) };
  return cached;
}

/** Tests change settings between cases; production never calls this. */
export function resetEnvForTests(): void {
  cached = undefined;
  secret = undefined;
}

let secret: string | undefined;

/**
 * MEDIABIT_SECRET, or one generated into the data dir on first start, so encrypted connection
 * secrets and sessions survive restarts without any configuration.
 */
export function serverSecret(): string {
  if (secret) return secret;
  const fromEnv = env().MEDIABIT_SECRET;
  if (fromEnv) return (secret = fromEnv);
  const file = path.join(env().dataDir, "secret");
  if (!existsSync(file)) {
    mkdirSync(env().dataDir, { recursive: true });
    try {
      writeFileSync(file, randomBytes(32).toString("base64url"), { flag: "wx", mode: 0o600 });
    } catch (error) {
      // Another process created it first: read theirs.
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    chmodSync(file, 0o600);
  }
  return (secret = readFileSync(file, "utf8").trim());
}

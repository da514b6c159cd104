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
  MEDIABIT_MAX_JSON_BYTES: z.coerce.number().int().positive().default(1024 * 1024),
  MEDIABIT_ALLOW_PRIVATE_HOSTS: z.string().default(""),
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

// Server start-up, shared by `next start` (instrumentation.ts) and the dev server.
import { bootstrap, describeBootstrap } from "@/lib/bootstrap";
import { db, dbDriver } from "@/lib/db/client";
import { env } from "@/lib/env";

export async function startServer(): Promise<void> {
  await db();
  const result = await bootstrap();
  const base = env().MEDIABIT_PUBLIC_URL ?? `http://localhost:${env().PORT}`;
  const lines = describeBootstrap(result, base);
  const driver = await dbDriver();
  console.log(`[mediabit] database: ${driver === "postgres" ? "PostgreSQL (DATABASE_URL)" : `embedded PGlite in ${env().dataDir}`}`);
  for (const line of lines) console.log(`[mediabit] ${line}`);
}

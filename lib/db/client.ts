// One Prisma client per process: PostgreSQL through @prisma/adapter-pg when DATABASE_URL is set,
// else embedded PGlite under the data dir. Both are migrated before the first query.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { env } from "@/lib/env";
import { PrismaClient } from "@/lib/db/generated/client";
import { migrate, pgClientExec, pgliteExec } from "@/lib/db/migrate";
import { DatabaseUnavailableError, isConnectFailure } from "@/lib/db/unavailable";

export type Db = PrismaClient;
export type DbDriver = "postgres" | "pglite";

type Handle = { prisma: PrismaClient; driver: DbDriver; close: () => Promise<void> };
const globalForDb = globalThis as unknown as { __mediabitDb?: Promise<Handle> };

/** A connect waits this long at most: while the database is unreachable, callers hear so in seconds, not minutes. */
export const CONNECT_TIMEOUT_MS = 3_000;

async function connectPostgres(url: string): Promise<Handle> {
  const { Client } = await import("pg");
  const client = new Client({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  // A session that dies while migrating fails the query in progress; the event must not crash the process.
  client.on("error", () => undefined);
  await client.connect().catch((error: unknown) => {
    throw isConnectFailure(error) ? new DatabaseUnavailableError(error) : error;
  });
  try {
    await migrate(pgClientExec(client));
  } finally {
    await client.end();
  }
  const { PrismaPg } = await import("@prisma/adapter-pg");
  // pg's pool drops a client whose session died and opens a new one on the next query, so the adapter recovers by
  // itself once the database is back; these handlers only keep the `error` events of dead sessions from crashing us.
  const adapter = new PrismaPg(
    { connectionString: url, max: 10, connectionTimeoutMillis: CONNECT_TIMEOUT_MS },
    { onPoolError: () => undefined, onConnectionError: () => undefined },
  );
  const prisma = new PrismaClient({ adapter });
  return { prisma, driver: "postgres", close: () => prisma.$disconnect() };
}

async function connectPglite(dataDir: string): Promise<Handle> {
  const { PGlite } = await import("@electric-sql/pglite");
  const { PrismaPGlite } = await import("pglite-prisma-adapter");
  // PGlite does not create missing parent folders.
  mkdirSync(dataDir, { recursive: true });
  const pg = new PGlite(path.join(dataDir, "pglite"));
  await migrate(pgliteExec(pg));
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(pg) });
  return {
    prisma,
    driver: "pglite",
    close: async () => {
      await prisma.$disconnect();
      await pg.close();
    },
  };
}

function connect(): Promise<Handle> {
  const { DATABASE_URL, dataDir } = env();
  return DATABASE_URL ? connectPostgres(DATABASE_URL) : connectPglite(dataDir);
}

async function handle(): Promise<Handle> {
  globalForDb.__mediabitDb ??= connect().catch((error: unknown) => {
    globalForDb.__mediabitDb = undefined;
    throw error;
  });
  return globalForDb.__mediabitDb;
}

export async function db(): Promise<PrismaClient> {
  return (await handle()).prisma;
}

export async function dbDriver(): Promise<DbDriver> {
  return (await handle()).driver;
}

export async function closeDb(): Promise<void> {
  const current = globalForDb.__mediabitDb;
  globalForDb.__mediabitDb = undefined;
  if (current) await (await current).close();
}

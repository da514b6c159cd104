// Throwaway PostgreSQL databases for tests and scripts that need one of their own. scripts/test-all.sh drops
// every `mediabit_test_*` database when the suites end, so a test killed halfway leaves nothing behind.
import { randomBytes } from "node:crypto";
import pg from "pg";

/** The admin URL scripts/test-postgres.sh chose (trust auth, or its password role). */
export const ADMIN_PG_URL = process.env.MEDIABIT_TEST_PG_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

/** Creates an empty database and returns its URL; `label` (lower-case letters and _) says which test made it. */
export async function createTestDatabase(label: string, adminUrl = ADMIN_PG_URL): Promise<string> {
  const name = `mediabit_test_${label}_${Date.now()}_${randomBytes(3).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.href;
}

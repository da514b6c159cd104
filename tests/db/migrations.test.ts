import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { migrate, pgClientExec, pgliteExec, readMigrations } from "@/lib/db/migrate";
import { diffAgainstSchema } from "@/scripts/schema-diff";
import { createTestDatabase } from "@/tests/helpers/postgres";

const run = promisify(execFile);

describe("schema and migrations", () => {
  it("has no drift: the migrations build exactly schema.prisma", async () => {
    expect(await diffAgainstSchema()).toBe("");
  }, 60_000);

  it("reports drift when schema.prisma changes without a migration", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "mediabit-drift-"));
    const schemaPath = path.join(dir, "schema.prisma");
    const schema = readFileSync("prisma/schema.prisma", "utf8").replace("model Project {", "model Project {\n  colour String?");
    writeFileSync(schemaPath, schema);
    const sql = await diffAgainstSchema(schemaPath);
    expect(sql).toContain('ADD COLUMN     "colour" TEXT');
  }, 60_000);

  it("applies every migration once on PGlite and is a no-op the second time", async () => {
    const pglite = new PGlite();
    const first = await migrate(pgliteExec(pglite));
    expect(first).toEqual(readMigrations().map((m) => m.name));
    expect(await migrate(pgliteExec(pglite))).toEqual([]);
    await pglite.close();
  });

  it("refuses to run when an applied migration was edited", async () => {
    const pglite = new PGlite();
    await migrate(pgliteExec(pglite));
    const edited = readMigrations().map((m, i) => (i === 0 ? { ...m, checksum: "0".repeat(64) } : m));
    await expect(migrate(pgliteExec(pglite), edited)).rejects.toThrow(/was edited after it was applied/);
    await pglite.close();
  });

  it("migrates once when two processes start together against one PostgreSQL", async () => {
    const url = await createTestDatabase("mig");
    const script = path.resolve("scripts/migrate.ts");
    const tsx = path.resolve("node_modules/.bin/tsx");
    const env = { ...process.env, DATABASE_URL: url };
    const results = await Promise.all([run(tsx, [script], { env }), run(tsx, [script], { env })]);
    for (const result of results) expect(result.stdout).toContain("migrations applied (postgres)");
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const rows = (await client.query(`SELECT migration_name FROM "_prisma_migrations"`)).rows;
    expect(rows.map((r) => r.migration_name).sort()).toEqual(readMigrations().map((m) => m.name));
    expect(await migrate(pgClientExec(client))).toEqual([]);
    await client.end();
  }, 60_000);

  it("keeps migrations in Prisma's folder layout", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "mediabit-mig-"));
    cpSync("prisma/migrations", dir, { recursive: true });
    expect(readFileSync(path.join(dir, "migration_lock.toml"), "utf8")).toContain('provider = "postgresql"');
    for (const m of readMigrations(dir)) expect(m.name).toMatch(/^\d{14}_[a-z0-9_]+$/);
  });
});

// Generates Prisma-format migration SQL from prisma/schema.prisma with Prisma's WASM schema engine
// on an in-memory PGlite (the Prisma CLI's engine cannot be downloaded here).
//   npx tsx scripts/gen-migration.ts <name>   write prisma/migrations/<timestamp>_<name>/migration.sql
//   npx tsx scripts/gen-migration.ts --check  exit 1 when the migrations do not produce schema.prisma
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { diffAgainstSchema } from "./schema-diff";

const migrationsDir = "prisma/migrations";

async function main(): Promise<void> {
  const arg = process.argv[2];
  if (!arg) {
    console.error("usage: gen-migration.ts <name> | --check");
    process.exit(2);
  }
  const sql = await diffAgainstSchema();
  if (arg === "--check") {
    if (sql) {
      console.error("prisma/schema.prisma and prisma/migrations disagree; generate a migration:\n" + sql);
      process.exit(1);
    }
    console.error("migrations match schema.prisma");
    return;
  }
  if (!sql) {
    console.error("schema.prisma has no changes to migrate");
    return;
  }
  if (!/^[a-z0-9_]+$/.test(arg)) throw new Error("migration name: lower-case letters, digits and _ only");
  const stamp = new Date().toISOString().replace(/[-:T]/g, "").slice(0, 14);
  const dir = path.join(migrationsDir, `${stamp}_${arg}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "migration.sql"), sql);
  const lock = path.join(migrationsDir, "migration_lock.toml");
  if (!existsSync(lock)) writeFileSync(lock, 'provider = "postgresql"\n');
  console.error(`wrote ${dir}/migration.sql (${readFileSync(path.join(dir, "migration.sql"), "utf8").length} chars)`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}

// Diffs a database migrated by our own runner against prisma/schema.prisma using Prisma's WASM
// schema engine (pinned in package.json: its API is internal and may move between builds).
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { readMigrations } from "../lib/db/migrate";

type WasmEngine = {
  diff(params: unknown): Promise<{ exitCode: number; stdout?: string }>;
};
type WasmModule = {
  __wbg_set_wasm(exports: unknown): void;
  SchemaEngine: { new: (options: unknown, log: (line: string) => void, adapter: unknown) => Promise<WasmEngine> };
};

let wasm: Promise<WasmModule> | undefined;

// The wasm-bindgen glue holds one instance per process: instantiate it once.
function loadWasm(): Promise<WasmModule> {
  wasm ??= instantiateWasm();
  return wasm;
}

async function instantiateWasm(): Promise<WasmModule> {
  const require = createRequire(import.meta.url);
  const dir = path.dirname(require.resolve("@prisma/schema-engine-wasm/schema_engine_bg"));
  const glue = (await import(path.join(dir, "schema_engine_bg.js"))) as WasmModule;
  // Node 20 cannot import .wasm without a flag: instantiate by hand with the wasm-bindgen glue.
  const bytes = readFileSync(path.join(dir, "schema_engine_bg.wasm"));
  const { instance } = await WebAssembly.instantiate(bytes, { "./schema_engine_bg.js": glue as unknown as WebAssembly.ModuleImports });
  glue.__wbg_set_wasm(instance.exports);
  (instance.exports as { __wbindgen_start?: () => void }).__wbindgen_start?.();
  if (typeof glue.SchemaEngine?.new !== "function") {
    throw new Error("@prisma/schema-engine-wasm changed its API; pin the build named in package.json");
  }
  return glue;
}

async function loadEngine(schemaPath: string, schema: string, adapter: unknown): Promise<WasmEngine> {
  const glue = await loadWasm();
  return glue.SchemaEngine.new({ datamodels: [[schemaPath, schema]] }, () => undefined, adapter);
}

/**
 * Asks Prisma's engine for the SQL that takes the database the migrations build (replayed on a fresh
 * in-memory PGlite, the engine's shadow database) to schema.prisma. Empty string: no drift.
 */
export async function diffAgainstSchema(schemaPath = "prisma/schema.prisma", migrationsDir = "prisma/migrations"): Promise<string> {
  const schema = readFileSync(schemaPath, "utf8");
  const migrations = readMigrations(migrationsDir);
  const pg = new PGlite();
  try {
    const adapter = bindMigrationAwareSqlAdapterFactory(new PrismaPGlite(pg));
    const engine = await loadEngine(schemaPath, schema, adapter);
    const lockPath = path.join(migrationsDir, "migration_lock.toml");
    const from = migrations.length
      ? {
          tag: "migrations",
          baseDir: migrationsDir,
          lockfile: { path: lockPath, content: existsSync(lockPath) ? readFileSync(lockPath, "utf8") : null },
          migrationDirectories: migrations.map((m) => ({
            path: path.join(migrationsDir, m.name),
            migrationFile: { path: "migration.sql", content: { tag: "ok", value: m.sql } },
          })),
          shadowDbInitScript: "",
        }
      : { tag: "empty" };
    const result = await engine.diff({
      from,
      to: { tag: "schemaDatamodel", files: [{ path: schemaPath, content: schema }] },
      script: true,
      exitCode: null,
      filters: { externalTables: [], externalEnums: [] },
    });
    const sql = result.stdout ?? "";
    return /This is an empty migration/.test(sql) ? "" : sql.trim();
  } finally {
    await pg.close();
  }
}

// Server start-up, shared by `next start`/`next dev` (instrumentation.ts) and scripts/worker.ts:
// migrate, create the first organisation and key if needed, start the embedded engine.
import { flushDeliveryStatsOnShutdown } from "@/lib/analytics/shutdown";
import { bootstrap, describeBootstrap } from "@/lib/bootstrap";
import { db, dbDriver } from "@/lib/db/client";
import { startWorker } from "@/lib/engine/embedded";
import { engineMode, localWorker, setLocalWorker } from "@/lib/engine/engine";
import type { WorkflowDefinition } from "@/lib/engine/types";
import { env } from "@/lib/env";
import { runMaintenance } from "@/lib/maintenance";

export type StartOptions = {
  workflows: WorkflowDefinition<never>[];
  connectInngest: () => void;
  /** Serving HTTP too (the app), or only working (scripts/worker.ts). */
  role: "server" | "worker";
};

export async function startServer(options: StartOptions): Promise<void> {
  await db();
  if (options.role === "server") {
    const result = await bootstrap();
    const base = env().MEDIABIT_PUBLIC_URL ?? `http://localhost:${env().PORT}`;
    for (const line of describeBootstrap(result, base)) console.log(`[mediabit] ${line}`);
    flushDeliveryStatsOnShutdown();
  }
  const driver = await dbDriver();
  console.log(`[mediabit] database: ${driver === "postgres" ? "PostgreSQL (DATABASE_URL)" : `embedded PGlite in ${env().dataDir}`}`);
  if (engineMode() === "inngest") {
    options.connectInngest();
    console.log("[mediabit] engine: Inngest (functions served at /api/inngest)");
    return;
  }
  if (env().MEDIABIT_WORKER === "off") {
    console.log("[mediabit] engine: embedded, no worker in this process (MEDIABIT_WORKER=off)");
    return;
  }
  if (localWorker()) return;
  const worker = startWorker({ definitions: options.workflows, maintenance: runMaintenance });
  setLocalWorker(worker);
  console.log(`[mediabit] engine: embedded worker ${worker.id}`);
  const stop = () => {
    void worker.stop({ graceMs: 5000 }).finally(() => process.exit(0));
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

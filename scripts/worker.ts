// A process that only runs the embedded engine (no HTTP): add more of them to share the work.
//   DATABASE_URL=postgres://… npx tsx scripts/worker.ts
import { workflows } from "../inngest/functions";
import { connectInngestSender } from "../inngest/client";
import { startServer } from "../lib/server-start";

await startServer({ workflows, connectInngest: connectInngestSender, role: "worker" });

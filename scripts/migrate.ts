// Applies pending migrations (DATABASE_URL, else the embedded database in MEDIABIT_DATA_DIR) and exits.
// The app migrates on start anyway; this is for operators who want it as a separate step.
import { closeDb, db, dbDriver } from "../lib/db/client";

await db();
console.log(`[mediabit] migrations applied (${await dbDriver()})`);
await closeDb();

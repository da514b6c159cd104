// The app's route handlers in a process of their own, for tests that kill the server mid-upload: migrate, make the
// bootstrap key, serve on loopback and print `ready <origin>`. Run with `node --import tsx tests/uploads/app-process.ts`.
import { bootstrap } from "@/lib/bootstrap";
import { db } from "@/lib/db/client";
import { startAppServer } from "@/tests/helpers/http-app";

await db();
await bootstrap();
const server = await startAppServer();
console.log(`ready ${server.origin}`);

// Runs the loopback S3 test server from the command line (Playwright's webServer, manual trials).
//   npx tsx scripts/s3-server.ts --port 4569 --dir .data/s3-e2e --bucket media --bucket archive
import { mkdirSync } from "node:fs";
import { parseArgs } from "node:util";
import { startS3Server } from "../tests/helpers/s3-server";

const { values } = parseArgs({
  options: { port: { type: "string", default: "4569" }, dir: { type: "string" }, bucket: { type: "string", multiple: true } },
});
if (values.dir) mkdirSync(values.dir, { recursive: true });
const server = await startS3Server({ port: Number(values.port), directory: values.dir, buckets: values.bucket ?? ["media"] });
console.log(`S3 test server on ${server.endpoint} (key ${server.accessKeyId}/${server.secretAccessKey}), buckets: ${(values.bucket ?? ["media"]).join(", ")}`);
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => void server.close().then(() => process.exit(0)));

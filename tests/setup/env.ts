// Each test worker gets its own data dir (and so its own embedded PGlite when DATABASE_URL is unset).
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";

if (!process.env.MEDIABIT_TEST_KEEP_DATA_DIR) {
  process.env.MEDIABIT_DATA_DIR = mkdtempSync(path.join(os.tmpdir(), "mediabit-test-"));
}
process.env.MEDIABIT_SECRET ??= "test-secret-test-secret-test-secret-0123456789";
// The loopback S3 and HTTP servers tests start; SSRF tests pass their own allow lists.
process.env.MEDIABIT_ALLOW_PRIVATE_HOSTS ??= "127.0.0.1";
process.env.MEDIABIT_RETRY_BASE_MS ??= "100";

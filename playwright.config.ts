// End-to-end tests: the built app (`next build` first) on a fresh data dir, with a loopback S3 server.
import { defineConfig, devices } from "@playwright/test";
import { OWNER } from "./e2e/owner";

const PORT = 3100;
const S3_PORT = 4569;
const DATA_DIR = ".data/e2e";
const S3_DIR = ".data/e2e-s3";

export default defineConfig({
  testDir: "./e2e",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1, // 2-core machine, and one PGlite-backed server
  retries: 0,
  reporter: [["list"]],
  outputDir: "test-results",
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    screenshot: "on",
    trace: "retain-on-failure",
    viewport: { width: 1366, height: 860 },
    launchOptions: {
      // Debian's chromium from apt; Playwright's own browser download is not available here.
      executablePath: "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    },
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"], viewport: { width: 1366, height: 860 } } }],
  webServer: [
    {
      command: `rm -rf ${S3_DIR} && npx tsx scripts/s3-server.ts --port ${S3_PORT} --dir ${S3_DIR} --bucket media --bucket archive`,
      port: S3_PORT,
      reuseExistingServer: false,
      timeout: 30_000,
    },
    {
      command: `rm -rf ${DATA_DIR} && node node_modules/next/dist/bin/next start -p ${PORT}`,
      url: `http://127.0.0.1:${PORT}/api/health`,
      reuseExistingServer: false,
      timeout: 90_000,
      env: {
        PORT: String(PORT),
        MEDIABIT_DATA_DIR: DATA_DIR,
        // Connection endpoints on loopback are refused by the SSRF guard unless allowed.
        MEDIABIT_ALLOW_PRIVATE_HOSTS: "127.0.0.1,localhost",
        // The bootstrap organisation's owner (signInAsOwner), and open sign-up so tests can make fresh accounts.
        MEDIABIT_BOOTSTRAP_EMAIL: OWNER.email,
        MEDIABIT_BOOTSTRAP_PASSWORD: OWNER.password,
        MEDIABIT_SIGNUP: "open",
        // Every test signs in or up from 127.0.0.1: the suite alone makes more than the default 20 attempts per address
        // in 5 minutes. The limit itself is tested in tests/auth (rate-limit, and over next start in server.test.ts).
        MEDIABIT_AUTH_ADDRESS_LIMIT: "1000",
        NEXT_TELEMETRY_DISABLED: "1",
      },
    },
  ],
});

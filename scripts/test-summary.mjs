// Sums Vitest, Playwright and step reports into the one line CI reads: "N passed, N failed".
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";

const dir = process.argv[2] ?? ".data/test-reports";
const expected = (process.argv[3] ?? "").split(",").filter(Boolean);
let passed = 0;
let failed = 0;
for (const name of expected) {
  if (!existsSync(path.join(dir, `${name}.json`))) {
    console.error(`missing report: ${name} (that suite crashed before reporting)`);
    failed += 1;
  }
}
for (const name of existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(".json")) : []) {
  const report = JSON.parse(readFileSync(path.join(dir, name), "utf8"));
  if (typeof report.numPassedTests === "number") {
    passed += report.numPassedTests;
    // A suite that failed to load has no failed tests but must still count as a failure.
    failed += report.numFailedTests + (report.numFailedTestSuites > 0 && report.numFailedTests === 0 ? 1 : 0);
  } else if (report.stats) {
    passed += report.stats.expected + (report.stats.flaky ?? 0);
    failed += report.stats.unexpected + (report.errors?.length ? 1 : 0);
  } else {
    passed += report.passed ?? 0;
    failed += report.failed ?? 0;
  }
}
console.log(`${passed} passed, ${failed} failed`);

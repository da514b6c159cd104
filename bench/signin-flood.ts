// On demand (after `next build`): /api/health latency while N concurrent wrong sign-ins hit a production server.
//   npx tsx bench/signin-flood.ts [--pg] [--count 50] [--rounds 3]
import { createTestDatabase } from "../tests/helpers/postgres";
import { describeFlood, floodAndProbe, probeHealth, startBuiltServer } from "../tests/auth/built-server";

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => Number(args[args.indexOf(name) + 1] ?? fallback) || fallback;
const count = args.includes("--count") ? option("--count", 50) : 50;
const rounds = args.includes("--rounds") ? option("--rounds", 3) : 3;
const owner = { email: "owner@flood.test", password: "flood owner passphrase" };

const settings: Record<string, string> = {
  MEDIABIT_BOOTSTRAP_EMAIL: owner.email,
  MEDIABIT_BOOTSTRAP_PASSWORD: owner.password,
  MEDIABIT_TRUST_PROXY: "1",
  MEDIABIT_WORKER: "off",
};
if (args.includes("--pg")) settings.DATABASE_URL = await createTestDatabase("auth_flood");
const server = await startBuiltServer(3291, settings);
try {
  console.log(`database: ${settings.DATABASE_URL ? "PostgreSQL" : "embedded PGlite"}`);
  for (let round = 1; round <= rounds; round++) {
    const idle = await probeHealth(server.origin, 3000);
    const p99 = idle[Math.ceil(0.99 * idle.length) - 1] ?? Number.NaN;
    console.log(`round ${round}: idle: ${idle.length} health checks: p50 ${(idle[Math.floor(idle.length / 2)] ?? 0).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms`);
    const report = await floodAndProbe(server.origin, { email: owner.email, count });
    console.log(`round ${round}: ${describeFlood(report, count)}${report.p99 < 100 ? "  PASS" : "  MISS"} (target p99 < 100 ms)`);
  }
} finally {
  server.stop();
}

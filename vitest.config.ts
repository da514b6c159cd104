import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: ["tests/**/*.test.ts", "lib/**/*.test.ts"],
    setupFiles: ["tests/setup/env.ts"],
    pool: "forks",
    // Generous: the suites run real ffmpeg, PGlite and servers on 2 cores, sometimes beside other work.
    testTimeout: 90_000,
    hookTimeout: 60_000,
  },
});

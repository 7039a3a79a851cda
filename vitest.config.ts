import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    environment: "node",
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Every test file gets its own nock state and scripted model server.
    isolate: true,
    pool: "forks",
    restoreMocks: true,
  },
});

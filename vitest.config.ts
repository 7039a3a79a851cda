import { defineConfig } from "vitest/config";

// Files that replace a module with vi.mock need a module graph of their own (a forked process
// per file); every other file shares its worker thread's, so probot, Octokit and zod are loaded
// once per worker instead of once per file (that loading was most of the suite's time). Each file
// still gets its own nock state and scripted model server from its own hooks. Vitest reads
// isolation per pool, not per project, hence one pool for each.
// The cluster tests start replicas against a real Redis and assert on Probot's throttling state
// there, which is module-level in Bottleneck: they too get a process each.
const ISOLATED = ["test/features/refactor/refactor-implement.test.ts", "test/cluster/**/*.test.ts"];

export default defineConfig({
  test: {
    environment: "node",
    testTimeout: 20_000,
    hookTimeout: 20_000,
    restoreMocks: true,
    // Worker threads start faster than forked processes; no test changes directory or exits.
    pool: "threads",
    poolOptions: { threads: { isolate: false }, forks: { isolate: true } },
    projects: [
      {
        extends: true,
        test: { name: "shared", include: ["test/**/*.test.ts"], exclude: ISOLATED },
      },
      { extends: true, test: { name: "isolated", include: ISOLATED, pool: "forks" } },
    ],
  },
});

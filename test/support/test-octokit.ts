// ProbotOctokit without retry and throttling, in a module of its own so that App replicas in child
// processes (test/cluster/replica-process.ts) get it without loading nock, whose interceptors would
// sit in front of every request those replicas make.
import { ProbotOctokit } from "probot";

/**
 * A plain `defaults({ throttle: { enabled: false } })` is not enough in Probot 14: Probot layers
 * its own throttle options over it (dropping `enabled: false`), and the throttle's module-wide
 * write queue then spaces every POST, PATCH and DELETE a second apart across all tests. A
 * defaults function runs after Probot's and wins.
 */
export const TestOctokit = ProbotOctokit.defaults((options: Record<string, unknown>) => ({
  ...options,
  retry: { enabled: false },
  throttle: { ...(options.throttle as object | undefined), enabled: false },
}));

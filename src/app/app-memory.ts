// What one app instance remembers between deliveries. It lives in the services the app is given,
// never in a module, so a second instance in the same process (or the next test) starts empty.
import type { InvalidConfigError } from "../config/errors.js";
import type { RepoConfig } from "../config/schema.js";
import { OneAtATime } from "../lib/one-at-a-time.js";

/** Work a listener keeps running in the background (the refactor timer), for tests to wait on. */
export interface BackgroundWork {
  /** Resolves once the work in progress (if any) is done. */
  settled(): Promise<void>;
}

export interface AppMemory {
  /**
   * Settings being read, per delivery: every label feature hears the same `issues.labeled`
   * delivery at once, and one read serves them all. Only reads in flight are kept.
   */
  settingsReads: Map<string, Promise<RepoConfig | InvalidConfigError>>;
  /** Status comments being posted, per marker: two triggers at once must not post two. */
  statusPosts: OneAtATime;
  /**
   * Pull requests someone asked a full review of, until their run starts. A queued run is
   * replaced by a newer trigger for the same pull request, so "full" cannot travel in the job.
   */
  fullReviews: Set<string>;
  /** Refreshes of the rolling refactor issue, per repository: two at once would open two issues. */
  refactorRefreshes: OneAtATime;
  /** What listeners started in the background, by name ("refactor-timer"). */
  background: Map<string, BackgroundWork>;
}

export function createAppMemory(): AppMemory {
  return {
    settingsReads: new Map(),
    statusPosts: new OneAtATime(),
    fullReviews: new Set(),
    refactorRefreshes: new OneAtATime(),
    background: new Map(),
  };
}

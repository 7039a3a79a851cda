// What implementing a plan takes in and hands back: per task, what was committed or why not.
import type { Logger } from "probot";
import type { PlanRecord } from "../../agents/conductor/plan-record.js";
import type { AppServices } from "../../app/services.js";
import type { RepoConfig } from "../../config/schema.js";
import type { GitHubClient, RepoRef } from "../../github/client.js";
import type { RefusalReason } from "../../editing/safety.js";
import type { UsageRecord } from "../../runner/types.js";

export interface ImplementInput {
  client: GitHubClient;
  repo: RepoRef;
  issueNumber: number;
  record: PlanRecord;
  config: RepoConfig;
  services: AppServices;
  signal: AbortSignal;
  log: Logger;
  /** One line on what runs now: "Task 2/4 T2 Add the endpoint: src/server.ts". */
  onProgress?: (text: string) => void;
  /** Default `symphony/issue-<n>`; a branch of that name Symphony did not create gets a suffix. */
  branchName?: string;
}

/** Why one file of a task was not written. */
export interface FileFailure {
  path: string;
  reason: string;
  /** Set when a safety limit refused it (final; the model was not asked again). */
  refusal?: RefusalReason;
}

export type TaskOutcome =
  | {
      task_id: string;
      title: string;
      status: "committed";
      commitSha: string;
      files: string[];
    }
  /** A commit for this task was already on the branch from an earlier run. */
  | { task_id: string; title: string; status: "already_done"; commitSha: string }
  | { task_id: string; title: string; status: "failed"; reason: string; files: FileFailure[] }
  /** Not attempted: it needs a person, or a task it depends on failed. */
  | { task_id: string; title: string; status: "skipped"; reason: string };

export interface ImplementResult {
  /** The branch the commits went to. */
  branch: string;
  /** The branch head after the run; undefined when the branch was never created. */
  headSha: string | undefined;
  /** The draft pull request; undefined when nothing could be committed. */
  pullRequest: { number: number; url: string; created: boolean } | undefined;
  tasks: TaskOutcome[];
  /** Every Editor call of the run. */
  usage: UsageRecord[];
}

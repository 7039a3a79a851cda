// `schedule` and `workflow_dispatch`: one refresh of the rolling refactor issue, run on the queue
// like every other piece of model work (so cancelling the job drains it the same way).
import type { WorkQueue } from "../app/queue.js";
import type { AppServices } from "../app/services.js";
import type { RepoConfig } from "../config/schema.js";
import type { GitHubClient, RepoRef } from "../github/client.js";
import { refreshRefactorIssue, type RefreshResult } from "../features/refactor/refactor-run.js";

export interface RefreshRequest {
  client: GitHubClient;
  repo: RepoRef;
  config: RepoConfig;
  services: AppServices;
  queue: WorkQueue;
  trigger: "schedule" | "command";
  /** Receives the refresh's result once it is done. */
  onResult(result: RefreshResult): void;
}

export function refreshRefactorSuggestions(request: RefreshRequest): void {
  const { repo, services } = request;
  const repository = `${repo.owner}/${repo.repo}`;
  const log = services.log.child({ name: "symphony:refactor", repository });
  request.queue.enqueue({
    key: `${repository}:refactor`,
    repository,
    whileRunning: "ignore",
    run: async (signal) => {
      const result = await refreshRefactorIssue({
        client: request.client,
        repo,
        config: request.config,
        services,
        trigger: request.trigger,
        signal,
        log,
      });
      log.info({ outcome: result.outcome, issue: result.issueUrl }, result.summary);
      request.onResult(result);
    },
  });
}

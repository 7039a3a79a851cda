// `runner: actions`: the App posts the status comment, then hands the model work to the
// repository's own GitHub Actions runners with a `repository_dispatch` the Symphony Action serves.
import { z } from "zod";
import type { RepoConfig } from "../config/schema.js";
import type { GitHubClient, RepoRef } from "../github/client.js";
import { createRepositoryDispatch } from "../github/repository.js";

/** The `repository_dispatch` event type the example workflow listens to. */
export const DISPATCH_EVENT_TYPE = "symphony";

/**
 * What the Action needs to run the same handler the App would have run. GitHub allows at most
 * 10 top-level keys in `client_payload`; the Action fetches everything else again.
 */
export const dispatchPayloadSchema = z.object({
  /** The webhook that started the work, with its action: "issues.labeled", "issue_comment.created". */
  event: z.string().regex(/^[a-z_]+\.[a-z_]+$/),
  /** The issue or pull request number. */
  number: z.number().int().positive(),
  /** The App's delivery id, so the Action's logs and the App's can be matched. */
  delivery_id: z.string(),
  /** Who asked; the Action checks their permission again. */
  sender: z.string().min(1),
  /** The comment (or review) that carried a command, for comment and review events. */
  comment_id: z.number().int().positive().optional(),
  /** The label that was added, for `issues.labeled` and `pull_request.labeled`. */
  label: z.string().optional(),
});

export type DispatchPayload = z.infer<typeof dispatchPayloadSchema>;

/** Where the work runs: with `runner: actions`, the App itself never calls a model. */
export function handsOff(config: RepoConfig, mode: "app" | "action"): boolean {
  return config.runner === "actions" && mode === "app";
}

/**
 * Sends the dispatch. Needs the App's `contents: write` permission (GitHub's rule for
 * `POST /repos/{owner}/{repo}/dispatches`).
 */
export async function dispatchToActions(
  client: GitHubClient,
  repo: RepoRef,
  payload: DispatchPayload,
): Promise<void> {
  await createRepositoryDispatch(client, repo, DISPATCH_EVENT_TYPE, { ...payload });
}

// The repository's notes on GitHub: one issue Symphony opens (label `symphony:learnings`), the
// notes listed in its body and kept in a hidden state block, found again by label and marker.
import type { GitHubClient, RepoRef } from "../../github/client.js";
import { createIssue, issuesWithLabel, updateIssue } from "../../github/issues.js";
import { hasMarker } from "../../github/markers.js";
import {
  EMPTY_LEARNINGS,
  LEARNINGS_LABEL,
  LEARNINGS_MARKER,
  LEARNINGS_TITLE,
  parseLearningsState,
  renderLearningsIssue,
  type LearningsState,
} from "./learnings.js";

export interface LearningsStore {
  /** The issue that holds the notes; undefined until the first note. */
  issue?: number;
  state: LearningsState;
}

/** The notes as Symphony's own learnings issue holds them; none when there is no such issue. */
export async function readLearnings(
  client: GitHubClient,
  repo: RepoRef,
  botLogin: string,
): Promise<LearningsStore> {
  for await (const issue of issuesWithLabel(client, repo, LEARNINGS_LABEL)) {
    // Anyone can label an issue: only the one Symphony opened, with its marker, is the store.
    if (issue.user?.login.toLowerCase() !== botLogin.toLowerCase()) continue;
    if (!hasMarker(issue.body, LEARNINGS_MARKER)) continue;
    return { issue: issue.number, state: parseLearningsState(issue.body) ?? EMPTY_LEARNINGS };
  }
  return { state: EMPTY_LEARNINGS };
}

/** Writes the notes into the learnings issue, opening it the first time. */
export async function saveLearnings(
  client: GitHubClient,
  repo: RepoRef,
  store: LearningsStore,
  state: LearningsState,
): Promise<LearningsStore> {
  const body = renderLearningsIssue(state);
  if (store.issue === undefined) {
    const created = await createIssue(client, repo, {
      title: LEARNINGS_TITLE,
      body,
      labels: [LEARNINGS_LABEL],
    });
    return { issue: created.number, state };
  }
  await updateIssue(client, repo, store.issue, { body });
  return { issue: store.issue, state };
}

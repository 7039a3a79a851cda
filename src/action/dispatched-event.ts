// `repository_dispatch` from the App → the webhook it stood for, rebuilt from GitHub's current state,
// so the Action runs the very handler the App would have run.
import type { DispatchPayload } from "../app/hand-off.js";
import type { RepoConfig } from "../config/schema.js";
import type { GitHubClient, RepoRef } from "../github/client.js";
import { fetchIssue, fetchIssueComment, listIssueEvents } from "../github/issues.js";
import {
  fetchPullRequest,
  fetchPullRequestReviewComment,
  fetchReview,
  listReviews,
} from "../github/pull-request.js";
import { fetchRepository } from "../github/repository.js";
import { ActionFailure } from "./errors.js";
import type { WebhookEventName } from "./workflow-event.js";
import { WEBHOOK_EVENTS } from "./workflow-event.js";

export interface RebuiltEvent {
  name: WebhookEventName;
  payload: Record<string, unknown>;
}

type Labels = Pick<RepoConfig, "label" | "implement_label">;

export async function rebuildDispatchedEvent(
  client: GitHubClient,
  repo: RepoRef,
  dispatch: DispatchPayload,
  labels: Labels,
): Promise<RebuiltEvent> {
  const [event = "", action = ""] = dispatch.event.split(".");
  const name = WEBHOOK_EVENTS.find((known) => known === event);
  if (name === undefined) {
    throw new ActionFailure(
      `The App dispatched a "${dispatch.event}" event, which this version of the Action does not know; use the same version for both.`,
    );
  }
  // The acting user is never the one the dispatch names: the dispatch's payload is whatever its
  // sender wrote. It is read from the comment, review or label event as GitHub returns it.
  const repository = await fetchRepository(client, repo);
  const number = dispatch.number;
  const common = { action, repository };
  switch (name) {
    case "issues": {
      const issue = await getIssue(client, repo, number);
      const label = labelOf(dispatch, issue.labels, labels);
      const sender = await actorOf(client, repo, number, action, label, issue.user);
      return { name, payload: { ...common, sender, issue, ...label } };
    }
    case "issue_comment": {
      const [issue, comment] = await Promise.all([
        getIssue(client, repo, number),
        fetchIssueComment(client, repo, commentId(dispatch)),
      ]);
      requireOn(comment.issue_url, `/issues/${number}`, dispatch);
      return { name, payload: { ...common, sender: comment.user, issue, comment } };
    }
    case "pull_request": {
      const pull = await getPull(client, repo, number);
      const label = labelOf(dispatch, pull.labels, labels);
      const sender = await actorOf(client, repo, number, action, label, pull.user);
      return {
        name,
        payload: {
          ...common,
          sender,
          number,
          pull_request: pull,
          ...label,
          // `synchronize` carries the new head; the review's own record says what it saw before.
          ...(action === "synchronize" ? { after: pull.head.sha } : {}),
        },
      };
    }
    case "pull_request_review": {
      const [pull, review] = await Promise.all([
        getPull(client, repo, number),
        getReview(client, repo, dispatch),
      ]);
      // The REST API says "APPROVED"; the webhook, which the handlers read, says "approved".
      return {
        name,
        payload: {
          ...common,
          sender: review.user,
          pull_request: pull,
          review: { ...review, state: review.state.toLowerCase() },
        },
      };
    }
    case "pull_request_review_comment": {
      const [pull, comment] = await Promise.all([
        getPull(client, repo, number),
        fetchPullRequestReviewComment(client, repo, commentId(dispatch)),
      ]);
      requireOn(comment.pull_request_url, `/pulls/${number}`, dispatch);
      return { name, payload: { ...common, sender: comment.user, pull_request: pull, comment } };
    }
  }
}

/** The comment must belong to the issue or pull request the dispatch names. */
function requireOn(url: string | undefined, suffix: string, dispatch: DispatchPayload): void {
  if (url?.endsWith(suffix)) return;
  throw new ActionFailure(
    `The dispatched "${dispatch.event}" names #${dispatch.number}, but its comment belongs elsewhere.`,
  );
}

/**
 * Who acted: for a `labeled` event, whoever last added that label as the issue's events say;
 * otherwise the author of the issue or pull request (who opened or pushed it).
 */
async function actorOf(
  client: GitHubClient,
  repo: RepoRef,
  number: number,
  action: string,
  label: { label?: { name?: string } },
  author: unknown,
): Promise<unknown> {
  if (action !== "labeled" || label.label?.name === undefined) return author;
  const events = await listIssueEvents(client, repo, number);
  const added = events.findLast(
    (event) =>
      event.event === "labeled" && "label" in event && event.label?.name === label.label?.name,
  );
  if (added === undefined || !("actor" in added) || added.actor == null) {
    throw new ActionFailure(`No one added the label "${label.label.name}" to #${number}.`);
  }
  return added.actor;
}

async function getIssue(client: GitHubClient, repo: RepoRef, number: number) {
  return fetchIssue(client, repo, number);
}

async function getPull(client: GitHubClient, repo: RepoRef, number: number) {
  return fetchPullRequest(client, { ...repo, pull_number: number });
}

/**
 * The review the dispatch is about: by id when the App sent one, else the sender's latest
 * submitted review of the pull request (the App's review follow-up sends no id).
 */
async function getReview(client: GitHubClient, repo: RepoRef, dispatch: DispatchPayload) {
  const pull = { ...repo, pull_number: dispatch.number };
  if (dispatch.comment_id !== undefined) {
    return fetchReview(client, pull, dispatch.comment_id);
  }
  const reviews = await listReviews(client, pull);
  const sender = dispatch.sender.toLowerCase();
  const latest = reviews.findLast(
    (review) => review.user?.login.toLowerCase() === sender && review.state !== "PENDING",
  );
  if (latest === undefined) {
    throw new ActionFailure(
      `The App dispatched "${dispatch.event}" on #${dispatch.number}, but ${dispatch.sender} has no submitted review there.`,
    );
  }
  return latest;
}

function commentId(dispatch: DispatchPayload): number {
  if (dispatch.comment_id === undefined) {
    throw new ActionFailure(
      `The App dispatched "${dispatch.event}" without the comment it is about.`,
    );
  }
  return dispatch.comment_id;
}

/**
 * The label of a `labeled` event as the issue has it now: the one the App sent, else the issue's
 * Symphony label (implementation first: an issue that has it has been planned already). A label
 * the issue no longer carries is refused, not made up: its events would still name whoever once
 * added it, and the work would run as them though someone has since taken the request back.
 */
function labelOf(
  dispatch: DispatchPayload,
  present: readonly (string | { name?: string })[],
  labels: Labels,
): { label?: object } {
  if (!dispatch.event.endsWith(".labeled")) return {};
  const objects = present.map((label) => (typeof label === "string" ? { name: label } : label));
  const wanted =
    dispatch.label ??
    [labels.implement_label, labels.label].find((name) =>
      objects.some((label) => label.name === name),
    );
  if (wanted === undefined) return {};
  const label = objects.find((candidate) => candidate.name === wanted);
  if (label === undefined) {
    throw new ActionFailure(
      `#${dispatch.number} no longer carries the label "${wanted}": it was removed after the App handed the work over, so Symphony did nothing.`,
    );
  }
  return { label };
}

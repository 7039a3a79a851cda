// The summary comment while a review runs or after it failed: a status line over the last review,
// whose hidden state must survive until the new review replaces it.
import { renderReviewState, parseReviewState } from "./state.js";
import { reviewMarker } from "./state.js";

/** Where the last review's summary starts inside an in-progress body. */
const LAST_REVIEW = "<!-- symphony-last-review -->";
/** GitHub's limit on a comment body. */
const COMMENT_LIMIT = 65_536;

/**
 * The last finished review in a summary comment's body (marker left out), or undefined when
 * there is none yet. Works on a finished summary and on an in-progress body alike.
 */
export function lastReview(
  body: string | null | undefined,
  pullNumber: number,
): string | undefined {
  if (!body || parseReviewState(body) === undefined) return undefined;
  const at = body.indexOf(LAST_REVIEW);
  const summary = at >= 0 ? body.slice(at + LAST_REVIEW.length) : body;
  return summary.replaceAll(reviewMarker(pullNumber), "").trim();
}

/** A status line ("⏳ Reviewing…", "❌ The review stopped…") over the last review, state kept. */
export function statusOverLastReview(
  line: string,
  previousBody: string | null | undefined,
  pullNumber: number,
): string {
  const previous = lastReview(previousBody, pullNumber);
  if (previous === undefined) return line;
  const body = `${line}\n\n<sub>The last review stays below until this one is done.</sub>\n\n${LAST_REVIEW}\n${previous}`;
  if (body.length + 60 <= COMMENT_LIMIT) return body;
  // Too long to keep whole: keep what the next review needs, the hidden state.
  const state = parseReviewState(previous);
  return state ? `${line}\n\n${renderReviewState(state)}` : line;
}

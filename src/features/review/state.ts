// What one review leaves behind, hidden in its summary comment: the head it reviewed and the findings raised.
import { z } from "zod";
import { readHiddenState, renderHiddenState } from "../../comments/hidden-state.js";
import { FINGERPRINT_PATTERN } from "../../github/finding-marker.js";
import { renderMarker } from "../../github/markers.js";

/** Most fingerprints kept per list; the oldest go first, and the comment stays far below GitHub's limit. */
export const MAX_REMEMBERED_FINGERPRINTS = 800;

const fingerprintSchema = z.string().regex(FINGERPRINT_PATTERN);

export const reviewStateSchema = z.object({
  version: z.literal(1),
  /** The head commit this review covered; the next incremental review starts from it. */
  headSha: z.string().regex(/^[0-9a-f]{7,64}$/),
  /** Findings posted inline by this or an earlier review. */
  posted: z.array(fingerprintSchema).max(MAX_REMEMBERED_FINGERPRINTS),
  /** Findings people dismissed; never raised again. */
  dismissed: z.array(fingerprintSchema).max(MAX_REMEMBERED_FINGERPRINTS),
});
export type ReviewState = z.infer<typeof reviewStateSchema>;

const STATE_KIND = "review";

/** `<!-- symphony:review:<pr number> -->`: how Symphony finds its summary comment again. */
export function reviewMarker(pullNumber: number): string {
  return renderMarker({ kind: "review", key: String(pullNumber) });
}

export function renderReviewState(state: ReviewState): string {
  return renderHiddenState(STATE_KIND, reviewStateSchema.parse(state));
}

/**
 * The state in a summary comment's body; undefined when absent or unreadable. Read it only from
 * a comment Symphony itself wrote: anyone can paste a lookalike into their own comment.
 */
export function parseReviewState(body: string | null | undefined): ReviewState | undefined {
  return readHiddenState(body, STATE_KIND, reviewStateSchema);
}

/** Union, newest last, trimmed to the most recent. */
function remember(previous: readonly string[], added: Iterable<string>): string[] {
  const merged = new Set(previous);
  for (const fingerprint of added) {
    merged.delete(fingerprint);
    merged.add(fingerprint);
  }
  return [...merged].slice(-MAX_REMEMBERED_FINGERPRINTS);
}

/** The state after a review of `headSha` that posted and learned of dismissals. */
export function nextReviewState(
  previous: ReviewState | undefined,
  update: { headSha: string; posted: Iterable<string>; dismissed?: Iterable<string> },
): ReviewState {
  return {
    version: 1,
    headSha: update.headSha,
    posted: remember(previous?.posted ?? [], update.posted),
    dismissed: remember(previous?.dismissed ?? [], update.dismissed ?? []),
  };
}

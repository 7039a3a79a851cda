// After GitHub answers 422 to a review: which comments to leave out so the rest can still be posted.
import { z } from "zod";
import { isCommentableRange, type FileDiff } from "../../github/pull-request-patch.js";
import type { ReviewComment, ReviewRequest } from "./review-request.js";
import { parseFindingFingerprint } from "../../github/finding-marker.js";

const errorDetailSchema = z.union([
  z.string(),
  z.looseObject({
    message: z.string().optional(),
    field: z.string().optional(),
    code: z.string().optional(),
  }),
]);

/** The parts of an Octokit RequestError (and of GitHub's 422 body) that name what was wrong. */
const validationErrorSchema = z.looseObject({
  status: z.literal(422),
  message: z.string().optional(),
  response: z
    .looseObject({
      data: z
        .looseObject({
          message: z.string().optional(),
          errors: z.array(errorDetailSchema).optional(),
        })
        .optional()
        .catch(undefined),
    })
    .optional(),
});

export interface RejectedComment {
  comment: ReviewComment;
  /** The finding's fingerprint, read from the comment's hidden marker. */
  fingerprint?: string;
  /** A sentence for the summary. */
  reason: string;
}

export interface RetryPlan {
  /** The review to try again; undefined when no comment is left to post. */
  request?: ReviewRequest;
  dropped: RejectedComment[];
}

/** Whether GitHub refused the review as invalid (422), as opposed to being down or forbidding it. */
export function isRejectedReview(error: unknown): boolean {
  return validationErrorSchema.safeParse(error).success;
}

function errorTexts(error: unknown): string[] {
  const parsed = validationErrorSchema.safeParse(error);
  if (!parsed.success) return [];
  const data = parsed.data.response?.data;
  const details = (data?.errors ?? []).flatMap((detail) =>
    typeof detail === "string" ? [detail] : [detail.message ?? "", detail.field ?? ""],
  );
  return [parsed.data.message ?? "", data?.message ?? "", ...details].filter((text) => text !== "");
}

const onRightSide = (comment: ReviewComment, files: ReadonlyMap<string, FileDiff>): boolean => {
  const file = files.get(comment.path);
  const last = comment.line;
  if (!file || last === undefined || comment.side !== "RIGHT") return false;
  return isCommentableRange(file, comment.start_line ?? last, last);
};

/** Whether the text names the path as a word of its own, not as part of a longer one. */
function mentionsPath(text: string, path: string): boolean {
  const escaped = path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`(^|[\\s"'\`(])${escaped}($|[\\s"'\`),:;])`).test(text);
}

/** The comments the error points at: by path, by position in the list, or by what it says failed. */
function namedOffenders(
  request: ReviewRequest,
  texts: readonly string[],
  files?: readonly FileDiff[],
): Set<number> {
  const all = texts.join("\n");
  const offenders = new Set<number>();
  request.comments.forEach((comment, index) => {
    if (mentionsPath(all, comment.path)) offenders.add(index);
  });
  for (const match of all.matchAll(/comments?\s*(?:\[\s*)?(\d+)/gi)) {
    const index = Number(match[1]);
    if (index < request.comments.length) offenders.add(index);
  }
  if (/start[ _]line|same hunk/i.test(all)) {
    request.comments.forEach((comment, index) => {
      if (comment.start_line !== undefined) offenders.add(index);
    });
  }
  if (files && /part of the diff|could not be resolved|hunk can't be blank/i.test(all)) {
    const byPath = new Map(files.map((file) => [file.path, file]));
    request.comments.forEach((comment, index) => {
      if (!onRightSide(comment, byPath)) offenders.add(index);
    });
  }
  return offenders;
}

/**
 * The review without the comments GitHub's 422 names (or, checked against `files` from a fresh
 * diff, the ones it no longer accepts). When the error names none, every comment is left out,
 * so each retry posts fewer comments and the loop ends; the left-out go to the summary.
 */
export function dropRejectedComments(
  request: ReviewRequest,
  error: unknown,
  files?: readonly FileDiff[],
): RetryPlan {
  const texts = errorTexts(error);
  const said = texts.join("; ") || "no reason given";
  const named = namedOffenders(request, texts, files);
  const offenders = named.size > 0 ? named : new Set(request.comments.keys());
  const reason =
    named.size > 0
      ? `GitHub refused this comment (${said})`
      : `GitHub refused the review without naming a comment (${said})`;
  const dropped: RejectedComment[] = [];
  const kept: ReviewComment[] = [];
  request.comments.forEach((comment, index) => {
    if (!offenders.has(index)) {
      kept.push(comment);
      return;
    }
    const fingerprint = parseFindingFingerprint(comment.body);
    dropped.push({ comment, reason, ...(fingerprint ? { fingerprint } : {}) });
  });
  return { ...(kept.length > 0 ? { request: { ...request, comments: kept } } : {}), dropped };
}

// Judging one model reply by code: apply it, hold it to the safety limits, verify the result.
import { applySearchReplace, type BlockFailureReason } from "../../editing/apply.js";
import type { Candidate } from "../../editing/candidates.js";
import { unifiedDiff } from "../../editing/diff.js";
import { allowsBareEllipsis, elidedLines } from "../../editing/elision.js";
import {
  checkContent,
  checkSecrets,
  DEFAULT_IMPLEMENT_LIMITS,
  type ImplementLimits,
  type Refusal,
} from "../../editing/safety.js";
import type { SecretScanOptions } from "../../comments/secrets.js";
import { verifyEditedFile, type VerifyProblemKind } from "../../editing/verify.js";
import { acceptWholeFile, type WholeFileFailureReason } from "../../editing/whole-file.js";
import type { EditTextFailureReason } from "../../editing/edit-text.js";
import type { EditReply, SearchReplaceReply } from "./edit-schema.js";

export type EditProblemKind =
  | "wrong_path"
  | WholeFileFailureReason
  | BlockFailureReason
  | VerifyProblemKind
  | EditTextFailureReason
  /** A whole file where blocks were asked for. */
  | "wrong_format"
  /** The engine stopped the reply at its output limit before the edit was complete. */
  | "cut_off"
  | "refused";

export interface EditProblem {
  kind: EditProblemKind;
  /** A sentence for the model's next attempt and for the pull request body. */
  message: string;
  /** Places that matched, or look-alikes of a search text that matched nowhere. */
  candidates: Candidate[];
  refusal?: Refusal;
}

export type ReplyCheck =
  | { ok: true; after: string; diff: string }
  | { ok: false; problem: EditProblem; retryable: boolean };

export interface ReplyCheckOptions {
  limits?: Pick<ImplementLimits, "max_file_bytes">;
  /** The task asks to remove or shorten code, so a much shorter whole file is expected. */
  removalRequested?: boolean;
  tabWidth?: number;
  secretScan?: SecretScanOptions;
}

/**
 * What one reply would do to the file, or why it must not be written. Refusals (binary, too
 * large, a secret) are final; every other problem is worth sending back to the model.
 */
export async function checkEditReply(
  file: { path: string; currentContent: string | undefined },
  edit: EditReply,
  options: ReplyCheckOptions = {},
): Promise<ReplyCheck> {
  const { path, currentContent: before } = file;
  if (edit.reply.path !== path) {
    return retry(
      "wrong_path",
      `the reply names ${JSON.stringify(edit.reply.path)} but this edit is for ${path}`,
    );
  }
  const applied = produce(path, before, edit, options);
  if (!applied.ok) return applied;
  const after = applied.after;
  const change = { path, before, after };
  const refusal =
    checkContent(change, options.limits ?? DEFAULT_IMPLEMENT_LIMITS) ??
    checkSecrets(change, options.secretScan);
  if (refusal) {
    return {
      ok: false,
      retryable: false,
      problem: { kind: "refused", message: refusal.message, candidates: [], refusal },
    };
  }
  const [problem] = await verifyEditedFile(path, before, after);
  if (problem) return retry(problem.kind, problem.message);
  return { ok: true, after, diff: unifiedDiff(path, before, after) };
}

function produce(
  path: string,
  before: string | undefined,
  edit: EditReply,
  options: ReplyCheckOptions,
): { ok: true; after: string } | Extract<ReplyCheck, { ok: false }> {
  if (edit.format === "whole_file") {
    const accepted = acceptWholeFile(path, before, edit.reply.content, {
      removalRequested: options.removalRequested ?? false,
    });
    return accepted.ok
      ? { ok: true, after: accepted.content }
      : retry(accepted.failure.reason, accepted.failure.message);
  }
  const elided = elidedBlock(path, edit.reply);
  if (elided) return elided;
  const result = applySearchReplace(before ?? "", edit.reply.blocks, {
    tabWidth: options.tabWidth,
  });
  return result.ok
    ? { ok: true, after: result.content }
    : retry(result.failure.reason, result.failure.message, result.failure.candidates);
}

/** A replacement that abbreviates what it replaces would delete the code it leaves out. */
function elidedBlock(
  path: string,
  reply: SearchReplaceReply,
): Extract<ReplyCheck, { ok: false }> | undefined {
  for (const [index, block] of reply.blocks.entries()) {
    const elided = elidedLines(block.search, block.replace, {
      allowBareEllipsis: allowsBareEllipsis(path),
    });
    if (elided.length > 0) {
      return retry(
        "elided",
        `the replacement of block ${index + 1} leaves code out (${JSON.stringify(elided[0])}); ` +
          `write out every line the replacement keeps`,
      );
    }
  }
  return undefined;
}

function retry(
  kind: EditProblemKind,
  message: string,
  candidates: Candidate[] = [],
): Extract<ReplyCheck, { ok: false }> {
  return { ok: false, retryable: true, problem: { kind, message, candidates } };
}

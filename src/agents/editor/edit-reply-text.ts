// A model's plain-text edit reply turned into the typed edit the checks judge, or the reason it cannot be.
import { parseEditText } from "../../editing/edit-text.js";
import type { EditProblem } from "./edit-reply.js";
import {
  searchReplaceReplySchema,
  wholeFileReplySchema,
  type EditFormat,
  type EditReply,
} from "./edit-schema.js";

export type ReadReply =
  | { ok: true; edit: EditReply; reasoning: string }
  | { ok: false; problem: EditProblem; retryable: boolean };

export interface ReadReplyOptions {
  path: string;
  format: EditFormat;
}

/**
 * The typed edit in a reply. Blocks are taken in either format (they are applied against the
 * real file); a whole file only where one was asked for, since a long file's whole text was
 * never budgeted as output.
 */
export function readEditReply(text: string, options: ReadReplyOptions): ReadReply {
  const parsed = parseEditText(text, options.path);
  if (!parsed.ok) return retry(parsed.reason, `${parsed.message}; ${formatHint(options.format)}`);
  const { edit } = parsed;
  if (edit.kind === "whole_file") {
    if (options.format !== "whole_file") {
      return retry(
        "wrong_format",
        `the reply is a whole file, but ${options.path} is edited with SEARCH/REPLACE blocks; ${formatHint("search_replace")}`,
      );
    }
    const reply = wholeFileReplySchema.safeParse({
      path: edit.path ?? options.path,
      content: edit.content,
    });
    if (!reply.success) return retry("malformed", `the path above the file is not usable`);
    return {
      ok: true,
      edit: { format: "whole_file", reply: reply.data },
      reasoning: edit.reasoning,
    };
  }
  const other = edit.paths.find((path) => path !== options.path);
  const reply = searchReplaceReplySchema.safeParse({
    path: other ?? options.path,
    blocks: edit.blocks,
  });
  if (!reply.success) {
    return retry(
      "malformed",
      `the reply has ${edit.blocks.length} blocks; send at most 40, each for one place in the file`,
    );
  }
  return {
    ok: true,
    edit: { format: "search_replace", reply: reply.data },
    reasoning: edit.reasoning,
  };
}

function formatHint(format: EditFormat): string {
  return format === "whole_file"
    ? "write the path on a line of its own, then the complete file in a fenced block"
    : 'write the path on a line of its own, then blocks from "<<<<<<< SEARCH" through "=======" to ">>>>>>> REPLACE"';
}

/**
 * A reply the engine stopped at its output limit (`done_reason: "length"`) that holds no whole
 * edit: cut, not malformed, and not worth asking again at the same limit.
 */
export function cutOffReply(outputTokens: number | undefined): Extract<ReadReply, { ok: false }> {
  const at = outputTokens === undefined ? "" : ` at ${outputTokens} output tokens`;
  return {
    ok: false,
    retryable: false,
    problem: {
      kind: "cut_off",
      message:
        `the model's reply was cut off${at} before the edit was complete; raise ` +
        `SYMPHONY_MAX_OUTPUT_TOKENS (with SYMPHONY_NUM_CTX_MAX), or split the task into smaller edits`,
      candidates: [],
    },
  };
}

function retry(kind: EditProblem["kind"], message: string): ReadReply {
  return { ok: false, retryable: true, problem: { kind, message, candidates: [] } };
}

// A corpus case's reply as a model now writes it (plain text), and the Editor's reading and checks of it.
import { checkEditReply, type ReplyCheck } from "../../src/agents/editor/edit-reply.js";
import { readEditReply } from "../../src/agents/editor/edit-reply-text.js";
import { renderBlocksText, renderWholeFileText } from "../../src/editing/edit-text.js";
import type { EditCase } from "./case-schema.js";

const REASONING = "The task asks for this change, so I make it here and nowhere else.";

/** The case's reply as text: reasoning, the path line, the fenced file or the blocks. */
export function replyText(edit: EditCase, reasoning = REASONING): string {
  const { reply } = edit;
  return reply.format === "whole_file"
    ? renderWholeFileText(reply.reply.path, reply.reply.content, reasoning)
    : renderBlocksText(reply.reply.path, reply.reply.blocks, reasoning);
}

/** What the Editor makes of the text reply: parsed, applied, held to the limits and verified. */
export async function checkTextReply(edit: EditCase): Promise<ReplyCheck> {
  const read = readEditReply(replyText(edit), { path: edit.path, format: edit.reply.format });
  if (!read.ok) return { ok: false, problem: read.problem, retryable: read.retryable };
  return checkEditReply({ path: edit.path, currentContent: edit.original }, read.edit);
}

// Editor replies as a model writes them (plain text), built from the renderers the prompt's example uses.
import { renderBlocksText, renderWholeFileText } from "../../src/editing/edit-text.js";
import type { SearchReplaceBlock } from "../../src/editing/search-replace-block.js";
import { MockModelRuntime, type RecordedCall } from "./mock-runtime.js";
import type { JsonObject } from "./model-server.js";

const REASONING = "The task asks for this change; I make it and change nothing else.";

/** A whole-file reply: reasoning, the path line, the fenced file. */
export function wholeFileText(path: string, content: string, reasoning = REASONING): string {
  return renderWholeFileText(path, content, reasoning);
}

/** A SEARCH/REPLACE reply: reasoning, the path line, the blocks. */
export function blocksText(
  path: string,
  blocks: readonly SearchReplaceBlock[],
  reasoning = REASONING,
): string {
  return renderBlocksText(path, blocks, reasoning);
}

/**
 * A reply given as the JSON shape the Editor once asked for ({path, content} or {path, blocks}),
 * written as text; anything else (an Error to throw, a string) as it is.
 */
export function editReplyText(reply: unknown): unknown {
  if (typeof reply !== "object" || reply === null || reply instanceof Error) return reply;
  const { path, content, blocks } = reply as {
    path?: string;
    content?: string;
    blocks?: SearchReplaceBlock[];
  };
  if (typeof path === "string" && typeof content === "string") return wholeFileText(path, content);
  if (typeof path === "string" && Array.isArray(blocks)) return blocksText(path, blocks);
  return reply;
}

/** A scripted runtime whose Editor answers each call with `reply(call)`, written as text. */
export function textEditor(reply: (call: RecordedCall) => unknown): MockModelRuntime {
  return new MockModelRuntime().respond("editor", (call) => editReplyText(reply(call)));
}

/** Whether a request the scripted server received is the Editor's edit step (plain text, no schema). */
export function isEditRequest(body: JsonObject | undefined): boolean {
  const messages = body?.["messages"];
  if (!Array.isArray(messages)) return false;
  const system = messages[0] as JsonObject | undefined;
  const content = system?.["content"];
  return typeof content === "string" && content.startsWith(EDITOR_SYSTEM_OPENING);
}

const EDITOR_SYSTEM_OPENING = "You are the Editor of Symphony. You change one file";

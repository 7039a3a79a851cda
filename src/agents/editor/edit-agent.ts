// The Editor's edit step, defined as every agent is (defineAgent): one per edit format, each with
// its prompt version, and a plain-text reply read by the edit parser, never a JSON schema.
import { defineAgent, textReply } from "../define-agent.js";
import { readEditReply, type ReadReply } from "./edit-reply-text.js";
import { EDIT_PROMPT_VERSIONS, editMessages, editPromptInputSchema } from "./edit-prompt.js";
import type { EditFormat } from "./edit-schema.js";

/** The reply as the model wrote it, and what the parser made of it (never thrown: a bad reply is sent back). */
export interface EditReplyRead {
  text: string;
  read: ReadReply;
}

function editAgentFor(format: EditFormat) {
  return defineAgent({
    name: "editor",
    promptVersion: EDIT_PROMPT_VERSIONS[format],
    input: editPromptInputSchema,
    output: (input) =>
      textReply((text): EditReplyRead => ({
        text,
        read: readEditReply(text, { path: input.path, format: input.format }),
      })),
    messages: editMessages,
    maxOutputTokens: (input) => input.outputAllowance,
  });
}

export const EDIT_AGENTS = {
  whole_file: editAgentFor("whole_file"),
  search_replace: editAgentFor("search_replace"),
} as const;

export type EditAgent = (typeof EDIT_AGENTS)[EditFormat];

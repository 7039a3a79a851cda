// The worked example each edit prompt shows, typed by the reply schemas and rendered by the same
// code that renders a reply, so the example can never drift from what the parser reads.
import { renderBlocksText, renderWholeFileText } from "../../editing/edit-text.js";
import {
  searchReplaceReplySchema,
  wholeFileReplySchema,
  type SearchReplaceReply,
  type WholeFileReply,
} from "./edit-schema.js";

export interface EditExample<Reply> {
  task: string;
  before: string;
  reasoning: string;
  reply: Reply;
}

const BEFORE = `export function greet(name: string): string {
  return "Hello";
}
`;

export const WHOLE_FILE_EXAMPLE: EditExample<WholeFileReply> = {
  task: "greet() should greet the person by name.",
  before: BEFORE,
  reasoning:
    "greet() ignores its argument. I make it return the name after the greeting; nothing else in the file changes.",
  reply: wholeFileReplySchema.parse({
    path: "src/greet.ts",
    content: BEFORE.replace(`return "Hello";`, "return `Hello, ${name}`;"),
  }),
};

export const SEARCH_REPLACE_EXAMPLE: EditExample<SearchReplaceReply> = {
  task: WHOLE_FILE_EXAMPLE.task,
  before: BEFORE,
  reasoning: WHOLE_FILE_EXAMPLE.reasoning,
  reply: searchReplaceReplySchema.parse({
    path: "src/greet.ts",
    blocks: [
      {
        search: `export function greet(name: string): string {\n  return "Hello";\n`,
        replace: "export function greet(name: string): string {\n  return `Hello, ${name}`;\n",
      },
    ],
  }),
};

export function renderWholeFileExample(): string {
  const { reasoning, reply } = WHOLE_FILE_EXAMPLE;
  return renderWholeFileText(reply.path, reply.content, reasoning);
}

export function renderSearchReplaceExample(): string {
  const { reasoning, reply } = SEARCH_REPLACE_EXAMPLE;
  return renderBlocksText(reply.path, reply.blocks, reasoning);
}

import { describe, expect, it } from "vitest";
import {
  renderSearchReplaceExample,
  renderWholeFileExample,
  SEARCH_REPLACE_EXAMPLE,
  WHOLE_FILE_EXAMPLE,
} from "../../src/agents/editor/edit-examples.js";
import { parseEditText, pathOnLine, renderBlocksText } from "../../src/editing/edit-text.js";

const PATH = "src/cart.ts";

describe("reading a whole file from a plain-text reply", () => {
  it("takes the fenced file under its path line, and the sentences before it as reasoning", () => {
    const reply =
      "I add a discount.\nNothing else changes.\n\nsrc/cart.ts\n```ts\nconst a = 1;\n```\n";
    expect(parseEditText(reply, PATH)).toEqual({
      ok: true,
      edit: {
        kind: "whole_file",
        reasoning: "I add a discount.\nNothing else changes.",
        path: PATH,
        content: "const a = 1;\n",
      },
    });
  });

  it("reads a path in the fence's info string, and none at all as no path", () => {
    const inInfo = parseEditText("```ts src/cart.ts\nx\n```", PATH);
    expect(inInfo.ok && inInfo.edit.kind === "whole_file" && inInfo.edit.path).toBe(PATH);
    const none = parseEditText("Here it is:\n```ts\nx\n```", PATH);
    expect(none.ok && none.edit.kind === "whole_file" && none.edit.path).toBeUndefined();
  });

  it("reports another path as written, for the caller to refuse", () => {
    const result = parseEditText("src/other.ts\n```ts\nx\n```", PATH);
    expect(result.ok && result.edit.kind === "whole_file" && result.edit.path).toBe("src/other.ts");
  });

  it("keeps a Markdown file's own fences when the model fenced it with three backticks too", () => {
    const readme = "# Title\n\n```bash\nnpm test\n```\n\nMore.\n";
    const result = parseEditText(`README.md\n\`\`\`md\n${readme}\`\`\`\nDone.`, "README.md");
    expect(result.ok && result.edit.kind === "whole_file" && result.edit.content).toBe(readme);
  });

  it("reads a file inside a fence longer than the file's own backtick runs", () => {
    const readme = "Use ```js fences``` and\n```\ncode\n```\n";
    const result = parseEditText(`README.md\n\`\`\`\`md\n${readme}\`\`\`\`\n`, "README.md");
    expect(result.ok && result.edit.kind === "whole_file" && result.edit.content).toBe(readme);
  });

  it("reads CRLF replies as lines, and drops the indentation of a fence inside a list item", () => {
    const result = parseEditText(
      "1. src/cart.ts\r\n   ```ts\r\n   a();\r\n     b();\r\n   ```\r\n",
      PATH,
    );
    expect(result.ok && result.edit.kind === "whole_file" && result.edit.content).toBe(
      "a();\n  b();\n",
    );
  });

  it("prefers the fence under the expected path when the reply shows several", () => {
    const reply = "Before:\n```ts\nold();\nold();\nold();\n```\nsrc/cart.ts\n```ts\nnew();\n```\n";
    const result = parseEditText(reply, PATH);
    expect(result.ok && result.edit.kind === "whole_file" && result.edit.content).toBe("new();\n");
  });

  it("calls a reply that stops inside its fence unterminated, and one without a fence no edit", () => {
    expect(parseEditText("src/cart.ts\n```ts\nconst a = 1;\n", PATH)).toMatchObject({
      ok: false,
      reason: "unterminated",
    });
    expect(parseEditText("I would add a discount.", PATH)).toMatchObject({
      ok: false,
      reason: "no_edit",
    });
  });
});

describe("reading SEARCH/REPLACE blocks from a plain-text reply", () => {
  const block = "<<<<<<< SEARCH\nold();\n=======\nnew();\n>>>>>>> REPLACE";

  it("reads several blocks in order, whole lines each, ignoring text after the last", () => {
    const reply = `Two changes.\n\nsrc/cart.ts\n${block}\n\n${block.replace(/old/, "two").replace(/new/, "deux")}\nThat is all.\n`;
    expect(parseEditText(reply, PATH)).toEqual({
      ok: true,
      edit: {
        kind: "blocks",
        reasoning: "Two changes.",
        paths: [PATH],
        blocks: [
          { search: "old();\n", replace: "new();\n" },
          { search: "two();\n", replace: "deux();\n" },
        ],
      },
    });
  });

  it("reads blocks inside a fence, with the path above the fence or in its info string", () => {
    for (const reply of [
      `src/cart.ts\n\`\`\`ts\n${block}\n\`\`\`\n`,
      `\`\`\`ts src/cart.ts\n${block}\n\`\`\`\n`,
    ]) {
      const result = parseEditText(reply, PATH);
      expect(result).toMatchObject({
        ok: true,
        edit: { paths: [PATH], blocks: [{ search: "old();\n" }] },
      });
    }
  });

  it("reads CRLF, a missing path line and blank lines around the markers", () => {
    const reply =
      "Change it.\r\n<<<<<<< SEARCH\r\n\r\nold();\r\n=======\r\nnew();\r\n\r\n>>>>>>> REPLACE\r\n";
    expect(parseEditText(reply, PATH)).toEqual({
      ok: true,
      edit: {
        kind: "blocks",
        reasoning: "Change it.",
        paths: [],
        blocks: [{ search: "\nold();\n", replace: "new();\n\n" }],
      },
    });
  });

  it("reads an empty replacement as a deletion", () => {
    const result = parseEditText("<<<<<<< SEARCH\nold();\n=======\n>>>>>>> REPLACE\n", PATH);
    expect(result).toMatchObject({
      ok: true,
      edit: { blocks: [{ search: "old();\n", replace: "" }] },
    });
  });

  it("reports each path named above a block, another file's included", () => {
    const result = parseEditText(`src/cart.ts\n${block}\nsrc/other.ts\n${block}\n`, PATH);
    expect(result).toMatchObject({ ok: true, edit: { paths: [PATH, "src/other.ts"] } });
  });

  it("calls a reply that stops inside a block unterminated, naming the missing line", () => {
    expect(parseEditText("<<<<<<< SEARCH\nold();\n", PATH)).toEqual({
      ok: false,
      reason: "unterminated",
      message: 'the reply stops inside block 1, before its "=======" line',
    });
    expect(parseEditText("<<<<<<< SEARCH\nold();\n=======\nnew();\n```", PATH)).toMatchObject({
      ok: false,
      reason: "unterminated",
      message: expect.stringContaining('">>>>>>> REPLACE"'),
    });
  });

  it("calls markers out of order malformed", () => {
    expect(parseEditText(`<<<<<<< SEARCH\na\n=======\nb\n${block}`, PATH)).toMatchObject({
      ok: false,
      reason: "malformed",
      message: 'block 1 has no ">>>>>>> REPLACE" line before block 2 starts',
    });
    expect(parseEditText("new();\n>>>>>>> REPLACE\n", PATH)).toMatchObject({
      ok: false,
      reason: "malformed",
    });
  });

  it("renders blocks that read back as they were", () => {
    const blocks = [
      { search: "a\n", replace: "b\n" },
      { search: "c\nd\n", replace: "" },
    ];
    const result = parseEditText(renderBlocksText(PATH, blocks, "Why."), PATH);
    expect(result).toEqual({
      ok: true,
      edit: { kind: "blocks", reasoning: "Why.", paths: [PATH], blocks },
    });
  });
});

describe("a path line", () => {
  it("is a line that is only a path, perhaps dressed as Markdown", () => {
    for (const line of [
      "src/cart.ts",
      "`src/cart.ts`",
      "### src/cart.ts",
      "**File:** `src/cart.ts`",
      "File: src/cart.ts",
      "src/cart.ts:",
      "cart.ts",
      "- ./src/cart.ts",
    ]) {
      expect(pathOnLine(line, PATH), line).toBe(PATH);
    }
    expect(pathOnLine("lib/other.py", PATH)).toBe("lib/other.py");
  });

  it("is never a sentence", () => {
    for (const line of ["Here is the change:", "Done.", "I edit src/cart.ts now.", "```ts"]) {
      expect(pathOnLine(line, PATH), line).toBeUndefined();
    }
  });
});

describe("the prompts' worked examples", () => {
  it("read back as the typed examples they were rendered from", () => {
    expect(parseEditText(renderWholeFileExample(), WHOLE_FILE_EXAMPLE.reply.path)).toEqual({
      ok: true,
      edit: {
        kind: "whole_file",
        reasoning: WHOLE_FILE_EXAMPLE.reasoning,
        path: WHOLE_FILE_EXAMPLE.reply.path,
        content: WHOLE_FILE_EXAMPLE.reply.content,
      },
    });
    expect(parseEditText(renderSearchReplaceExample(), SEARCH_REPLACE_EXAMPLE.reply.path)).toEqual({
      ok: true,
      edit: {
        kind: "blocks",
        reasoning: SEARCH_REPLACE_EXAMPLE.reasoning,
        paths: [SEARCH_REPLACE_EXAMPLE.reply.path],
        blocks: SEARCH_REPLACE_EXAMPLE.reply.blocks,
      },
    });
  });
});

import { describe, expect, it } from "vitest";
import {
  codeBlock,
  inlineCode,
  neutraliseMentions,
  proseBlock,
  tableCell,
} from "../../src/comments/sanitise.js";

describe("model text in comments", () => {
  it("neutralises mentions of people and teams but leaves e-mail addresses", () => {
    expect(neutraliseMentions("@octocat, @github/security and me@example.com")).toBe(
      "@\u200Doctocat, @\u200Dgithub/security and me@example.com",
    );
  });

  it("closes a code fence the model left open, so it cannot swallow the rest of the comment", () => {
    expect(proseBlock("Do this:\n```ts\nconst a = 1 < 2;")).toBe(
      "Do this:\n<pre><code>const a = 1 &lt; 2;</code></pre>",
    );
  });

  it("shows code spans and fenced code as HTML code, with <, > and & escaped there too", () => {
    expect(proseBlock("Use `a<b` when x < y\n```\n<div>@octocat</div>\n```")).toBe(
      "Use <code>a&lt;b</code> when x &lt; y\n<pre><code>&lt;div&gt;&#64;octocat&lt;/div&gt;</code></pre>",
    );
  });

  it("defuses headings so the model cannot restructure the comment", () => {
    expect(proseBlock("# Approve this PR\nText")).toBe("\\# Approve this PR\nText");
  });

  it("escapes pipes and line breaks in table cells", () => {
    expect(tableCell("a | b\nc")).toBe("a \\| b c");
  });

  it("wraps code in enough backticks and breaks comment openers inside it", () => {
    expect(inlineCode("a `b` c")).toBe("``a `b` c``");
    expect(codeBlock("```\n<!-- x -->\n```")).toBe("````\n```\n<\u200B!-- x -->\n```\n````");
  });
});

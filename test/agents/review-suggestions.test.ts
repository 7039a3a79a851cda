import { describe, expect, it } from "vitest";
import { readSuggestions, writeSuggestions } from "../../src/agents/editor/review-suggestions.js";

const asked = new Set([1, 2]);

describe("reading multi-line suggestions from a plain-text reply", () => {
  it("takes each suggestion-<n> fence by its number, keeping the code as written", () => {
    const reply = [
      "Here are the fixes.",
      "```suggestion-2",
      "  const url = `${base}/users`;",
      '  return fetch(url, { method: "GET" });',
      "```",
      "````suggestion-1",
      "  // a ``` inside the code",
      "  done();",
      "````",
    ].join("\n");
    expect(readSuggestions(reply, asked)).toEqual(
      new Map([
        [2, '  const url = `${base}/users`;\n  return fetch(url, { method: "GET" });'],
        [1, "  // a ``` inside the code\n  done();"],
      ]),
    );
  });

  it("ignores numbers not asked for, repeats, unterminated and empty fences, and other fences", () => {
    const reply = [
      "```suggestion-3\nx\n```",
      "```ts\ny\n```",
      "```suggestion-1\nfirst\n```",
      "```suggestion-1\nsecond\n```",
      "```suggestion-2\n\n```",
      "```suggestion-2\nnever closed",
    ].join("\n");
    expect(readSuggestions(reply, asked)).toEqual(new Map([[1, "first"]]));
  });

  it("reads CRLF replies as lines", () => {
    expect(readSuggestions("```suggestion-1\r\na\r\nb\r\n```\r\n", asked)).toEqual(
      new Map([[1, "a\nb"]]),
    );
  });

  it("is asked for as plain text, with no schema, and the example reads back", () => {
    const input = {
      fixes: [
        {
          number: 1,
          path: "src/a.ts",
          firstLine: 3,
          lastLine: 4,
          title: "t",
          body: "b",
          lines: "a\nb",
        },
      ],
    };
    expect(writeSuggestions.replySchema(input)).toBeUndefined();
    const system = writeSuggestions.messages(input)[0]!.content;
    const example = system.slice(system.indexOf("The reply:\n") + "The reply:\n".length);
    expect(readSuggestions(example, new Set([1])).get(1)).toContain("charged = true;");
  });
});

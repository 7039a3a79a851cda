import { describe, expect, it } from "vitest";
import { acceptWholeFile } from "../../src/editing/whole-file.js";

const original =
  Array.from({ length: 30 }, (_, i) => `export const value${i} = ${i};`).join("\n") + "\n";

describe("accepting a whole-file reply", () => {
  it("accepts a complete file", () => {
    const content = original.replace("value3 = 3", "value3 = 33");
    expect(acceptWholeFile("src/values.ts", original, content)).toEqual({
      ok: true,
      content,
      unfenced: false,
    });
  });

  it.each([
    "// ... rest of the file unchanged",
    "// ... existing code here ...",
    "/* rest unchanged */",
    "// ...",
    "# remaining tests unchanged",
    "<!-- rest of the document as before -->",
  ])("rejects a reply that elides code with %j", (marker) => {
    const content = `export const value0 = 0;\n${marker}\nexport const value29 = 29;\n`;
    const result = acceptWholeFile("src/values.ts", original, content);
    expect(result).toMatchObject({ ok: false, failure: { reason: "elided", evidence: [marker] } });
  });

  it("accepts a comment that merely mentions the rest of the file", () => {
    const content = `${original}// The header ends here; the rest of the file is data.\n`;
    expect(acceptWholeFile("src/values.ts", original, content)).toMatchObject({ ok: true });
  });

  it("accepts an elision-like comment the file already had", () => {
    const before = `${original}// ... existing code here ...\n`;
    const after = before.replace("value3 = 3", "value3 = 33");
    expect(acceptWholeFile("src/values.ts", before, after)).toMatchObject({ ok: true });
  });

  it("accepts Python's bare ellipsis as code", () => {
    const content = "class Store(Protocol):\n    def get(self, key: str) -> str:\n        ...\n";
    expect(acceptWholeFile("store.py", undefined, content)).toMatchObject({ ok: true });
  });

  it("rejects a reply that drops most of the file unless the task removes code", () => {
    const content = original.split("\n").slice(0, 5).join("\n") + "\n";
    expect(acceptWholeFile("src/values.ts", original, content)).toMatchObject({
      ok: false,
      failure: { reason: "shrunk", evidence: ["30 lines before", "5 lines after"] },
    });
    expect(
      acceptWholeFile("src/values.ts", original, content, { removalRequested: true }),
    ).toMatchObject({
      ok: true,
    });
  });

  it("strips a Markdown fence around the whole reply", () => {
    const result = acceptWholeFile("src/new.ts", undefined, "```ts\nexport const a = 1;\n```");
    expect(result).toEqual({ ok: true, content: "export const a = 1;\n", unfenced: true });
  });

  it("keeps a CRLF file CRLF and without a final newline when it had none", () => {
    const result = acceptWholeFile("a.txt", "one\r\ntwo", "one\nthree\n");
    expect(result).toEqual({ ok: true, content: "one\r\nthree", unfenced: false });
  });
});

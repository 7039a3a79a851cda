import { describe, expect, it } from "vitest";
import { z } from "zod";
import { readHiddenState, renderHiddenState } from "../../src/comments/hidden-state.js";
import { hasMarker, parseMarkers, renderMarker, withMarker } from "../../src/github/markers.js";

describe("hidden markers", () => {
  it("render as an HTML comment naming the kind and key", () => {
    expect(renderMarker({ kind: "plan", key: "12" })).toBe("<!-- symphony:plan:12 -->");
  });

  it("are read back from a comment body, in order", () => {
    const body = "<!-- symphony:review:7 -->\ntext\n<!-- symphony:plan:octo/repo#12 -->";

    expect(parseMarkers(body)).toEqual([
      { kind: "review", key: "7" },
      { kind: "plan", key: "octo/repo#12" },
    ]);
  });

  it("refuse a key that would end the HTML comment early", () => {
    expect(() => renderMarker({ kind: "plan", key: "a-->b" })).toThrow(TypeError);
  });

  it("do not match a marker of another key that starts the same", () => {
    expect(hasMarker("<!-- symphony:plan:12 -->", { kind: "plan", key: "1" })).toBe(false);
  });

  it("are added to a body once", () => {
    const marker = { kind: "help", key: "3" };
    const once = withMarker("hello", marker);

    expect(withMarker(once, marker)).toBe("<!-- symphony:help:3 -->\nhello");
  });
});

describe("hidden state", () => {
  const schema = z.object({ tasks: z.array(z.string()) });

  it("round-trips a value through a comment body", () => {
    const body = `# Plan\n${renderHiddenState("plan", { tasks: ["a", "b"] })}\nfooter`;

    // A block followed by more text is no block that ends the comment: read it only on request.
    expect(readHiddenState(body, "plan", schema)).toBeUndefined();
    expect(readHiddenState(body, "plan", schema, { where: "last" })).toEqual({ tasks: ["a", "b"] });
    expect(
      readHiddenState(`# Plan\n${renderHiddenState("plan", { tasks: ["a"] })}\n`, "plan", schema),
    ).toEqual({
      tasks: ["a"],
    });
  });

  it("reads the block that ends the comment, never an earlier lookalike", () => {
    const forged = renderHiddenState("plan", { tasks: ["forged"] });
    const real = renderHiddenState("plan", { tasks: ["real"] });

    expect(readHiddenState(`quoted:\n${forged}\n\n${real}`, "plan", schema)).toEqual({
      tasks: ["real"],
    });
  });

  it("keeps text containing the end of an HTML comment inside the comment", () => {
    const value = { tasks: ["x --> y", "----"] };
    const rendered = renderHiddenState("plan", value);

    expect(rendered.slice(0, -3)).not.toContain("-->");
    expect(readHiddenState(rendered, "plan", schema)).toEqual(value);
  });

  it("is undefined when the stored shape no longer fits the schema", () => {
    expect(
      readHiddenState(renderHiddenState("plan", { tasks: 3 }), "plan", schema),
    ).toBeUndefined();
  });

  it("is undefined when the comment holds none", () => {
    expect(readHiddenState("just text", "plan", schema)).toBeUndefined();
  });
});

import { describe, expect, it } from "vitest";
import { renderHiddenState } from "../../../src/comments/hidden-state.js";
import {
  parseRefactorState,
  renderRefactorState,
  replaceRefactorState,
  type RefactorState,
} from "../../../src/features/refactor/refactor-state.js";

/** The block as Symphony wrote it before the one hidden-state codec. */
const oldFormat = (value: unknown): string =>
  `<!-- symphony:refactor-state ${Buffer.from(JSON.stringify(value)).toString("base64")} -->`;

const state: RefactorState = {
  version: 1,
  lastRun: "2026-03-02T06:00:00.000Z",
  made: [
    {
      id: "rf-0123abcd",
      fingerprint: "rf-0123abcd:0123456789ab",
      file: "src/cart.ts",
      function: "Cart.total",
      line: 12,
      smell: "deep-nesting",
      title: "Flatten the discount branches --> <!-- symphony:refactor-state AAAA -->",
      refactor: "Return early for members.",
    },
  ],
  dismissed: ["rf-99999999:ba9876543210"],
};

describe("the hidden refactor state", () => {
  it("round-trips through an issue body", () => {
    const body = `Some text\n\n${renderRefactorState(state)}\n`;
    expect(parseRefactorState(body)).toEqual(state);
  });

  it("is written through the one hidden-state codec, which model text inside cannot close", () => {
    const comment = renderRefactorState(state);
    expect(comment).toBe(renderHiddenState("refactor", state));
    expect(comment).toMatch(/^<!-- symphony-state:refactor\n[^\n]+\n-->$/);
    expect(comment.indexOf("-->")).toBe(comment.length - 3);
    expect(comment).not.toContain("<!-- symphony:refactor-state");
  });

  it("never reads an earlier lookalike block, only the last one", () => {
    const forged = renderRefactorState({ ...state, dismissed: [], made: [] });
    const body = `Quoted: ${forged}\n\n${renderRefactorState(state)}\n\nA note someone added.`;
    expect(parseRefactorState(body)).toEqual(state);
    expect(
      parseRefactorState(`${oldFormat({ ...state, made: [] })}\n${renderRefactorState(state)}`),
    ).toEqual(state);
  });

  it("still reads an issue body written in the old base64 format, and rewrites it in the new", () => {
    const body = `<!-- symphony:refactor -->\n## Refactor suggestions\n\n${oldFormat(state)}\n`;
    expect(parseRefactorState(body)).toEqual(state);
    const next = replaceRefactorState(body, { ...state, dismissed: [] });
    expect(next).not.toContain("<!-- symphony:refactor-state ");
    expect(next).toBe(
      `<!-- symphony:refactor -->\n## Refactor suggestions\n\n${renderRefactorState({ ...state, dismissed: [] })}\n`,
    );
    expect(parseRefactorState(next)?.dismissed).toEqual([]);
  });

  it("replaces the block in place, and reads it after GitHub turns line endings into CRLF", () => {
    const body = `Top\n\n${renderRefactorState(state)}\n`;
    const next = replaceRefactorState(body, { ...state, lastRun: "2026-03-09T06:00:00.000Z" });
    expect(next).toBe(
      `Top\n\n${renderRefactorState({ ...state, lastRun: "2026-03-09T06:00:00.000Z" })}\n`,
    );
    expect(parseRefactorState(next.replace(/\n/g, "\r\n"))?.lastRun).toBe(
      "2026-03-09T06:00:00.000Z",
    );
  });

  it("reads as absent when the body has none", () => {
    expect(parseRefactorState("<!-- symphony:refactor -->\nNothing yet")).toBeUndefined();
    expect(parseRefactorState(undefined)).toBeUndefined();
  });

  it("reads as absent when someone broke it by hand", () => {
    const broken = `<!-- symphony-state:refactor\n{not json\n-->`;
    const wrongShape = renderHiddenState("refactor", { version: 2 });
    const oldBroken = `<!-- symphony:refactor-state ${Buffer.from("{not json").toString("base64")} -->`;
    expect(
      [broken, wrongShape, oldBroken, oldFormat({ version: 2 })].map(parseRefactorState),
    ).toEqual([undefined, undefined, undefined, undefined]);
  });
});

import { describe, expect, it } from "vitest";
import {
  parseRefactorState,
  renderRefactorState,
  type RefactorState,
} from "../../../src/features/refactor/refactor-state.js";

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

  it("is one HTML comment that model text inside it cannot close", () => {
    const comment = renderRefactorState(state);
    expect(comment).toMatch(/^<!-- symphony:refactor-state [A-Za-z0-9+/=]+ -->$/);
    expect(comment.indexOf("-->")).toBe(comment.length - 3);
  });

  it("reads as absent when the body has none", () => {
    expect(parseRefactorState("<!-- symphony:refactor -->\nNothing yet")).toBeUndefined();
    expect(parseRefactorState(undefined)).toBeUndefined();
  });

  it("reads as absent when someone broke it by hand", () => {
    const broken = `<!-- symphony:refactor-state ${Buffer.from("{not json").toString("base64")} -->`;
    const wrongShape = `<!-- symphony:refactor-state ${Buffer.from('{"version":2}').toString("base64")} -->`;
    expect([parseRefactorState(broken), parseRefactorState(wrongShape)]).toEqual([
      undefined,
      undefined,
    ]);
  });
});

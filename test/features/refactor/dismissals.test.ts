import { describe, expect, it } from "vitest";
import { nextRefactorRun, readRollingIssue } from "../../../src/features/refactor/dismissals.js";
import { MAX_DISMISSED } from "../../../src/features/refactor/refactor-state.js";
import {
  parseSuggestionBoxes,
  renderRollingIssue,
} from "../../../src/features/refactor/rolling-issue.js";
import type { Suggestion } from "../../../src/features/refactor/suggestions.js";
import { makeSuggestion } from "./make-suggestion.js";

const runAt = new Date("2026-03-02T06:00:00Z");
const nextWeek = new Date("2026-03-09T06:00:00Z");

const nesting = makeSuggestion({ function: "Cart.total", smell: "deep-nesting" });
const longFunction = makeSuggestion({ function: "Cart.checkout", smell: "long-function" });

/** The body a run writes: what the reading of the old body and the proposals give. */
function runOnce(previousBody: string | undefined, proposed: Suggestion[], at: Date): string {
  const reading = readRollingIssue(previousBody);
  const next = nextRefactorRun(reading, proposed, at);
  return renderRollingIssue({
    runAt: at,
    windowDays: 90,
    commitsScanned: 10,
    historyTruncated: false,
    changedFiles: 4,
    measured: 4,
    rows: [],
    suggestions: next.suggestions,
    ticked: reading.ticked,
    state: next.state,
  });
}

function shownIds(body: string): string[] {
  return parseSuggestionBoxes(body).map((box) => box.id);
}

describe("deduplicating suggestions across runs", () => {
  it("makes every proposal on the first run and remembers them", () => {
    const next = nextRefactorRun(readRollingIssue(undefined), [nesting, longFunction], runAt);
    expect(next.suggestions).toEqual([nesting, longFunction]);
    expect(next.state).toEqual({
      version: 1,
      lastRun: "2026-03-02T06:00:00.000Z",
      made: [
        {
          id: nesting.id,
          fingerprint: nesting.fingerprint,
          file: "src/cart.ts",
          function: "Cart.total",
          line: 12,
          smell: "deep-nesting",
          title: nesting.title,
          refactor: nesting.refactor,
        },
        expect.objectContaining({ id: longFunction.id }),
      ],
      dismissed: [],
    });
  });

  it("does not propose again a suggestion someone removed while its code is unchanged", () => {
    const first = runOnce(undefined, [nesting, longFunction], runAt);
    const edited = first
      .split("\n")
      .filter((line) => !line.includes(`\`${nesting.id}\``))
      .join("\n");

    const reading = readRollingIssue(edited);
    const next = nextRefactorRun(reading, [nesting, longFunction], nextWeek);

    expect(reading.dismissedNow).toEqual([nesting.fingerprint]);
    expect(next.suggestions.map((s) => s.id)).toEqual([longFunction.id]);
    expect(next.state.dismissed).toEqual([nesting.fingerprint]);
  });

  it("does not propose again a suggestion marked won't fix", () => {
    const first = runOnce(undefined, [nesting], runAt);
    const edited = first.replace(`- [ ] \`${nesting.id}\``, `- [ ] \`${nesting.id}\` won't fix:`);
    const second = runOnce(edited, [nesting], nextWeek);
    expect(shownIds(second)).toEqual([]);
  });

  it("keeps the dismissal for later runs too", () => {
    const first = runOnce(undefined, [nesting], runAt);
    const edited = first.replace(/^- \[ \] `rf-[0-9a-f]{8}`.*$/m, "");
    const second = runOnce(edited, [longFunction], nextWeek);
    const third = runOnce(second, [nesting, longFunction], new Date("2026-03-16T06:00:00Z"));
    expect(shownIds(third)).toEqual([longFunction.id]);
  });

  it("proposes it again once the code it points at has changed", () => {
    const first = runOnce(undefined, [nesting], runAt);
    const edited = first.replace(/^- \[ \] `rf-[0-9a-f]{8}`.*$/m, "");
    const changed = makeSuggestion({
      function: "Cart.total",
      smell: "deep-nesting",
      codeHash: "fedcba987654",
    });
    const next = nextRefactorRun(readRollingIssue(edited), [changed], nextWeek);
    expect(next.suggestions).toEqual([changed]);
  });

  it("keeps suggestions that stay in the body, ticked ones ticked", () => {
    const first = runOnce(undefined, [nesting, longFunction], runAt);
    const ticked = first.replace(`- [ ] \`${nesting.id}\``, `- [x] \`${nesting.id}\``);
    const reading = readRollingIssue(ticked);
    expect(reading.dismissedNow).toEqual([]);
    expect([...reading.ticked]).toEqual([nesting.id]);
    const second = runOnce(ticked, [nesting, longFunction], nextWeek);
    expect(second).toContain(`- [x] \`${nesting.id}\``);
  });

  it("dismisses nothing when the body holds no state (a first run, or a body rewritten by hand)", () => {
    const reading = readRollingIssue("Someone wrote this issue by hand.");
    expect(reading).toMatchObject({ previous: undefined, dismissedNow: [] });
    expect(reading.dismissed.size).toBe(0);
  });

  it("shows one suggestion per id", () => {
    const twin = { ...nesting, title: "Another wording" };
    const next = nextRefactorRun(readRollingIssue(undefined), [nesting, twin], runAt);
    expect(next.suggestions).toEqual([nesting]);
  });

  it("forgets the oldest dismissals first when the list is full", () => {
    const old = Array.from(
      { length: MAX_DISMISSED },
      (_, i) => `rf-${i.toString(16).padStart(8, "0")}:000000000000`,
    );
    const reading = {
      ...readRollingIssue(undefined),
      dismissed: new Set([...old, nesting.fingerprint]),
    };
    const { state } = nextRefactorRun(reading, [], runAt);
    expect(state.dismissed).toHaveLength(MAX_DISMISSED);
    expect(state.dismissed[0]).toBe(old[1]);
    expect(state.dismissed.at(-1)).toBe(nesting.fingerprint);
  });
});

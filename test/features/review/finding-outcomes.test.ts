import { describe, expect, it } from "vitest";
import { tallyEvidence } from "../../../src/agents/conductor/evidence.js";
import type { FindingThread } from "../../../src/github/review-outcomes.js";
import {
  dismissalReason,
  findingFate,
  judgeFindings,
  ratedFindings,
  suggestionFiles,
} from "../../../src/features/review/finding-outcomes.js";
import {
  holdsSuggestion,
  parseFindingState,
  renderFindingState,
} from "../../../src/features/review/finding-state.js";
import {
  forgetNote,
  MAX_NOTES,
  notesForPrompt,
  notesFromDismissals,
  withNotes,
  EMPTY_LEARNINGS,
  type LearningNote,
} from "../../../src/features/review/learnings.js";
import { TEST_BOT_LOGIN } from "../../support/probot.js";

const ARM = { model: "llama3.2:3b", promptVersion: "editor-review/3" };
const SUGGESTION = "  listen(Number(port ?? 3000));";
let nextId = 1;

function thread(
  options: {
    suggestion?: string;
    resolved?: boolean;
    outdated?: boolean;
    replies?: { body: string; login: string }[];
    state?: boolean;
  } = {},
): FindingThread {
  const state =
    options.state === false
      ? ""
      : `\n${renderFindingState(ARM, { rule: "style", title: "Use tabs" }, options.suggestion)}`;
  return {
    pull: 4,
    headSha: "abc",
    path: "src/app.ts",
    resolved: options.resolved ?? false,
    resolvedBy: options.resolved ? "octocat" : undefined,
    outdated: options.outdated ?? false,
    root: { id: nextId++, body: `finding${state}`, author: TEST_BOT_LOGIN, bot: true },
    replies: (options.replies ?? []).map((reply) => ({
      id: nextId++,
      body: reply.body,
      author: reply.login,
      bot: false,
    })),
  };
}

const maintainers = (login: string) => Promise.resolve(login === "maintainer");
const HEAD = new Map([["abc:src/app.ts", `function start() {\n${SUGGESTION}   \n}\n`]]);

async function fates(threads: FindingThread[], files = HEAD) {
  const judged = await judgeFindings(threads, maintainers);
  return judged.map((finding) => findingFate(finding, files));
}

describe("what became of a finding", () => {
  it("is dismissed by a won't-fix from the configured role, even when resolved", async () => {
    expect(
      await fates([
        thread({ resolved: true, replies: [{ body: "Won't fix.", login: "maintainer" }] }),
      ]),
    ).toEqual(["dismissed"]);
  });

  it("has no verdict when only someone below the role said won't fix, though the thread is resolved", async () => {
    expect(
      await fates([thread({ resolved: true, replies: [{ body: "wontfix", login: "author" }] })]),
    ).toEqual([undefined]);
  });

  it("is a committed suggestion when a later push put the suggested lines on the branch", async () => {
    const committed = thread({ suggestion: SUGGESTION, outdated: true });
    const judged = await judgeFindings([committed], maintainers);
    expect(suggestionFiles(judged)).toEqual([{ sha: "abc", path: "src/app.ts" }]);
    expect(findingFate(judged[0]!, HEAD)).toBe("suggestion committed");
    expect(findingFate(judged[0]!, new Map([["abc:src/app.ts", "other text\n"]]))).toBe(
      "line changed",
    );
  });

  it("is resolved, or only its line changed, or nothing yet", async () => {
    expect(await fates([thread({ resolved: true }), thread({ outdated: true }), thread()])).toEqual(
      ["resolved", "line changed", undefined],
    );
  });

  it("rates each finding for the arm its comment names: kept, half kept when only its line changed, rejected when dismissed", async () => {
    const judged = await judgeFindings(
      [
        thread({ resolved: true }),
        thread({ suggestion: SUGGESTION, outdated: true }),
        thread({ outdated: true }),
        thread({ replies: [{ body: "won't fix: no", login: "maintainer" }] }),
        thread(),
        thread({ resolved: true, state: false }),
      ],
      maintainers,
    );
    const outputs = ratedFindings(judged, HEAD);
    expect(outputs.map((output) => [output.kept, output.weight ?? 1])).toEqual([
      [true, 1],
      [true, 1],
      [true, 0.5],
      [false, 1],
    ]);
    expect(tallyEvidence(outputs).get("editor")).toEqual([{ arm: ARM, kept: 2.5, rejected: 1 }]);
  });

  it("finds a suggestion in a file whatever the trailing spaces, but only its lines in order", () => {
    const state = parseFindingState(
      `x\n${renderFindingState(ARM, { rule: "bug", title: "t" }, "a();\nb();")}`,
    )!;
    expect(holdsSuggestion("x\na();  \nb();\ny\n", state.suggestion!)).toBe(true);
    expect(holdsSuggestion("b();\na();\n", state.suggestion!)).toBe(false);
    // A suggestion that deletes the lines cannot be found again, so it is not hashed.
    expect(parseFindingState(renderFindingState(ARM, { rule: "bug", title: "t" }, ""))).toEqual({
      ...ARM,
      rule: "bug",
      title: "t",
    });
  });
});

describe("the reason a won't-fix gives", () => {
  it.each([
    ["Won't fix: we use tabs here", "we use tabs here"],
    ["wontfix - generated code", "generated code"],
    ["We use tabs here, won't fix.", "We use tabs here"],
    ["> Use spaces\n\nwon’t-fix: the linter wants tabs", "the linter wants tabs"],
    ["Won't fix.", undefined],
    ["Thanks, fixed", undefined],
  ])("%j gives %j", (body, reason) => {
    expect(dismissalReason(body)).toBe(reason);
  });

  it("is cut to 200 characters", () => {
    expect(dismissalReason(`won't fix: ${"x".repeat(500)}`)!.length).toBeLessThanOrEqual(200);
  });
});

const note = (finding: number, reason = `reason ${finding}`): LearningNote => ({
  finding,
  pull: 1,
  path: "src/a.ts",
  rule: "style",
  title: "Use spaces",
  reason,
  by: "maintainer",
});

describe("repository notes", () => {
  it("come from dismissals with a reason by the role, once each", async () => {
    const judged = await judgeFindings(
      [
        thread({ replies: [{ body: "won't fix: tabs here", login: "maintainer" }] }),
        thread({ replies: [{ body: "won't fix", login: "maintainer" }] }),
        thread({ replies: [{ body: "won't fix: tabs here", login: "author" }] }),
      ],
      maintainers,
    );
    const notes = notesFromDismissals(judged);
    expect(notes).toMatchObject([{ reason: "tabs here", rule: "style", title: "Use tabs" }]);
    const once = withNotes(EMPTY_LEARNINGS, notes);
    expect(withNotes(once, notes)).toBe(once);
  });

  it(`keep the newest ${MAX_NOTES}, and never bring back a forgotten one`, () => {
    let state = withNotes(
      EMPTY_LEARNINGS,
      Array.from({ length: MAX_NOTES + 5 }, (_, i) => note(i + 1)),
    );
    expect(state.notes.map((kept) => kept.finding)).toEqual(
      Array.from({ length: MAX_NOTES }, (_, i) => i + 6),
    );
    state = forgetNote(state, 1)!;
    expect(state.notes[0]!.finding).toBe(7);
    expect(withNotes(state, [note(6)]).notes.map((kept) => kept.finding)).not.toContain(6);
    expect(forgetNote(state, 99)).toBeUndefined();
  });

  it("fit the prompt's token allowance, the newest first", () => {
    const state = withNotes(EMPTY_LEARNINGS, [note(1, "a".repeat(200)), note(2), note(3)]);
    const fourCharsAToken = (text: string) => Math.ceil(text.length / 4);
    const shown = notesForPrompt(state, fourCharsAToken, 60);
    expect(shown).toEqual([
      'src/a.ts · style · "Use spaces" was dismissed: reason 2',
      'src/a.ts · style · "Use spaces" was dismissed: reason 3',
    ]);
  });
});

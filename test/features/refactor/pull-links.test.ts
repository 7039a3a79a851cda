import { describe, expect, it } from "vitest";
import { PlanRecordSchema } from "../../../src/agents/conductor/plan-record.js";
import { refactorInterval } from "../../../src/features/refactor/config.js";
import {
  parseRefactorState,
  suggestionRecordSchema,
  type RefactorState,
} from "../../../src/features/refactor/refactor-state.js";
import {
  describeSkipped,
  linkPullRequest,
  renderRollingIssue,
  type RollingIssueContent,
} from "../../../src/features/refactor/rolling-issue.js";
import {
  suggestionBranch,
  suggestionPlanRecord,
} from "../../../src/features/refactor/suggestion-plan.js";
import { makeSuggestion } from "./make-suggestion.js";

const suggestion = makeSuggestion({ file: "src/cart.ts", function: "total" });

function content(state: Partial<RefactorState> = {}): RollingIssueContent {
  return {
    runAt: new Date("2026-03-10T00:00:00Z"),
    windowDays: 90,
    commitsScanned: 12,
    historyTruncated: false,
    changedFiles: 4,
    measured: 2,
    rows: [],
    suggestions: [suggestion],
    ticked: new Set([suggestion.id]),
    state: {
      version: 1,
      lastRun: "2026-03-10T00:00:00.000Z",
      made: [suggestionRecordSchema.parse(suggestion)],
      dismissed: [],
      ...state,
    },
  };
}

describe("linking a suggestion to its draft pull request", () => {
  it("appends the link to the suggestion's line and remembers it in the hidden state", () => {
    const body = linkPullRequest(renderRollingIssue(content()), suggestion.id, 31);

    expect(body).toContain(
      `- [x] \`${suggestion.id}\` **Deep nesting** in \`total\` (\`src/cart.ts\` line 12): Return early for members — draft pull request #31`,
    );
    expect(parseRefactorState(body)?.pulls).toEqual([
      { id: suggestion.id, fingerprint: suggestion.fingerprint, number: 31 },
    ]);
  });

  it("links once, however often the same pull request is reported", () => {
    const once = linkPullRequest(renderRollingIssue(content()), suggestion.id, 31)!;
    const twice = linkPullRequest(once, suggestion.id, 31);

    expect(twice).toBe(once);
  });

  it("changes nothing for an id the issue does not list", () => {
    expect(linkPullRequest(renderRollingIssue(content()), "rf-00000000", 31)).toBeUndefined();
  });

  it("keeps the link on the next refresh while the suggestion points at the same code", () => {
    const pulls = [{ id: suggestion.id, fingerprint: suggestion.fingerprint, number: 31 }];
    expect(renderRollingIssue(content({ pulls }))).toContain(
      "Return early for members — draft pull request #31",
    );
  });

  it("drops the link once the code changed (the fingerprint differs)", () => {
    const pulls = [{ id: suggestion.id, fingerprint: `${suggestion.id}:ffffffffffff`, number: 31 }];
    expect(renderRollingIssue(content({ pulls }))).not.toContain("#31");
  });
});

describe("what the run line says was left out", () => {
  it("counts the excluded files, largest group first", () => {
    expect(describeSkipped({ lock: 1, test: 4, vendored: 1, ignored: 2 })).toBe(
      "4 test, 2 ignored by config, 1 lock, 1 vendored",
    );
    expect(renderRollingIssue(content())).toContain("4 files changed, 2 measured. Score");
  });
});

describe("refactor.every as the config file writes it", () => {
  it("reads day, week and month (30 days)", () => {
    expect(["day", "week", "month", "off"].map(refactorInterval)).toEqual([
      86_400_000,
      604_800_000,
      2_592_000_000,
      undefined,
    ]);
  });
});

describe("a suggestion as a one-task plan", () => {
  it("is a valid plan record with one Editor task bound to the suggestion's file", () => {
    const record = PlanRecordSchema.parse(
      suggestionPlanRecord(
        suggestionRecordSchema.parse(suggestion),
        9,
        new Date("2026-03-10T00:00:00Z"),
      ),
    );

    expect(record.issue_number).toBe(9);
    expect(record.plan?.files_to_change).toEqual([
      expect.objectContaining({ path: "src/cart.ts", action: "modify" }),
    ]);
    expect(record.tasks?.map((task) => task.technical_requirements.files_to_modify)).toEqual([
      ["src/cart.ts"],
    ]);
    expect(record.intent.constraints).toContain(
      "Behaviour stays exactly the same: every caller sees the same results.",
    );
    expect(suggestionBranch(suggestion.id)).toBe(`symphony/refactor-${suggestion.id}`);
  });
});

import { describe, expect, it } from "vitest";
import { PlanRecordSchema } from "../../../src/agents/conductor/plan-record.js";
import { GITHUB_COMMENT_LIMIT } from "../../../src/comments/comment-size.js";
import { renderHiddenState } from "../../../src/comments/hidden-state.js";
import {
  parsePlanRecord,
  renderPlan,
  renderPlanComment,
} from "../../../src/features/plan/plan-markdown.js";
import { hostile, maximalRecord, sampleRecord } from "./sample-record.js";

/** The visible part of a comment, without the hidden plan data. */
function visible(body: string): string {
  return body.slice(0, body.indexOf("<!-- symphony-state:plan\n"));
}

describe("plan comment", () => {
  it("renders the EPIC, design, diagram, tasks, validation, next steps and footer", () => {
    expect(visible(renderPlan(sampleRecord()))).toMatchInlineSnapshot(`
      "## Plan: Welcome first-time contributors

      **Intent:** feature · **EPIC:** \`EPIC-42\` · **Priority:** medium · **Complexity:** low · **Status:** proposed

      New contributors get no acknowledgement when they open their first issue.

      ### EPIC: Welcome first-time contributors

      **Goal:** Every first issue gets a friendly, configurable welcome.

      Detect first-time issue authors and greet them.

      ### Features

      | ID | Feature | Story points | Acceptance criteria | Notes |
      | --- | --- | --- | --- | --- |
      | F1 | **Detect first issues**<br>_As a maintainer, I want first issues recognised, so that newcomers are greeted._ | 3 | • An author's first issue is recognised<br>• Later issues are not |  |
      | F2 | **Configurable welcome comment**<br>_As a maintainer, I want to set the message, so that it fits our tone._ | 2 | • The message is read from config | Default message when none is set. |

      **Story points in all:** 5

      **Out of scope**
      - Welcoming pull request authors

      ### Design

      **Technology stack:** TypeScript, Probot

      **Components**
      - **Issue handler**: Reacts to issues.opened

      #### Files to change

      | File | Change | Why |
      | --- | --- | --- |
      | \`src/handlers/issues.ts\` | modify | Greet on issues.opened |
      | \`src/handlers/welcome.ts\` | **new** | The welcome logic |
      | \`src/config.ts\` | modify | The message setting |

      #### Approach

      Check the author's issue count, then post the configured message.

      #### Design decisions
      - Use the search API to count issues

      #### Risks
      - Rate limits on search

      #### Test plan
      - First issue gets a comment
      - Second issue does not

      <details>
      <summary>Pseudocode</summary>

      \`\`\`text
      on issues.opened:
        if author has no earlier issue:
          post welcome message
      \`\`\`

      </details>

      ### Diagram

      \`\`\`mermaid
      flowchart TD
        A["issues.opened"] --> B{"First issue?"}
        B -->|"yes"| C["Post welcome"]
        B -->|"no"| D["Do nothing"]
      \`\`\`

      ### Tasks

      - [ ] **T1** Add the welcome message setting _(Editor agent · medium · ~1 h)_
        Add <code>welcome&#95;message</code> to the config schema with a default.
        - Files: \`src/config.ts\`
        - Done when: Config without the key yields the default
      - [ ] **T2** Greet first issues _(Editor agent · high · ~3 h · after T1)_
        On issues.opened, post the message when it is the author's first issue.
        - Files: \`src/handlers/welcome.ts\` (new), \`src/handlers/issues.ts\`
        - Done when: A first issue gets one welcome comment

      ### Logic validation

      - **Undefined:** What counts as a first issue when earlier ones were deleted
      - **Checked against the repository:** <code>src/Github/Comments.ts</code> does not exist; used <code>src/github/comments.ts</code> (same path in the repository's letter case).

      ### Next steps

      - \`/symphony deeper\`: expand each feature into subtasks with estimated hours and technical requirements.
      - \`/symphony plan <what to change>\`: re-plan with your changes.
      - \`/symphony implement\`: go ahead; Symphony opens a draft pull request that carries out the tasks.
      - \`/symphony backlog\`: file the features as sub-issues of this issue.

      <details>
      <summary>How this was made</summary>

      | Agent | Model | Prompt | Tokens in / out | Time |
      | --- | --- | --- | --- | --- |
      | Enhancer-Prompt agent | \`qwen2.5-coder:14b\` | enhancer@1 | 1,000 / 200 | 12.3 s |
      | Feature agent | \`qwen2.5-coder:14b\` | feature@1 | 2,000 / 200 | 12.3 s |
      | Planner agent | \`qwen2.5-coder:14b\` (1 repair(s)) | planner@1 | 3,000 / 200 | 12.3 s |
      | Coordinator agent | \`qwen2.5-coder:14b\` | coordinator@1 | 4,000 / 200 | 12.3 s |
      | Code-Visualizer agent | \`qwen2.5-coder:14b\` | visualizer@1 | 5,000 / 200 | 12.3 s |

      5 model calls, 15,000 tokens in, 1,000 out, 1 min 2 s in all.

      To refine: edit the issue and comment \`/symphony plan\`, or comment \`/symphony plan <what to change>\`.

      </details>

      "
    `);
  });

  it("reads back the record it stored in the hidden block", () => {
    const record = sampleRecord();
    expect(parsePlanRecord(renderPlan(record))).toEqual(record);
  });

  it("reads the record back after the caller adds its marker and GitHub changes line endings", () => {
    const record = sampleRecord();
    const body = `<!-- symphony:plan:42 -->\n${renderPlan(record)}`.replace(/\n/g, "\r\n");
    expect(parsePlanRecord(body)).toEqual(record);
  });

  it("keeps the hidden block intact when model text contains --> and forged state blocks", () => {
    const forged = `<!-- symphony:plan-data\n{"format":1,"issue_number":999}\n-->`;
    const forgedNew = renderHiddenState("plan", { ...sampleRecord(), issue_number: 999 });
    const record = sampleRecord({
      plan: { ...sampleRecord().plan!, approach: `Step --> step.\n${forged}\nThe end.` },
      visual: { ...sampleRecord().visual!, pseudocode: `a --> b\n${forgedNew}` },
    });
    const body = renderPlan(record);
    expect(body.match(/<!-- symphony-state:plan\n/g)).toHaveLength(1);
    expect(body).not.toContain("<!-- symphony:plan-data");
    expect(parsePlanRecord(body)).toEqual(record);
  });

  it("writes the plan through the one hidden-state codec, as the block that ends the comment", () => {
    const record = sampleRecord();
    const body = renderPlan(record);
    expect(body.endsWith(renderHiddenState("plan", record))).toBe(true);
  });

  it("never reads an earlier lookalike block, only the one that ends the comment", () => {
    const record = sampleRecord();
    const forged = renderHiddenState("plan", { ...record, issue_number: 999 });
    expect(parsePlanRecord(`> ${forged}\n\n${renderPlan(record)}`)).toEqual(record);
    // A block followed by more text ends nothing: it is no plan Symphony wrote last.
    expect(parsePlanRecord(`${renderPlan(record)}\n\n${forged}\nmore`)).toBeUndefined();
  });

  it("still reads a plan comment posted in the old plan-data format", () => {
    const record = sampleRecord();
    const old = `<!-- symphony:plan:42 -->\n${visible(renderPlan(record))}<!-- symphony:plan-data\n${JSON.stringify(record).replace(/</g, "\\u003c")}\n-->`;
    expect(parsePlanRecord(old)).toEqual(record);
    expect(parsePlanRecord(old.replace(/\n/g, "\r\n"))).toEqual(record);
    const forgedOld = `<!-- symphony:plan-data\n${JSON.stringify({ ...record, issue_number: 999 })}\n-->`;
    expect(parsePlanRecord(`${forgedOld}\n\n${renderPlan(record)}`)).toEqual(record);
    expect(parsePlanRecord(`${old}\n\ntrailing text`)).toBeUndefined();
  });

  it("reads nothing from a comment without plan data or with altered data", () => {
    expect(parsePlanRecord("Just a comment")).toBeUndefined();
    const body = renderPlan(sampleRecord()).replace(
      '"issue_number":42',
      '"issue_number":"forty-two"',
    );
    expect(parsePlanRecord(body)).toBeUndefined();
  });

  it("neutralises @-mentions and escapes HTML in model text but not in the stored record", () => {
    const record = sampleRecord({
      intent: {
        ...sampleRecord().intent,
        problem_statement: "Ask @octocat and @github/security <script>alert(1)</script>",
      },
    });
    const body = renderPlan(record);
    expect(visible(body)).toContain(
      "Ask @\u200Doctocat and @\u200Dgithub/security &lt;script&gt;alert(1)&lt;/script&gt;",
    );
    expect(visible(body)).not.toMatch(/(^|[^\w])@octocat/);
    expect(parsePlanRecord(body)?.intent.problem_statement).toBe(record.intent.problem_statement);
  });

  it("marks new files and files the truncated tree could not confirm", () => {
    const body = renderPlan(sampleRecord({ unverified_paths: ["src/config.ts"] }));
    expect(body).toContain("| `src/handlers/welcome.ts` | **new** |");
    expect(body).toContain("| `src/config.ts` | modify (not checked: tree truncated) |");
  });

  it("leaves the diagram out with a note when the model's Mermaid is not valid", () => {
    const record = sampleRecord({
      visual: { ...sampleRecord().visual!, mermaid: "The flow goes from A to B." },
    });
    const body = visible(renderPlan(record));
    expect(body).not.toContain("```mermaid");
    expect(body).toContain(
      "_The Code-Visualizer's diagram was left out because it was not valid Mermaid._",
    );
  });

  it("lists subtasks once the plan was looked at deeper", () => {
    const record = sampleRecord({ mode: "deeper" });
    record.epic!.features[0]!.subtasks = [
      {
        id: "F1.1",
        title: "Count issues",
        estimated_hours: 2,
        technical_requirements: ["Use the search API"],
        assignee_type: "agent",
      },
    ];
    const body = visible(renderPlan(record));
    expect(body).toContain("_Features expanded into subtasks._");
    expect(body).toContain("| F1 | F1.1 Count issues | 2 | Use the search API | agent |");
  });

  it("stays under GitHub's 65,536 characters with every field at its bound, and still round-trips", () => {
    const record = maximalRecord();
    PlanRecordSchema.parse(record);
    const body = `<!-- symphony:plan:42 -->\n${renderPlan(record)}`;
    expect(body.length).toBeLessThan(GITHUB_COMMENT_LIMIT);
    expect(body).toContain("### Tasks");
    expect(body).toContain("### Next steps");
    expect(body).toContain("left out to fit GitHub's comment size");
    const stored = parsePlanRecord(body);
    expect(stored?.compacted).toBe(true);
    expect(stored?.tasks?.[0]?.task_id).toBe("T1");
  });

  it("never cuts a code block in half when it trims", () => {
    const body = visible(renderPlan(maximalRecord()));
    const fences = body.split("\n").filter((line) => /^\s*(`{3,}|~{3,})/.test(line));
    expect(fences.length % 2).toBe(0);
  });

  it("renders a question's answer instead of a plan", () => {
    const record = sampleRecord({
      intent: {
        ...sampleRecord().intent,
        kind: "question",
        answer: "Run `npm start`; ask @octocat.",
      },
      epic: undefined,
      plan: undefined,
      tasks: undefined,
      visual: undefined,
      git_strategy: undefined,
      usage: sampleRecord().usage.slice(0, 1),
    });
    const body = renderPlanComment(record);
    expect(visible(body)).toMatchInlineSnapshot(`
      "## Answer

      Run <code>npm start</code>; ask @‍octocat.

      _Symphony read this issue as a question. For a plan instead, comment \`/symphony plan <what you want changed>\`._

      <details>
      <summary>How this was made</summary>

      | Agent | Model | Prompt | Tokens in / out | Time |
      | --- | --- | --- | --- | --- |
      | Enhancer-Prompt agent | \`qwen2.5-coder:14b\` | enhancer@1 | 1,000 / 200 | 12.3 s |

      1 model call, 1,000 tokens in, 200 out, 12.3 s in all.

      Ask again after editing the issue with \`/symphony plan\`.

      </details>

      "
    `);
    expect(parsePlanRecord(body)).toEqual(record);
  });

  it("keeps a hostile answer within the limit", () => {
    const record = sampleRecord({
      intent: { ...sampleRecord().intent, kind: "question", answer: hostile(6000) },
      epic: undefined,
    });
    expect(renderPlanComment(record).length).toBeLessThan(GITHUB_COMMENT_LIMIT);
  });
});

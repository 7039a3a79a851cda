import { describe, expect, it } from "vitest";
import {
  DEEPER_PROMPT_VERSION,
  expandEpic,
  extractEpic,
  PROMPT_VERSION,
} from "../../src/agents/feature/prompt.js";
import { backlogFromReply, withSubtasks } from "../../src/agents/feature/backlog-ids.js";
import { DeeperReplySchema, EpicReplySchema } from "../../src/agents/feature/schema.js";
import { MockModelRuntime } from "../support/mock-runtime.js";
import { epicReply, intentReply, planReply } from "./fixtures.js";

const subtask = (title: string) => ({
  title,
  technical_requirements: ["src/handlers/welcome.ts"],
  estimated_hours: 1,
  assignee_type: "agent" as const,
});

describe("Feature agent", () => {
  it("asks for a backlog without ids or status, with the brief and the issue in the prompt", async () => {
    const runtime = new MockModelRuntime().script("feature", epicReply());
    const { value } = await extractEpic.call(runtime, {
      intent: intentReply(),
      issue_context: "Issue #42: Greet first-time contributors",
    });
    const [call] = runtime.calls;
    expect(call?.schema).toBe(EpicReplySchema);
    expect(call?.promptVersion).toBe(PROMPT_VERSION);
    expect(call?.messages[1]?.content).toContain("Welcome first-time issue authors");
    expect(call?.messages[1]?.content).toContain("Issue #42");
    expect(value.features).toHaveLength(2);
    expect(value.epic).not.toHaveProperty("id");
    expect(value.features[0]).not.toHaveProperty("id");
  });

  it("looking deeper sends the backlog and the design and asks only for subtasks", async () => {
    const runtime = new MockModelRuntime().script("feature", {
      features: [{ title: "Detect first issues", subtasks: [subtask("Count issues")] }],
    });
    await expandEpic.call(runtime, {
      intent: intentReply(),
      issue_context: "",
      epic: epicReply(),
      plan: planReply(),
    });
    const [call] = runtime.calls;
    expect(call?.schema).toBe(DeeperReplySchema);
    expect(call?.promptVersion).toBe(DEEPER_PROMPT_VERSION);
    expect(call?.messages[0]?.content).toContain("copy its title and split it into subtasks");
    expect(call?.messages[1]?.content).toContain("<backlog>");
    expect(call?.messages[1]?.content).toContain("src/handlers/welcome.ts");
  });
});

describe("the ids and status code gives the backlog", () => {
  it("names the EPIC after the issue, numbers the features F1, F2 and starts it as proposed", () => {
    const { epic, features } = epicReply();
    const reply = EpicReplySchema.parse({ epic, features });
    const backlog = backlogFromReply(reply, 42);
    expect(backlog.epic).toMatchObject({ id: "EPIC-42", status: "proposed" });
    expect(backlog.features.map((feature) => feature.id)).toEqual(["F1", "F2"]);
    expect(backlog).toEqual(epicReply());
  });

  it("gives each feature its subtasks by title, numbered under it, whatever order they come in", () => {
    const backlog = withSubtasks(epicReply(), {
      features: [
        { title: "configurable welcome COMMENT", subtasks: [subtask("Read the message")] },
        { title: "Detect first issues", subtasks: [subtask("Count"), subtask("Compare")] },
      ],
    });
    expect(
      backlog.features.map((f) => [f.id, f.subtasks?.map((s) => `${s.id} ${s.title}`)]),
    ).toEqual([
      ["F1", ["F1.1 Count", "F1.2 Compare"]],
      ["F2", ["F2.1 Read the message"]],
    ]);
    expect(backlog.epic).toEqual(epicReply().epic);
  });

  it("falls back to position for a feature whose title the reply changed", () => {
    const backlog = withSubtasks(epicReply(), {
      features: [
        { title: "Recognise newcomers", subtasks: [subtask("Count")] },
        { title: "Configurable welcome comment", subtasks: [subtask("Read")] },
      ],
    });
    expect(backlog.features.map((f) => f.subtasks?.map((s) => s.id))).toEqual([["F1.1"], ["F2.1"]]);
  });
});

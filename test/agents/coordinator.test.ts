import { describe, expect, it } from "vitest";
import { splitIntoTasks, PROMPT_VERSION } from "../../src/agents/coordinator/prompt.js";
import { TaskListReplySchema, type Task } from "../../src/agents/coordinator/schema.js";
import { linkTasks, tasksFromReply } from "../../src/agents/coordinator/task-ids.js";
import { MockModelRuntime } from "../support/mock-runtime.js";
import { epicReply, intentReply, planReply, taskListReply } from "./fixtures.js";

function task(files: { create?: string[]; modify?: string[] }): Task {
  const [first] = taskListReply().tasks;
  return {
    ...first!,
    technical_requirements: {
      ...first!.technical_requirements,
      files_to_create: files.create ?? [],
      files_to_modify: files.modify ?? [],
    },
  };
}

describe("Coordinator agent", () => {
  it("asks for tasks without ids, assignee, priority or dependencies, with the design in the prompt", async () => {
    const runtime = new MockModelRuntime().script("coordinator", taskListReply());
    const {
      value: { tasks: value },
    } = await splitIntoTasks.call(runtime, {
      intent: intentReply(),
      epic: epicReply(),
      plan: planReply(),
    });
    const [call] = runtime.calls;
    expect(call?.schema).toBe(TaskListReplySchema);
    expect(call?.promptVersion).toBe(PROMPT_VERSION);
    expect(call?.messages[1]?.content).toContain("src/handlers/welcome.ts");
    expect(value.map((t) => t.title)).toEqual([
      "Add the welcome message setting",
      "Greet first issues",
    ]);
    for (const key of ["task_id", "assigned_agent", "priority", "dependencies"]) {
      expect(value[0]).not.toHaveProperty(key);
    }
  });
});

describe("what code fills in the tasks", () => {
  it("numbers the tasks T1, T2, … in the order given, with the EPIC's priority", () => {
    const tasks = tasksFromReply(taskListReply().tasks, "high");
    expect(tasks.map((t) => [t.task_id, t.priority])).toEqual([
      ["T1", "high"],
      ["T2", "high"],
    ]);
  });

  it("makes a task wait for the earlier tasks that touch one of its files", () => {
    const tasks = linkTasks(
      tasksFromReply(
        [
          task({ create: ["src/retry.ts"] }),
          task({ modify: ["src/upload.ts"] }),
          task({ modify: ["src/retry.ts", "src/upload.ts"] }),
          task({ modify: ["README.md"] }),
        ],
        "medium",
      ),
    );
    expect(tasks.map((t) => [t.task_id, t.dependencies])).toEqual([
      ["T1", []],
      ["T2", []],
      ["T3", ["T1", "T2"]],
      ["T4", []],
    ]);
  });

  it("gives a task with files to the Editor and a task without any to a person", () => {
    const tasks = linkTasks(tasksFromReply([task({ modify: ["src/a.ts"] }), task({})], "low"));
    expect(tasks.map((t) => t.assigned_agent)).toEqual(["editor", "human"]);
  });
});

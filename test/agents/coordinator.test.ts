import { describe, expect, it } from "vitest";
import { orderTasks } from "../../src/agents/coordinator/order-tasks.js";
import { splitIntoTasks, PROMPT_VERSION } from "../../src/agents/coordinator/prompt.js";
import { TaskListSchema, type Task } from "../../src/agents/coordinator/schema.js";
import { MockModelRuntime } from "../support/mock-runtime.js";
import { epicReply, intentReply, planReply, taskListReply } from "./fixtures.js";

function task(task_id: string, dependencies: string[] = []): Task {
  const [first] = taskListReply().tasks;
  return { ...first!, task_id, title: `Task ${task_id}`, dependencies };
}

describe("Coordinator agent", () => {
  it("asks for a task list with the design in the prompt and returns the tasks", async () => {
    const runtime = new MockModelRuntime().script("coordinator", taskListReply());
    const {
      value: { tasks: value },
    } = await splitIntoTasks.call(runtime, {
      intent: intentReply(),
      epic: epicReply(),
      plan: planReply(),
    });
    const [call] = runtime.calls;
    expect(call?.schema).toBe(TaskListSchema);
    expect(call?.promptVersion).toBe(PROMPT_VERSION);
    expect(call?.messages[1]?.content).toContain("src/handlers/welcome.ts");
    expect(value.map((t) => t.task_id)).toEqual(["T1", "T2"]);
  });

  it("orders tasks after the tasks they depend on", () => {
    const { tasks, notes } = orderTasks([task("T1", ["T2"]), task("T2"), task("T3", ["T1"])]);
    expect(tasks.map((t) => t.task_id)).toEqual(["T2", "T1", "T3"]);
    expect(notes).toEqual([]);
  });

  it("removes dependencies on tasks that do not exist, with a note", () => {
    const { tasks, notes } = orderTasks([task("T1", ["T9"])]);
    expect(tasks[0]?.dependencies).toEqual([]);
    expect(notes).toEqual(["Task T1 named unknown dependencies (T9); they were removed."]);
  });

  it("renumbers repeated task ids and keeps the dependencies pointing at the same tasks", () => {
    const { tasks } = orderTasks([task("step one"), task("T2", ["step one"]), task("T2")]);
    expect(tasks.map((t) => [t.task_id, t.dependencies])).toEqual([
      ["T1", []],
      ["T2", ["T1"]],
      ["T3", []],
    ]);
  });

  it("keeps the given order of tasks that depend on each other in a cycle, with a note", () => {
    const { tasks, notes } = orderTasks([task("T1", ["T2"]), task("T2", ["T1"])]);
    expect(tasks.map((t) => t.task_id)).toEqual(["T1", "T2"]);
    expect(notes[0]).toContain("cycle");
  });
});

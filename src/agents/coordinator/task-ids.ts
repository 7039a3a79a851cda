// What code fills in the Coordinator's tasks, so the model never writes it: ids T1, T2, … in the
// order given, the EPIC's priority, who does it (the Editor when there are files to change), and
// the dependencies: each task waits for the earlier tasks that touch one of its files.
import type { Priority } from "../feature/schema.js";
import type { Task, TaskReply } from "./schema.js";

/** The schema's bound on dependencies per task. */
const MAX_DEPENDENCIES = 10;

/** The reply's tasks with ids and the EPIC's priority; who does them is settled by `linkTasks`. */
export function tasksFromReply(replies: readonly TaskReply[], priority: Priority): Task[] {
  return replies.map((reply, i) => ({
    ...reply,
    task_id: `T${i + 1}`,
    assigned_agent: "editor",
    priority,
    dependencies: [],
  }));
}

/**
 * Each task's assignee and dependencies from its files, once their paths are checked: a task
 * with no file to create or modify needs a person; a task depends on every earlier task that
 * creates or modifies one of the files it does, nearest first.
 */
export function linkTasks(tasks: readonly Task[]): Task[] {
  return tasks.map((task, i) => {
    const files = filesOf(task);
    const earlier = tasks.slice(0, i).reverse();
    const dependencies = earlier
      .filter((other) => filesOf(other).some((file) => files.includes(file)))
      .map((other) => other.task_id)
      .slice(0, MAX_DEPENDENCIES)
      .reverse();
    return {
      ...task,
      assigned_agent: files.length > 0 ? "editor" : "human",
      dependencies,
    };
  });
}

function filesOf(task: Task): string[] {
  const { files_to_create, files_to_modify } = task.technical_requirements;
  return [...files_to_create, ...files_to_modify];
}

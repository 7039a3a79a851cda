// Puts the Coordinator's tasks in an order that respects their dependencies, with ids one can cite.
import type { Task } from "./schema.js";

const TASK_ID = /^[A-Za-z0-9][\w.-]{0,19}$/;

/**
 * Tasks with unique, plain ids, dependencies only on tasks of the plan, and every task after
 * those it depends on. Returns notes for what had to change.
 */
export function orderTasks(tasks: readonly Task[]): { tasks: Task[]; notes: string[] } {
  const notes: string[] = [];
  const named = withUsableIds(tasks, notes);
  const ids = new Set(named.map((t) => t.task_id));
  const cleaned = named.map((task) => {
    const unknown = task.dependencies.filter((d) => !ids.has(d) || d === task.task_id);
    if (unknown.length > 0) {
      notes.push(
        `Task ${task.task_id} named unknown dependencies (${unknown.join(", ")}); they were removed.`,
      );
    }
    const dependencies = [
      ...new Set(task.dependencies.filter((d) => ids.has(d) && d !== task.task_id)),
    ];
    return { ...task, dependencies };
  });
  return { tasks: topologicalOrder(cleaned, notes), notes };
}

function withUsableIds(tasks: readonly Task[], notes: string[]): Task[] {
  const ids = tasks.map((t) => t.task_id.trim());
  const usable = ids.every((id) => TASK_ID.test(id)) && new Set(ids).size === ids.length;
  if (usable) return tasks.map((t, i) => ({ ...t, task_id: ids[i] ?? t.task_id }));
  notes.push("The task ids were missing, repeated or unusual; tasks were renumbered T1, T2, ….");
  const renamed = new Map<string, string>();
  tasks.forEach((t, i) => {
    if (!renamed.has(t.task_id.trim())) renamed.set(t.task_id.trim(), `T${i + 1}`);
  });
  return tasks.map((t, i) => ({
    ...t,
    task_id: `T${i + 1}`,
    dependencies: t.dependencies.map((d) => renamed.get(d.trim()) ?? d),
  }));
}

/** Kahn's order, stable on the Coordinator's own order; a cycle keeps the given order. */
function topologicalOrder(tasks: Task[], notes: string[]): Task[] {
  const done = new Set<string>();
  const ordered: Task[] = [];
  let pending = [...tasks];
  while (pending.length > 0) {
    const ready = pending.find((t) => t.dependencies.every((d) => done.has(d)));
    if (!ready) {
      notes.push(
        `Tasks ${pending.map((t) => t.task_id).join(", ")} depend on each other in a cycle; they are listed in the order given.`,
      );
      return [...ordered, ...pending];
    }
    ordered.push(ready);
    done.add(ready.task_id);
    pending = pending.filter((t) => t !== ready);
  }
  return ordered;
}

// Holds the design and the tasks to the real repository: every file exists, or is new under a real
// folder; invented paths are repaired when one real path is the obvious match, otherwise dropped.
import {
  checkPath,
  describeVerdict,
  type FileAction,
  type PathVerdict,
} from "../../context/path-validation.js";
import type { RepositoryIndex } from "../../context/repository-index.js";
import type { Task } from "../coordinator/schema.js";
import type { FileChange, Plan } from "../planner/schema.js";

/** The task schema's bound per list; moving "create" to "modify" must not overflow it. */
const MAX_TASK_FILES = 10;

export interface PathCheckResult {
  notes: string[];
  unverified: string[];
}

class PathChecker {
  readonly notes: string[] = [];
  readonly unverified: string[] = [];

  constructor(private readonly index: RepositoryIndex) {}

  /** The path and action to keep, or undefined when the path is dropped. */
  check(raw: string, action: FileAction): { path: string; action: FileAction } | undefined {
    const verdict = checkPath(raw, action, this.index);
    this.remember(verdict, raw, action);
    switch (verdict.status) {
      case "dropped":
        return undefined;
      case "exists":
        return { path: verdict.path, action: "modify" };
      case "new":
        return { path: verdict.path, action: "create" };
      case "repaired":
        return {
          path: verdict.path,
          action: this.index.hasFile(verdict.path) ? "modify" : "create",
        };
      case "unverified":
        return { path: verdict.path, action: verdict.action };
    }
  }

  private remember(verdict: PathVerdict, raw: string, action: FileAction): void {
    const note =
      verdict.status === "exists" && action === "create"
        ? `\`${verdict.path}\` already exists, so it is modified rather than created.`
        : describeVerdict(verdict);
    if (note && !this.notes.includes(note)) this.notes.push(note);
    if (verdict.status === "unverified" && !this.unverified.includes(verdict.path)) {
      this.unverified.push(verdict.path);
    }
  }
}

export function validatePlanPaths(
  plan: Plan,
  index: RepositoryIndex,
): { plan: Plan } & PathCheckResult {
  const checker = new PathChecker(index);
  const files = new Map<string, FileChange>();
  for (const file of plan.files_to_change) {
    const kept = checker.check(file.path, file.action);
    if (kept && !files.has(kept.path)) files.set(kept.path, { ...file, ...kept });
  }
  return {
    plan: { ...plan, files_to_change: [...files.values()] },
    notes: checker.notes,
    unverified: checker.unverified,
  };
}

export function validateTaskPaths(
  tasks: readonly Task[],
  index: RepositoryIndex,
): { tasks: Task[] } & PathCheckResult {
  const checker = new PathChecker(index);
  const checked = tasks.map((task) => {
    const kept = [
      ...task.technical_requirements.files_to_create.map((p) => checker.check(p, "create")),
      ...task.technical_requirements.files_to_modify.map((p) => checker.check(p, "modify")),
    ].filter((f) => f !== undefined);
    const pick = (action: FileAction): string[] =>
      [...new Set(kept.filter((f) => f.action === action).map((f) => f.path))].slice(
        0,
        MAX_TASK_FILES,
      );
    return {
      ...task,
      technical_requirements: {
        ...task.technical_requirements,
        files_to_create: pick("create"),
        files_to_modify: pick("modify"),
      },
    };
  });
  return { tasks: checked, notes: checker.notes, unverified: checker.unverified };
}

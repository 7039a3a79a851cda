// One Coordinator task through the Editor: each file it may touch is edited against the branch
// head, applied and checked by code. The task succeeds only when every file does.
import type { Task } from "../../agents/coordinator/schema.js";
import { chooseEditFormat, editFile } from "../../agents/editor/edit.js";
import type { EditTask } from "../../agents/editor/edit-schema.js";
import type { RepoConfig } from "../../config/schema.js";
import type { FileWrite } from "../../github/git-data.js";
import type { ModelRuntime, UsageRecord } from "../../runner/types.js";
import type { FileFailure } from "./types.js";
import type { WorkingTree } from "./working-tree.js";

export interface EditedFile extends FileWrite {
  /** The file before the task; undefined for a new file. */
  before: string | undefined;
}

export type TaskEdit =
  | { ok: true; files: EditedFile[]; usage: UsageRecord[] }
  | { ok: false; failures: FileFailure[]; usage: UsageRecord[] };

export interface EditTaskContext {
  runtime: ModelRuntime;
  tree: WorkingTree;
  config: RepoConfig;
  design: string;
  pseudocode: string;
  signal: AbortSignal;
  /** Called before each file: which one the Editor works on now. */
  onFile?: (path: string) => void;
}

/** The files a task names, created ones first, each once. */
export function taskFiles(task: Task): string[] {
  const { files_to_create, files_to_modify } = task.technical_requirements;
  return [...new Set([...files_to_create, ...files_to_modify].map((path) => path.trim()))].filter(
    (path) => path !== "",
  );
}

/**
 * Edits every file of the task, stopping at the first that fails: a task is one coherent
 * change, and half of it committed would leave the branch broken.
 */
export async function editTask(
  context: EditTaskContext,
  task: EditTask,
  paths: readonly string[],
): Promise<TaskEdit> {
  const usage: UsageRecord[] = [];
  const files: EditedFile[] = [];
  for (const path of paths) {
    context.onFile?.(path);
    const result = await editOneFile(context, task, path);
    usage.push(...result.usage);
    if (!result.ok) return { ok: false, failures: [result.failure], usage };
    files.push(result.file);
  }
  return { ok: true, files, usage };
}

type FileEdit =
  | { ok: true; file: EditedFile; usage: UsageRecord[] }
  | { ok: false; failure: FileFailure; usage: UsageRecord[] };

async function editOneFile(
  context: EditTaskContext,
  task: EditTask,
  path: string,
): Promise<FileEdit> {
  const { config } = context;
  const read = await context.tree.read(path);
  if (read.kind === "refused") {
    return {
      ok: false,
      failure: { path, reason: read.message, refusal: read.reason },
      usage: [],
    };
  }
  const current = read.kind === "text" ? read.content : undefined;
  const result = await editFile(
    context.runtime,
    {
      task,
      design: context.design,
      pseudocode: context.pseudocode,
      path,
      currentContent: current,
      format: chooseEditFormat(current, config.implement.whole_file_max_lines),
    },
    {
      tree: context.tree.treeEntries(),
      limits: config.implement,
      model: config.models.editor,
      signal: context.signal,
    },
  );
  if (result.status === "failed") {
    const refusal = result.problem.refusal?.reason;
    return {
      ok: false,
      failure: { path, reason: result.reason, ...(refusal === undefined ? {} : { refusal }) },
      usage: result.usage,
    };
  }
  const mode = read.kind === "text" ? read.mode : "100644";
  return {
    ok: true,
    file: { path, content: result.after, mode, before: current },
    usage: result.usage,
  };
}

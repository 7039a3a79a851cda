// One Coordinator task through the Editor: each file it may touch is edited against the branch
// head, applied and checked by code, seeing what the task changed before it and the signatures of
// related files. The task succeeds only when every file does.
import type { Task } from "../../agents/coordinator/schema.js";
import { chooseEditFormat, editFile } from "../../agents/editor/edit.js";
import type { EditTask } from "../../agents/editor/edit-schema.js";
import type { RepoConfig } from "../../config/schema.js";
import { localImports } from "../../context/local-imports.js";
import { repositoryMap, type MapFile } from "../../context/repository-map.js";
import { unifiedDiff } from "../../editing/diff.js";
import type { FileWrite } from "../../github/git-data.js";
import type { ModelRuntime, UsageRecord } from "../../runner/types.js";
import type { FileFailure } from "./types.js";
import type { FileRead, WorkingTree } from "./working-tree.js";

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

/** Files read for the repository map besides the task's own; each read is one GitHub request. */
const MAX_MAP_READS = 8;
/** The map's share of the Editor's prompt budget, and its ceiling. */
const MAP_TOKENS = 1200;

/**
 * Edits every file of the task, stopping at the first that fails: a task is one coherent
 * change, and half of it committed would leave the branch broken. Each edit sees the files the
 * task edited before it (their diffs) and a map of the signatures in the task's other files and
 * in the files this one imports.
 */
export async function editTask(
  context: EditTaskContext,
  task: EditTask,
  paths: readonly string[],
): Promise<TaskEdit> {
  const usage: UsageRecord[] = [];
  const files: EditedFile[] = [];
  const reads = new Map<string, Promise<FileRead>>();
  const read = (path: string): Promise<FileRead> => {
    const edited = files.find((file) => file.path === path);
    if (edited) return Promise.resolve({ kind: "text", content: edited.content, mode: "100644" });
    let pending = reads.get(path);
    if (!pending) {
      pending = context.tree.read(path);
      reads.set(path, pending);
    }
    return pending;
  };
  for (const path of paths) {
    context.onFile?.(path);
    const result = await editOneFile(context, task, path, { read, paths, files });
    usage.push(...result.usage);
    if (!result.ok) return { ok: false, failures: [result.failure], usage };
    files.push(result.file);
  }
  return { ok: true, files, usage };
}

type FileEdit =
  | { ok: true; file: EditedFile; usage: UsageRecord[] }
  | { ok: false; failure: FileFailure; usage: UsageRecord[] };

interface TaskSoFar {
  read: (path: string) => Promise<FileRead>;
  /** Every file of the task. */
  paths: readonly string[];
  /** The files the task has edited so far, in order. */
  files: readonly EditedFile[];
}

async function editOneFile(
  context: EditTaskContext,
  task: EditTask,
  path: string,
  soFar: TaskSoFar,
): Promise<FileEdit> {
  const { config } = context;
  const read = await soFar.read(path);
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
      repositoryMap: await relatedSignatures(context, path, current, soFar),
      earlierEdits: soFar.files.map((file) => ({
        path: file.path,
        diff: unifiedDiff(file.path, file.before, file.content),
      })),
    },
    {
      tree: context.tree.treeEntries(),
      limits: config.implement,
      model: config.models.editor,
      signal: context.signal,
      ...(config.max_context_tokens !== undefined
        ? { maxContextTokens: config.max_context_tokens }
        : {}),
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

/**
 * The repository map for one file: the task's other files first (as this task left them), then
 * the files this one imports, read at the branch head; files that cannot be read are skipped.
 */
async function relatedSignatures(
  context: EditTaskContext,
  path: string,
  current: string | undefined,
  soFar: TaskSoFar,
): Promise<string> {
  const tree = new Set(context.tree.treeEntries().map((entry) => entry.path));
  const others = soFar.paths.filter((other) => other !== path);
  const imported = current === undefined ? [] : await localImports(path, current, tree);
  const wanted = [...new Set([...others, ...imported.slice(0, MAX_MAP_READS)])];
  const mapFiles: MapFile[] = [];
  for (const related of wanted) {
    const file = await soFar.read(related);
    if (file.kind === "text") mapFiles.push({ path: related, content: file.content });
  }
  if (mapFiles.length === 0) return "";
  const budget = await context.runtime.promptBudget(context.config.models.editor);
  return repositoryMap(mapFiles, {
    maxTokens: Math.min(MAP_TOKENS, Math.floor(budget / 8)),
    estimateTokens: (text) => context.runtime.estimateTokens(text),
  });
}

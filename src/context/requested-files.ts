// The second round of planning: the files the Planner asked to read, checked and bounded.
import { fitSections, cutWithNote, type EstimateTokens } from "./budget.js";
import { normalisePath } from "./path-validation.js";
import type { RepositoryIndex } from "./repository-index.js";
import { isBinaryPath } from "./tree.js";

/** Reads one file of the repository at the planned revision; undefined when it cannot. */
export type ReadRepositoryFile = (path: string) => Promise<string | undefined>;

export interface RequestedFile {
  path: string;
  content: string;
}

export const MAX_REQUESTED_FILES = 8;
/** A single file's text beyond this is never useful to a planner and costs memory to hold. */
const MAX_FILE_CHARS = 200_000;

/** Reads the files that exist (at most eight); says which requests were refused and why. */
export async function readRequestedFiles(
  requested: readonly string[],
  index: RepositoryIndex,
  readFile: ReadRepositoryFile,
): Promise<{ files: RequestedFile[]; notes: string[] }> {
  const files: RequestedFile[] = [];
  const notes: string[] = [];
  const paths = [...new Set(requested.map((p) => normalisePath(p) ?? p))];
  for (const path of paths.slice(0, MAX_REQUESTED_FILES)) {
    if (!index.hasFile(path)) {
      notes.push(`The Planner asked to read \`${path}\`, which is not in the repository.`);
    } else if (isBinaryPath(path)) {
      notes.push(`The Planner asked to read \`${path}\`, a binary file; it was not read.`);
    } else {
      const content = await readFile(path);
      if (content === undefined) notes.push(`\`${path}\` could not be read.`);
      else files.push({ path, content: content.slice(0, MAX_FILE_CHARS) });
    }
  }
  if (paths.length > MAX_REQUESTED_FILES) {
    notes.push(
      `The Planner asked for ${paths.length} files; only the first ${MAX_REQUESTED_FILES} were read.`,
    );
  }
  return { files, notes };
}

/** The files' contents within `maxTokens`, shared fairly so one large file cannot hide the rest. */
export function renderRequestedFiles(
  files: readonly RequestedFile[],
  maxTokens: number,
  estimate: EstimateTokens,
): string {
  if (files.length === 0) return "(none)";
  const sections = files.map((file) => ({
    name: file.path,
    weight: 1,
    fit: (max: number) => {
      const head = `--- ${file.path}\n`;
      const body = cutWithNote(file.content, max - estimate(head), estimate, `file ${file.path}`);
      return body ? head + body : "";
    },
  }));
  const fitted = fitSections(sections, maxTokens - files.length, estimate);
  return files
    .map((file) => fitted[file.path] ?? "")
    .filter(Boolean)
    .join("\n");
}

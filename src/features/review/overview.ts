// The whole pull request in one prompt's room: title, file list and as much diff as fits.
import type { FileStatus } from "../../github/pull-request-patch.js";

export interface OverviewFile {
  path: string;
  previousPath?: string;
  status: FileStatus;
  additions: number;
  deletions: number;
}

export interface ChangeOverview {
  title: string;
  description?: string;
  files: readonly OverviewFile[];
  /** Numbered diff text (the chunks' text); cut where the budget ends. */
  diff: string;
}

/** Share of the budget the file list may take; the rest is for the diff. */
const FILE_LIST_SHARE = 0.35;
const MAX_DESCRIPTION_CHARS = 1500;

function fileLine(file: OverviewFile): string {
  const renamed = file.previousPath ? `, from ${file.previousPath}` : "";
  return `- ${file.path} (${file.status}${renamed}, +${file.additions} -${file.deletions})`;
}

/** Adds lines while they fit; returns how many did. */
function takeLines(
  lines: readonly string[],
  room: number,
  estimate: (text: string) => number,
): number {
  let used = 0;
  let taken = 0;
  for (const line of lines) {
    used += estimate(`${line}\n`);
    if (used > room) break;
    taken++;
  }
  return taken;
}

/** The overview as prompt text within `budget` tokens, saying what was left out. */
export function renderOverview(
  overview: ChangeOverview,
  budget: number,
  estimate: (text: string) => number,
): string {
  const description = (overview.description ?? "").trim().slice(0, MAX_DESCRIPTION_CHARS);
  const head = [
    `Pull request: ${overview.title.slice(0, 300)}`,
    `Description: ${description || "(none)"}`,
  ].join("\n\n");
  let room = budget - estimate(head) - 50;
  const fileLines = overview.files.map(fileLine);
  const listed = takeLines(fileLines, Math.max(0, room * FILE_LIST_SHARE), estimate);
  const files = fileLines.slice(0, listed);
  if (listed < fileLines.length) files.push(`- … and ${fileLines.length - listed} more files`);
  const fileText = `Files (${overview.files.length}):\n${files.join("\n")}`;
  room -= estimate(fileText);
  const diffLines = overview.diff.split("\n");
  const shown = takeLines(diffLines, Math.max(0, room), estimate);
  const diffText =
    shown < diffLines.length
      ? `${diffLines.slice(0, shown).join("\n")}\n… (${diffLines.length - shown} more diff lines not shown)`
      : overview.diff;
  return [head, fileText, `Diff:\n${diffText}`].join("\n\n");
}

// Checks the paths a model names against the real tree: kept, repaired when unambiguous, or dropped.
import { folderOf, type RepositoryIndex } from "./repository-index.js";

export type FileAction = "modify" | "create";

export interface PlannedFile {
  path: string;
  action: FileAction;
}

export type PathVerdict =
  | { status: "exists"; path: string }
  | { status: "new"; path: string; newFolder?: string }
  | { status: "repaired"; path: string; action: FileAction; from: string; how: string }
  | { status: "unverified"; path: string; action: FileAction }
  | { status: "dropped"; from: string; reason: string };

/** A path as a model may write it (`./src\\a.ts`, `` `src/a.ts` ``) in the tree's form, or undefined when unsafe. */
export function normalisePath(raw: string): string | undefined {
  let path = raw
    .trim()
    .replace(/^[`'"]+|[`'"]+$/g, "")
    .replace(/\\/g, "/");
  path = path
    .replace(/^(\.\/)+/, "")
    .replace(/\/{2,}/g, "/")
    .replace(/\/$/, "");
  if (!path || path.startsWith("/") || path.startsWith("~") || /^[A-Za-z]:/.test(path))
    return undefined;
  const segments = path.split("/");
  if (segments.some((s) => s === ".." || s === "." || s === ".git")) return undefined;
  for (let i = 0; i < path.length; i += 1) if (path.charCodeAt(i) < 0x20) return undefined;
  return path;
}

/** The verdict on one path the model named, with the action it gave. */
export function checkPath(raw: string, action: FileAction, index: RepositoryIndex): PathVerdict {
  const path = normalisePath(raw);
  if (path === undefined) {
    return { status: "dropped", from: raw, reason: "it is not a path inside the repository" };
  }
  if (index.hasFile(path)) return { status: "exists", path };
  if (action === "create") return checkNewFile(path, index);
  const repair = closestFile(path, index);
  if (repair) return { status: "repaired", path: repair.path, action, from: raw, how: repair.how };
  if (index.truncated) return { status: "unverified", path, action };
  return {
    status: "dropped",
    from: raw,
    reason: "it is not in the repository and no single file there is a close match",
  };
}

function checkNewFile(path: string, index: RepositoryIndex): PathVerdict {
  const folder = folderOf(path);
  if (index.hasFolder(folder)) return { status: "new", path };
  const sameFolder = index.foldersIgnoringCase(folder);
  if (sameFolder.length === 1 && sameFolder[0] !== undefined) {
    const repaired = `${sameFolder[0]}/${path.slice(folder.length + 1)}`;
    return {
      status: "repaired",
      path: repaired,
      action: "create",
      from: path,
      how: "folder name in the repository's letter case",
    };
  }
  // One new folder level under an existing folder is a normal part of a plan; deeper invented
  // structure usually means the model guessed the layout.
  if (index.hasFolder(folderOf(folder))) return { status: "new", path, newFolder: folder };
  if (index.truncated) return { status: "unverified", path, action: "create" };
  return {
    status: "dropped",
    from: path,
    reason: `neither its folder \`${folder}/\` nor the folder above it exists in the repository`,
  };
}

function closestFile(
  path: string,
  index: RepositoryIndex,
): { path: string; how: string } | undefined {
  const attempts: [string[], string][] = [
    [index.filesIgnoringCase(path), "same path in the repository's letter case"],
    [index.filesWithOtherExtension(path), "same file with its real extension"],
    [index.filesNamed(path), "the only file with that name in the repository"],
  ];
  for (const [candidates, how] of attempts) {
    if (candidates.length === 1 && candidates[0] !== undefined) return { path: candidates[0], how };
    if (candidates.length > 1) return undefined;
  }
  return undefined;
}

/** A note for the plan's validation section, or undefined when the path was fine as given. */
export function describeVerdict(verdict: PathVerdict): string | undefined {
  switch (verdict.status) {
    case "repaired":
      return `\`${verdict.from}\` does not exist; used \`${verdict.path}\` (${verdict.how}).`;
    case "dropped":
      return `\`${verdict.from}\` was dropped: ${verdict.reason}.`;
    case "unverified":
      return `\`${verdict.path}\` could not be checked because GitHub truncated the tree listing.`;
    case "new":
      return verdict.newFolder
        ? `\`${verdict.path}\` will be created in a new folder \`${verdict.newFolder}/\`.`
        : undefined;
    case "exists":
      return undefined;
  }
}

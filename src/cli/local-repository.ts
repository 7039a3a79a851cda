// A local checkout as the planning agents read it: the file list (git's, when it is a git
// repository, so ignored files stay out), the README, and files read from disk.
import { execFile } from "node:child_process";
import { readdir, readFile, stat } from "node:fs/promises";
import { join, relative, resolve, sep } from "node:path";
import { promisify } from "node:util";
import type { ReadRepositoryFile } from "../context/requested-files.js";
import { IGNORED_FOLDERS, type RepositoryTreeInput, type TreeEntry } from "../context/tree.js";
import { CliUsageError } from "./usage-error.js";

const run = promisify(execFile);

/** Beyond this many files the listing stops and is marked truncated, as GitHub's would be. */
const MAX_FILES = 100_000;
const MAX_FILE_BYTES = 200_000;
const README_NAMES = [
  "README.md",
  "README",
  "README.markdown",
  "README.rst",
  "README.txt",
  "readme.md",
];

export interface LocalRepository {
  tree: RepositoryTreeInput;
  readme: string | undefined;
  readFile: ReadRepositoryFile;
  defaultBranch: string;
}

export async function readLocalRepository(dir: string): Promise<LocalRepository> {
  const root = resolve(dir);
  const info = await stat(root).catch(() => undefined);
  if (!info?.isDirectory()) {
    throw new CliUsageError(
      `--repo-dir ${dir} is not a folder; give the checkout to plan against (default: the current folder)`,
    );
  }
  const listed = (await gitFiles(root)) ?? (await walk(root));
  const files = listed.slice(0, MAX_FILES).sort();
  const readFileAt = localFileReader(root);
  let readme: string | undefined;
  for (const name of README_NAMES) {
    if (!files.includes(name)) continue;
    readme = await readFileAt(name);
    if (readme !== undefined) break;
  }
  return {
    tree: { entries: withFolders(files), truncated: listed.length > MAX_FILES },
    readme,
    readFile: readFileAt,
    defaultBranch: await defaultBranch(root),
  };
}

/** Reads text files inside the checkout only; undefined for anything outside, binary or too large. */
export function localFileReader(root: string): ReadRepositoryFile {
  return async (path) => {
    const full = resolve(root, path);
    if (full !== root && !full.startsWith(root + sep)) return undefined;
    try {
      const info = await stat(full);
      if (!info.isFile() || info.size > MAX_FILE_BYTES) return undefined;
      const text = await readFile(full, "utf8");
      return text.includes("\u0000") ? undefined : text;
    } catch {
      return undefined;
    }
  };
}

function withFolders(files: readonly string[]): TreeEntry[] {
  const folders = new Set<string>();
  for (const file of files) {
    for (let at = file.indexOf("/"); at > 0; at = file.indexOf("/", at + 1)) {
      folders.add(file.slice(0, at));
    }
  }
  return [
    ...[...folders].sort().map((path) => ({ path, type: "tree" as const })),
    ...files.map((path) => ({ path, type: "blob" as const })),
  ];
}

/** Tracked and untracked-but-not-ignored files, or undefined when this is no git checkout. */
async function gitFiles(root: string): Promise<string[] | undefined> {
  try {
    const { stdout } = await run(
      "git",
      ["ls-files", "-z", "--cached", "--others", "--exclude-standard"],
      { cwd: root, maxBuffer: 256 * 1024 * 1024 },
    );
    return [...new Set(stdout.split("\0").filter((path) => path !== ""))];
  } catch {
    return undefined;
  }
}

async function walk(root: string): Promise<string[]> {
  const files: string[] = [];
  const pending = [root];
  while (pending.length > 0 && files.length <= MAX_FILES) {
    const dir = pending.pop()!;
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!IGNORED_FOLDERS.has(entry.name)) pending.push(full);
      } else if (entry.isFile()) {
        files.push(relative(root, full).split(sep).join("/"));
      }
    }
  }
  return files;
}

async function defaultBranch(root: string): Promise<string> {
  try {
    const { stdout } = await run("git", ["symbolic-ref", "--short", "refs/remotes/origin/HEAD"], {
      cwd: root,
    });
    return stdout.trim().replace(/^origin\//, "") || "main";
  } catch {
    return "main";
  }
}

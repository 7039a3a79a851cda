// The branch's files as an implementation sees them: the tree at the head it started from, plus
// what its own commits wrote since. Files are read through the Git Data API, only when needed.
import type { TreeEntry } from "../../editing/safety.js";
import type { GitHubClient, RepoRef } from "../../github/client.js";
import { readBlobText, type FileWrite, type TreeFile } from "../../github/git-data.js";

export type FileRead =
  | { kind: "text"; content: string; mode: "100644" | "100755" }
  /** No such file: the task creates it. */
  | { kind: "missing" }
  /** A symlink, submodule or directory: the path checks refuse it by its mode. */
  | { kind: "not_a_file" }
  | { kind: "refused"; reason: "file_too_large" | "binary_content"; message: string };

export class WorkingTree {
  readonly #client: GitHubClient;
  readonly #repo: RepoRef;
  readonly #maxBytes: number;
  readonly #entries = new Map<string, TreeFile>();
  readonly #written = new Map<string, FileWrite>();

  constructor(client: GitHubClient, repo: RepoRef, entries: readonly TreeFile[], maxBytes: number) {
    this.#client = client;
    this.#repo = repo;
    this.#maxBytes = maxBytes;
    for (const entry of entries) this.#entries.set(entry.path, entry);
  }

  /** Paths with their git modes, for the symlink, submodule and directory checks. */
  treeEntries(): TreeEntry[] {
    const entries: TreeEntry[] = [...this.#entries.values()].map(({ path, mode }) => ({
      path,
      mode,
    }));
    for (const file of this.#written.values()) {
      if (!this.#entries.has(file.path)) entries.push({ path: file.path, mode: "100644" });
    }
    return entries;
  }

  async read(path: string): Promise<FileRead> {
    const written = this.#written.get(path);
    if (written !== undefined) {
      return { kind: "text", content: written.content, mode: written.mode ?? "100644" };
    }
    const entry = this.#entries.get(path);
    if (entry === undefined) return { kind: "missing" };
    if (entry.type !== "blob" || (entry.mode !== "100644" && entry.mode !== "100755")) {
      return { kind: "not_a_file" };
    }
    if (entry.size !== undefined && entry.size > this.#maxBytes) {
      return {
        kind: "refused",
        reason: "file_too_large",
        message:
          `${path} is ${entry.size} bytes, over implement.max_file_bytes (${this.#maxBytes}); ` +
          `raise the limit in .github/symphony.yml or change this file by hand`,
      };
    }
    const content = await readBlobText(this.#client, this.#repo, entry.sha);
    if (content === undefined) {
      return {
        kind: "refused",
        reason: "binary_content",
        message: `${path} is not UTF-8 text; Symphony only edits text files`,
      };
    }
    return { kind: "text", content, mode: entry.mode };
  }

  /** Records files a commit wrote, so later tasks see them. */
  wrote(files: readonly FileWrite[]): void {
    for (const file of files) this.#written.set(file.path, file);
  }
}

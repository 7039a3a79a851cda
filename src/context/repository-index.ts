// What exists in the repository, indexed for the questions path validation asks.
import type { RepositoryTree } from "./tree.js";

export class RepositoryIndex {
  readonly truncated: boolean;
  private readonly files = new Set<string>();
  private readonly folders = new Set<string>([""]);
  // Built on the first near-miss only: most plans name real paths, and trees can be large.
  private lookups?: {
    filesByLowerPath: Map<string, string[]>;
    filesByLowerStem: Map<string, string[]>;
    filesByLowerName: Map<string, string[]>;
    foldersByLowerPath: Map<string, string[]>;
  };

  constructor(tree: RepositoryTree) {
    this.truncated = tree.truncated;
    for (const entry of tree.entries) {
      if (entry.type === "blob") this.addFile(entry.path);
      else if (entry.type === "tree") this.addFolder(entry.path);
    }
  }

  hasFile(path: string): boolean {
    return this.files.has(path);
  }

  hasFolder(path: string): boolean {
    return this.folders.has(path);
  }

  /** Files whose path differs from `path` only in letter case. */
  filesIgnoringCase(path: string): string[] {
    return this.lookup().filesByLowerPath.get(path.toLowerCase()) ?? [];
  }

  /** Files at the same path with another extension (`a.js` for `a.ts`), case ignored. */
  filesWithOtherExtension(path: string): string[] {
    return this.lookup().filesByLowerStem.get(stemOf(path).toLowerCase()) ?? [];
  }

  /** Files anywhere with the same file name, case ignored. */
  filesNamed(path: string): string[] {
    return this.lookup().filesByLowerName.get(nameOf(path).toLowerCase()) ?? [];
  }

  foldersIgnoringCase(path: string): string[] {
    return this.lookup().foldersByLowerPath.get(path.toLowerCase()) ?? [];
  }

  private lookup(): NonNullable<RepositoryIndex["lookups"]> {
    if (this.lookups) return this.lookups;
    const lookups = {
      filesByLowerPath: new Map<string, string[]>(),
      filesByLowerStem: new Map<string, string[]>(),
      filesByLowerName: new Map<string, string[]>(),
      foldersByLowerPath: new Map<string, string[]>(),
    };
    for (const path of this.files) {
      push(lookups.filesByLowerPath, path.toLowerCase(), path);
      push(lookups.filesByLowerStem, stemOf(path).toLowerCase(), path);
      push(lookups.filesByLowerName, nameOf(path).toLowerCase(), path);
    }
    for (const folder of this.folders)
      push(lookups.foldersByLowerPath, folder.toLowerCase(), folder);
    this.lookups = lookups;
    return lookups;
  }

  private addFile(path: string): void {
    if (this.files.has(path)) return;
    this.files.add(path);
    // Trees from GitHub list folders too, but a hand-made or filtered tree may not.
    this.addFolder(folderOf(path));
  }

  private addFolder(path: string): void {
    for (let folder = path; !this.folders.has(folder); folder = folderOf(folder)) {
      this.folders.add(folder);
    }
  }
}

export function folderOf(path: string): string {
  const slash = path.lastIndexOf("/");
  return slash < 0 ? "" : path.slice(0, slash);
}

export function nameOf(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

function stemOf(path: string): string {
  const name = nameOf(path);
  const dot = name.lastIndexOf(".");
  return dot <= 0 ? path : path.slice(0, path.length - (name.length - dot));
}

function push(map: Map<string, string[]>, key: string, value: string): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

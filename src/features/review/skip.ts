// Which changed files are worth a model's attention, and for each one left out, why.
import picomatch from "picomatch";
import { parseFileDiff, type FileDiff, type PullFile } from "../../github/pull-request-patch.js";

/** Built-in globs, grouped by the reason a user reads in the summary. */
export const DEFAULT_IGNORES: Readonly<Record<string, readonly string[]>> = {
  "lock file": [
    "package-lock.json",
    "npm-shrinkwrap.json",
    "yarn.lock",
    "pnpm-lock.yaml",
    "bun.lock",
    "bun.lockb",
    "*.lock",
    "go.sum",
    "packages.lock.json",
    "flake.lock",
  ],
  vendored: ["**/vendor/**", "**/node_modules/**", "**/third_party/**", "**/.yarn/**"],
  generated: [
    "*.generated.*",
    "**/__generated__/**",
    "*.pb.go",
    "*_pb2.py",
    "*_pb2_grpc.py",
    "*.g.dart",
    "*.designer.cs",
    "*.snap",
  ],
  minified: ["*.min.js", "*.min.css", "*.map"],
  binary: [
    "*.{png,jpg,jpeg,gif,bmp,ico,webp,avif,tiff,psd}",
    "*.{pdf,zip,gz,tgz,bz2,xz,7z,rar,jar,war}",
    "*.{woff,woff2,ttf,otf,eot}",
    "*.{mp3,mp4,mov,avi,wav,ogg,webm}",
    "*.{exe,dll,so,dylib,a,o,class,wasm,bin,pyc}",
    "*.{sqlite,db}",
  ],
  "build output": ["**/dist/**", "**/build/**", "**/out/**", "**/.next/**", "**/coverage/**"],
};

export type SkipKind =
  | "ignored"
  | "binary"
  | "too-large"
  | "not-text"
  | "malformed"
  | "deleted"
  | "renamed-only"
  | "metadata-only";

export interface SkippedFile {
  path: string;
  kind: SkipKind;
  /** A sentence for the summary. */
  reason: string;
}

export interface FileSelection {
  /** Every changed file, parsed, in the order GitHub listed them. */
  files: FileDiff[];
  /** Files with at least one line a comment can sit on. */
  reviewable: FileDiff[];
  skipped: SkippedFile[];
}

export interface SelectionOptions {
  /** Globs of files never reviewed, besides the built-in ones. */
  ignore: readonly string[];
  defaultIgnores: boolean;
}

interface IgnoreRule {
  glob: string;
  group: string;
  matches: (path: string) => boolean;
}

function ignoreRules(options: SelectionOptions): IgnoreRule[] {
  const groups: [string, readonly string[]][] = [
    ["your ignore settings", options.ignore],
    ...(options.defaultIgnores ? Object.entries(DEFAULT_IGNORES) : []),
  ];
  // A glob without a slash matches the file name in any folder, as in .gitignore. (picomatch's
  // own `basename` option also changes how globs with slashes match, so it is applied by hand.)
  return groups.flatMap(([group, globs]) =>
    globs.map((glob) => {
      const matcher = picomatch(glob, { dot: true });
      const matches = glob.includes("/")
        ? matcher
        : (path: string) => matcher(path.slice(path.lastIndexOf("/") + 1));
      return { glob, group, matches };
    }),
  );
}

function structuralSkip(file: FileDiff): SkippedFile | undefined {
  const skip = (kind: SkipKind, reason: string): SkippedFile => ({ path: file.path, kind, reason });
  const changed = file.additions + file.deletions;
  if (file.status === "removed") return skip("deleted", "deleted: no new lines to comment on");
  if (file.status === "unchanged") return skip("metadata-only", "no content change");
  if (file.unreadable === "no-patch") {
    if (file.status === "renamed" && changed === 0) {
      return skip("renamed-only", `renamed from ${file.previousPath ?? "?"} without changes`);
    }
    if (file.status === "changed" && changed === 0) {
      return skip("metadata-only", "only the file mode or metadata changed");
    }
    return changed > 0
      ? skip("too-large", `diff too large for GitHub's API to return (${changed} changed lines)`)
      : skip("binary", "binary file: GitHub shows no diff");
  }
  if (file.unreadable === "not-text") {
    return skip("not-text", "content is not readable text (binary or invalid UTF-8)");
  }
  if (file.unreadable === "malformed") return skip("malformed", "GitHub's patch could not be read");
  if (file.right.size === 0) return skip("deleted", "only removes lines: nothing to comment on");
  return undefined;
}

/** Parses every file and sorts them into reviewable and skipped, with a reason per skip. */
export function selectReviewableFiles(
  pullFiles: readonly PullFile[],
  options: SelectionOptions,
): FileSelection {
  const rules = ignoreRules(options);
  const selection: FileSelection = { files: [], reviewable: [], skipped: [] };
  for (const pullFile of pullFiles) {
    const file = parseFileDiff(pullFile);
    selection.files.push(file);
    const rule = rules.find((candidate) => candidate.matches(file.path));
    const skipped = rule
      ? {
          path: file.path,
          kind: "ignored" as const,
          reason: `${rule.group}: matches \`${rule.glob}\``,
        }
      : structuralSkip(file);
    if (skipped) selection.skipped.push(skipped);
    else selection.reviewable.push(file);
  }
  return selection;
}

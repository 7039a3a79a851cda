// The repository tree as GitHub's Git Trees API gives it, and the files worth showing a model.
import picomatch from "picomatch";
import { z } from "zod";

export const TreeEntrySchema = z.object({
  path: z.string(),
  /** "blob" is a file, "tree" a folder, "commit" a submodule. */
  type: z.enum(["blob", "tree", "commit"]),
  size: z.number().int().nonnegative().optional(),
});

export const RepositoryTreeSchema = z.object({
  entries: z.array(TreeEntrySchema),
  /** GitHub sets this when the recursive listing was too large to return whole. */
  truncated: z.boolean().default(false),
});

export type TreeEntry = z.infer<typeof TreeEntrySchema>;
export type RepositoryTree = z.infer<typeof RepositoryTreeSchema>;
export type RepositoryTreeInput = z.input<typeof RepositoryTreeSchema>;

/** Folders whose files a model never needs to see: vendored code and build output. */
export const IGNORED_FOLDERS: ReadonlySet<string> = new Set([
  "node_modules",
  "vendor",
  "third_party",
  "bower_components",
  ".git",
  "dist",
  "build",
  "out",
  "coverage",
  "target",
  "__generated__",
  "generated",
  ".next",
  ".venv",
  "__pycache__",
]);

/** Lock files: long, generated, and never what a plan should change by hand. */
export const LOCK_FILES: ReadonlySet<string> = new Set([
  "package-lock.json",
  "npm-shrinkwrap.json",
  "yarn.lock",
  "pnpm-lock.yaml",
  "bun.lockb",
  "Cargo.lock",
  "Gemfile.lock",
  "poetry.lock",
  "Pipfile.lock",
  "composer.lock",
  "go.sum",
]);

/** Endings of generated files. */
export const GENERATED_SUFFIXES: readonly string[] = [
  ".min.js",
  ".min.css",
  ".map",
  ".snap",
  ".pb.go",
  "_pb2.py",
  ".lock",
];

const BINARY_EXTENSIONS = new Set(
  (
    "png jpg jpeg gif bmp ico webp avif tiff psd svgz pdf zip gz tgz bz2 xz 7z rar tar jar war " +
    "class dll exe so dylib a o obj lib bin dat db sqlite wasm woff woff2 ttf otf eot mp3 mp4 " +
    "m4a wav ogg flac avi mov mkv webm pyc pyo onnx pt pth ckpt safetensors gguf npy npz parquet"
  ).split(" "),
);

/** Files above this size are data or generated output, not code a plan should read. */
const MAX_SOURCE_FILE_BYTES = 1_000_000;

// Checked by hand rather than as globs: a 100,000-entry tree is filtered in tens of milliseconds.
const IGNORED_FOLDER_PARTS = [...IGNORED_FOLDERS].map((folder) => `/${folder}/`);

function isVendoredOrGenerated(path: string): boolean {
  const slashed = `/${path}`;
  if (IGNORED_FOLDER_PARTS.some((part) => slashed.includes(part))) return true;
  const name = path.slice(path.lastIndexOf("/") + 1);
  if (LOCK_FILES.has(name) || name.includes(".generated.")) return true;
  return GENERATED_SUFFIXES.some((suffix) => name.endsWith(suffix));
}

export function isBinaryPath(path: string): boolean {
  const dot = path.lastIndexOf(".");
  if (dot < 0 || dot < path.lastIndexOf("/")) return false;
  return BINARY_EXTENSIONS.has(path.slice(dot + 1).toLowerCase());
}

export interface ListedFiles {
  /** File paths worth showing, sorted. */
  paths: string[];
  /** How many files were left out by the filters. */
  leftOut: number;
  truncated: boolean;
}

/** The files worth showing a model: no vendored, generated, binary, lock or ignored files. */
export function listRelevantFiles(
  tree: RepositoryTree,
  ignoreGlobs: readonly string[] = [],
): ListedFiles {
  const ignored = ignoreGlobs.length > 0 ? picomatch([...ignoreGlobs], { dot: true }) : () => false;
  const paths: string[] = [];
  let leftOut = 0;
  for (const entry of tree.entries) {
    if (entry.type !== "blob") continue;
    const unwanted =
      isVendoredOrGenerated(entry.path) ||
      isBinaryPath(entry.path) ||
      (entry.size ?? 0) > MAX_SOURCE_FILE_BYTES ||
      ignored(entry.path);
    if (unwanted) leftOut += 1;
    else paths.push(entry.path);
  }
  paths.sort();
  return { paths, leftOut, truncated: tree.truncated };
}

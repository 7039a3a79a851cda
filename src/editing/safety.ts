// Limits on what an implementation may write, checked by code before anything reaches GitHub. Nothing here executes anything.
import type { RestEndpointMethodTypes } from "@octokit/rest";
import type { z } from "zod";
import { implementSchema } from "../config/schema.js";
import { newSecrets, type SecretKind, type SecretScanOptions } from "../comments/secrets.js";

/** A git tree entry as the Git Data API lists it; `mode` 120000 marks a symlink. */
export type TreeEntry = Pick<
  RestEndpointMethodTypes["git"]["getTree"]["response"]["data"]["tree"][number],
  "path" | "mode"
>;

/** The `implement.*` settings of `.github/symphony.yml`. */
export type ImplementLimits = z.output<typeof implementSchema>;

/** The defaults a repository without settings gets. */
export const DEFAULT_IMPLEMENT_LIMITS: ImplementLimits = implementSchema.parse({});

export type RefusalReason =
  | "unsafe_path"
  | "path_outside_repository"
  | "path_through_symlink"
  | "not_a_file"
  | "git_directory"
  | "workflow_file"
  | "protected_path"
  | "binary_content"
  | "file_too_large"
  | "too_many_files"
  | "too_many_changed_lines"
  | "secret_in_output";

export interface Refusal {
  reason: RefusalReason;
  path?: string;
  /** What was refused and what the user can do about it. */
  message: string;
  /** For `secret_in_output`: which kinds were seen (never the values). */
  secretKinds?: SecretKind[];
}

/** A file as an implementation would leave it. */
export interface FileChange {
  path: string;
  /** Undefined for a new file. */
  before: string | undefined;
  after: string;
}

const SYMLINK_MODE = "120000";
const SUBMODULE_MODE = "160000";
const DIRECTORY_MODE = "040000";
const WORKFLOWS = ".github/workflows/";

/**
 * Refuses a path unless it names a regular file inside the repository: relative, `/`-separated,
 * no `.`/`..`/empty segments, no NUL or control characters, not inside `.git`, not under a
 * symlink or submodule in `tree`, and not a workflow unless `allow_workflows` is set (the caller
 * also makes sure the app holds the workflows permission before passing `true`).
 */
export function checkPath(
  path: string,
  tree: readonly TreeEntry[],
  limits: Pick<ImplementLimits, "allow_workflows"> = DEFAULT_IMPLEMENT_LIMITS,
): Refusal | undefined {
  const shown = JSON.stringify(path);
  // eslint-disable-next-line no-control-regex
  if (path === "" || /[\u0000-\u001f\u007f]/.test(path) || path.includes("\\")) {
    return refuse(
      "unsafe_path",
      path,
      `${shown} is not a plain repository path (empty, control characters or backslashes)`,
    );
  }
  if (path.startsWith("/") || /^[A-Za-z]:/.test(path)) {
    return refuse(
      "path_outside_repository",
      path,
      `${shown} is absolute; only paths inside the repository are written`,
    );
  }
  const segments = path.split("/");
  if (segments.includes("..")) {
    return refuse(
      "path_outside_repository",
      path,
      `${shown} climbs out of the repository with ".."`,
    );
  }
  if (segments.some((segment) => segment === "" || segment === ".")) {
    return refuse(
      "unsafe_path",
      path,
      `${shown} has an empty or "." segment; write it as a plain relative path`,
    );
  }
  if (segments.some((segment) => segment.toLowerCase() === ".git")) {
    return refuse("git_directory", path, `${shown} is inside .git, which only git itself writes`);
  }
  const treeRefusal = checkAgainstTree(path, segments, tree);
  if (treeRefusal) return treeRefusal;
  if (path.toLowerCase().startsWith(WORKFLOWS) && !limits.allow_workflows) {
    return refuse(
      "workflow_file",
      path,
      `${path} is a GitHub Actions workflow; set implement.allow_workflows: true in .github/symphony.yml ` +
        `and grant the app the workflows permission to let Symphony change workflows`,
    );
  }
  // Workflows have their own switch above; everything else under .github/ and CI is refused.
  const workflow = path.toLowerCase().startsWith(WORKFLOWS);
  if (!workflow && isProtectedPath(path) && process.env[ALLOW_PROTECTED_PATHS] !== "true") {
    return refuse(
      "protected_path",
      path,
      `${path} configures GitHub or CI (it runs with the repository's secrets or decides who reviews); ` +
        `Symphony does not change it unless the operator sets ${ALLOW_PROTECTED_PATHS}=true`,
    );
  }
  return undefined;
}

/**
 * The operator's switch (an environment variable of the App or the Action, never a repository
 * setting, which a prompt-injected issue could ask for) that lets edits reach protected paths.
 */
export const ALLOW_PROTECTED_PATHS = "SYMPHONY_ALLOW_PROTECTED_PATHS";

/** CI definitions of other systems, by exact path or by folder. */
const CI_FILES = new Set([
  ".gitlab-ci.yml",
  ".travis.yml",
  "azure-pipelines.yml",
  "bitbucket-pipelines.yml",
  "jenkinsfile",
  ".drone.yml",
  "appveyor.yml",
  ".appveyor.yml",
  "codeowners",
  "docs/codeowners",
  ".pre-commit-config.yaml",
]);
const CI_FOLDERS = [".github/", ".circleci/", ".buildkite/", ".woodpecker/", ".gitlab/", ".husky/"];

/** `.github/**`, CODEOWNERS and the CI definitions of common systems. */
export function isProtectedPath(path: string): boolean {
  const lower = path.toLowerCase();
  return CI_FILES.has(lower) || CI_FOLDERS.some((folder) => lower.startsWith(folder));
}

function checkAgainstTree(
  path: string,
  segments: readonly string[],
  tree: readonly TreeEntry[],
): Refusal | undefined {
  // Case-insensitive, because on macOS and Windows checkouts `Docs/x` goes through a `docs` link.
  const modes = new Map(tree.map((entry) => [(entry.path ?? "").toLowerCase(), entry.mode]));
  for (let depth = 1; depth <= segments.length; depth += 1) {
    const prefix = segments.slice(0, depth).join("/");
    const mode = modes.get(prefix.toLowerCase());
    if (mode === SYMLINK_MODE) {
      return refuse(
        "path_through_symlink",
        path,
        `${path} goes through the symbolic link ${prefix}, which may point outside the repository; ` +
          `name the link's target instead`,
      );
    }
    if (mode === SUBMODULE_MODE) {
      return refuse(
        "not_a_file",
        path,
        `${path} lies in the submodule ${prefix}; change it in that repository`,
      );
    }
    if (mode === DIRECTORY_MODE && depth === segments.length) {
      return refuse("not_a_file", path, `${path} is a directory, not a file`);
    }
  }
  return undefined;
}

/** Refuses binary content and files over `max_file_bytes`, before or after the edit. */
export function checkContent(
  change: FileChange,
  limits: Pick<ImplementLimits, "max_file_bytes"> = DEFAULT_IMPLEMENT_LIMITS,
): Refusal | undefined {
  const { path, before, after } = change;
  if (looksBinary(after) || (before !== undefined && looksBinary(before))) {
    return refuse(
      "binary_content",
      path,
      `${path} is or would become binary; Symphony only edits text files`,
    );
  }
  const bytes = Math.max(Buffer.byteLength(after, "utf8"), Buffer.byteLength(before ?? "", "utf8"));
  if (bytes > limits.max_file_bytes) {
    return refuse(
      "file_too_large",
      path,
      `${path} is ${bytes} bytes, over implement.max_file_bytes (${limits.max_file_bytes}); ` +
        `raise the limit in .github/symphony.yml or change this file by hand`,
    );
  }
  return undefined;
}

/** Refuses an edit whose text holds a secret-looking string the file did not already hold. */
export function checkSecrets(
  change: FileChange,
  options: SecretScanOptions = {},
): Refusal | undefined {
  const found = newSecrets(change.before, change.after, options);
  if (found.length === 0) return undefined;
  const where = found.map(
    (finding) => `line ${finding.line} (${finding.kind.replaceAll("_", " ")})`,
  );
  return {
    ...refuse(
      "secret_in_output",
      change.path,
      `the model's text for ${change.path} holds what looks like a secret at ${where.join(", ")}; ` +
        `it was not committed. Secrets belong in repository secrets or the environment, read at run time`,
    ),
    secretKinds: [...new Set(found.map((finding) => finding.kind))],
  };
}

/**
 * Git's own test: a NUL in the first 8000 characters means binary. Text that is mostly control
 * characters (other than tab, newlines, form feed and escape) counts too.
 */
export function looksBinary(text: string): boolean {
  const head = text.slice(0, 8000);
  if (head.includes("\u0000")) return true;
  // eslint-disable-next-line no-control-regex
  const control = head.match(/[\u0001-\u0008\u000e-\u001a\u001c-\u001f\u007f]/g)?.length ?? 0;
  return head.length > 0 && control / head.length > 0.1;
}

function refuse(reason: RefusalReason, path: string | undefined, message: string): Refusal {
  return path === undefined ? { reason, message } : { reason, path, message };
}

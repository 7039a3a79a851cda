// `npm run eval:cases`: rebuilds eval/cases/ from eval/sources.yml and git clones of the public
// repositories it names, so every case can be traced to, and regenerated from, its commits.
// Clones are looked up as $EVAL_MIRRORS/<owner>+<name>/repo (bare or not).
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import picomatch from "picomatch";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import {
  EvalCaseSchema,
  LICENCES,
  type ImplementCase,
  type PlanCase,
  type ReviewCase,
} from "./case-schema.js";

const here = dirname(fileURLToPath(import.meta.url));
const MIRRORS = process.env.EVAL_MIRRORS ?? "/work/.mirror";
/** Plan cases keep a changed file's content only below this size (the Planner reads it on request). */
const MAX_PLAN_FILE_BYTES = 60_000;
/** Review cases come from introducing commits at most this large. */
const MAX_REVIEW_CHANGES = 600;
const NOT_PRODUCT = picomatch(
  [
    "**/test/**",
    "**/tests/**",
    "**/*.spec.*",
    "**/*.test.*",
    "**/test_*.py",
    "CHANGELOG*",
    "**/*.md",
    "**/*.rst",
    "**/*.pyi",
    "docs/**",
    "History.md",
  ],
  { dot: true },
);

const RepoSchema = z.object({
  licence: z.enum(LICENCES),
  /** Folders left out of plan trees (bulky data), as globs. */
  treeExclude: z.array(z.string()).default([]),
});
const SourcesSchema = z.object({
  repos: z.record(z.string(), RepoSchema),
  plan: z.array(
    z.object({
      repo: z.string(),
      fix: z.string(),
      issue: z.string().url(),
      title: z.string(),
      body: z.string(),
    }),
  ),
  review: z.array(z.object({ repo: z.string(), fix: z.string(), path: z.string().optional() })),
  implement: z.array(
    z.object({
      repo: z.string(),
      fix: z.string(),
      files: z.array(z.string()),
      test: z.array(z.string()).optional(),
      title: z.string().optional(),
    }),
  ),
});
type Sources = z.infer<typeof SourcesSchema>;

function git(repo: string, args: string[]): string {
  const dir = join(MIRRORS, repo.replace("/", "+"), "repo");
  return execFileSync("git", ["-C", dir, ...args], {
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
}

const full = (repo: string, rev: string) => git(repo, ["rev-parse", rev]).trim();
const show = (repo: string, rev: string, path: string) => git(repo, ["show", `${rev}:${path}`]);
const lsTree = (repo: string, rev: string) =>
  git(repo, ["ls-tree", "-r", "--name-only", rev]).split("\n").filter(Boolean);
const message = (repo: string, rev: string) => {
  const [subject = "", ...rest] = git(repo, ["log", "-1", "--format=%B", rev]).trim().split("\n");
  return { subject: subject.trim(), body: rest.join("\n").trim() };
};

interface Changed {
  path: string;
  status: string;
}
function changedFiles(repo: string, rev: string): Changed[] {
  return git(repo, ["diff-tree", "--no-commit-id", "-r", "--name-status", `${rev}^`, rev])
    .split("\n")
    .filter(Boolean)
    .map((line) => {
      const [status = "", path = ""] = line.split("\t");
      return { status: status[0] ?? "M", path };
    });
}

function slug(repo: string, fix: string, kind: string): string {
  return `${repo.split("/")[1]}-${kind}-${fix.slice(0, 7)}`;
}

function planCase(sources: Sources, spec: Sources["plan"][number]): PlanCase {
  const settings = sources.repos[spec.repo]!;
  const commit = full(spec.repo, spec.fix);
  const parent = `${commit}^`;
  const excluded = picomatch(settings.treeExclude, { dot: true });
  const tree = lsTree(spec.repo, parent);
  const kept = tree.filter((path) => !excluded(path));
  const changed = changedFiles(spec.repo, commit)
    .filter((file) => file.status === "M" && !NOT_PRODUCT(file.path))
    .map((file) => file.path);
  if (changed.length === 0)
    throw new Error(`${spec.repo} ${spec.fix}: the fix changes no product file`);
  const files: Record<string, string> = {};
  for (const path of changed) {
    const content = show(spec.repo, parent, path);
    if (Buffer.byteLength(content) <= MAX_PLAN_FILE_BYTES) files[path] = content;
  }
  const readmeName = kept.find((path) => /^readme(\.md|\.rst|\.markdown)?$/i.test(path));
  const number = Number(/\/(\d+)$/.exec(spec.issue)?.[1] ?? "1");
  return {
    kind: "plan",
    id: slug(spec.repo, spec.fix, "plan"),
    source: { repo: spec.repo, licence: settings.licence, commit, issue: spec.issue },
    issue: { number, title: spec.title, body: spec.body.trim() },
    tree: kept,
    ...(kept.length < tree.length
      ? {
          treeNote: `${tree.length - kept.length} files under ${settings.treeExclude.join(", ")} left out`,
        }
      : {}),
    ...(readmeName ? { readme: show(spec.repo, parent, readmeName).slice(0, 6000) } : {}),
    files,
    expect: { changedFiles: changed },
  };
}

/** Old-side line ranges (1-based, in the fix's parent) that the fix removed or inserted beside. */
function fixedRanges(repo: string, commit: string, path: string): [number, number][] {
  const diff = git(repo, ["diff", "-U0", `${commit}^`, commit, "--", path]);
  const ranges: [number, number][] = [];
  for (const match of diff.matchAll(/^@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@/gm)) {
    const start = Number(match[1]);
    const count = match[2] === undefined ? 1 : Number(match[2]);
    // A pure insertion is anchored to the line before it (or the first line).
    ranges.push(
      count === 0 ? [Math.max(1, start), Math.max(1, start)] : [start, start + count - 1],
    );
  }
  return ranges;
}

/** Which commit wrote each fixed line, and at which line of its own version of the file. */
function blameLines(repo: string, commit: string, path: string) {
  const lines: { sha: string; path: string; line: number }[] = [];
  for (const [from, to] of fixedRanges(repo, commit, path)) {
    const out = git(repo, [
      "blame",
      "--line-porcelain",
      "-L",
      `${from},${to}`,
      `${commit}^`,
      "--",
      path,
    ]);
    let current: { sha: string; line: number } | undefined;
    for (const row of out.split("\n")) {
      const header = /^([0-9a-f]{40}) (\d+) \d+/.exec(row);
      if (header) current = { sha: header[1]!, line: Number(header[2]) };
      else if (row.startsWith("filename ") && current) {
        lines.push({ ...current, path: row.slice("filename ".length) });
      }
    }
  }
  return lines;
}

function reviewCase(sources: Sources, spec: Sources["review"][number]): ReviewCase {
  const settings = sources.repos[spec.repo]!;
  const commit = full(spec.repo, spec.fix);
  const paths = changedFiles(spec.repo, commit)
    .filter((file) => file.status === "M" && !NOT_PRODUCT(file.path))
    .map((file) => file.path)
    .filter((path) => spec.path === undefined || path === spec.path);
  const blamed = paths.flatMap((path) => blameLines(spec.repo, commit, path));
  const votes = new Map<string, number>();
  for (const line of blamed) votes.set(line.sha, (votes.get(line.sha) ?? 0) + 1);
  const introduced = [...votes].sort((a, b) => b[1] - a[1])[0]?.[0];
  if (introduced === undefined) throw new Error(`${spec.repo} ${spec.fix}: nothing to blame`);
  const fileDiffs = changedFiles(spec.repo, introduced);
  const files = fileDiffs.map((file) => {
    const patch = git(spec.repo, ["diff", `${introduced}^`, introduced, "--", file.path]);
    const body = patch.slice(Math.max(0, patch.indexOf("\n@@") + 1)).replace(/\n$/, "");
    const additions = body.split("\n").filter((l) => l.startsWith("+")).length;
    const deletions = body.split("\n").filter((l) => l.startsWith("-")).length;
    const status = file.status === "A" ? "added" : file.status === "D" ? "removed" : "modified";
    return {
      filename: file.path,
      status,
      additions,
      deletions,
      changes: additions + deletions,
      ...(patch.includes("\n@@") ? { patch: body } : {}),
    } as const;
  });
  const changes = files.reduce((sum, file) => sum + file.changes, 0);
  if (changes > MAX_REVIEW_CHANGES) {
    throw new Error(
      `${spec.repo} ${spec.fix}: introducing commit ${introduced.slice(0, 7)} changes ${changes} lines`,
    );
  }
  const byPath = new Map<string, number[]>();
  for (const line of blamed.filter((l) => l.sha === introduced)) {
    byPath.set(
      line.path,
      [...new Set([...(byPath.get(line.path) ?? []), line.line])].sort((a, b) => a - b),
    );
  }
  const { subject, body } = message(spec.repo, introduced);
  return {
    kind: "review",
    id: slug(spec.repo, spec.fix, "review"),
    source: { repo: spec.repo, licence: settings.licence, commit, introduced },
    pullRequest: { title: subject, body: body.slice(0, 4000) },
    files,
    expect: { fixedLines: [...byPath].map(([path, lines]) => ({ path, lines })) },
  };
}

function implementCase(sources: Sources, spec: Sources["implement"][number]): ImplementCase {
  const settings = sources.repos[spec.repo]!;
  const commit = full(spec.repo, spec.fix);
  const parent = `${commit}^`;
  const wanted = picomatch(spec.files, { dot: true });
  const changed = changedFiles(spec.repo, commit);
  const edit = changed
    .filter((file) => file.status === "M" && !NOT_PRODUCT(file.path) && wanted(file.path))
    .map((file) => file.path);
  if (edit.length === 0) throw new Error(`${spec.repo} ${spec.fix}: no product file to edit`);
  const files: Record<string, string> = {};
  for (const path of lsTree(spec.repo, parent).filter((path) => wanted(path))) {
    files[path] = show(spec.repo, parent, path);
  }
  const tests: Record<string, string> = {};
  for (const file of changed) {
    if (file.status !== "D" && NOT_PRODUCT(file.path) && wanted(file.path)) {
      tests[file.path] = show(spec.repo, commit, file.path);
    }
  }
  const { subject, body } = message(spec.repo, commit);
  const result: ImplementCase = {
    kind: "implement",
    id: slug(spec.repo, spec.fix, "implement"),
    source: { repo: spec.repo, licence: settings.licence, commit },
    task: { title: spec.title ?? subject, description: body.slice(0, 4000) || subject },
    files,
    edit,
    tests,
    reference: Object.fromEntries(edit.map((path) => [path, hunks(spec.repo, commit, path)])),
    ...(spec.test ? { testCommand: spec.test } : {}),
  };
  if (spec.test) checkReference(spec.repo, commit, result, spec.test);
  return result;
}

/** A file's change in a commit, from its first hunk header on. */
function hunks(repo: string, commit: string, path: string): string {
  const patch = git(repo, ["diff", `${commit}^`, commit, "--", path]);
  return patch.slice(Math.max(0, patch.indexOf("\n@@") + 1));
}

/** The real commit's files must pass the case's tests, or the case cannot score anything. */
function checkReference(
  repo: string,
  commit: string,
  item: ImplementCase,
  command: string[],
): void {
  const dir = mkdtempSync(join(tmpdir(), "symphony-eval-ref-"));
  try {
    const after: Record<string, string> = { ...item.files, ...item.tests };
    for (const path of item.edit) after[path] = show(repo, commit, path);
    for (const [path, content] of Object.entries(after)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), content);
    }
    execFileSync(command[0]!, command.slice(1), { cwd: dir, stdio: "pipe", timeout: 60_000 });
  } catch (error) {
    throw new Error(
      `${item.id}: the real commit fails its own tests: ${String(error).slice(0, 400)}`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function main(): void {
  const sources = SourcesSchema.parse(parseYaml(readFileSync(join(here, "sources.yml"), "utf8")));
  const only = process.argv.slice(2);
  const made = [
    ...sources.plan.map((spec) => () => planCase(sources, spec)),
    ...sources.review.map((spec) => () => reviewCase(sources, spec)),
    ...sources.implement.map((spec) => () => implementCase(sources, spec)),
  ];
  let failed = 0;
  for (const make of made) {
    try {
      const item = EvalCaseSchema.parse(make());
      if (only.length > 0 && !only.some((id) => item.id.includes(id))) continue;
      const file = join(here, "cases", item.kind, `${item.id}.json`);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, `${JSON.stringify(item, null, 2)}\n`);
      console.log(`wrote ${item.id}`);
    } catch (error) {
      failed += 1;
      console.error(error instanceof Error ? error.message : String(error));
    }
  }
  if (failed > 0) process.exitCode = 1;
}

main();

// Hotspot ranking on a synthetic repository of 10,000 files and 5,000 commits, with a local
// 127.0.0.1 server playing GitHub's commits API and answering at once. Each variant runs in a
// child process so that its peak RSS is its own; the server stays in this process.
import { fork, type ChildProcess } from "node:child_process";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { Octokit } from "@octokit/rest";
import { collectChangeCounts } from "../src/github/commit-history.js";
import { rankHotspots } from "../src/features/refactor/hotspots.js";
import type { BenchResult } from "./types.js";

const FILES = 10_000;
const COMMITS = 5_000;
const HISTORY_DAYS = 180;
const DAY_MS = 86_400_000;
const NOW = Date.parse("2026-03-01T00:00:00Z");
const OWNER = "bench";
const REPO = "synthetic";
const CHILD_FLAG = "SYMPHONY_REFACTOR_BENCH_CHILD";
const GOAL_MS = 30_000;
const GOAL_MB = 500;

interface Variant {
  name: string;
  windowDays: number;
  maxCommits: number;
  maxPages: number;
  maxFiles: number;
}

const VARIANTS: Variant[] = [
  { name: "defaults", windowDays: 90, maxCommits: 300, maxPages: 10, maxFiles: 500 },
  { name: "whole window", windowDays: 90, maxCommits: 5000, maxPages: 50, maxFiles: 10_000 },
  { name: "whole history", windowDays: 365, maxCommits: 5000, maxPages: 50, maxFiles: 10_000 },
];

// ---------------------------------------------------------------- the synthetic repository

function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hashOf(text: string): number {
  let hash = 2166136261;
  for (let i = 0; i < text.length; i += 1) hash = Math.imul(hash ^ text.charCodeAt(i), 16777619);
  return hash >>> 0;
}

/** The paths at the default branch head: mostly code, some tests, vendored, lock and docs. */
function headPaths(): string[] {
  const kinds = ["ts", "ts", "ts", "ts", "ts", "ts", "ts", "ts", "ts", "ts"].concat([
    "tsx",
    "js",
    "py",
    "py",
    "py",
    "go",
    "go",
    "java",
    "test",
    "other",
  ]);
  return Array.from({ length: FILES }, (_, i) => {
    const dir = `pkg${i % 97}/area${(i * 7) % 13}`;
    const kind = kinds[i % kinds.length]!;
    if (kind === "test") return `test/${dir}/case${i}.test.ts`;
    if (kind === "other") return [`vendor/${dir}/lib${i}.go`, `docs/${dir}/page${i}.md`][i % 2]!;
    return `src/${dir}/module${i}.${kind}`;
  });
}

interface Syntax {
  header: (name: string) => string;
  open: (kind: "if" | "for" | "else") => string;
  close: string | undefined;
  statement: string;
  indent: string;
}

const BRACES = (header: (name: string) => string, statement: string): Syntax => ({
  header,
  open: (kind) =>
    kind === "if"
      ? "if (total > limit && flag) {"
      : kind === "for"
        ? "for (const x of items) {"
        : "} else {",
  close: "}",
  statement,
  indent: "  ",
});

const SYNTAX: Record<string, Syntax> = {
  ts: BRACES(
    (n) => `export function ${n}(items: number[], flag: boolean): number {`,
    "total += x;",
  ),
  js: BRACES((n) => `export function ${n}(items, flag) {`, "total += x;"),
  java: BRACES((n) => `public int ${n}(int[] items, boolean flag) {`, "total += x;"),
  go: {
    header: (n) => `func ${n}(items []int, flag bool) int {`,
    open: (kind) =>
      kind === "if"
        ? "if total > limit && flag {"
        : kind === "for"
          ? "for _, x := range items {"
          : "} else {",
    close: "}",
    statement: "total += x",
    indent: "\t",
  },
  py: {
    header: (n) => `def ${n}(items, flag):`,
    open: (kind) =>
      kind === "if" ? "if total > limit and flag:" : kind === "for" ? "for x in items:" : "else:",
    close: undefined,
    statement: "total += x",
    indent: "    ",
  },
};

/** Deterministic source for a path: 3 to 30 functions of nested branches and loops. */
function contentOf(path: string): string {
  const extension = /\.(\w+)$/.exec(path)?.[1] ?? "ts";
  const syntax = SYNTAX[extension === "tsx" ? "ts" : extension] ?? SYNTAX.ts!;
  const next = random(hashOf(path));
  const lines: string[] = [`// ${path}`];
  const block = (depth: number, statements: number) => {
    const pad = syntax.indent.repeat(depth);
    for (let s = 0; s < statements; s += 1) {
      const roll = next();
      if (depth < 5 && roll < 0.18) {
        const kind = roll < 0.11 ? "if" : "for";
        lines.push(pad + syntax.open(kind));
        block(depth + 1, 1 + Math.floor(next() * 4));
        if (kind === "if" && next() < 0.4) {
          lines.push(pad + syntax.open("else"));
          block(depth + 1, 1 + Math.floor(next() * 3));
        }
        if (syntax.close) lines.push(pad + syntax.close);
      } else {
        lines.push(pad + syntax.statement);
      }
    }
  };
  const functions = 3 + Math.floor(next() * 28);
  for (let f = 0; f < functions; f += 1) {
    lines.push("", syntax.header(`step${f}`));
    block(1, 3 + Math.floor(next() * 12));
    lines.push(
      `${syntax.indent}return total${extension === "go" || extension === "py" ? "" : ";"}`,
    );
    if (syntax.close) lines.push(syntax.close);
  }
  return `${lines.join("\n")}\n`;
}

interface SyntheticFile {
  filename: string;
  status: "modified" | "renamed";
  previous_filename?: string;
}

interface SyntheticCommit {
  sha: string;
  date: string;
  parents: number;
  files: SyntheticFile[];
}

/** 5,000 commits over 180 days, newest first: skewed towards a few files, some merges, renames. */
function syntheticHistory(paths: readonly string[]): SyntheticCommit[] {
  const next = random(7);
  const nameAt = [...paths];
  // Zipf-like popularity over a shuffled order, so hot files are spread over the tree.
  const order = paths.map((_, i) => i).sort((a, b) => hashOf(`o${a}`) - hashOf(`o${b}`));
  const cumulative: number[] = [];
  let total = 0;
  for (let rank = 0; rank < order.length; rank += 1) {
    total += 1 / (rank + 1) ** 1.05;
    cumulative.push(total);
  }
  const pick = (): number => {
    const target = next() * total;
    let low = 0;
    let high = cumulative.length - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (cumulative[middle]! < target) low = middle + 1;
      else high = middle;
    }
    return order[low]!;
  };
  const commits: SyntheticCommit[] = [];
  for (let k = 0; k < COMMITS; k += 1) {
    const date = new Date(NOW - (k + 1) * ((HISTORY_DAYS * DAY_MS) / COMMITS)).toISOString();
    const touched = new Set<number>();
    const count = 1 + Math.floor(next() ** 2 * 8);
    while (touched.size < count) touched.add(pick());
    const files: SyntheticFile[] = [...touched].map((i) => {
      const current = nameAt[i]!;
      if (next() < 0.01) {
        // Walking back in time: before this commit the file had its old name.
        nameAt[i] = current.replace(/(\.\w+)$/, `_old${k}$1`);
        return { filename: current, status: "renamed", previous_filename: nameAt[i] };
      }
      return { filename: current, status: "modified" };
    });
    commits.push({
      sha: `c${k.toString(16).padStart(39, "0")}`,
      date,
      parents: next() < 0.08 ? 2 : 1,
      files,
    });
  }
  return commits;
}

// ---------------------------------------------------------------- GitHub, played locally

interface PlayedGitHub {
  port: number;
  requests: () => number;
  close: () => Promise<void>;
}

async function playGitHub(commits: readonly SyntheticCommit[]): Promise<PlayedGitHub> {
  const bySha = new Map(commits.map((commit) => [commit.sha, commit]));
  let requests = 0;
  const answer = (response: ServerResponse, status: number, body: unknown, link?: string) => {
    response.writeHead(status, {
      "content-type": "application/json; charset=utf-8",
      ...(link ? { link } : {}),
    });
    response.end(JSON.stringify(body));
  };
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    requests += 1;
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    const list = `/repos/${OWNER}/${REPO}/commits`;
    if (url.pathname === list) {
      const since = Date.parse(url.searchParams.get("since") ?? "1970-01-01T00:00:00Z");
      const perPage = Number(url.searchParams.get("per_page") ?? 30);
      const page = Number(url.searchParams.get("page") ?? 1);
      const inWindow = commits.filter((commit) => Date.parse(commit.date) >= since);
      const slice = inWindow.slice((page - 1) * perPage, page * perPage);
      const more = page * perPage < inWindow.length;
      url.searchParams.set("page", String(page + 1));
      const link = more
        ? `<http://127.0.0.1:${port()}${list}?${url.searchParams}>; rel="next"`
        : undefined;
      const body = slice.map((commit) => ({
        sha: commit.sha,
        commit: { message: "synthetic", author: { date: commit.date } },
        parents: Array.from({ length: commit.parents }, (_, i) => ({ sha: `${commit.sha}-${i}` })),
      }));
      return answer(response, 200, body, link);
    }
    const commit = url.pathname.startsWith(`${list}/`)
      ? bySha.get(url.pathname.slice(list.length + 1))
      : undefined;
    if (!commit) return answer(response, 404, { message: "Not Found" });
    const files = commit.files.map((file) => ({
      ...file,
      additions: 3,
      deletions: 1,
      changes: 4,
      patch:
        "@@ -10,4 +10,6 @@\n   total += x;\n-  if (flag) {\n+  if (flag && total > limit) {\n+    total -= 1;\n+  }\n",
    }));
    return answer(response, 200, { sha: commit.sha, commit: { message: "synthetic" }, files });
  });
  const port = () => (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: port(),
    requests: () => requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

// ---------------------------------------------------------------- one variant, in a child

interface VariantResult {
  historyMs: number;
  rankingMs: number;
  wallMs: number;
  requests: number;
  commitsScanned: number;
  mergesSkipped: number;
  truncated: boolean;
  changedFiles: number;
  measured: number;
  topScore: number;
  sampledPeakMb: number;
  maxRssMb: number;
}

async function runVariant(port: number, variant: Variant): Promise<VariantResult> {
  let sampledPeak = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    sampledPeak = Math.max(sampledPeak, process.memoryUsage().rss);
  }, 5);
  const head = new Set(headPaths());
  // Plain @octokit/rest: no retry or throttling plugin, so nothing waits between requests.
  const octokit = new Octokit({ baseUrl: `http://127.0.0.1:${port}`, auth: "bench" });
  const started = performance.now();
  const history = await collectChangeCounts(octokit, {
    owner: OWNER,
    repo: REPO,
    since: new Date(NOW - variant.windowDays * DAY_MS),
    maxCommits: variant.maxCommits,
    maxPages: variant.maxPages,
  });
  const historyDone = performance.now();
  const ranking = await rankHotspots({
    counts: history.counts,
    readFile: async (path) => (head.has(path) ? contentOf(path) : undefined),
    maxFiles: variant.maxFiles,
  });
  const done = performance.now();
  clearInterval(sampler);
  sampledPeak = Math.max(sampledPeak, process.memoryUsage().rss);
  return {
    historyMs: historyDone - started,
    rankingMs: done - historyDone,
    wallMs: done - started,
    requests: history.requests,
    commitsScanned: history.commitsScanned,
    mergesSkipped: history.mergesSkipped,
    truncated: history.truncated,
    changedFiles: ranking.changedFiles,
    measured: ranking.measured,
    topScore: ranking.rows[0]?.score ?? 0,
    sampledPeakMb: sampledPeak / 2 ** 20,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  };
}

function inChild(port: number, variant: Variant): Promise<VariantResult> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = fork(fileURLToPath(import.meta.url), [], {
      env: { ...process.env, [CHILD_FLAG]: JSON.stringify({ port, variant }) },
    });
    child.once("message", (message) => resolve(message as VariantResult));
    child.once("error", reject);
    child.once("exit", (code) => {
      if (code !== 0) reject(new Error(`bench variant ${variant.name} exited with ${code}`));
    });
  });
}

const childJob = process.env[CHILD_FLAG];
if (childJob !== undefined) {
  const { port, variant } = JSON.parse(childJob) as { port: number; variant: Variant };
  const result = await runVariant(port, variant);
  process.send?.(result, () => process.exit(0));
}

export default async function refactorBench(): Promise<BenchResult> {
  const commits = syntheticHistory(headPaths());
  const github = await playGitHub(commits);
  const rows: Record<string, string | number>[] = [];
  const notes: string[] = [];
  try {
    for (const variant of VARIANTS) {
      const before = github.requests();
      const result = await inChild(github.port, variant);
      const served = github.requests() - before;
      const since = NOW - variant.windowDays * DAY_MS;
      const inWindow = commits.filter((commit) => Date.parse(commit.date) >= since).length;
      const bound = variant.maxPages + variant.maxCommits;
      rows.push({
        variant: variant.name,
        window_days: variant.windowDays,
        commits_in_window: inWindow,
        max_commits: variant.maxCommits,
        max_files: variant.maxFiles,
        commits_scanned: result.commitsScanned,
        merges_skipped: result.mergesSkipped,
        truncated: String(result.truncated),
        requests: served,
        request_bound: bound,
        files_changed: result.changedFiles,
        files_measured: result.measured,
        history_ms: Math.round(result.historyMs),
        ranking_ms: Math.round(result.rankingMs),
        wall_ms: Math.round(result.wallMs),
        peak_rss_mb: Math.round(Math.max(result.sampledPeakMb, result.maxRssMb)),
      });
      const within =
        result.wallMs < GOAL_MS && Math.max(result.sampledPeakMb, result.maxRssMb) < GOAL_MB;
      notes.push(
        `${variant.name}: ${(result.wallMs / 1000).toFixed(1)} s, peak RSS ${Math.round(Math.max(result.sampledPeakMb, result.maxRssMb))} MB, ` +
          `${served} requests (client counted ${result.requests}; bound ${bound}) → ${within ? "within" : "OUTSIDE"} the goal (< 30 s, < 500 MB)`,
      );
    }
  } finally {
    await github.close();
  }
  notes.push(
    `Synthetic repository: ${FILES} files, ${COMMITS} commits over ${HISTORY_DAYS} days (about 8% merges, 1% renames); ` +
      "GitHub played by a 127.0.0.1 server answering at once; Octokit without retry or throttling; " +
      "each variant in its own process, peak RSS is that process's (Node and tsx included).",
  );
  return { title: "Hotspot ranking: 10,000 files, 5,000 commits", rows, notes };
}

// `symphony plan <owner/repo#n | issue.md> [--repo-dir .]`: the planning pipeline from a terminal,
// against a local checkout; the plan's Markdown on stdout, progress and failures on stderr.
import { readFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { parse as parseYaml } from "yaml";
import { runPlanPipeline } from "../agents/conductor/plan.js";
import { InvalidConfigError } from "../config/errors.js";
import { parseRepoConfig } from "../config/load.js";
import type { RepoConfig } from "../config/schema.js";
import type { IssueInput } from "../context/issue.js";
import { fetchIssueThread } from "../github/repository-snapshot.js";
import { createRestOctokit } from "../github/rest-octokit.js";
import { planSettings } from "../features/plan/plan-job.js";
import { renderPlanFailure } from "../features/plan/failure.js";
import { renderPlanComment } from "../features/plan/plan-markdown.js";
import { progressLine } from "../features/plan/progress.js";
import { createModelRuntime, loadRuntimeSettings } from "../runner/index.js";
import type { ModelRuntime } from "../runner/types.js";
import { readLocalRepository } from "./local-repository.js";
import type { CliCommand, CliIo } from "./main.js";
import { statusOf } from "../github/http-status.js";

export interface PlanCliDeps {
  env?: NodeJS.ProcessEnv;
  /** The model runtime; default: built from the environment (OLLAMA_HOST, SYMPHONY_MODEL, …). */
  runtime?: ModelRuntime;
}

const USAGE = "symphony plan <owner/repo#n | issue.md> [--repo-dir .]";
const GITHUB_ISSUE = /^([\w.-]+)\/([\w.-]+)#(\d+)$/;

export function createPlanCliCommand(deps: PlanCliDeps = {}): CliCommand {
  return {
    name: "plan",
    usage: USAGE,
    summary: "Plan an issue against a local checkout; the plan goes to stdout.",
    run: (args, io) => runPlan(args, io, deps),
  };
}

async function runPlan(args: string[], io: CliIo, deps: PlanCliDeps): Promise<number> {
  const parsed = parseArgs(args);
  if (typeof parsed === "string") {
    io.err(`symphony plan: ${parsed}\n\nUsage: ${USAGE}\n`);
    return 2;
  }
  const env = deps.env ?? process.env;
  let config: RepoConfig;
  let runtime: ModelRuntime;
  try {
    config = await readLocalConfig(parsed.repoDir);
    runtime = deps.runtime ?? createModelRuntime(loadRuntimeSettings(env));
  } catch (error) {
    io.err(`symphony plan: ${messageOf(error)}\n`);
    return 2;
  }
  let issue: IssueInput;
  let repository: Awaited<ReturnType<typeof readLocalRepository>>;
  try {
    [issue, repository] = await Promise.all([
      readIssue(parsed.target, env),
      readLocalRepository(parsed.repoDir),
    ]);
  } catch (error) {
    io.err(`symphony plan: ${messageOf(error)}\n`);
    return 1;
  }
  try {
    const record = await runPlanPipeline(
      {
        issue,
        tree: repository.tree,
        readme: repository.readme,
        defaultBranch: repository.defaultBranch,
        ...planSettings(config),
      },
      {
        runtime,
        readFile: repository.readFile,
        onProgress: (progress) => io.err(`${progressLine(progress)}\n`),
      },
    );
    io.out(`${renderPlanComment(record)}\n`);
    return 0;
  } catch (error) {
    io.err(`${renderPlanFailure(error)}\n`);
    return 1;
  }
}

interface PlanArgs {
  target: string;
  repoDir: string;
}

function parseArgs(args: readonly string[]): PlanArgs | string {
  let target: string | undefined;
  let repoDir = ".";
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--repo-dir") {
      const value = args[++i];
      if (value === undefined) return "--repo-dir needs a folder";
      repoDir = value;
    } else if (arg.startsWith("--repo-dir=")) {
      repoDir = arg.slice("--repo-dir=".length);
    } else if (arg.startsWith("-")) {
      return `unknown option ${arg}`;
    } else if (target === undefined) {
      target = arg;
    } else {
      return `one issue at a time (got ${target} and ${arg})`;
    }
  }
  if (target === undefined) return "which issue? Give owner/repo#number or a Markdown file";
  return { target, repoDir };
}

/** `.github/symphony.yml` of the checkout, or the defaults when there is none. */
async function readLocalConfig(repoDir: string): Promise<RepoConfig> {
  let text: string;
  try {
    text = await readFile(join(repoDir, ".github", "symphony.yml"), "utf8");
  } catch {
    return parseRepoConfig(undefined);
  }
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (error) {
    throw InvalidConfigError.unreadable(messageOf(error).split("\n")[0] ?? "");
  }
  return parseRepoConfig(raw);
}

async function readIssue(target: string, env: NodeJS.ProcessEnv): Promise<IssueInput> {
  const match = GITHUB_ISSUE.exec(target);
  if (match !== null) {
    const [, owner = "", repo = "", number = ""] = match;
    const client = createRestOctokit({
      ...(env.GITHUB_TOKEN ? { token: env.GITHUB_TOKEN } : {}),
      ...(env.GITHUB_API_URL ? { baseUrl: env.GITHUB_API_URL } : {}),
    });
    try {
      const thread = await fetchIssueThread(client, { owner, repo, issue_number: Number(number) });
      return { ...thread, body: thread.body };
    } catch (error) {
      const status = statusOf(error);
      const hint =
        status === 404 || status === 401 || status === 403
          ? " (a private repository needs GITHUB_TOKEN with read access to issues)"
          : "";
      throw new Error(`could not read ${target} from GitHub: ${messageOf(error)}${hint}`);
    }
  }
  return readIssueFile(target);
}

/** A Markdown file as an issue: its first `# heading` is the title, the rest the body. */
async function readIssueFile(path: string): Promise<IssueInput> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    throw new Error(`${path} is neither owner/repo#number nor a readable file`);
  }
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  const headingAt = lines.findIndex((line) => /^#\s+\S/.test(line));
  const name = basename(path).replace(/\.(md|markdown|txt)$/i, "");
  const title = headingAt >= 0 ? lines[headingAt]!.replace(/^#\s+/, "").trim() : name;
  const body = (headingAt >= 0 ? lines.filter((_, i) => i !== headingAt) : lines).join("\n").trim();
  // "issue-12.md" plans issue 12 (its branch name says so); any other name plans issue 1.
  const number = Number(/(\d+)/.exec(name)?.[1] ?? "1") || 1;
  return { number, title, body, labels: [], comments: [] };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

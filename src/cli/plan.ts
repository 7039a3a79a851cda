// `symphony plan <owner/repo#n | issue.md> [--repo-dir .]`: the planning pipeline from a terminal,
// against a local checkout; the plan's Markdown on stdout, progress and failures on stderr.
import { readFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { pino, type Logger } from "pino";
import { parse as parseYaml } from "yaml";
import { runPlanPipeline } from "../agents/conductor/plan.js";
import { CONFIG_PATH, describeProblem, InvalidConfigError } from "../config/errors.js";
import { describeRefusedModel, refusedModels } from "../config/refused-models.js";
import { parseRepoConfig } from "../config/load.js";
import type { RepoConfig } from "../config/schema.js";
import type { IssueInput } from "../context/issue.js";
import { fetchIssueThread } from "../github/repository-snapshot.js";
import { createRestOctokit } from "../github/rest-octokit.js";
import { planSettings } from "../features/plan/plan-job.js";
import { renderPlanComment } from "../features/plan/plan-markdown.js";
import { progressLine } from "../features/plan/progress.js";
import { createModelRuntime, loadRuntimeSettings } from "../runner/index.js";
import { RuntimeSettingsError } from "../runner/errors.js";
import type { ModelRuntime } from "../runner/types.js";
import { readLocalRepository } from "./local-repository.js";
import type { CliCommand, CliIo } from "./main.js";
import { statusOf } from "../github/http-status.js";
import { renderTerminalPlanFailure } from "./plan-failure.js";
import { CliUsageError } from "./usage-error.js";

/** The model runtime as the CLI uses it: what agents call, and the models the operator allows. */
type CliRuntime = ModelRuntime & { allowedModels?(): readonly string[] };

export interface PlanCliDeps {
  env?: NodeJS.ProcessEnv;
  /** The model runtime; default: built from the environment (OLLAMA_HOST, SYMPHONY_MODEL, …). */
  runtime?: CliRuntime;
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
  const env = deps.env ?? process.env;
  // Silent unless LOG_LEVEL asks: the runtime's logs (retries, fallbacks) go to stderr as JSON.
  const log = pino({ level: env["LOG_LEVEL"] ?? "silent" }, pino.destination(2));
  let prepared: PreparedPlan;
  let issue: IssueInput;
  try {
    prepared = await prepare(args, env, deps, log);
    issue = await readIssue(prepared.target, env);
  } catch (error) {
    io.err(`symphony plan: ${messageOf(error)}\n`);
    // A mistake in the call exits 2; GitHub not answering for owner/repo#n is a failure, 1.
    return error instanceof CliUsageError ? 2 : 1;
  }
  return plan(issue, prepared, io, log);
}

interface PreparedPlan {
  target: string;
  config: RepoConfig;
  runtime: CliRuntime;
  repository: Awaited<ReturnType<typeof readLocalRepository>>;
}

/** Arguments, settings, environment and checkout; every mistake is a CliUsageError (exit 2). */
async function prepare(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  deps: PlanCliDeps,
  log: Logger,
): Promise<PreparedPlan> {
  const parsed = parseArgs(args);
  if (typeof parsed === "string") throw new CliUsageError(`${parsed}\n\nUsage: ${USAGE}`);
  // The checkout first: a --repo-dir that is no folder must not read as "no settings file".
  const repository = await readLocalRepository(parsed.repoDir);
  const config = await readLocalConfig(parsed.repoDir);
  let runtime: CliRuntime;
  try {
    runtime = deps.runtime ?? createModelRuntime(loadRuntimeSettings(env), { logger: log });
  } catch (error) {
    if (error instanceof RuntimeSettingsError) throw new CliUsageError(error.message);
    throw error;
  }
  return { target: parsed.target, config, runtime, repository };
}

async function plan(
  issue: IssueInput,
  { config, runtime, repository }: PreparedPlan,
  io: CliIo,
  log: Logger,
): Promise<number> {
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
    const refused = refusedModels(config.models, runtime.allowedModels?.() ?? [], record.usage);
    for (const each of refused) io.err(`symphony plan: ${describeRefusedModel(each)}\n`);
    const warnings = refused.map((each) => describeRefusedModel(each));
    io.out(`${renderPlanComment(record, { warnings })}\n`);
    return 0;
  } catch (error) {
    log.debug({ err: error }, "planning failed");
    io.err(`${renderTerminalPlanFailure(error)}\n`);
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
  const path = join(repoDir, CONFIG_PATH);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    return parseRepoConfig(undefined);
  }
  try {
    let raw: unknown;
    try {
      raw = parseYaml(text);
    } catch (error) {
      throw InvalidConfigError.unreadable(messageOf(error).split("\n")[0] ?? "");
    }
    return parseRepoConfig(raw);
  } catch (error) {
    if (!(error instanceof InvalidConfigError)) throw error;
    // The file is on disk: no default branch to fix it on, no command to comment again.
    const problems = error.problems.map(describeProblem).join("; ");
    throw new CliUsageError(
      `${path} is invalid: ${problems}. Fix the file (schema: docs/schema.json) and run symphony plan again.`,
    );
  }
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
    throw new CliUsageError(
      `${path} is neither owner/repo#number nor a readable file; give an issue as owner/repo#12 or a Markdown file`,
    );
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

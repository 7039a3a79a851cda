// A plan's tasks become commits on `symphony/issue-<n>` and a draft pull request: the Editor edits
// each task's files, code applies and checks the edits, and the Git Data API writes the commits.
import type { Task } from "../../agents/coordinator/schema.js";
import { ModelAbortedError, ModelRuntimeError } from "../../runner/errors.js";
import type { UsageRecord } from "../../runner/types.js";
import {
  branchHead,
  createCommit,
  defaultBranchOf,
  listTree,
  moveBranch,
  type BranchCommit,
  type BranchHead,
} from "../../github/git-data.js";
import { findMarkedComment } from "../../github/marked-comment.js";
import {
  findOpenPullRequest,
  openDraftPullRequest,
  updatePullRequestBody,
} from "../../github/pull-request-write.js";
import { claimBranch } from "./branch.js";
import type { ChosenArm } from "../../agents/conductor/evidence.js";
import { designText } from "./design-text.js";
import { chooseImplementArm } from "./implement-arm.js";
import { editTask, taskFiles, type EditedFile } from "./edit-task.js";
import { linkPlanToPullRequest } from "./plan-link.js";
import { PullRequestBudget } from "./pull-request-budget.js";
import {
  pullRequestTitle,
  readFollowUpCommits,
  readHumanLook,
  renderPullRequestBody,
} from "./pull-request-body.js";
import type { ImplementInput, ImplementResult, TaskOutcome } from "./types.js";
import { WorkingTree } from "./working-tree.js";

export type { ImplementInput, ImplementResult, TaskOutcome } from "./types.js";

/** A plan with nothing to implement: a question, or no tasks. */
export class NothingToImplementError extends Error {
  override name = "NothingToImplementError";
}

/** The first line of a task's commit: `<task_id>: <title>`, as the plan's git strategy says. */
export function commitTitle(task: Pick<Task, "task_id" | "title">): string {
  return `${task.task_id}: ${task.title.replace(/\s+/g, " ").trim()}`;
}

export async function implementPlan(asked: ImplementInput): Promise<ImplementResult> {
  const { client, repo, record, services, log } = asked;
  const tasks = record.tasks ?? [];
  if (tasks.length === 0) {
    throw new NothingToImplementError(
      `the plan of #${asked.issueNumber} has no tasks to implement (it was answered as a question, or the Coordinator gave none)`,
    );
  }
  const botLogin = await services.botLogin();
  // The Editor's model: learned where models.conductor lists arms, named in the pull request.
  const chosen = await chooseImplementArm({
    client,
    repo,
    config: asked.config,
    runtime: services.runtime,
    botLogin,
  });
  const input: ImplementInput = chosen?.learned
    ? {
        ...asked,
        config: {
          ...asked.config,
          models: { ...asked.config.models, editor: chosen.arm.model },
        },
      }
    : asked;
  const config = input.config;
  const defaultBranch = await defaultBranchOf(client, repo);
  const defaultHead = await branchHead(client, repo, defaultBranch);
  if (defaultHead === undefined) {
    throw new Error(`the default branch ${defaultBranch} has no commits to build on`);
  }
  const branch = await claimBranch(client, repo, {
    base: input.branchName ?? `symphony/issue-${input.issueNumber}`,
    defaultBranch,
    defaultHead,
    botLogin,
  });
  const tree = await listTree(client, repo, branch.head.treeSha);
  if (tree.truncated) log.warn({ branch: branch.name }, "GitHub truncated the tree listing");

  const run = new TaskRun(input, {
    tree: new WorkingTree(client, repo, tree.entries, config.implement.max_file_bytes),
    budget: new PullRequestBudget(config.implement, branch.files),
    head: branch.head,
    exists: branch.exists,
    branch: branch.name,
    earlier: branch.commits,
  });
  const outcomes = await run.all(tasks);
  services.limits.recordTokens(
    `${repo.owner}/${repo.repo}`,
    run.usage.reduce((sum, u) => sum + u.promptTokens + u.outputTokens, 0),
  );

  const pullRequest = run.exists
    ? await publish(input, {
        branch: branch.name,
        defaultBranch,
        outcomes,
        usage: run.usage,
        botLogin,
        ...(chosen ? { arm: chosen.arm } : {}),
      })
    : undefined;
  log.info(
    {
      branch: branch.name,
      pullRequest: pullRequest?.number,
      tasks: outcomes.map((t) => `${t.task_id}:${t.status}`),
    },
    "implementation finished",
  );
  return {
    branch: branch.name,
    headSha: run.exists ? run.head.sha : undefined,
    pullRequest,
    tasks: outcomes,
    usage: run.usage,
  };
}

interface RunState {
  tree: WorkingTree;
  budget: PullRequestBudget;
  head: BranchHead;
  exists: boolean;
  branch: string;
  /** Symphony's commits already on the branch, from earlier runs. */
  earlier: BranchCommit[];
}

/** The task loop: each task once, in the plan's order, with its outcome. */
class TaskRun {
  readonly usage: UsageRecord[] = [];
  readonly #input: ImplementInput;
  readonly #state: RunState;
  readonly #design: string;
  /** Why tasks that others depend on did not happen, by task id. */
  readonly #blocked = new Map<string, string>();
  #stopped: string | undefined;

  constructor(input: ImplementInput, state: RunState) {
    this.#input = input;
    this.#state = state;
    this.#design = designText(input.record);
  }

  get exists(): boolean {
    return this.#state.exists;
  }

  get head(): BranchHead {
    return this.#state.head;
  }

  async all(tasks: readonly Task[]): Promise<TaskOutcome[]> {
    const outcomes: TaskOutcome[] = [];
    for (const [index, task] of tasks.entries()) {
      const outcome = await this.#one(task, `Task ${index + 1}/${tasks.length}`);
      if (
        outcome.status === "failed" ||
        (outcome.status === "skipped" && task.assigned_agent !== "human")
      ) {
        this.#blocked.set(
          task.task_id,
          outcome.status === "failed" ? "failed" : "was not attempted",
        );
      }
      outcomes.push(outcome);
    }
    return outcomes;
  }

  async #one(task: Task, step: string): Promise<TaskOutcome> {
    const base = { task_id: task.task_id, title: task.title };
    const earlier = this.#state.earlier.findLast(
      (commit) => commit.message.split("\n")[0]?.trim() === commitTitle(task),
    );
    if (earlier !== undefined) return { ...base, status: "already_done", commitSha: earlier.sha };
    if (this.#stopped !== undefined) return { ...base, status: "skipped", reason: this.#stopped };
    if (task.assigned_agent === "human") {
      return { ...base, status: "skipped", reason: "the plan assigns it to a person" };
    }
    const blocker = task.dependencies.find((id) => this.#blocked.has(id));
    if (blocker !== undefined) {
      const why = this.#blocked.get(blocker) ?? "failed";
      return { ...base, status: "skipped", reason: `it depends on ${blocker}, which ${why}` };
    }
    const paths = taskFiles(task);
    if (paths.length === 0) {
      return {
        ...base,
        status: "failed",
        reason: "the task names no files to create or modify",
        files: [],
      };
    }
    return this.#edit(task, paths, step);
  }

  async #edit(task: Task, paths: string[], step: string): Promise<TaskOutcome> {
    const base = { task_id: task.task_id, title: task.title };
    const { config, services, signal, record } = this.#input;
    let edit;
    try {
      edit = await editTask(
        {
          runtime: services.runtime,
          tree: this.#state.tree,
          config,
          design: this.#design,
          pseudocode: record.visual?.pseudocode ?? "",
          signal,
          onFile: (path) =>
            this.#input.onProgress?.(`${step} ${commitTitle(task)}: editing ${path}`),
        },
        task,
        paths,
      );
    } catch (error) {
      // A model that is down stops the run, but what was committed still gets its pull request.
      if (!(error instanceof ModelRuntimeError) || error instanceof ModelAbortedError) throw error;
      this.#stopped = `the model stopped answering (${error.message})`;
      return { ...base, status: "failed", reason: this.#stopped, files: [] };
    }
    this.usage.push(...edit.usage);
    if (!edit.ok) {
      const first = edit.failures[0];
      const reason =
        first?.refusal === undefined
          ? "the Editor's edit could not be applied"
          : "a safety limit refused it";
      return { ...base, status: "failed", reason, files: edit.failures };
    }
    const refusal = this.#state.budget.admit(
      edit.files.map((f) => ({ path: f.path, before: f.before, after: f.content })),
    );
    if (refusal !== undefined) {
      return {
        ...base,
        status: "failed",
        reason: "a safety limit refused it",
        files: [
          {
            path: edit.files.map((f) => f.path).join(", "),
            reason: refusal.message,
            refusal: refusal.reason,
          },
        ],
      };
    }
    const sha = await this.#commit(task, edit.files);
    return { ...base, status: "committed", commitSha: sha, files: edit.files.map((f) => f.path) };
  }

  async #commit(task: Task, files: EditedFile[]): Promise<string> {
    const { client, repo, issueNumber } = this.#input;
    const writes = files.map(({ path, content, mode }) => ({
      path,
      content,
      ...(mode ? { mode } : {}),
    }));
    const head = await createCommit(client, repo, {
      parent: this.#state.head,
      message: `${commitTitle(task)}\n\n${task.description.trim()}\n\nSymphony task ${task.task_id} of the plan for issue #${issueNumber}.`,
      files: writes,
    });
    await moveBranch(client, repo, {
      branch: this.#state.branch,
      sha: head.sha,
      create: !this.#state.exists,
    });
    this.#state.exists = true;
    this.#state.head = head;
    this.#state.tree.wrote(writes);
    return head.sha;
  }
}

async function publish(
  input: ImplementInput,
  run: {
    branch: string;
    defaultBranch: string;
    outcomes: TaskOutcome[];
    usage: UsageRecord[];
    botLogin: string;
    arm?: ChosenArm;
  },
): Promise<{ number: number; url: string; created: boolean }> {
  const { client, repo, issueNumber, record, log } = input;
  const planComment = await findMarkedComment(
    client,
    { ...repo, issue_number: issueNumber },
    { kind: "plan", key: String(issueNumber) },
    run.botLogin,
  );
  const open = await findOpenPullRequest(client, repo, run.branch);
  const body = renderPullRequestBody({
    issueNumber,
    tasks: run.outcomes,
    usage: run.usage,
    record,
    ...(planComment === undefined ? {} : { planUrl: planComment.html_url }),
    // What was done on review, and earlier runs' build files, stay listed when the body is rewritten.
    followUps: readFollowUpCommits(open?.body),
    humanLook: readHumanLook(open?.body),
    ...(run.arm ? { arm: run.arm } : {}),
  });
  let pullRequest: { number: number; url: string; created: boolean };
  if (open !== undefined) {
    await updatePullRequestBody(client, repo, open.number, body);
    pullRequest = { number: open.number, url: open.url, created: false };
  } else {
    const opened = await openDraftPullRequest(client, repo, {
      title: pullRequestTitle(record),
      head: run.branch,
      base: run.defaultBranch,
      body,
    });
    pullRequest = { ...opened, created: true };
  }
  if (planComment !== undefined) {
    await linkPlanToPullRequest(client, repo, planComment, pullRequest).catch((error: unknown) => {
      log.warn({ err: error }, "could not link the plan comment to the pull request");
    });
  }
  return pullRequest;
}

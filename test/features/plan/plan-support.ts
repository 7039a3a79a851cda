// Shared set-up of the plan feature's tests: GitHub's answers for an issue and its repository,
// a scripted Ollama server that answers each planning agent, and the app wired to both.
import type nock from "nock";
import { ManualClock } from "../../../src/lib/clock.js";
import { WorkQueue } from "../../../src/app/queue.js";
import { registerCommentCommands } from "../../../src/app/comment-commands.js";
import { helpCommand } from "../../../src/app/help.js";
import { planCommands, registerPlanListeners } from "../../../src/features/plan/plan.js";
import {
  createModelRuntime,
  loadRuntimeSettings,
  type SymphonyRuntime,
} from "../../../src/runner/index.js";
import type { ModelRuntime } from "../../../src/runner/types.js";
import { afterEach } from "vitest";
import { EXAMPLE_REPO, issueComment, useGitHubMock } from "../../support/github.js";
import type { ModelServer } from "../../support/model-server.js";
import { FIXTURE_FILES, fixtureReplyFor, MODEL } from "./plan-fixtures.js";

export { agentOf, FIXTURE_FILES, fixtureReplyFor, MODEL } from "./plan-fixtures.js";
import type { createTestProbot } from "../../support/probot.js";
import { givenApp } from "../../support/given.js";

const REPO_PATH = `/repos/${EXAMPLE_REPO.owner}/${EXAMPLE_REPO.repo}`;
export const HEAD_SHA = "c0ffee0000000000000000000000000000000001";
export const TREE_SHA = "7ree000000000000000000000000000000000001";

export interface TreeEntry {
  path: string;
  type: "blob" | "tree";
}

export function blobs(paths: readonly string[]): TreeEntry[] {
  const folders = new Set<string>();
  for (const path of paths) {
    const parts = path.split("/");
    for (let i = 1; i < parts.length; i++) folders.add(parts.slice(0, i).join("/"));
  }
  return [
    ...[...folders].map((path) => ({ path, type: "tree" as const })),
    ...paths.map((path) => ({ path, type: "blob" as const })),
  ];
}

export interface SourcesOptions {
  issueNumber?: number;
  title?: string;
  body?: string;
  entries?: TreeEntry[];
  truncated?: boolean;
  readme?: string | undefined;
  /** Files the plan may read before the Planner designs; any other read is answered Not Found. */
  files?: Record<string, string>;
}

/**
 * What GitHub answers while Symphony reads the issue, its thread, the tree and the README, and
 * the files the issue points at (read or not: which ones depends on the issue's words).
 */
export function mockPlanSources(scope: nock.Scope, options: SourcesOptions = {}): nock.Scope {
  const number = options.issueNumber ?? 1;
  const entries = options.entries ?? blobs(FIXTURE_FILES);
  scope
    .get(`${REPO_PATH}/issues/${number}`)
    .reply(200, {
      id: 9000 + number,
      number,
      title: options.title ?? "Greet first-time contributors",
      body:
        options.body ??
        "When someone opens their first issue, the bot should post a friendly welcome comment.",
      labels: [{ name: "symphony" }],
      state: "open",
      user: { login: "Codertocat", type: "User" },
    })
    .get(`${REPO_PATH}/issues/${number}/comments`)
    .query(true)
    .reply(200, [
      issueComment({ id: 5, body: "Please keep the message configurable.", login: "octocat" }),
    ])
    .get(REPO_PATH)
    .reply(200, { default_branch: "main" })
    .get(`${REPO_PATH}/branches/main`)
    .reply(200, { name: "main", commit: { sha: HEAD_SHA, commit: { tree: { sha: TREE_SHA } } } })
    .get(`${REPO_PATH}/git/trees/${TREE_SHA}`)
    .query({ recursive: "true" })
    .reply(200, {
      sha: TREE_SHA,
      truncated: options.truncated ?? false,
      tree: entries.map((entry) => ({
        path: entry.path,
        type: entry.type,
        mode: entry.type === "tree" ? "040000" : "100644",
        sha: "0000000000000000000000000000000000000000",
        ...(entry.type === "blob" ? { size: 1200 } : {}),
      })),
    });
  const readme = "readme" in options ? options.readme : "# Greeter\nA Probot app that greets.";
  const readmeScope = scope.get(`${REPO_PATH}/readme`).query({ ref: HEAD_SHA });
  if (readme === undefined) readmeScope.reply(404, { message: "Not Found" });
  else {
    readmeScope.reply(200, {
      type: "file",
      encoding: "base64",
      content: Buffer.from(readme).toString("base64"),
      path: "README.md",
      size: readme.length,
    });
  }
  for (const [path, text] of Object.entries(options.files ?? {})) {
    scope
      .get(`${REPO_PATH}/contents/${encodeURIComponent(path)}`)
      .query({ ref: HEAD_SHA })
      .optionally()
      .reply(200, {
        type: "file",
        encoding: "base64",
        content: Buffer.from(text).toString("base64"),
        path,
        size: text.length,
      });
  }
  scope
    // Not the settings file: a later run's mocked settings read must still be the one answered.
    .get(new RegExp(`^${REPO_PATH}/contents/(?!\\.github%2Fsymphony\\.yml)`))
    .query(true)
    .optionally()
    .times(20)
    .reply(404, { message: "Not Found" });
  return scope;
}

/** Answers every planning agent with its fixture reply. */
export function answerEveryAgent(server: ModelServer): void {
  server.respond((request) => {
    const reply = fixtureReplyFor(request);
    return reply === undefined ? undefined : { json: reply };
  });
}

/** The real runtime against a host (the scripted server), retrying without waiting. */
export function realRuntime(host: string, env: Record<string, string> = {}): SymphonyRuntime {
  return createModelRuntime(
    loadRuntimeSettings({ OLLAMA_HOST: host, SYMPHONY_MODEL: MODEL, ...env }),
    { backoff: () => 0 },
  );
}

export interface PlanApp {
  probot: Awaited<ReturnType<typeof createTestProbot>>;
  queue: WorkQueue;
  clock: ManualClock;
}

/**
 * The app with the plan feature's commands and listeners only (other features' listeners read the
 * config too, which is theirs to test), a clock that moves only when told (no throttled edits in
 * between), and its queue.
 */
export async function planApp(
  models: ModelRuntime,
  operator: { allowedModels?: readonly string[] } = {},
): Promise<PlanApp> {
  const clock = new ManualClock(Date.parse("2026-01-01T00:00:00Z"));
  const { probot, queue } = await givenApp({
    models,
    ...operator,
    queue: new WorkQueue({ onError: () => undefined, clock }),
    clock,
    commands: [...planCommands, helpCommand],
    listeners: [registerCommentCommands, registerPlanListeners],
  });
  return { probot, queue, clock };
}

/** A body-capturing matcher for nock: `scope.post(path, capture(list))`. */
export function capture(into: { body: string }[]): (body: { body: string }) => boolean {
  return (body) => {
    into.push(body);
    return true;
  };
}

export { REPO_PATH };

/**
 * useGitHubMock, except that requests to the scripted model server on 127.0.0.1 (which nock lets
 * through, but still reports as unmatched) do not count as unanswered GitHub calls.
 */
export function useGitHubMockWithModelServer(): { unmatched: string[] } {
  const state = useGitHubMock();
  // Runs before useGitHubMock's own afterEach: vitest runs after-hooks in reverse order.
  afterEach(() => {
    state.unmatched = state.unmatched.filter((request) => !request.includes("//127.0.0.1:"));
  });
  return state;
}

// GitHub's answers while Symphony refreshes the rolling refactor issue: the issue search, the
// default branch, the window's commits and the files at the head; and the app wired to them.
import { readFileSync } from "node:fs";
import type nock from "nock";
import { ManualClock } from "../../../src/lib/clock.js";
import { createAppMemory } from "../../../src/app/app-memory.js";
import { listeners } from "../../../src/features/index.js";
import { CommandRegistry, type SymphonyCommand } from "../../../src/app/commands.js";
import type { AppServices } from "../../../src/app/services.js";
import { NoUsageLimits } from "../../../src/app/usage-limits.js";
import { WorkQueue } from "../../../src/app/queue.js";
import type { ModelRuntime } from "../../../src/runner/types.js";
import { EXAMPLE_REPO } from "../../support/github.js";
import { MockModelRuntime } from "../../support/mock-runtime.js";
import { createFakeRuntime, createTestProbot, TEST_BOT_LOGIN } from "../../support/probot.js";
import { givenApp } from "../../support/given.js";

export const REPO_PATH = `/repos/${EXAMPLE_REPO.owner}/${EXAMPLE_REPO.repo}`;
export const HEAD = "head000000000000000000000000000000000001";
export const NOW = Date.parse("2026-03-10T00:00:00.000Z");
export const ISSUE_URL = "https://github.com/Codertocat/Hello-World/issues/9";

/** A TypeScript file whose worst function is `settle` (cognitive 8). */
export const PARSER_SOURCE = readFileSync(
  new URL("./fixtures/sources/sonar-examples.ts.txt", import.meta.url),
  "utf8",
);

/** The Planner's reply for src/parser.ts: one suggestion about `settle`. */
export const PLANNER_REPLY = {
  suggestions: [
    {
      target: "settle",
      smell: "deep-nesting",
      title: "Move the failure policy out of the loop",
      why: "Changed 3 times in the window; settle has cognitive complexity 8, the file's worst.",
      refactor: "Extract `recordFailure(error, strict)`; the loop then only awaits and delegates.",
      before:
        "for (const job of jobs) {\n  try { await job(); } catch (error) { if (strict) … }\n}",
      after: "for (const job of jobs) await job().catch((e) => recordFailure(e, strict));",
    },
  ],
};

export function createRefactorApp<M extends ModelRuntime = MockModelRuntime>(
  options: { models?: M; commands?: readonly SymphonyCommand[] } = {},
) {
  const models = options.models ?? (new MockModelRuntime() as ModelRuntime as M);
  const clock = new ManualClock(NOW);
  const queue = new WorkQueue({
    onError: (error) => {
      throw error;
    },
  });
  let services: AppServices | undefined;
  const probot = givenApp({
    models,
    queue,
    clock,
    ...(options.commands ? { commands: options.commands } : {}),
    listeners: [...listeners, (_app, given) => void (services = given)],
  }).then((app) => app.probot);
  /** Resolves once the refactor timer's tick in progress (if any) is done. */
  const timerSettled = (): Promise<void> =>
    services!.memory.background.get("refactor-timer")!.settled();
  return { models, clock, queue, probot, timerSettled };
}

export interface IssueFields {
  number?: number;
  body: string;
  state?: "open" | "closed";
  closed_at?: string | null;
  login?: string;
}

/** An issue as the REST API lists it. */
export function issue(fields: IssueFields) {
  const number = fields.number ?? 9;
  const login = fields.login ?? TEST_BOT_LOGIN;
  return {
    id: 9000 + number,
    number,
    html_url: `https://github.com/Codertocat/Hello-World/issues/${number}`,
    title: "Refactor suggestions",
    state: fields.state ?? "open",
    closed_at: fields.closed_at ?? null,
    body: fields.body,
    labels: [{ name: "symphony:refactor" }],
    user: { login, type: login.endsWith("[bot]") ? "Bot" : "User" },
  };
}

/** The label search that finds the rolling issue. */
export function mockIssueSearch(scope: nock.Scope, issues: ReturnType<typeof issue>[]): nock.Scope {
  return scope
    .get(`${REPO_PATH}/issues`)
    .query({
      labels: "symphony:refactor",
      state: "all",
      sort: "created",
      direction: "asc",
      per_page: "100",
    })
    .reply(200, issues);
}

export interface HistoryFixture {
  /** Newest first: each commit's changed paths. */
  commits: string[][];
  /** Contents at the head, by path; a path absent here is answered 404. */
  files: Record<string, string>;
  /** Paths whose contents Symphony is expected to read. */
  reads: string[];
}

/** The default branch, the window's commits (since NOW - 90 days) and the files read at HEAD. */
export function mockHistory(scope: nock.Scope, fixture: HistoryFixture): nock.Scope {
  scope
    .get(REPO_PATH)
    .reply(200, { default_branch: "main", full_name: "Codertocat/Hello-World" })
    .get(`${REPO_PATH}/branches/main`)
    .reply(200, { name: "main", commit: { sha: HEAD } })
    .get(`${REPO_PATH}/commits`)
    .query({ since: "2025-12-10T00:00:00.000Z", sha: HEAD, per_page: "100" })
    .reply(
      200,
      fixture.commits.map((_, index) => ({ sha: `c${index}`, parents: [{ sha: `p${index}` }] })),
    );
  fixture.commits.forEach((paths, index) => {
    scope.get(`${REPO_PATH}/commits/c${index}`).reply(200, {
      sha: `c${index}`,
      files: paths.map((filename) => ({ filename, status: "modified" })),
    });
  });
  for (const path of fixture.reads) {
    const content = fixture.files[path];
    const request = scope
      .get(`${REPO_PATH}/contents/${encodeURIComponent(path)}`)
      .query({ ref: HEAD });
    if (content === undefined) request.reply(404, { message: "Not Found" });
    else {
      request.reply(200, {
        type: "file",
        encoding: "base64",
        size: Buffer.byteLength(content),
        name: path.split("/").at(-1),
        path,
        sha: "blob",
        content: Buffer.from(content).toString("base64"),
      });
    }
  }
  return scope;
}

/** A repository without a single commit: GitHub has no branch to show. */
export function mockEmptyRepository(scope: nock.Scope): nock.Scope {
  return scope
    .get(REPO_PATH)
    .reply(200, { default_branch: "main", full_name: "Codertocat/Hello-World" })
    .get(`${REPO_PATH}/branches/main`)
    .reply(404, { message: "Branch not found" });
}

/** The usual history: src/parser.ts changed 3 times, plus files that never rank. */
export const PARSER_HISTORY: HistoryFixture = {
  commits: [
    ["src/parser.ts", "package-lock.json"],
    ["src/parser.ts", "test/parser.test.ts"],
    ["src/parser.ts", "vendor/lib.go"],
  ],
  files: { "src/parser.ts": PARSER_SOURCE },
  reads: ["src/parser.ts"],
};

/** What handlers are given, for calling a refresh directly as the Action does. */
export async function refactorServices(models = new MockModelRuntime()): Promise<AppServices> {
  // The log appears once an app is loaded.
  const probot = await createTestProbot({ app: () => undefined });
  return {
    runtime: createFakeRuntime({ models }),
    queue: new WorkQueue({ onError: () => undefined }),
    commands: new CommandRegistry(),
    clock: new ManualClock(NOW),
    botLogin: () => Promise.resolve(TEST_BOT_LOGIN),
    log: probot.log,
    mode: "action",
    limits: new NoUsageLimits(),
    memory: createAppMemory(),
  };
}

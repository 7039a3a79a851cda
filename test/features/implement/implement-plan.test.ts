import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { systemClock } from "../../../src/lib/clock.js";
import { CommandRegistry } from "../../../src/app/commands.js";
import { WorkQueue } from "../../../src/app/queue.js";
import type { AppServices } from "../../../src/app/services.js";
import { NoUsageLimits } from "../../../src/app/usage-limits.js";
import type { Task } from "../../../src/agents/coordinator/schema.js";
import { repoConfigSchema, type RepoConfigFile } from "../../../src/config/schema.js";
import {
  implementPlan,
  type ImplementResult,
} from "../../../src/features/implement/implement-plan.js";
import {
  readFollowUpCommits,
  withFollowUpCommits,
} from "../../../src/features/implement/pull-request-body.js";
import { EXAMPLE_REPO, testClient, useGitHubMock } from "../../support/github.js";
import { MockModelRuntime, type RecordedCall } from "../../support/mock-runtime.js";
import { createFakeRuntime, TEST_BOT_LOGIN } from "../../support/probot.js";
import { editReplyText } from "../../support/edit-replies.js";
import { FakeGitHub, type FixtureFile } from "./fake-github.js";
import {
  BRANCH,
  CONFIG_TS,
  editedPath,
  FIXTURE_FILES,
  ISSUE,
  planRecord,
  task,
  wholeFileEditor,
} from "./support.js";

useGitHubMock();

function services(models: MockModelRuntime): AppServices {
  return {
    runtime: createFakeRuntime({ models }),
    queue: new WorkQueue({ onError: () => undefined }),
    commands: new CommandRegistry(),
    clock: systemClock,
    botLogin: () => Promise.resolve(TEST_BOT_LOGIN),
    log: pino({ level: "silent" }),
    mode: "app",
    limits: new NoUsageLimits(),
  };
}

async function implement(options: {
  tasks: Task[];
  editor: (call: RecordedCall) => unknown;
  files?: Record<string, string | FixtureFile>;
  config?: RepoConfigFile;
}): Promise<{ result: ImplementResult; fake: FakeGitHub; models: MockModelRuntime }> {
  const fake = new FakeGitHub({ files: options.files ?? FIXTURE_FILES });
  fake.install();
  const models = new MockModelRuntime().respond("editor", (call) =>
    editReplyText(options.editor(call)),
  );
  const result = await implementPlan({
    client: testClient(),
    repo: EXAMPLE_REPO,
    issueNumber: ISSUE,
    record: planRecord({ tasks: options.tasks }),
    config: repoConfigSchema.parse(options.config ?? {}),
    services: services(models),
    signal: new AbortController().signal,
    log: pino({ level: "silent" }),
  });
  return { result, fake, models };
}

/** Config that makes every fixture file long enough for search/replace blocks. */
const BLOCKS: RepoConfigFile = { implement: { whole_file_max_lines: 3 } };

function blocks(...pairs: [string, string][]) {
  return (call: RecordedCall) => ({
    path: editedPath(call),
    blocks: pairs.map(([search, replace]) => ({ search, replace })),
  });
}

describe("search/replace edits", () => {
  it("applies a block whose indentation drifted, keeping the file's own lines", async () => {
    const { result, fake } = await implement({
      tasks: [task({ files: ["src/config.ts"] })],
      config: BLOCKS,
      editor: blocks(["greeting: string;\n", "greeting: string;\nwelcome_message: string;\n"]),
    });

    expect(result.tasks[0]?.status).toBe("committed");
    expect(fake.filesAt(BRANCH)["src/config.ts"]).toBe(
      CONFIG_TS.replace(
        "  greeting: string;\n",
        "  greeting: string;\n  welcome_message: string;\n",
      ),
    );
  });

  it("sends a block that matches nowhere back with the closest lines, then fails the task without writing", async () => {
    const { result, fake, models } = await implement({
      tasks: [task({ files: ["src/config.ts"] })],
      config: BLOCKS,
      editor: blocks(['  greeting: "Hi",\n', '  greeting: "Hey",\n']),
    });

    const calls = models.callsFor("editor");
    expect(calls).toHaveLength(2);
    expect(calls[1]!.messages.at(-1)!.content).toContain("Did you mean");
    expect(result.tasks[0]).toMatchObject({ status: "failed", files: [{ path: "src/config.ts" }] });
    expect(result.pullRequest).toBeUndefined();
    expect(fake.sent.blobs).toEqual([]);
    expect(fake.refs.has(BRANCH)).toBe(false);
  });

  it("never writes a block that matches twice", async () => {
    const { result, fake, models } = await implement({
      tasks: [task({ files: ["src/config.ts"] })],
      config: BLOCKS,
      editor: blocks(["greeting", "salutation"]),
    });

    expect(models.callsFor("editor")[1]!.messages.at(-1)!.content).toContain("It matches at");
    expect(result.tasks[0]?.status).toBe("failed");
    expect(fake.sent.commits).toEqual([]);
  });
});

describe("safety limits", () => {
  const addLine = (call: RecordedCall) => ({
    path: editedPath(call),
    content: `${FIXTURE_FILES["src/config.ts"]}// more\n`,
  });

  it("refuses a path outside the repository before any model call", async () => {
    const { result, models, fake } = await implement({
      tasks: [task({ create: ["../outside.ts"] })],
      editor: addLine,
    });
    expect(models.calls).toHaveLength(0);
    expect(result.tasks[0]).toMatchObject({
      status: "failed",
      files: [{ path: "../outside.ts", refusal: "path_outside_repository" }],
    });
    expect(fake.sent.blobs).toEqual([]);
  });

  it("refuses a path through a symbolic link", async () => {
    const { result, models } = await implement({
      tasks: [task({ create: ["docs/guide.md"] })],
      files: { ...FIXTURE_FILES, docs: { content: "/etc", mode: "120000" } },
      editor: addLine,
    });
    expect(models.calls).toHaveLength(0);
    expect(result.tasks[0]).toMatchObject({ files: [{ refusal: "path_through_symlink" }] });
  });

  it("refuses workflows unless implement.allow_workflows is set", async () => {
    const files = { ...FIXTURE_FILES, ".github/workflows/ci.yml": "on: push\njobs: {}\n" };
    const editor = (call: RecordedCall) => ({
      path: editedPath(call),
      content: "on: [push, pull_request]\njobs: {}\n",
    });
    const refused = await implement({
      tasks: [task({ files: [".github/workflows/ci.yml"] })],
      files,
      editor,
    });
    expect(refused.models.calls).toHaveLength(0);
    expect(refused.result.tasks[0]).toMatchObject({ files: [{ refusal: "workflow_file" }] });

    const allowed = await implement({
      tasks: [task({ files: [".github/workflows/ci.yml"] })],
      files,
      editor,
      config: { implement: { allow_workflows: true } },
    });
    expect(allowed.result.tasks[0]?.status).toBe("committed");
  });

  it("refuses a file over implement.max_file_bytes without reading it", async () => {
    const { result, models, fake } = await implement({
      tasks: [task({ files: ["src/config.ts"] })],
      config: { implement: { max_file_bytes: 20 } },
      editor: addLine,
    });
    expect(models.calls).toHaveLength(0);
    expect(result.tasks[0]).toMatchObject({ files: [{ refusal: "file_too_large" }] });
    expect(fake.sent.blobs).toEqual([]);
  });

  it("refuses binary files", async () => {
    const { result, models } = await implement({
      tasks: [task({ files: ["logo.png"] })],
      files: { ...FIXTURE_FILES, "logo.png": "\u0089PNG\r\n\u001a\n\u0000\u0000\u0000\rIHDR" },
      editor: addLine,
    });
    expect(models.calls).toHaveLength(0);
    expect(result.tasks[0]).toMatchObject({ files: [{ refusal: "binary_content" }] });
  });

  it("refuses to commit a secret the model wrote", async () => {
    const token = `ghp_${"a1B2c3D4e5".repeat(4)}`;
    const { result, fake } = await implement({
      tasks: [task({ files: ["src/config.ts"] })],
      editor: (call) => ({
        path: editedPath(call),
        content: `${FIXTURE_FILES["src/config.ts"]}export const token = "${token}";\n`,
      }),
    });
    expect(result.tasks[0]).toMatchObject({ files: [{ refusal: "secret_in_output" }] });
    expect(fake.sent.blobs.some((blob) => blob.content.includes(token))).toBe(false);
  });

  it("refuses the task that would take the pull request over implement.max_files", async () => {
    const { result, fake } = await implement({
      tasks: [
        task({ task_id: "T1", files: ["src/config.ts"] }),
        task({ task_id: "T2", title: "Two new files", create: ["src/a.ts", "src/b.ts"] }),
      ],
      config: { implement: { max_files: 2 } },
      editor: (call) => ({
        path: editedPath(call),
        content: `${FIXTURE_FILES["src/config.ts"]}// ${editedPath(call)}\n`,
      }),
    });
    expect(result.tasks.map((t) => t.status)).toEqual(["committed", "failed"]);
    expect(result.tasks[1]).toMatchObject({ files: [{ refusal: "too_many_files" }] });
    expect(Object.keys(fake.filesAt(BRANCH))).not.toContain("src/a.ts");
  });

  it("refuses the task that would take the pull request over implement.max_changed_lines", async () => {
    const { result, fake } = await implement({
      tasks: [task({ files: ["src/config.ts"] })],
      config: { implement: { max_changed_lines: 1 } },
      editor: (call) => ({
        path: editedPath(call),
        content: `${FIXTURE_FILES["src/config.ts"]}// one\n// two\n`,
      }),
    });
    expect(result.tasks[0]).toMatchObject({ files: [{ refusal: "too_many_changed_lines" }] });
    expect(fake.sent.commits).toEqual([]);
  });
});

describe("task order", () => {
  it("does not attempt a task whose dependency failed, nor one assigned to a person", async () => {
    const { result, models } = await implement({
      tasks: [
        task({ task_id: "T1", create: ["../x.ts"] }),
        task({ task_id: "T2", files: ["src/config.ts"], dependencies: ["T1"] }),
        task({ task_id: "T3", files: ["README.md"], assigned_agent: "human" }),
      ],
      editor: wholeFileEditor({}),
    });
    expect(models.calls).toHaveLength(0);
    expect(result.tasks).toMatchObject([
      { status: "failed" },
      { status: "skipped", reason: "it depends on T1, which failed" },
      { status: "skipped", reason: "the plan assigns it to a person" },
    ]);
  });

  it("keeps the follow-up commits listed when a later run rewrites the pull request's body", async () => {
    const fake = new FakeGitHub({ files: FIXTURE_FILES });
    fake.addBranch(
      BRANCH,
      { "src/config.ts": `${CONFIG_TS}// x\n` },
      TEST_BOT_LOGIN,
      "T1: Change the files",
    );
    const followUps = [
      { sha: "f0110f", comment: 501, path: "src/config.ts", line: 7, request: "Rename it." },
    ];
    const number = fake.addPull(
      BRANCH,
      withFollowUpCommits(`<!-- symphony:implement-pr:${ISSUE} -->\nCloses #${ISSUE}`, followUps),
    );
    fake.install();
    await implementPlan({
      client: testClient(),
      repo: EXAMPLE_REPO,
      issueNumber: ISSUE,
      record: planRecord({ tasks: [task({ files: ["src/config.ts"] })] }),
      config: repoConfigSchema.parse({}),
      services: services(new MockModelRuntime()),
      signal: new AbortController().signal,
      log: pino({ level: "silent" }),
    });

    expect(fake.sent.pullUpdates.map((u) => u.number)).toEqual([number]);
    const body = fake.sent.pullUpdates[0]!.body;
    expect(body).toContain("- [x] **T1** Change the files");
    expect(readFollowUpCommits(body)).toEqual(followUps);
    expect(body).toMatch(
      /### Tasks[\s\S]*### Follow-up commits\n[\s\S]*- f0110f: a review comment on `src\/config.ts:7`: Rename it\.[\s\S]*<details>/,
    );
  });
});

describe("what the Editor sees besides the file", () => {
  const WELCOME =
    "export function isFirstIssue(count: number): boolean {\n  return count === 0;\n}\n";
  const GREET_TS = `import { defaults } from "../config.js";\n\nexport function greet(): string {\n  return defaults.greeting;\n}\n`;

  it("shows a later file of a task the diff of the file the task changed before it, and its signatures", async () => {
    const { result, models } = await implement({
      tasks: [task({ create: ["src/handlers/welcome.ts"], files: ["src/handlers/issues.ts"] })],
      editor: wholeFileEditor({
        "src/handlers/welcome.ts": WELCOME,
        "src/handlers/issues.ts": FIXTURE_FILES["src/handlers/issues.ts"].replace(
          "// nothing yet",
          "// see isFirstIssue",
        ),
      }),
    });
    expect(result.tasks[0]?.status).toBe("committed");
    const [first, second] = models.callsFor("editor").map((call) => call.messages[1]!.content);
    expect(first).not.toContain("Already changed by this task");
    expect(second).toContain("Already changed by this task");
    expect(second).toContain("+export function isFirstIssue(count: number): boolean {");
    expect(second).toContain(
      "src/handlers/welcome.ts\n  export function isFirstIssue(count: number): boolean",
    );
  });

  it("shows the signatures of the files the edited file imports", async () => {
    const { models } = await implement({
      tasks: [task({ files: ["src/handlers/greet.ts"] })],
      files: { ...FIXTURE_FILES, "src/handlers/greet.ts": GREET_TS },
      editor: wholeFileEditor({
        "src/handlers/greet.ts": GREET_TS.replace("greeting;", "greeting + '!';"),
      }),
    });
    const prompt = models.callsFor("editor")[0]!.messages[1]!.content;
    expect(prompt).toContain(
      "Signatures in the files this task names or this file imports (for reference; they are not edited here):\nsrc/config.ts\n  export interface Config\n    greeting: string\n  export const defaults: Config",
    );
  });
});

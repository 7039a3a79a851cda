// Shared pieces of the implement tests: the fixture repository, a plan for issue #1 that edits it,
// the plan comment that stores it, and an Editor that answers per file.
import type { PlanRecord } from "../../../src/agents/conductor/plan-record.js";
import type { Task } from "../../../src/agents/coordinator/schema.js";
import { renderPlanComment } from "../../../src/features/plan/plan-markdown.js";
import { taskListReply } from "../../agents/fixtures.js";
import { wholeFileText } from "../../support/edit-replies.js";
import type { RecordedCall } from "../../support/mock-runtime.js";
import { sampleRecord } from "../plan/sample-record.js";

export const ISSUE = 1;
export const BRANCH = `symphony/issue-${ISSUE}`;

export const CONFIG_TS = `export interface Config {
  greeting: string;
}

export const defaults: Config = {
  greeting: "Hello",
};
`;

export const ISSUES_TS = `import type { Probot } from "probot";

export function registerIssues(app: Probot): void {
  app.on("issues.opened", async () => {
    // nothing yet
  });
}
`;

export const FIXTURE_FILES = {
  "README.md": "# Hello World\n",
  "src/config.ts": CONFIG_TS,
  "src/handlers/issues.ts": ISSUES_TS,
};

/** What the Editor writes for each file of the two tasks of `taskListReply()`. */
export const EDITED: Record<string, string> = {
  "src/config.ts": CONFIG_TS.replace(
    "  greeting: string;\n",
    "  greeting: string;\n  welcome_message: string;\n",
  ).replace('  greeting: "Hello",\n', '  greeting: "Hello",\n  welcome_message: "Welcome!",\n'),
  "src/handlers/welcome.ts": `export function isFirstIssue(count: number): boolean {\n  return count === 0;\n}\n`,
  "src/handlers/issues.ts": ISSUES_TS.replace(
    "    // nothing yet\n",
    "    // greet first issues (see welcome.ts)\n",
  ),
};

export function tasks(): Task[] {
  return taskListReply().tasks;
}

export function task(overrides: Partial<Task> & { files?: string[]; create?: string[] }): Task {
  const { files = [], create = [], ...rest } = overrides;
  return {
    ...tasks()[0]!,
    task_id: "T1",
    title: "Change the files",
    dependencies: [],
    technical_requirements: {
      files_to_create: create,
      files_to_modify: files,
      libraries: [],
      environment_variables: [],
    },
    ...rest,
  };
}

export function planRecord(overrides: Partial<PlanRecord> = {}): PlanRecord {
  return sampleRecord({
    issue_number: ISSUE,
    tasks: tasks(),
    git_strategy: {
      branch: BRANCH,
      commit_pattern: "<task_id>: <task title>",
      merge_target: "main",
      review_required: true,
    },
    ...overrides,
  });
}

export function planCommentBody(record: PlanRecord): string {
  return `<!-- symphony:plan:${record.issue_number} -->\n${renderPlanComment(record)}`;
}

/** The file an Editor call is about, from its prompt. */
export function editedPath(call: RecordedCall): string {
  const user = call.messages.find((m) => m.role === "user")?.content ?? "";
  const path = /^File: (\S+)$/m.exec(user)?.[1];
  if (path === undefined) throw new Error("the Editor's prompt names no file");
  return path;
}

/** An Editor that writes `files[path]` whole for whichever file it is asked about. */
export function wholeFileEditor(files: Record<string, string | Error>) {
  return (call: RecordedCall) => {
    const path = editedPath(call);
    const content = files[path];
    if (content === undefined) throw new Error(`the test has no edit for ${path}`);
    if (content instanceof Error) return content;
    return wholeFileText(path, content);
  };
}

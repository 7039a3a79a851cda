// A small repository, an issue about it, and valid replies from each planning agent.
import type { Task } from "../../src/agents/coordinator/schema.js";
import type { Intent } from "../../src/agents/enhancer/schema.js";
import type { Epic } from "../../src/agents/feature/schema.js";
import { FILES_PROMPT_VERSION, type FilesReply } from "../../src/agents/planner/files-prompt.js";
import type { Plan } from "../../src/agents/planner/schema.js";
import type { Visual } from "../../src/agents/visualizer/schema.js";
import type { IssueInput } from "../../src/context/issue.js";
import type { RepositoryTreeInput } from "../../src/context/tree.js";
import type { MockModelRuntime } from "../support/mock-runtime.js";

export function fixtureTree(): RepositoryTreeInput {
  const files = [
    "README.md",
    "package.json",
    "package-lock.json",
    "src/index.ts",
    "src/handlers/issues.ts",
    "src/github/comments.ts",
    "src/config.ts",
    "test/handlers/issues.test.ts",
    "docs/usage.md",
    "assets/logo.png",
    "node_modules/left-pad/index.js",
  ];
  const folders = ["src", "src/handlers", "src/github", "test", "test/handlers", "docs", "assets"];
  return {
    entries: [
      ...folders.map((path) => ({ path, type: "tree" as const })),
      ...files.map((path) => ({ path, type: "blob" as const, size: 1200 })),
    ],
    truncated: false,
  };
}

export function fixtureIssue(): IssueInput {
  return {
    number: 42,
    title: "Greet first-time contributors",
    body: "When someone opens their first issue, the bot should post a friendly welcome comment.",
    labels: ["symphony", "enhancement"],
    comments: [
      {
        author: "octocat",
        body: "Please keep the message configurable.",
        created_at: "2024-05-01T10:00:00Z",
      },
    ],
  };
}

export function intentReply(overrides: Partial<Intent> = {}): Intent {
  return {
    kind: "feature",
    title: "Welcome first-time issue authors",
    problem_statement: "New contributors get no acknowledgement when they open their first issue.",
    enhanced_prompt: "Post a configurable welcome comment on a contributor's first issue.",
    requirements: ["Detect a first issue", "Post one welcome comment"],
    constraints: ["The message comes from config"],
    open_questions: [],
    answer: "",
    ...overrides,
  };
}

export function epicReply(): Epic {
  return {
    epic: {
      id: "EPIC-42",
      name: "Welcome first-time contributors",
      goal: "Every first issue gets a friendly, configurable welcome.",
      description: "Detect first-time issue authors and greet them.",
      priority: "medium",
      complexity: "low",
      dependencies: [],
      status: "proposed",
      out_of_scope: ["Welcoming pull request authors"],
    },
    features: [
      {
        id: "F1",
        title: "Detect first issues",
        user_story:
          "As a maintainer, I want first issues recognised, so that newcomers are greeted.",
        story_points: 3,
        acceptance_criteria: ["An author's first issue is recognised", "Later issues are not"],
        notes: "",
      },
      {
        id: "F2",
        title: "Configurable welcome comment",
        user_story: "As a maintainer, I want to set the message, so that it fits our tone.",
        story_points: 2,
        acceptance_criteria: ["The message is read from config"],
        notes: "Default message when none is set.",
      },
    ],
  };
}

/** The design as the Planner writes it (the stored plan adds the files it read). */
export function planReply(overrides: Partial<Plan> = {}): Plan {
  return {
    technology_stack: ["TypeScript", "Probot"],
    components: [{ name: "Issue handler", responsibility: "Reacts to issues.opened" }],
    files_to_change: [
      { path: "src/handlers/issues.ts", action: "modify", why: "Greet on issues.opened" },
      { path: "src/handlers/welcome.ts", action: "create", why: "The welcome logic" },
      { path: "src/config.ts", action: "modify", why: "The message setting" },
    ],
    approach: "Check the author's issue count, then post the configured message.",
    design_decisions: ["Use the search API to count issues"],
    risks: ["Rate limits on search"],
    test_plan: ["First issue gets a comment", "Second issue does not"],
    ...overrides,
  };
}

/** The tasks as stored (a scripted reply keeps only the fields the model writes). */
export function taskListReply(): { tasks: Task[] } {
  return {
    tasks: [
      {
        task_id: "T1",
        title: "Add the welcome message setting",
        description: "Add `welcome_message` to the config schema with a default.",
        assigned_agent: "editor",
        priority: "medium",
        estimated_hours: 1,
        dependencies: [],
        success_criteria: ["Config without the key yields the default"],
        technical_requirements: {
          files_to_create: [],
          files_to_modify: ["src/config.ts"],
          libraries: [],
          environment_variables: [],
        },
      },
      {
        task_id: "T2",
        title: "Greet first issues",
        description: "On issues.opened, post the message when it is the author's first issue.",
        assigned_agent: "editor",
        priority: "high",
        estimated_hours: 3,
        dependencies: ["T1"],
        success_criteria: ["A first issue gets one welcome comment"],
        technical_requirements: {
          files_to_create: ["src/handlers/welcome.ts"],
          files_to_modify: ["src/handlers/issues.ts"],
          libraries: [],
          environment_variables: [],
        },
      },
    ],
  };
}

export function visualReply(overrides: Partial<Visual> = {}): Visual {
  return {
    pseudocode: "on issues.opened:\n  if author has no earlier issue:\n    post welcome message",
    mermaid:
      'flowchart TD\n  A["issues.opened"] --> B{"First issue?"}\n  B -->|"yes"| C["Post welcome"]\n  B -->|"no"| D["Do nothing"]',
    undefined_points: ["What counts as a first issue when earlier ones were deleted"],
    contradictions: [],
    ...overrides,
  };
}

/** The Planner's choice of files to read, before it designs. */
export function filesReply(files_to_read: string[] = []): FilesReply {
  return { what_to_check: "Where issues are handled.", files_to_read };
}

/**
 * Scripts one reply per agent for a whole plan; the Planner's choice of files to read (where the
 * plan has a file reader) asks for none.
 */
export function scriptFullPlan(runtime: MockModelRuntime): MockModelRuntime {
  return runtime
    .respond(FILES_PROMPT_VERSION, () => filesReply())
    .script("enhancer", intentReply())
    .script("feature", epicReply())
    .script("planner", planReply())
    .script("coordinator", taskListReply())
    .script("visualizer", visualReply());
}

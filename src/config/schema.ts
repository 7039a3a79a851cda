// The one schema of `.github/symphony.yml`: types, defaults, validation and docs/schema.json come from it.
import { z } from "zod";
import {
  AGENT_LABELS,
  MODEL_AGENT_NAMES,
  type AgentName,
  type ModelAgentName,
} from "./agent-names.js";

/** Repository roles, weakest first; the order is what "at least" means. */
export const PERMISSIONS = ["read", "triage", "write", "maintain", "admin"] as const;
export const permissionSchema = z.enum(PERMISSIONS);
export type Permission = z.infer<typeof permissionSchema>;

/** Pull request events that start a review on their own. */
export const REVIEW_EVENTS = ["opened", "reopened", "ready_for_review", "synchronize"] as const;

export type { AgentName };

const positiveInt = () => z.number().int().positive();
const globs = (what: string) =>
  z
    .array(z.string().min(1))
    .default([])
    .describe(`Glob patterns (picomatch, relative to the repository root) of ${what}.`);

const modelName = (agent: string) =>
  z
    .string()
    .min(1)
    .optional()
    .describe(
      `Model for the ${agent}; must be one the operator allows. Unset: the operator's default.`,
    );

/** `models.<agent>` for every agent that calls a model, from the one list of agent names. */
const modelPerAgent = Object.fromEntries(
  MODEL_AGENT_NAMES.map((name) => [name, modelName(AGENT_LABELS[name])]),
) as Record<ModelAgentName, ReturnType<typeof modelName>>;

export const modelsSchema = z
  .strictObject({
    conductor: z
      .string()
      .min(1)
      .optional()
      .describe(
        "Not a model: the models the Conductor learns among for the plan agents and the Editor (reviews and implementations), comma-separated (at least two the operator allows; before any feedback the operator's routed model for the agent is used when listed, else the first), or `fixed` (the default) to turn learning off.",
      ),
    ...modelPerAgent,
  })
  .prefault({})
  .describe("Model per agent.");

export const reviewSchema = z
  .strictObject({
    enabled: z.boolean().default(true).describe("Review pull requests at all."),
    drafts: z.boolean().default(false).describe("Also review draft pull requests."),
    bots: z.boolean().default(false).describe("Also review pull requests opened by bots."),
    max_inline_comments: positiveInt()
      .default(15)
      .describe("Most inline comments one review posts; the rest go to the summary."),
    max_files: positiveInt()
      .default(300)
      .describe("Most reviewable files sent to the model; the rest are listed as not reviewed."),
    max_chunks: positiveInt()
      .max(1000)
      // With chunks of at most max_diff_tokens, a 300-file, 20,000-line pull request takes ~100.
      .default(120)
      .describe("Most model calls for the diff of one review; the rest is listed as not reviewed."),
    max_diff_tokens: positiveInt()
      .min(500)
      .max(200_000)
      .default(8_000)
      .describe(
        "Most tokens of diff in one review call, however large the model's context: a 7-14B model reviews a short diff better than a long one.",
      ),
    context_lines: z
      .number()
      .int()
      .min(0)
      .max(20)
      .default(3)
      .describe("Lines of the head file shown to the model around each hunk; 0: none."),
    design_remarks: z
      .boolean()
      .default(true)
      .describe("Let the Planner write what changed, the walkthrough and design remarks."),
    diagram: z
      .boolean()
      .default(true)
      .describe("Let the Code-Visualizer draw a Mermaid diagram when the change has a flow."),
    ignore: globs("files never reviewed"),
    auto: z
      .array(z.enum(REVIEW_EVENTS))
      .default([...REVIEW_EVENTS])
      .describe(
        "Pull request events that start a review by themselves; empty: only `/symphony review`.",
      ),
  })
  .prefault({})
  .describe("Pull request reviews.");

export const implementSchema = z
  .strictObject({
    whole_file_max_lines: positiveInt()
      .default(300)
      .describe(
        "Files up to this many lines are rewritten whole; longer ones are edited in blocks.",
      ),
    max_files: positiveInt().default(20).describe("Most files one implementation may change."),
    max_changed_lines: positiveInt()
      .default(1500)
      .describe("Most changed lines (added plus removed) in one implementation."),
    allow_workflows: z
      .boolean()
      .default(false)
      .describe(
        "Allow changes under `.github/workflows/` (the app also needs the workflows permission).",
      ),
    max_file_bytes: positiveInt()
      .default(100_000)
      .describe("Files larger than this are never sent to a model or edited."),
  })
  .prefault({})
  .describe("Implementing a plan as a pull request.");

export const refactorSchema = z
  .strictObject({
    every: z
      .enum(["off", "day", "week", "month"])
      .default("off")
      .describe(
        "How often the rolling refactor issue is refreshed; `off`: only on `/symphony refactor`.",
      ),
    window_days: positiveInt()
      .default(90)
      .describe("Days of history counted when ranking hotspots by change frequency."),
    top: positiveInt().default(5).describe("Hotspots suggested per refresh."),
    include_tests: z.boolean().default(false).describe("Rank test files as hotspots too."),
  })
  .prefault({})
  .describe("Scheduled refactor suggestions.");

export const repoConfigSchema = z
  .strictObject({
    label: z.string().min(1).default("symphony").describe("Label that asks for a plan."),
    implement_label: z
      .string()
      .min(1)
      .default("symphony:implement")
      .describe("Label that asks to implement the plan."),
    skip_label: z
      .string()
      .min(1)
      .default("symphony:skip")
      .describe("Issues and pull requests carrying this label are left alone."),
    permission: permissionSchema
      .default("write")
      .describe("Least repository role a person needs to set Symphony to work."),
    models: modelsSchema,
    language: z
      .string()
      .min(1)
      .default("English")
      .describe("Language of everything Symphony writes."),
    ignore: globs("files agents never read"),
    max_context_tokens: positiveInt()
      .optional()
      .describe("Cap on the context tokens of one model call; unset: the model's own context."),
    review: reviewSchema,
    implement: implementSchema,
    refactor: refactorSchema,
    runner: z
      .enum(["app", "actions"])
      .default("app")
      .describe(
        "Where model work runs: in the app's process, or handed to GitHub Actions runners.",
      ),
  })
  .describe("Symphony's settings for one repository, read from `.github/symphony.yml`.");

/** The settings after defaults, as features read them. */
export type RepoConfig = z.output<typeof repoConfigSchema>;
/** What a repository may write in `.github/symphony.yml`. */
export type RepoConfigFile = z.input<typeof repoConfigSchema>;

/** The settings of a repository without a config file. */
export function defaultRepoConfig(): RepoConfig {
  return repoConfigSchema.parse({});
}

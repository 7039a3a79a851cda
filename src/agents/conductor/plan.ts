// The Conductor's planning pipeline: Enhancer-Prompt → Feature → Planner → Coordinator →
// Code-Visualizer, and the files the Planner reads chosen before it designs; at most six model
// calls, returning a PlanRecord to render and store.
import { z } from "zod";
import type { EstimateTokens } from "../../context/budget.js";
import { IssueSchema } from "../../context/issue.js";
import { buildPlanningContext, type PlanningContext } from "../../context/planning-context.js";
import { readRelatedFiles } from "../../context/related-files.js";
import {
  MAX_REQUESTED_FILES,
  readRequestedFiles,
  type ReadRepositoryFile,
  type RequestedFile,
} from "../../context/requested-files.js";
import { RepositoryTreeSchema } from "../../context/tree.js";
import type { ModelRuntime } from "../../runner/types.js";
import { gitStrategyFor } from "../coordinator/git-strategy.js";
import { linkTasks, tasksFromReply } from "../coordinator/task-ids.js";
import type { Task } from "../coordinator/schema.js";
import type { Intent } from "../enhancer/schema.js";
import { backlogFromReply, withSubtasks } from "../feature/backlog-ids.js";
import { expandEpic } from "../feature/prompt.js";
import type { Epic } from "../feature/schema.js";
import type { PromptContext } from "../fit-prompt.js";
import { chooseFilesToRead } from "../planner/files-prompt.js";
import type { Plan } from "../planner/schema.js";
import { PLAN_AGENT_NAMES, PLAN_AGENTS } from "../registry.js";
import { armsOfUsage, ChosenArmSchema, type ArmUse } from "./evidence.js";
import { MAX_REPLACED, PlanRecordSchema, type PlanRecord } from "./plan-record.js";
import { NoPlanYetError } from "./plan-step-error.js";
import type { PlanProgress } from "./plan-steps.js";
import { StepRunner } from "./step-runner.js";
import { validatePlanPaths, validateTaskPaths } from "./validate-plan-paths.js";

const PLAN_STEPS = 5;
/** Files Symphony chooses from the issue's words, before the Planner's own ask. */
const MAX_CHOSEN_FILES = 4;
/** Share of the Planner's prompt budget the files it reads may take. */
const FILE_SHARE = 0.3;

export const PlanPipelineModeSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("plan") }),
  /** `/symphony deeper`: keep the plan, expand its features into subtasks. */
  z.object({ kind: z.literal("deeper"), previous: PlanRecordSchema }),
  /** `/symphony plan <what to change>`: plan again, applying the user's change to the previous plan. */
  z.object({
    kind: z.literal("refine"),
    previous: PlanRecordSchema,
    change: z.string().min(1).max(4000),
  }),
]);

export const PlanPipelineInputSchema = z.object({
  issue: IssueSchema,
  tree: RepositoryTreeSchema,
  readme: z.string().optional(),
  mode: PlanPipelineModeSchema.default({ kind: "plan" }),
  /** Model per agent, from config, already checked against the operator's allowed models. */
  models: z.partialRecord(z.enum(PLAN_AGENT_NAMES), z.string()).default({}),
  /** Language the agents write in (config `language`). */
  language: z.string().optional(),
  /** Extra globs left out of the file list (config `ignore`). */
  ignore: z.array(z.string()).default([]),
  /** Config's maximum prompt tokens; the model's own budget applies when lower. */
  maxContextTokens: z.number().int().positive().optional(),
  /** Merge target of the git strategy. */
  defaultBranch: z.string().default("main"),
  /** The arms the Conductor chose (their models are in `models`), kept in the record. */
  arms: z.array(ChosenArmSchema).max(12).optional(),
});

export type PlanPipelineInput = z.input<typeof PlanPipelineInputSchema>;
type Settings = z.infer<typeof PlanPipelineInputSchema>;

export interface PlanPipelineDeps {
  runtime: ModelRuntime;
  /** Reads a repository file for the Planner, before it designs; without it, it reads none. */
  readFile?: ReadRepositoryFile;
  /** Called before each step; awaited, and its failures ignored. */
  onProgress?: (progress: PlanProgress) => void | Promise<void>;
  signal?: AbortSignal;
  now?: () => Date;
  /**
   * Model calls the hosts can take at once for this plan. From 2 on, independent steps run side
   * by side: the Planner's choice of files beside the Enhancer-Prompt agent, the Planner from the
   * brief beside the Feature agent, the Code-Visualizer from the design beside the Coordinator,
   * so the critical path is three model calls, reading files or not. Default 1: one step after
   * another, each reading all before it.
   */
  slots?: number;
}

export async function runPlanPipeline(
  input: PlanPipelineInput,
  deps: PlanPipelineDeps,
): Promise<PlanRecord> {
  const settings = PlanPipelineInputSchema.parse(input);
  const startedAt = (deps.now ?? (() => new Date()))();
  const mode = settings.mode;
  const pipeline = new PlanPipeline(settings, deps, mode.kind === "deeper" ? 1 : PLAN_STEPS);
  const partial =
    mode.kind === "deeper"
      ? await pipeline.lookDeeper(mode.previous)
      : await pipeline.planAll(mode.kind === "refine" ? mode : undefined);
  const finishedAt = (deps.now ?? (() => new Date()))();
  return PlanRecordSchema.parse({
    ...partial,
    validation_notes: bounded(partial.validation_notes ?? [], 80),
    unverified_paths: (partial.unverified_paths ?? []).slice(0, 60),
    context_notes: bounded(pipeline.runner.contextNotes, 40),
    usage: pipeline.runner.usage,
    ...(settings.arms && settings.arms.length > 0 ? { arms: settings.arms } : {}),
    prompt_versions: { ...partial.prompt_versions, ...pipeline.runner.promptVersions },
    started_at: startedAt.toISOString(),
    finished_at: finishedAt.toISOString(),
  });
}

type PartialRecord = Omit<
  PlanRecord,
  | "validation_notes"
  | "unverified_paths"
  | "context_notes"
  | "usage"
  | "prompt_versions"
  | "started_at"
  | "finished_at"
> &
  Partial<Pick<PlanRecord, "validation_notes" | "unverified_paths" | "prompt_versions">>;

/** The arms of the plans a refinement replaces: the previous plan's and those it had replaced. */
function replacedArms(previous: PlanRecord): ArmUse[][] {
  return [...(previous.replaced ?? []), armsOfUsage(previous.usage)].slice(-MAX_REPLACED);
}

interface Refinement {
  previous: PlanRecord;
  change: string;
}

class PlanPipeline {
  readonly runner: StepRunner;
  private readonly context: PlanningContext;
  private readonly estimate: EstimateTokens;

  constructor(
    private readonly settings: Settings,
    private readonly deps: PlanPipelineDeps,
    total: number,
  ) {
    this.runner = new StepRunner({
      runtime: deps.runtime,
      total,
      models: settings.models,
      maxContextTokens: settings.maxContextTokens,
      signal: deps.signal,
      onProgress: deps.onProgress,
    });
    this.context = buildPlanningContext(settings);
    this.estimate = (text) => deps.runtime.estimateTokens(text);
  }

  async planAll(refinement: Refinement | undefined): Promise<PartialRecord> {
    const base = {
      format: 1 as const,
      issue_number: this.context.issue.number,
      mode: refinement ? ("refine" as const) : ("plan" as const),
      change_request: refinement?.change,
      ...(refinement ? { replaced: replacedArms(refinement.previous) } : {}),
    };
    const sideBySide = (this.deps.slots ?? 1) >= 2;
    // The files to read need only the issue and the tree: beside the Enhancer where a slot is free.
    const [intent, reading] = sideBySide
      ? await Promise.all([this.enhance(refinement), this.filesToRead(refinement)])
      : [await this.enhance(refinement), undefined];
    this.runner.brief = intent.problem_statement;
    if (intent.kind === "question") return { ...base, intent };
    const read = reading ?? (await this.filesToRead(refinement));
    const [epic, designed] = sideBySide
      ? await Promise.all([
          this.extractEpic(intent, refinement),
          this.design(intent, undefined, refinement, read.files),
        ])
      : await this.extractEpic(intent, refinement).then(
          async (epic) => [epic, await this.design(intent, epic, refinement, read.files)] as const,
        );
    const checked = validatePlanPaths(designed, this.context.index);
    const plan = { ...checked.plan, files_to_read: read.files.map((file) => file.path) };
    const [tasks, visual] = sideBySide
      ? await Promise.all([
          this.splitIntoTasks(intent, epic, plan, refinement),
          this.visualize(intent, plan, undefined),
        ])
      : await this.splitIntoTasks(intent, epic, plan, refinement).then(
          async (tasks) => [tasks, await this.visualize(intent, plan, tasks.tasks)] as const,
        );
    return {
      ...base,
      intent,
      epic,
      plan,
      tasks: tasks.tasks,
      git_strategy: gitStrategyFor(this.context.issue.number, this.settings.defaultBranch),
      visual,
      validation_notes: [...read.notes, ...checked.notes, ...tasks.notes],
      unverified_paths: [...new Set([...checked.unverified, ...tasks.unverified])],
    };
  }

  async lookDeeper(previous: PlanRecord): Promise<PartialRecord> {
    if (!previous.epic || !previous.plan) throw new NoPlanYetError(this.context.issue.number);
    const { epic: previousEpic, plan } = previous;
    const reply = await this.runner.run(
      1,
      expandEpic,
      {
        intent: previous.intent,
        issue_context: "",
        language: this.settings.language,
        epic: previousEpic,
        plan,
      },
      { context: this.issueContext(), doing: "subtasks" },
    );
    const epic = withSubtasks(previousEpic, reply);
    const {
      usage: _usage,
      context_notes: _notes,
      started_at: _started,
      finished_at: _finished,
      compacted: _compacted,
      ...kept
    } = previous;
    return { ...kept, mode: "deeper", change_request: undefined, epic };
  }

  /** The issue, cut to fit, as the Feature agent's `issue_context`. */
  private issueContext<I extends { issue_context: string }>(): PromptContext<I> {
    return {
      sections: [this.context.issueSection(this.estimate)],
      assemble: (input, c) => ({ ...input, issue_context: c.issue ?? "" }),
    };
  }

  private enhance(refinement: Refinement | undefined): Promise<Intent> {
    const estimate = this.estimate;
    const input = {
      issue_context: "",
      repository_overview: "",
      language: this.settings.language,
      change_request: refinement?.change,
      previous_intent: refinement?.previous.intent,
    };
    return this.runner.run(1, PLAN_AGENTS.enhancer, input, {
      context: {
        sections: [
          this.context.issueSection(estimate),
          this.context.readmeSection(estimate, 1),
          this.context.fileTreeSection(estimate, 1),
        ],
        assemble: (fixed, c) => ({
          ...fixed,
          issue_context: c.issue ?? "",
          repository_overview: `${c.readme ?? ""}\n\n${c.file_tree ?? ""}`,
        }),
      },
    });
  }

  private async extractEpic(intent: Intent, refinement: Refinement | undefined): Promise<Epic> {
    const input = {
      intent,
      issue_context: "",
      language: this.settings.language,
      previous_epic: refinement?.previous.epic,
      change_request: refinement?.change,
    };
    const reply = await this.runner.run(2, PLAN_AGENTS.feature, input, {
      context: this.issueContext(),
    });
    return backlogFromReply(reply, this.context.issue.number);
  }

  /**
   * The files the Planner reads before it designs: those the issue points at (chosen by code),
   * and those the Planner asks for from the issue and the file list in a short call of its own.
   * A failed ask costs the plan nothing: the chosen files are still read.
   */
  private async filesToRead(
    refinement: Refinement | undefined,
  ): Promise<{ files: RequestedFile[]; notes: string[] }> {
    const readFile = this.deps.readFile;
    if (!readFile) return { files: [], notes: [] };
    const budget = await this.deps.runtime.promptBudget(this.settings.models.planner);
    const maxTokens = Math.floor(
      Math.min(budget, this.settings.maxContextTokens ?? budget) * FILE_SHARE,
    );
    const chosen = await readRelatedFiles(this.context.issue, this.context.files, readFile, {
      maxFiles: MAX_CHOSEN_FILES,
      maxTokens,
      estimate: this.estimate,
    });
    const files: RequestedFile[] = chosen.map(({ path, content }) => ({ path, content }));
    const { asked, notes } = await this.askForFiles(
      files.map((file) => file.path),
      refinement?.change,
    );
    if (asked.length === 0) return { files, notes };
    const known = new Set(files.map((file) => file.path));
    const wanted = asked.filter((path) => !known.has(path));
    const more = await readRequestedFiles(
      wanted.slice(0, MAX_REQUESTED_FILES - files.length),
      this.context.index,
      readFile,
    );
    return { files: [...files, ...more.files], notes: [...notes, ...more.notes] };
  }

  private async askForFiles(
    chosen: string[],
    change: string | undefined,
  ): Promise<{ asked: string[]; notes: string[] }> {
    const estimate = this.estimate;
    try {
      const reply = await this.runner.run(
        3,
        chooseFilesToRead,
        {
          issue_context: "",
          file_tree: "",
          chosen,
          language: this.settings.language,
          change_request: change,
        },
        {
          doing: "choosing files to read",
          context: {
            sections: [
              this.context.issueSection(estimate, 2),
              this.context.fileTreeSection(estimate, 4),
            ],
            assemble: (fixed, c) => ({
              ...fixed,
              issue_context: c.issue ?? "",
              file_tree: c.file_tree ?? "",
            }),
          },
        },
      );
      return { asked: reply.files_to_read, notes: [] };
    } catch (error) {
      if (this.deps.signal?.aborted) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      return {
        asked: [],
        notes: [
          `The Planner could not choose files to read (${reason.slice(0, 200)}); it read the files the issue points at.`,
        ],
      };
    }
  }

  /** One Planner call, with the contents of the files read before it. */
  private design(
    intent: Intent,
    epic: Epic | undefined,
    refinement: Refinement | undefined,
    files: readonly RequestedFile[],
  ): Promise<Plan> {
    const estimate = this.estimate;
    const sections = [
      this.context.issueSection(estimate, 2),
      this.context.readmeSection(estimate, 1),
      this.context.fileTreeSection(estimate, 4),
      ...(files.length > 0 ? [this.context.fileContentsSection(files, estimate)] : []),
    ];
    const doing =
      files.length > 0 ? `reading ${files.length} file${files.length === 1 ? "" : "s"}` : undefined;
    const input = {
      intent,
      ...(epic ? { epic } : {}),
      issue_context: "",
      readme: "",
      file_tree: "",
      file_contents: "",
      language: this.settings.language,
      previous_plan: refinement?.previous.plan,
      change_request: refinement?.change,
    };
    return this.runner.run(3, PLAN_AGENTS.planner, input, {
      context: {
        sections,
        assemble: (fixed, c) => ({
          ...fixed,
          issue_context: c.issue ?? "",
          readme: c.readme ?? "",
          file_tree: c.file_tree ?? "",
          file_contents: c.file_contents ?? "",
        }),
      },
      ...(doing ? { doing } : {}),
    });
  }

  private async splitIntoTasks(
    intent: Intent,
    epic: Epic,
    plan: Plan,
    refinement: Refinement | undefined,
  ): Promise<{ tasks: Task[]; notes: string[]; unverified: string[] }> {
    const reply = await this.runner.run(4, PLAN_AGENTS.coordinator, {
      intent,
      epic,
      plan,
      language: this.settings.language,
      previous_tasks: refinement?.previous.tasks,
      change_request: refinement?.change,
    });
    const raw = tasksFromReply(reply.tasks, epic.epic.priority);
    const checked = validateTaskPaths(raw, this.context.index);
    return {
      tasks: linkTasks(checked.tasks),
      notes: checked.notes,
      unverified: checked.unverified,
    };
  }

  private visualize(intent: Intent, plan: Plan, tasks: Task[] | undefined) {
    return this.runner.run(5, PLAN_AGENTS.visualizer, {
      intent,
      plan,
      ...(tasks ? { tasks } : {}),
      language: this.settings.language,
    });
  }
}

function bounded(notes: readonly string[], maxItems: number): string[] {
  const unique = [...new Set(notes)];
  const kept = unique.slice(0, maxItems).map((n) => (n.length > 600 ? `${n.slice(0, 599)}…` : n));
  return kept;
}

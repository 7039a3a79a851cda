// The stored result of planning an issue: every agent's output and how it was made. Kept as JSON
// in a hidden block of the plan comment, so later steps read it back from GitHub.
import { ArmUseSchema, ChosenArmSchema } from "./evidence.js";
import { z } from "zod";
import type { UsageRecord } from "../../runner/types.js";
import { GitStrategySchema, TaskSchema } from "../coordinator/schema.js";
import { IntentSchema } from "../enhancer/schema.js";
import { EpicSchema } from "../feature/schema.js";
import { PlanSchema } from "../planner/schema.js";
import { VisualSchema } from "../visualizer/schema.js";

/**
 * A model call's usage as a plan keeps it: the runner's UsageRecord without the host, because
 * the record is readable by anyone who can read the issue and a host name is operator detail.
 */
export const PlanUsageSchema = z.object({
  agent: z.string().max(40),
  promptVersion: z.string().max(60),
  provider: z.enum(["ollama", "openai"]),
  model: z.string().max(200),
  promptTokens: z.number().nonnegative(),
  outputTokens: z.number().nonnegative(),
  estimatedPromptTokens: z.number().nonnegative(),
  numCtx: z.number().nonnegative().optional(),
  loadMs: z.number().nonnegative().optional(),
  promptEvalMs: z.number().nonnegative().optional(),
  evalMs: z.number().nonnegative().optional(),
  wallMs: z.number().nonnegative(),
  retries: z.number().int().nonnegative(),
  repairRounds: z.number().int().nonnegative(),
  fallbackUsed: z.boolean(),
  doneReason: z.string().max(40).optional(),
});

export type PlanUsage = z.infer<typeof PlanUsageSchema>;

// Fails to compile when the runner's UsageRecord and this schema drift apart.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const usageMatchesRunner: Same<PlanUsage, Omit<UsageRecord, "host">> = true;
void usageMatchesRunner;

export function toPlanUsage(usage: UsageRecord): PlanUsage {
  const { host: _host, ...kept } = usage;
  return PlanUsageSchema.parse(kept);
}

/** Replaced plans remembered: the newest, so a long run of refinements keeps the record small. */
export const MAX_REPLACED = 5;

export const PlanModeSchema = z.enum(["plan", "deeper", "refine"]);

export const PlanRecordSchema = z.object({
  format: z.literal(1),
  issue_number: z.number().int().positive(),
  /** plan: from scratch; deeper: features expanded into subtasks; refine: re-planned with a change. */
  mode: PlanModeSchema,
  change_request: z.string().max(4000).optional(),
  intent: IntentSchema,
  /** Absent when the issue is a question: the intent then carries the answer. */
  epic: EpicSchema.optional(),
  plan: PlanSchema.optional(),
  /** In dependency order. */
  tasks: z.array(TaskSchema).optional(),
  git_strategy: GitStrategySchema.optional(),
  visual: VisualSchema.optional(),
  /** What path and task checks changed: repaired, dropped or unverifiable paths, renumbered tasks. */
  validation_notes: z.array(z.string().max(600)).max(80),
  /** Paths kept although they could not be checked (GitHub truncated the tree). */
  unverified_paths: z.array(z.string().max(300)).max(60),
  /** What the agents saw shortened or left out to fit the model's context. */
  context_notes: z.array(z.string().max(600)).max(40),
  usage: z.array(PlanUsageSchema).max(12),
  /** The arm the Conductor chose for each learning agent, and why; absent when learning is off. */
  arms: z.array(ChosenArmSchema).max(12).optional(),
  /**
   * The arms of each plan this one replaced with `/symphony plan <change>`, oldest first: a plan
   * refined counts as part of a rejection for the arms that made it, and the comment that showed
   * it now shows this one, so the record carries them.
   */
  replaced: z.array(z.array(ArmUseSchema).max(12)).max(MAX_REPLACED).optional(),
  /** Agent name → prompt version of the call that produced its part. */
  prompt_versions: z.record(z.string().max(40), z.string().max(60)),
  started_at: z.string().max(40),
  finished_at: z.string().max(40),
  /** Set when the stored copy was shortened to fit GitHub's comment size. */
  compacted: z.boolean().optional(),
});

export type PlanMode = z.infer<typeof PlanModeSchema>;
export type PlanRecord = z.infer<typeof PlanRecordSchema>;

// Runs the pipeline's agent calls: progress before each, budgets, usage kept, failures named.
import type { ModelRuntime } from "../../runner/types.js";
import type { AgentCallOptions, AgentResult } from "../agent-call.js";
import { toPlanUsage, type PlanUsage } from "./plan-record.js";
import { PlanStepError } from "./plan-step-error.js";
import {
  AGENT_LABELS,
  MAX_MODEL_CALLS,
  type PlanAgentName,
  type PlanProgress,
} from "./plan-steps.js";

export interface StepRunnerOptions {
  runtime: ModelRuntime;
  total: number;
  models: Partial<Record<PlanAgentName, string>>;
  /** Config's maximum context, below the model's own budget. */
  maxContextTokens?: number;
  signal?: AbortSignal;
  onProgress?: (progress: PlanProgress) => void | Promise<void>;
}

export interface StepCall {
  options: AgentCallOptions;
  /** Prompt tokens this call may use. */
  budget: number;
}

export class StepRunner {
  readonly usage: PlanUsage[] = [];
  readonly promptVersions: Record<string, string> = {};
  readonly contextNotes: string[] = [];
  private calls = 0;
  private readonly running: PlanAgentName[] = [];
  private readonly finished: PlanAgentName[] = [];
  /** The restated problem, shown in every progress report after the Enhancer's. */
  brief: string | undefined;

  constructor(private readonly options: StepRunnerOptions) {}

  get callsLeft(): number {
    return MAX_MODEL_CALLS - this.calls;
  }

  async run<T>(
    step: number,
    agent: PlanAgentName,
    call: (step: StepCall) => Promise<AgentResult<T>>,
    doing?: string,
  ): Promise<T> {
    const { runtime, total, models, signal } = this.options;
    const label = doing ? `${AGENT_LABELS[agent]} (${doing})` : AGENT_LABELS[agent];
    this.running.push(agent);
    await this.report({ step, total, agent, label });
    try {
      if (this.calls >= MAX_MODEL_CALLS) {
        throw new Error(`a plan may make at most ${MAX_MODEL_CALLS} model calls`);
      }
      this.calls += 1;
      const model = models[agent];
      const modelBudget = await runtime.promptBudget(model);
      const budget = Math.min(modelBudget, this.options.maxContextTokens ?? modelBudget);
      const { value, usage } = await call({ options: { model, signal }, budget });
      this.usage.push(toPlanUsage(usage));
      this.promptVersions[agent] = usage.promptVersion;
      if (!this.finished.includes(agent)) this.finished.push(agent);
      return value;
    } catch (error) {
      throw new PlanStepError(step, total, agent, error);
    } finally {
      this.running.splice(this.running.indexOf(agent), 1);
    }
  }

  /** Records that an agent saw parts of its context shortened, once per agent and part. */
  noteShortened(agent: PlanAgentName, labels: readonly string[]): void {
    if (labels.length === 0) return;
    const note = `The ${AGENT_LABELS[agent]} saw a shortened copy of ${labels.join(", ")} to fit the model's context.`;
    if (!this.contextNotes.includes(note)) this.contextNotes.push(note);
  }

  note(text: string): void {
    if (!this.contextNotes.includes(text)) this.contextNotes.push(text);
  }

  private async report(progress: PlanProgress): Promise<void> {
    const shown: PlanProgress = {
      ...progress,
      ...(this.running.length > 1 ? { running: [...this.running] } : {}),
      ...(this.running.length > 1 ? { finished: [...this.finished] } : {}),
      ...(this.brief !== undefined ? { brief: this.brief } : {}),
    };
    try {
      await this.options.onProgress?.(shown);
    } catch {
      // Progress is a courtesy (a status comment edit); a failed edit must not cost the plan.
    }
  }
}

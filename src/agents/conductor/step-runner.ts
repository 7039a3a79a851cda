// Runs the pipeline's agent calls: progress before each, usage kept, shortened context noted,
// failures named. Budgets are the defined agent's own (src/agents/define-agent.ts).
import type { ModelRuntime } from "../../runner/types.js";
import type { DefinedAgent } from "../define-agent.js";
import type { PromptContext } from "../fit-prompt.js";
import { AGENT_LABELS, type PlanAgentName } from "../registry.js";
import { toPlanUsage, type PlanUsage } from "./plan-record.js";
import { PlanStepError } from "./plan-step-error.js";
import { MAX_MODEL_CALLS, type PlanProgress } from "./plan-steps.js";

export interface StepRunnerOptions {
  runtime: ModelRuntime;
  total: number;
  models: Partial<Record<PlanAgentName, string>>;
  /** Config's maximum context, below the model's own budget. */
  maxContextTokens?: number;
  signal?: AbortSignal;
  onProgress?: (progress: PlanProgress) => void | Promise<void>;
}

export interface StepOptions<I> {
  /** The parts of the input cut to fit the model's context. */
  context?: PromptContext<I>;
  /** What the agent is doing, where it helps: "Planner agent (reading 3 files)". */
  doing?: string;
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

  async run<I, T>(
    step: number,
    agent: DefinedAgent<I, T, PlanAgentName>,
    input: I,
    how: StepOptions<I> = {},
  ): Promise<T> {
    const { runtime, total, models, signal, maxContextTokens } = this.options;
    const name = agent.name;
    const label = how.doing ? `${AGENT_LABELS[name]} (${how.doing})` : AGENT_LABELS[name];
    this.running.push(name);
    await this.report({ step, total, agent: name, label });
    try {
      if (this.calls >= MAX_MODEL_CALLS) {
        throw new Error(`a plan may make at most ${MAX_MODEL_CALLS} model calls`);
      }
      this.calls += 1;
      const { value, usage, shortened } = await agent.call(runtime, input, {
        ...(models[name] !== undefined ? { model: models[name] } : {}),
        ...(signal ? { signal } : {}),
        ...(maxContextTokens !== undefined ? { maxContextTokens } : {}),
        ...(how.context ? { context: how.context } : {}),
      });
      this.usage.push(toPlanUsage(usage));
      this.promptVersions[name] = usage.promptVersion;
      this.noteShortened(name, shortened);
      if (!this.finished.includes(name)) this.finished.push(name);
      return value;
    } catch (error) {
      throw new PlanStepError(step, total, name, error);
    } finally {
      this.running.splice(this.running.indexOf(name), 1);
    }
  }

  /** Records that an agent saw parts of its context shortened, once per agent and part. */
  private noteShortened(agent: PlanAgentName, labels: readonly string[]): void {
    if (labels.length === 0) return;
    this.note(
      `The ${AGENT_LABELS[agent]} saw a shortened copy of ${labels.join(", ")} to fit the model's context.`,
    );
  }

  private note(text: string): void {
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

// Tokens per model across the run, for the job summary.
import type { UsageRecord } from "../runner/types.js";

export interface ModelTotals {
  model: string;
  provider: string;
  calls: number;
  promptTokens: number;
  outputTokens: number;
  fallback: boolean;
}

export class UsageTotals {
  readonly #byModel = new Map<string, ModelTotals>();

  /** Bound, so it can be handed to the runtime as `onUsage`. */
  readonly add = (usage: UsageRecord): void => {
    const key = `${usage.provider} ${usage.model}`;
    const totals = this.#byModel.get(key) ?? {
      model: usage.model,
      provider: usage.provider,
      calls: 0,
      promptTokens: 0,
      outputTokens: 0,
      fallback: false,
    };
    totals.calls += 1;
    totals.promptTokens += usage.promptTokens;
    totals.outputTokens += usage.outputTokens;
    totals.fallback ||= usage.fallbackUsed;
    this.#byModel.set(key, totals);
  };

  list(): ModelTotals[] {
    return [...this.#byModel.values()];
  }
}

// Adds up one call's model requests (repair rounds included) into its usage record.
import { estimateTokens } from "./token-estimate.js";
import type { ModelTarget, ProviderReply, UsageRecord } from "./types.js";

/** One answered model request. */
export interface Answer {
  reply: ProviderReply;
  target: ModelTarget;
  /** Index of the answering link in the call's chain; above 0 means a fallback answered. */
  link: number;
  estimatedPromptTokens: number;
  numCtx: number | undefined;
}

export class UsageTally {
  retries = 0;
  repairRounds = 0;
  private promptTokens = 0;
  private outputTokens = 0;
  private estimatedPromptTokens = 0;
  private loadMs: number | undefined;
  private promptEvalMs: number | undefined;
  private evalMs: number | undefined;

  constructor(
    private readonly agent: string,
    private readonly promptVersion: string,
    private readonly startedAt: number,
  ) {}

  add(answer: Answer): void {
    const { reply } = answer;
    // Where a server reports no counts, our estimates stand in, so totals stay comparable.
    this.promptTokens += reply.promptTokens ?? answer.estimatedPromptTokens;
    this.outputTokens += reply.outputTokens ?? estimateTokens(reply.text);
    this.estimatedPromptTokens += answer.estimatedPromptTokens;
    this.loadMs = sum(this.loadMs, reply.durations.loadMs);
    this.promptEvalMs = sum(this.promptEvalMs, reply.durations.promptEvalMs);
    this.evalMs = sum(this.evalMs, reply.durations.evalMs);
  }

  /** The record of the whole call, named after the link that gave the final answer. */
  record(last: Answer, now: number): UsageRecord {
    return {
      agent: this.agent,
      promptVersion: this.promptVersion,
      provider: last.reply.provider ?? last.target.provider.kind,
      host: last.reply.host ?? last.target.provider.host,
      model: last.target.model,
      promptTokens: this.promptTokens,
      outputTokens: this.outputTokens,
      estimatedPromptTokens: this.estimatedPromptTokens,
      ...(last.numCtx !== undefined ? { numCtx: last.numCtx } : {}),
      ...(this.loadMs !== undefined ? { loadMs: this.loadMs } : {}),
      ...(this.promptEvalMs !== undefined ? { promptEvalMs: this.promptEvalMs } : {}),
      ...(this.evalMs !== undefined ? { evalMs: this.evalMs } : {}),
      wallMs: now - this.startedAt,
      retries: this.retries,
      repairRounds: this.repairRounds,
      fallbackUsed: last.link > 0,
      ...(last.reply.doneReason !== undefined ? { doneReason: last.reply.doneReason } : {}),
    };
  }
}

function sum(total: number | undefined, more: number | undefined): number | undefined {
  if (more === undefined) return total;
  return (total ?? 0) + more;
}

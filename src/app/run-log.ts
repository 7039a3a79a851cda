// One structured log line at the end of every queued run, with the model calls and tokens it
// spent; the tally follows the run through async calls, so agents need not pass it along.
import { AsyncLocalStorage } from "node:async_hooks";
import type { Logger } from "probot";
import { runWithLinkScope } from "../comments/link-scope.js";
import type { UsageRecord } from "../runner/types.js";
import type { Clock } from "./clock.js";
import type { RunOutcome, SymphonyMetrics } from "./metrics.js";
import type { UsageLimits } from "./usage-limits.js";

/** What one run spent on models so far. */
export class RunTally {
  modelCalls = 0;
  failedModelCalls = 0;
  promptTokens = 0;
  outputTokens = 0;
  fallbacks = 0;

  add(usage: UsageRecord): void {
    this.modelCalls += 1;
    this.promptTokens += usage.promptTokens;
    this.outputTokens += usage.outputTokens;
    if (usage.fallbackUsed) this.fallbacks += 1;
  }

  failed(): void {
    this.modelCalls += 1;
    this.failedModelCalls += 1;
  }

  get tokens(): number {
    return this.promptTokens + this.outputTokens;
  }
}

const currentRun = new AsyncLocalStorage<RunTally>();

/** The tally of the run this code is part of; undefined outside a run (start-up checks). */
export function currentRunTally(): RunTally | undefined {
  return currentRun.getStore();
}

export interface RunLogDetails {
  /** "issues.labeled". */
  event: string;
  deliveryId: string;
  /** "owner/repo". */
  repository: string;
  /** The queue key, e.g. "octo/repo#12:plan". */
  key: string;
  log: Logger;
  clock: Clock;
  limits: UsageLimits;
  metrics?: SymphonyMetrics;
}

/**
 * Runs `work` with a fresh tally, then logs the line, counts the tokens against the repository's
 * daily cap and updates the run metrics. Rethrows what `work` threw.
 */
export async function recordRun(
  details: RunLogDetails,
  signal: AbortSignal,
  work: () => Promise<void>,
): Promise<void> {
  const tally = new RunTally();
  const startedAt = details.clock.now();
  let outcome: RunOutcome = "completed";
  try {
    // Links the run's prompts held are the only ones its comments may carry (comments/link-scope).
    await currentRun.run(tally, () => runWithLinkScope(work));
  } catch (error) {
    outcome = signal.aborted ? "aborted" : "failed";
    throw error;
  } finally {
    if (outcome === "completed" && signal.aborted) outcome = "aborted";
    const durationMs = details.clock.now() - startedAt;
    if (tally.tokens > 0) details.limits.recordTokens(details.repository, tally.tokens);
    details.metrics?.runFinished(outcome, durationMs);
    details.log.info(
      {
        event: details.event,
        deliveryId: details.deliveryId,
        repository: details.repository,
        job: details.key,
        outcome,
        durationMs,
        modelCalls: tally.modelCalls,
        failedModelCalls: tally.failedModelCalls,
        promptTokens: tally.promptTokens,
        outputTokens: tally.outputTokens,
        fallbacks: tally.fallbacks,
      },
      `run ${outcome}: ${details.key}`,
    );
  }
}

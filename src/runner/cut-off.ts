// Replies the engine cut at the output limit (Ollama `done_reason: "length"`, OpenAI
// `finish_reason: "length"`): the fix is a larger allowance, never the same request again and
// never a repair round at the same limit, which the model cannot win.
import { ModelOutputError } from "./errors.js";
import type { ProviderReply } from "./types.js";

/** Allowance raises per call; each doubles it, so three cover 4096 → 32768. */
export const MAX_ALLOWANCE_RAISES = 3;

export function isCutOff(reply: ProviderReply): boolean {
  return reply.doneReason === "length";
}

/**
 * The next output allowance after a cut at `current`: twice as much, as far as the window leaves
 * room for beside the prompt; undefined when nothing larger fits (or the window is unknown).
 */
export function raisedAllowance(
  current: number,
  promptTokens: number,
  window: number | undefined,
): number | undefined {
  if (window === undefined) return undefined;
  const room = window - promptTokens;
  const next = Math.min(current * 2, room);
  return next > current ? next : undefined;
}

/** The reply was still cut when no larger allowance was possible (or allowed). */
export class ReplyCutOffError extends ModelOutputError {
  override name = "ReplyCutOffError";
  constructor(
    readonly model: string,
    readonly outputTokens: number,
    rawReply: string,
  ) {
    super(
      `model ${model} reached its output limit: the reply was cut at ${outputTokens} output ` +
        `tokens and no larger allowance fits its context window; raise SYMPHONY_MAX_OUTPUT_TOKENS ` +
        `together with SYMPHONY_NUM_CTX_MAX (or the server's context size), or ask for less ` +
        `(fewer files or findings per call)`,
      rawReply,
      [`the reply was cut at the output limit of ${outputTokens} tokens`],
    );
  }
}

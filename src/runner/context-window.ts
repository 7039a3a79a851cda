// Sizing the context window of a request, and reading the server's token count for truncation.
import type { ProviderKind } from "./types.js";

/** The server counting under this share of our estimate dropped part of the prompt. */
const TRUNCATED_SHARE = 0.5;
/** Below this estimate the share test is noise (template tokens, tokenizer differences). */
const SMALLEST_TELLING_ESTIMATE = 256;

/**
 * Tokens a request may use on this link: for Ollama the trained context capped by
 * SYMPHONY_NUM_CTX_MAX (the window costs GPU memory), for an OpenAI-compatible server its
 * advertised length, or undefined where it tells none and judges for itself.
 */
export function contextLimit(
  provider: ProviderKind,
  trained: number | undefined,
  numCtxMax: number,
): number | undefined {
  if (provider === "openai") return trained;
  return Math.min(trained ?? numCtxMax, numCtxMax);
}

export interface PromptCount {
  /** Our estimate of the prompt. */
  estimated: number;
  /** What the server says it evaluated (Ollama `prompt_eval_count`, OpenAI `prompt_tokens`). */
  counted: number;
  /** The window the request asked for, where it asked for one. */
  numCtx: number | undefined;
}

/**
 * Whether the server evidently cut the prompt: it filled the whole window (Ollama truncates to
 * exactly num_ctx), or it saw far fewer tokens than were sent (old messages dropped to fit a
 * smaller default context, as Ollama's /v1 does).
 */
export function evidentlyTruncated({ estimated, counted, numCtx }: PromptCount): boolean {
  if (numCtx !== undefined && counted >= numCtx) return true;
  return estimated >= SMALLEST_TELLING_ESTIMATE && counted < estimated * TRUNCATED_SHARE;
}

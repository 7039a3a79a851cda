// When a failed request is worth sending again, and how long to wait first.
import type { ModelRuntimeError } from "./errors.js";
import { ModelAbortedError, ModelUnavailableError } from "./errors.js";

/** Milliseconds to wait before retry number `retry` (0 for the first retry). */
export type Backoff = (retry: number) => number;

const FIRST_DELAY_MS = 500;
const LONGEST_DELAY_MS = 8000;

/**
 * Exponential backoff with jitter: 0.5 s, 1 s, 2 s … up to 8 s, each drawn from its upper half,
 * so that callers refused together by a busy host do not come back together.
 */
export const exponentialBackoff: Backoff = (retry) => {
  const ceiling = Math.min(FIRST_DELAY_MS * 2 ** retry, LONGEST_DELAY_MS);
  return ceiling / 2 + Math.random() * (ceiling / 2);
};

/**
 * Connection refused, 5xx, 503 "server busy", a dropped stream, an error line inside the stream:
 * all may pass. A missing model, a refused request, a timeout or a cancel will not.
 */
export function worthRetrying(error: ModelRuntimeError): boolean {
  return error instanceof ModelUnavailableError;
}

/** Waits `ms`, or rejects with ModelAbortedError as soon as the caller cancels. */
export function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (signal?.aborted) return Promise.reject(new ModelAbortedError("the model call was cancelled"));
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(new ModelAbortedError("the model call was cancelled"));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

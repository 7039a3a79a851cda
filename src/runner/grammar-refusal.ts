// A host that could not build a grammar from the reply schema (llama.cpp's "failed to load
// grammar", "failed to parse grammar"): the same request fails the same way every time, so it
// is never retried; another link of the fallback chain may still take it.
import { ModelRequestRejectedError } from "./errors.js";

const GRAMMAR_FAILURE = /\b(grammar|json[_ ]schema)\b/i;

export function grammarRefusal(
  message: string,
  hostLabel: string,
  host: string,
  status: number,
): ModelRequestRejectedError | undefined {
  if (!GRAMMAR_FAILURE.test(message)) return undefined;
  return new ModelRequestRejectedError(
    `${hostLabel} could not build a grammar from the reply schema (${status}: ${message}); ` +
      "this is a bug in Symphony's schema for that engine: report it with the host's version",
    host,
    status,
  );
}

// Failures of ollama-js, turned into the runtime's typed errors.
import {
  ModelAbortedError,
  ModelNotFoundError,
  ModelRequestRejectedError,
  ModelRuntimeError,
  ModelUnavailableError,
} from "../errors.js";
import { networkErrorCode, networkFailureReason } from "../network-error.js";
import { grammarRefusal } from "../grammar-refusal.js";

/** ollama-js throws this when the stream ends without its done chunk. */
const NO_FINAL_CHUNK = "Did not receive done or success response in stream.";

/** ollama-js does not export its ResponseError class; this is its shape. */
interface ResponseError extends Error {
  name: "ResponseError";
  status_code: number;
}

function isResponseError(error: unknown): error is ResponseError {
  return (
    error instanceof Error &&
    error.name === "ResponseError" &&
    typeof (error as { status_code?: unknown }).status_code === "number"
  );
}

export function ollamaError(error: unknown, host: string, model: string): ModelRuntimeError {
  if (error instanceof ModelRuntimeError) return error;
  if (error instanceof Error && error.name === "AbortError") {
    return new ModelAbortedError("the model call was cancelled");
  }
  if (error instanceof Error && error.name === "TimeoutError") {
    return new ModelUnavailableError(`the Ollama host ${host} did not answer in time`, host);
  }
  if (isResponseError(error)) return statusError(error, host, model);
  if (error instanceof Error && error.message === NO_FINAL_CHUNK) {
    return new ModelUnavailableError(
      `the Ollama host ${host} ended the reply stream before its final chunk`,
      host,
    );
  }
  // fetch reports network failures as TypeError ("fetch failed", "terminated").
  if (error instanceof TypeError || networkErrorCode(error) !== undefined) {
    const reason = networkFailureReason(error);
    const advice =
      reason === "connection refused" || reason === "host name not found"
        ? ": start Ollama (`ollama serve`) or check OLLAMA_HOST"
        : "";
    return new ModelUnavailableError(
      `could not talk to the Ollama host ${host} (${reason})${advice}`,
      host,
    );
  }
  // ollama-js throws a plain Error carrying the text of an {"error": …} line in a 200 stream.
  const message = error instanceof Error ? error.message : String(error);
  return new ModelUnavailableError(
    `the Ollama host ${host} failed while answering: ${message}`,
    host,
  );
}

/** A short description of any failure, for health problems. */
export function describeOllamaFailure(error: unknown): string {
  if (isResponseError(error)) return `${error.status_code} ${error.message}`;
  if (error instanceof Error && error.name === "TimeoutError") return "no answer within 5 s";
  return networkFailureReason(error);
}

function statusError(error: ResponseError, host: string, model: string): ModelRuntimeError {
  const status = error.status_code;
  if (status === 404) return new ModelNotFoundError(model, host);
  if (status === 503) {
    return new ModelUnavailableError(
      `the Ollama host ${host} is busy (${error.message}); ` +
        "raise OLLAMA_MAX_QUEUE on the host or lower SYMPHONY_MODEL_CONCURRENCY",
      host,
      status,
    );
  }
  const refused = grammarRefusal(error.message, `the Ollama host ${host}`, host, status);
  if (refused) return refused;
  if (status >= 500 || status === 429) {
    return new ModelUnavailableError(
      `the Ollama host ${host} answered ${status}: ${error.message}`,
      host,
      status,
    );
  }
  return new ModelRequestRejectedError(
    `the Ollama host ${host} refused the request for ${model} (${status}): ${error.message}`,
    host,
    status,
  );
}

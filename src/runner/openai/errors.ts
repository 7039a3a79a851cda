// Failures of the `openai` SDK, turned into the runtime's typed errors.
import { APIConnectionError, APIError, APIUserAbortError } from "openai";
import {
  ModelAbortedError,
  ModelNotFoundError,
  ModelRequestRejectedError,
  ModelRuntimeError,
  ModelUnavailableError,
} from "../errors.js";
import { networkFailureReason } from "../network-error.js";
import { grammarRefusal } from "../grammar-refusal.js";

/**
 * The typed error for a failure, with the key scrubbed from its message: some servers quote the
 * key they refused, and these messages reach logs and status comments.
 */
export function openaiError(
  error: unknown,
  host: string,
  model: string,
  secret: string | undefined,
): ModelRuntimeError {
  const typed = typedError(error, host, model);
  if (secret && typed.message.includes(secret)) {
    typed.message = typed.message.split(secret).join("[redacted]");
  }
  return typed;
}

function typedError(error: unknown, host: string, model: string): ModelRuntimeError {
  if (error instanceof ModelRuntimeError) return error;
  if (
    error instanceof APIUserAbortError ||
    (error instanceof Error && error.name === "AbortError")
  ) {
    return new ModelAbortedError("the model call was cancelled");
  }
  if (error instanceof APIConnectionError) {
    const reason = networkFailureReason(error.cause ?? error);
    return new ModelUnavailableError(
      `could not talk to the OpenAI-compatible endpoint ${host} (${reason}): check OPENAI_BASE_URL and that the server runs`,
      host,
    );
  }
  if (error instanceof APIError) return statusError(error, host, model);
  if (error instanceof SyntaxError) {
    return new ModelUnavailableError(
      `the OpenAI-compatible endpoint ${host} sent a reply stream that is not valid JSON`,
      host,
    );
  }
  const reason = error instanceof TypeError ? networkFailureReason(error) : String(error);
  return new ModelUnavailableError(
    `the OpenAI-compatible endpoint ${host} failed while answering: ${reason}`,
    host,
  );
}

export function describeOpenAIFailure(error: unknown): string {
  if (error instanceof APIError && error.status !== undefined) return `${error.status}`;
  if (error instanceof Error && error.name === "TimeoutError") return "no answer within 5 s";
  return networkFailureReason(error instanceof APIConnectionError ? (error.cause ?? error) : error);
}

function statusError(error: APIError, host: string, model: string): ModelRuntimeError {
  const status = error.status;
  // An APIError without a status is an error event inside a 200 stream.
  if (status === undefined) {
    return new ModelUnavailableError(
      `the OpenAI-compatible endpoint ${host} failed while answering: ${error.message}`,
      host,
    );
  }
  if (status === 404) return new ModelNotFoundError(model, host, "openai");
  if (status === 401 || status === 403) {
    return new ModelRequestRejectedError(
      `the OpenAI-compatible endpoint ${host} refused the key (${status}): check OPENAI_API_KEY`,
      host,
      status,
    );
  }
  const refused = grammarRefusal(
    error.message,
    `the OpenAI-compatible endpoint ${host}`,
    host,
    status,
  );
  if (refused) return refused;
  if (status >= 500 || status === 429) {
    return new ModelUnavailableError(
      `the OpenAI-compatible endpoint ${host} answered ${status}: ${error.message}`,
      host,
      status,
    );
  }
  return new ModelRequestRejectedError(
    `the OpenAI-compatible endpoint ${host} refused the request for ${model} (${status}): ${error.message}`,
    host,
    status,
  );
}

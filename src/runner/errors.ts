// Typed errors of the model runtime. Each message is a sentence a user can act on.
import type { ProviderKind } from "./types.js";

export class ModelRuntimeError extends Error {
  override name = "ModelRuntimeError";
  /** Whether trying the next link of the fallback chain makes sense. */
  readonly fallbackWorthy: boolean = true;
}

/** The host did not answer, answered 5xx, or dropped the connection, after retries. */
export class ModelUnavailableError extends ModelRuntimeError {
  override name = "ModelUnavailableError";
  constructor(
    message: string,
    readonly host: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** The server does not have the model (Ollama answers 404). Never retried. */
export class ModelNotFoundError extends ModelRuntimeError {
  override name = "ModelNotFoundError";
  constructor(
    readonly model: string,
    readonly host: string,
    /** Which kind of server said so; the advice differs. */
    readonly provider: ProviderKind = "ollama",
  ) {
    super(
      provider === "ollama"
        ? `model ${model} is not on the Ollama host ${host}: run \`ollama pull ${model}\``
        : `model ${model} is not served by the OpenAI-compatible endpoint ${host}: ` +
            `check the model name against its /v1/models list and that OPENAI_BASE_URL ends in /v1`,
    );
  }
}

/**
 * The server refused the request itself (400, 401, 403, 422…): retrying the same request cannot
 * help, another link of the fallback chain might.
 */
export class ModelRequestRejectedError extends ModelRuntimeError {
  override name = "ModelRequestRejectedError";
  constructor(
    message: string,
    readonly host: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** The prompt plus reserved output cannot fit the model's context window. */
export class ContextOverflowError extends ModelRuntimeError {
  override name = "ContextOverflowError";
  constructor(
    readonly model: string,
    readonly promptTokens: number,
    readonly contextLength: number,
  ) {
    super(
      `the prompt (~${promptTokens} tokens) does not fit model ${model}'s context of ${contextLength} tokens; ` +
        `lower max_context_files or choose a model with a longer context`,
    );
  }
}

/** The reply could not be made to match the schema within the repair budget. */
export class ModelOutputError extends ModelRuntimeError {
  override name = "ModelOutputError";
  constructor(
    message: string,
    readonly rawReply: string,
    readonly issues: string[],
  ) {
    super(message);
  }
}

/** The per-host queue is full: refuse instead of holding unbounded work in memory. */
export class ModelOverloadedError extends ModelRuntimeError {
  override name = "ModelOverloadedError";
  constructor(
    readonly host: string,
    readonly queued: number,
  ) {
    super(`the model host ${host} already has ${queued} calls waiting; try again shortly`);
  }
}

/** The call ran past its time limit. */
export class ModelTimeoutError extends ModelRuntimeError {
  override name = "ModelTimeoutError";
  constructor(
    readonly host: string,
    readonly timeoutMs: number,
  ) {
    super(`the model host ${host} did not finish within ${Math.round(timeoutMs / 1000)} s`);
  }
}

/** The caller aborted; not a fault, never retried or fallen back from. */
export class ModelAbortedError extends ModelRuntimeError {
  override name = "ModelAbortedError";
  override readonly fallbackWorthy = false;
}

/** An environment variable of the runtime has a value it cannot use. Thrown at start-up. */
export class RuntimeSettingsError extends Error {
  override name = "RuntimeSettingsError";
  constructor(
    message: string,
    /** The environment variables at fault. */
    readonly variables: string[],
  ) {
    super(message);
  }
}

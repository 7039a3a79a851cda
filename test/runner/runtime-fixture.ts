// Shared set-up for the runtime tests: a runtime pointed at scripted servers, a logger that keeps
// what it was told, and each provider's view of a recorded request body.
import nock from "nock";
import { afterAll, beforeAll } from "vitest";
import {
  createModelRuntime,
  loadRuntimeSettings,
  type GenerateTextRequest,
  type RuntimeLogger,
  type RuntimeOptions,
  type RuntimeSettings,
  type SymphonyRuntime,
} from "../../src/runner/index.js";
import type {
  JsonObject,
  JsonValue,
  ModelServer,
  RecordedRequest,
} from "../support/model-server.js";

export const MODEL = "qwen2.5-coder:14b";

/** Every test file: no network but the scripted servers on 127.0.0.1. */
export function onlyLocalNetwork(): void {
  beforeAll(() => {
    nock.disableNetConnect();
    nock.enableNetConnect(/^127\.0\.0\.1(:\d+)?$/);
  });
  afterAll(() => {
    nock.enableNetConnect();
  });
}

export interface LogEntry {
  level: "debug" | "info" | "warn" | "error";
  obj: object;
  msg: string;
}

export interface RecordingLogger extends RuntimeLogger {
  entries: LogEntry[];
  /** Everything logged, as one string, for "never appears" checks. */
  text(): string;
}

export function recordingLogger(): RecordingLogger {
  const entries: LogEntry[] = [];
  const at =
    (level: LogEntry["level"]) =>
    (obj: object, msg: string): void => {
      entries.push({ level, obj, msg });
    };
  return {
    entries,
    debug: at("debug"),
    info: at("info"),
    warn: at("warn"),
    error: at("error"),
    text: () => entries.map((entry) => `${entry.msg} ${JSON.stringify(entry.obj)}`).join("\n"),
  };
}

/** How each provider is reached and how its request bodies read. */
export interface ProviderCase {
  name: "ollama" | "openai";
  env(server: ModelServer): Record<string, string>;
  /** The JSON Schema the request asked the reply to follow. */
  sentSchema(body: JsonObject | undefined): JsonValue | undefined;
  /** The output token reserve the request asked for. */
  sentMaxOutput(body: JsonObject | undefined): JsonValue | undefined;
}

export const ollamaCase: ProviderCase = {
  name: "ollama",
  env: (server) => ({ OLLAMA_HOST: server.url }),
  sentSchema: (body) => body?.["format"],
  sentMaxOutput: (body) => field(body?.["options"], "num_predict"),
};

export const openaiCase: ProviderCase = {
  name: "openai",
  env: (server) => ({ SYMPHONY_PROVIDER: "openai", OPENAI_BASE_URL: `${server.url}/v1` }),
  sentSchema: (body) => field(field(body?.["response_format"], "json_schema"), "schema"),
  sentMaxOutput: (body) => body?.["max_tokens"],
};

export const bothProviders = [ollamaCase, openaiCase];

export interface TestRuntime {
  runtime: SymphonyRuntime;
  logger: RecordingLogger;
  settings: RuntimeSettings;
}

/**
 * A runtime from environment variables, with settings the environment cannot reach (a time limit
 * under a second) overridden, and retries that do not wait.
 */
export function testRuntime(
  env: Record<string, string>,
  overrides: Partial<RuntimeSettings> = {},
  options: RuntimeOptions = {},
): TestRuntime {
  const logger = recordingLogger();
  const settings = { ...loadRuntimeSettings({ SYMPHONY_MODEL: MODEL, ...env }), ...overrides };
  const runtime = createModelRuntime(settings, { logger, backoff: () => 0, ...options });
  return { runtime, logger, settings };
}

export function ask(
  content: string,
  extra: Partial<GenerateTextRequest> = {},
): GenerateTextRequest {
  return {
    agent: "planner",
    promptVersion: "planner@1",
    messages: [
      { role: "system", content: "You plan GitHub issues." },
      { role: "user", content },
    ],
    ...extra,
  };
}

export function bodies(server: ModelServer): (JsonObject | undefined)[] {
  return server.chatRequests().map((request: RecordedRequest) => request.body);
}

/** The content of a request's last message (a repair round's question, say). */
export function lastMessageContent(body: JsonObject | undefined): JsonValue | undefined {
  const messages = body?.["messages"];
  return Array.isArray(messages) ? field(messages.at(-1), "content") : undefined;
}

/** A field of a JSON object, or undefined when the value is not an object. */
export function field(value: JsonValue | undefined, key: string): JsonValue | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  return value[key];
}

/** What a promise rejected with; fails the test when it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Error) return error;
    throw new Error(`rejected with a non-Error: ${String(error)}`);
  }
  throw new Error("expected the promise to reject, but it resolved");
}

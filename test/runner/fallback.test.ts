import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import {
  ModelAbortedError,
  ModelNotFoundError,
  ModelUnavailableError,
} from "../../src/runner/index.js";
import { startModelServer, type FaultReply, type ModelServer } from "../support/model-server.js";
import {
  ask,
  bodies,
  MODEL,
  onlyLocalNetwork,
  rejectionOf,
  testRuntime,
} from "./runtime-fixture.js";

onlyLocalNetwork();

const FALLBACK = "gpt-4o-mini";
const busy: FaultReply = { fault: "status", status: 503 };
const busyFourTimes = [busy, busy, busy, busy];

describe("the fallback chain from Ollama to an OpenAI-compatible endpoint", () => {
  let ollama: ModelServer;
  let hosted: ModelServer;
  beforeEach(async () => {
    ollama = await startModelServer({ models: [{ name: MODEL, contextLength: 32768 }] });
    hosted = await startModelServer({ models: [{ name: FALLBACK }] });
  });
  afterEach(async () => {
    await ollama.close();
    await hosted.close();
  });

  const chainEnv = () => ({
    OLLAMA_HOST: ollama.url,
    OPENAI_BASE_URL: `${hosted.url}/v1`,
    SYMPHONY_FALLBACK_MODEL: FALLBACK,
  });

  it("leaves the fallback alone when the first model answers", async () => {
    const { runtime } = testRuntime(chainEnv());
    ollama.enqueue({ content: "from ollama" });
    const result = await runtime.generateText(ask("Plan."));
    expect(result.usage).toMatchObject({ provider: "ollama", model: MODEL, fallbackUsed: false });
    expect(hosted.chatRequests()).toHaveLength(0);
  });

  it("answers from the fallback when Ollama stays busy, and the usage record says so", async () => {
    const { runtime } = testRuntime(chainEnv());
    ollama.enqueue(...busyFourTimes);
    hosted.enqueue({ content: "from the fallback" });
    const result = await runtime.generateText(ask("Plan."));
    expect(result.text).toBe("from the fallback");
    expect(result.usage).toMatchObject({
      provider: "openai",
      host: `${hosted.url}/v1`,
      model: FALLBACK,
      fallbackUsed: true,
      retries: 3,
    });
    expect(bodies(hosted)[0]).toMatchObject({ model: FALLBACK });
  });

  it("answers from the fallback when the Ollama host lacks the model", async () => {
    await ollama.close();
    ollama = await startModelServer({ models: [{ name: "llama3.1:8b" }] });
    const { runtime } = testRuntime(chainEnv());
    hosted.enqueue({ content: "from the fallback" });
    const result = await runtime.generateText(ask("Plan."));
    expect(result.usage.fallbackUsed).toBe(true);
  });

  it("answers from the fallback when the prompt does not fit the first model", async () => {
    await ollama.close();
    ollama = await startModelServer({ models: [{ name: MODEL, contextLength: 2048 }] });
    const { runtime } = testRuntime({ ...chainEnv(), SYMPHONY_MAX_OUTPUT_TOKENS: "1024" });
    hosted.enqueue({ content: "from the fallback" });
    const result = await runtime.generateText(ask("word ".repeat(3000)));
    expect(result.usage.fallbackUsed).toBe(true);
    expect(ollama.chatRequests()).toHaveLength(0);
  });

  it("logs the fallback as a warning naming both links", async () => {
    const { runtime, logger } = testRuntime(chainEnv());
    ollama.enqueue(...busyFourTimes);
    hosted.enqueue({ content: "from the fallback" });
    await runtime.generateText(ask("Plan."));
    expect(logger.entries).toContainEqual({
      level: "warn",
      msg: "model call failed; falling back to the next model",
      obj: expect.objectContaining({
        failed: `ollama ${ollama.url} model ${MODEL}`,
        next: `openai ${hosted.url}/v1 model ${FALLBACK}`,
      }),
    });
  });

  it("reports the first link's error when every link fails", async () => {
    const { runtime } = testRuntime(chainEnv());
    ollama.enqueue(...busyFourTimes);
    hosted.enqueue({ fault: "status", status: 404 });
    const error = await rejectionOf(runtime.generateText(ask("Plan.")));
    expect(error).toBeInstanceOf(ModelUnavailableError);
    expect(error).toMatchObject({ host: ollama.url, status: 503 });
  });

  it("does not fall back when the caller aborts", async () => {
    const { runtime } = testRuntime(chainEnv());
    ollama.enqueue({ content: "slow", headerDelayMs: 60_000 });
    const controller = new AbortController();
    const call = runtime.generateText(ask("Plan.", { signal: controller.signal }));
    await ollama.waitForChatRequests(1);
    controller.abort();
    expect(await rejectionOf(call)).toBeInstanceOf(ModelAbortedError);
    expect(hosted.chatRequests()).toHaveLength(0);
  });

  it("keeps repair rounds on the link that answered", async () => {
    const { runtime } = testRuntime(chainEnv());
    ollama.enqueue(...busyFourTimes);
    hosted.enqueue({ content: "not json" }, { json: { ok: true } });
    const result = await runtime.generateObject({
      ...ask("Say ok."),
      schema: z.object({ ok: z.boolean() }),
    });
    expect(result.usage).toMatchObject({ fallbackUsed: true, repairRounds: 1 });
    expect(ollama.chatRequests()).toHaveLength(4);
    expect(hosted.chatRequests()).toHaveLength(2);
  });
});

describe("a fallback model on the same Ollama host", () => {
  it("answers when the first model is missing", async () => {
    const server = await startModelServer({ models: [{ name: "llama3.1:8b" }] });
    try {
      const { runtime } = testRuntime({
        OLLAMA_HOST: server.url,
        SYMPHONY_FALLBACK_MODEL: "llama3.1:8b",
      });
      server.enqueue({ content: "from llama" });
      const result = await runtime.generateText(ask("Plan."));
      expect(result.usage).toMatchObject({
        provider: "ollama",
        model: "llama3.1:8b",
        fallbackUsed: true,
      });
    } finally {
      await server.close();
    }
  });
});

describe("a model chosen by the repository's config", () => {
  let server: ModelServer;
  beforeEach(async () => {
    server = await startModelServer({
      models: [{ name: MODEL }, { name: "llama3.1:8b" }, { name: FALLBACK }],
    });
  });
  afterEach(async () => {
    await server.close();
  });

  it("is used when the operator allows it", async () => {
    const { runtime } = testRuntime({
      OLLAMA_HOST: server.url,
      SYMPHONY_ALLOWED_MODELS: `${MODEL}, llama3.1:8b`,
    });
    server.enqueue({ content: "ok" });
    const result = await runtime.generateText(ask("Plan.", { model: "llama3.1:8b" }));
    expect(bodies(server)[0]).toMatchObject({ model: "llama3.1:8b" });
    expect(result.usage).toMatchObject({ model: "llama3.1:8b", fallbackUsed: false });
  });

  it("is replaced by the default model, with a log line, when the operator does not allow it", async () => {
    const { runtime, logger } = testRuntime({ OLLAMA_HOST: server.url });
    server.enqueue({ content: "ok" });
    await runtime.generateText(ask("Plan.", { model: "llama3.1:8b" }));
    expect(bodies(server)[0]).toMatchObject({ model: MODEL });
    expect(logger.entries).toContainEqual({
      level: "info",
      msg: expect.stringContaining("not among SYMPHONY_ALLOWED_MODELS"),
      obj: expect.objectContaining({ requested: "llama3.1:8b", using: MODEL }),
    });
  });

  it("goes to the link that serves it when it is the fallback model", async () => {
    const hosted = await startModelServer({ models: [{ name: FALLBACK }] });
    try {
      const { runtime } = testRuntime({
        OLLAMA_HOST: server.url,
        OPENAI_BASE_URL: `${hosted.url}/v1`,
        SYMPHONY_FALLBACK_MODEL: FALLBACK,
      });
      hosted.enqueue({ content: "ok" });
      const result = await runtime.generateText(ask("Plan.", { model: FALLBACK }));
      expect(result.usage).toMatchObject({
        provider: "openai",
        model: FALLBACK,
        fallbackUsed: false,
      });
      expect(server.chatRequests()).toHaveLength(0);
    } finally {
      await hosted.close();
    }
  });

  it("falls back to the default model when the host lacks the chosen one", async () => {
    await server.close();
    server = await startModelServer({ models: [{ name: MODEL }] });
    const { runtime } = testRuntime({
      OLLAMA_HOST: server.url,
      SYMPHONY_ALLOWED_MODELS: `${MODEL},llama3.1:8b`,
    });
    server.enqueue({ content: "ok" });
    const result = await runtime.generateText(ask("Plan.", { model: "llama3.1:8b" }));
    expect(result.usage).toMatchObject({ model: MODEL, fallbackUsed: true });
  });

  it("fails with ModelNotFoundError when neither it nor the default is on the host", async () => {
    await server.close();
    server = await startModelServer({ models: [{ name: "phi4" }] });
    const { runtime } = testRuntime({
      OLLAMA_HOST: server.url,
      SYMPHONY_ALLOWED_MODELS: `${MODEL},llama3.1:8b`,
    });
    const error = await rejectionOf(runtime.generateText(ask("Plan.", { model: "llama3.1:8b" })));
    expect(error).toBeInstanceOf(ModelNotFoundError);
    expect(error).toMatchObject({ model: "llama3.1:8b" });
  });
});

// Symphony's real providers against real llama.cpp: the tiny test models behind Ollama's
// /api/chat and llama-server's /v1/chat/completions. Replies are noise; what is checked is that
// the engine accepts every schema, and that cut-off and truncated prompts take the paths they
// should.
import nock from "nock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { reviewReplySchema } from "../../src/agents/editor/review.js";
import {
  createModelRuntime,
  loadRuntimeSettings,
  ModelOutputError,
  ModelRequestRejectedError,
  ModelRuntimeError,
  ReplyCutOffError,
} from "../../src/runner/index.js";
import { OllamaProvider } from "../../src/runner/ollama/provider.js";
import { OpenAIProvider } from "../../src/runner/openai/provider.js";
import { jsonSchemaFor } from "../../src/runner/structured-output.js";
import { recordingLogger } from "../runner/runtime-fixture.js";
import { AGENT_SCHEMAS } from "./support/agent-schemas.js";
import {
  ENGINE_PROVIDERS,
  engineInstalled,
  ENGINE_SKIP_MESSAGE,
  startEngineServer,
  type EngineServer,
} from "./support/engine.js";

if (!engineInstalled) console.warn(ENGINE_SKIP_MESSAGE);

describe.skipIf(!engineInstalled)("Symphony on real llama.cpp", () => {
  let engine: EngineServer;
  beforeAll(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect(/^127\.0\.0\.1(:\d+)?$/);
    engine = await startEngineServer();
  }, 30_000);
  afterAll(async () => {
    await engine?.close();
    nock.enableNetConnect();
  });

  function engineRuntime(env: Record<string, string>) {
    const logger = recordingLogger();
    const settings = loadRuntimeSettings({
      SYMPHONY_MODEL: "tiny",
      SYMPHONY_NUM_CTX_MAX: "8192",
      SYMPHONY_MAX_OUTPUT_TOKENS: "512",
      SYMPHONY_MAX_REPAIRS: "0",
      SYMPHONY_MODEL_RETRIES: "0",
      ...env,
    });
    return { runtime: createModelRuntime(settings, { logger, backoff: () => 0 }), logger };
  }

  describe.each(ENGINE_PROVIDERS)("through the $name provider", (provider) => {
    it.each(Object.keys(AGENT_SCHEMAS))(
      "the engine samples a reply under the schema of %s",
      async (agent) => {
        const { runtime } = engineRuntime(provider.env(engine.url));
        const outcome = await runtime
          .generateObject({
            agent,
            promptVersion: "engine@1",
            messages: [
              { role: "system", content: `You are ${agent}.` },
              { role: "user", content: "Do your step for issue #13." },
            ],
            schema: AGENT_SCHEMAS[agent]!,
          })
          .then(
            (result) => ({ ok: true as const, result }),
            (error: unknown) => ({ ok: false as const, error }),
          );
        // Noise may fail zod (a path that does not exist, an empty title): that is a typed
        // output error with the reply in hand, never a refused request or a broken stream.
        if (outcome.ok) expect(outcome.result.usage.outputTokens).toBeGreaterThan(0);
        else expect(outcome.error).toBeInstanceOf(ModelOutputError);
      },
    );
  });

  it.each(ENGINE_PROVIDERS)(
    "a schema llama.cpp refuses ends in one request and a message that blames the schema ($name)",
    async (provider) => {
      const target =
        provider.name === "ollama"
          ? new OllamaProvider({ baseUrl: engine.url })
          : new OpenAIProvider({ baseUrl: `${engine.url}/v1` });
      const error = await target
        .chat({
          model: "tiny",
          messages: [{ role: "user", content: "Review." }],
          jsonSchema: jsonSchemaFor(reviewReplySchema),
          maxOutputTokens: 64,
          numCtx: 2048,
        })
        .then(
          () => undefined,
          (caught: unknown) => caught,
        );
      expect(error).toBeInstanceOf(ModelRequestRejectedError);
      expect((error as Error).message).toMatch(/could not build a grammar.*failed to load grammar/);
    },
  );

  it("answers Ollama's non-streamed /api/chat with the final counts", async () => {
    const response = await fetch(`${engine.url}/api/chat`, {
      method: "POST",
      body: JSON.stringify({
        model: "tiny",
        stream: false,
        messages: [{ role: "user", content: "Hi." }],
        options: { num_ctx: 512, num_predict: 8 },
      }),
    });
    expect(await response.json()).toMatchObject({
      done: true,
      done_reason: expect.stringMatching(/^(stop|length)$/),
      prompt_eval_count: expect.any(Number),
      eval_count: expect.any(Number),
    });
  });

  it.each(ENGINE_PROVIDERS)(
    "a reply cut at the output limit gets twice the room each time, then a message naming the limit ($name)",
    async (provider) => {
      const { runtime } = engineRuntime({
        ...provider.env(engine.url),
        SYMPHONY_MODEL: "tiny-endless",
        SYMPHONY_MAX_OUTPUT_TOKENS: "32",
        SYMPHONY_NUM_CTX_MAX: "2048",
      });
      // This model never closes the string: the reply runs to every limit it is given.
      const error = await runtime
        .generateObject({
          agent: "ask",
          promptVersion: "engine@1",
          messages: [{ role: "user", content: "Tell me everything." }],
          schema: z.object({ text: z.string() }),
        })
        .then(
          () => undefined,
          (caught: unknown) => caught,
        );
      expect(error).toBeInstanceOf(ReplyCutOffError);
      expect((error as Error).message).toMatch(/cut at 256 output tokens/);
    },
  );

  it("a prompt longer than num_ctx is caught as truncated on the real engine", async () => {
    const { runtime, logger } = engineRuntime({
      OLLAMA_HOST: engine.url,
      SYMPHONY_NUM_CTX_MAX: "2048",
      SYMPHONY_MAX_OUTPUT_TOKENS: "64",
    });
    // One token per character for the tiny model, about four characters per token by Symphony's
    // estimate: the estimate fits the window, the real prompt does not.
    const long = "abcd ".repeat(1000);
    const error = await runtime
      .generateText({
        agent: "review",
        promptVersion: "engine@1",
        messages: [{ role: "user", content: long }],
      })
      .then(
        () => undefined,
        (caught: unknown) => caught,
      );
    expect(logger.entries).toContainEqual({
      level: "warn",
      msg: expect.stringContaining("evidently truncated the prompt"),
      obj: expect.objectContaining({ promptTokens: 2048, numCtx: 2048 }),
    });
    expect(error === undefined || error instanceof ModelRuntimeError).toBe(true);
  });
});

import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { ContextOverflowError } from "../../src/runner/index.js";
import { startModelServer, type ModelServer, type ScriptedModel } from "../support/model-server.js";
import {
  ask,
  bodies,
  field,
  MODEL,
  onlyLocalNetwork,
  openaiCase,
  rejectionOf,
  testRuntime,
} from "./runtime-fixture.js";

onlyLocalNetwork();

let server: ModelServer;
afterEach(async () => {
  await server.close();
});

async function serve(
  models: ScriptedModel[] = [{ name: MODEL, contextLength: 32768 }],
  reportMaxModelLen = false,
) {
  server = await startModelServer({ models, reportMaxModelLen });
  return server;
}

/** About `count` tokens by the runtime's estimate: one per short word. */
function words(count: number): string {
  return "word ".repeat(count);
}

const numCtxOf = (index: number) => field(bodies(server)[index]?.["options"], "num_ctx");

describe("num_ctx on Ollama requests", () => {
  it("sets num_ctx to the model's whole window under SYMPHONY_NUM_CTX_MAX", async () => {
    await serve();
    const { runtime } = testRuntime({
      OLLAMA_HOST: server.url,
      SYMPHONY_MAX_OUTPUT_TOKENS: "4096",
    });
    server.enqueue({ content: "ok" });
    const { usage } = await runtime.generateText(ask("Plan issue #3."));
    expect(bodies(server)[0]).toMatchObject({ options: { num_ctx: 32768, num_predict: 4096 } });
    expect(usage.numCtx).toBe(32768);
  });

  it("sets num_ctx on every request, repair rounds included", async () => {
    await serve();
    const { runtime } = testRuntime({ OLLAMA_HOST: server.url });
    server.enqueue({ content: "not json" }, { json: { ok: true } });
    await runtime.generateObject({ ...ask("Say ok."), schema: z.object({ ok: z.boolean() }) });
    expect([numCtxOf(0), numCtxOf(1)]).toEqual([32768, 32768]);
  });

  it("keeps num_ctx the same for small and large prompts, so Ollama never reloads the model between steps", async () => {
    await serve();
    const { runtime } = testRuntime({
      OLLAMA_HOST: server.url,
      SYMPHONY_MAX_OUTPUT_TOKENS: "1024",
    });
    server.enqueue({ content: "ok" }, { content: "ok" }, { content: "ok" });
    await runtime.generateText(ask("Short."));
    await runtime.generateText(ask(words(10_000)));
    await runtime.generateText(ask(words(3000), { maxOutputTokens: 256 }));
    expect([numCtxOf(0), numCtxOf(1), numCtxOf(2)]).toEqual([32768, 32768, 32768]);
  });

  it("caps num_ctx at the model's trained context", async () => {
    await serve([{ name: MODEL, contextLength: 6000 }]);
    const { runtime } = testRuntime({
      OLLAMA_HOST: server.url,
      SYMPHONY_MAX_OUTPUT_TOKENS: "4096",
    });
    server.enqueue({ content: "ok" });
    await runtime.generateText(ask("Plan."));
    expect(numCtxOf(0)).toBe(6000);
  });

  it("caps num_ctx at SYMPHONY_NUM_CTX_MAX", async () => {
    await serve([{ name: MODEL, contextLength: 131072 }]);
    const { runtime } = testRuntime({
      OLLAMA_HOST: server.url,
      SYMPHONY_NUM_CTX_MAX: "12000",
      SYMPHONY_MAX_OUTPUT_TOKENS: "1024",
    });
    server.enqueue({ content: "ok" });
    await runtime.generateText(ask(words(9000)));
    expect(numCtxOf(0)).toBe(12000);
  });

  it("reserves the output tokens a call asks for instead of the default", async () => {
    await serve();
    const { runtime } = testRuntime({ OLLAMA_HOST: server.url });
    server.enqueue({ content: "ok" });
    await runtime.generateText(ask("Plan.", { maxOutputTokens: 512 }));
    expect(bodies(server)[0]).toMatchObject({ options: { num_ctx: 32768, num_predict: 512 } });
  });

  it("sends keep_alive, temperature and seed from the settings", async () => {
    await serve();
    const { runtime } = testRuntime({
      OLLAMA_HOST: server.url,
      SYMPHONY_KEEP_ALIVE: "1h",
      SYMPHONY_TEMPERATURE: "0",
      SYMPHONY_SEED: "42",
    });
    server.enqueue({ content: "ok" });
    await runtime.generateText(ask("Plan."));
    expect(bodies(server)[0]).toMatchObject({
      keep_alive: "1h",
      options: { temperature: 0, seed: 42 },
    });
  });
});

describe("the model's context length", () => {
  it("is read from /api/show once per host and model", async () => {
    await serve();
    const { runtime } = testRuntime({ OLLAMA_HOST: server.url });
    server.enqueue({ content: "one" }, { content: "two" });
    await runtime.generateText(ask("First."));
    await runtime.generateText(ask("Second."));
    const shows = server.requests().filter((request) => request.path === "/api/show");
    expect(shows.map((request) => request.body)).toEqual([{ model: MODEL }]);
  });

  it("is read again for another model", async () => {
    await serve([
      { name: MODEL, contextLength: 32768 },
      { name: "llama3.1:8b", contextLength: 131072 },
    ]);
    const { runtime } = testRuntime({
      OLLAMA_HOST: server.url,
      SYMPHONY_ALLOWED_MODELS: `${MODEL},llama3.1:8b`,
    });
    server.enqueue({ content: "one" }, { content: "two" });
    await runtime.generateText(ask("First."));
    await runtime.generateText(ask("Second.", { model: "llama3.1:8b" }));
    const shown = server.requests().filter((request) => request.path === "/api/show");
    expect(shown.map((request) => request.body?.["model"])).toEqual([MODEL, "llama3.1:8b"]);
  });

  it("bounds the prompt budget a caller may fill", async () => {
    await serve([{ name: MODEL, contextLength: 32768 }]);
    const { runtime } = testRuntime({
      OLLAMA_HOST: server.url,
      SYMPHONY_NUM_CTX_MAX: "16384",
      SYMPHONY_MAX_OUTPUT_TOKENS: "4096",
    });
    expect(await runtime.promptBudget()).toBe(12288);
  });
});

describe("a prompt that cannot fit", () => {
  it("is refused with ContextOverflowError before anything is sent to Ollama", async () => {
    await serve([{ name: MODEL, contextLength: 4096 }]);
    const { runtime } = testRuntime({
      OLLAMA_HOST: server.url,
      SYMPHONY_MAX_OUTPUT_TOKENS: "1024",
    });
    const error = await rejectionOf(runtime.generateText(ask(words(5000))));
    expect(error).toBeInstanceOf(ContextOverflowError);
    expect(error).toMatchObject({ model: MODEL, contextLength: 4096 });
    expect(error.message).toMatch(/does not fit model qwen2.5-coder:14b's context of 4096 tokens/);
    expect(server.chatRequests()).toHaveLength(0);
  });

  it("is refused when it would leave no room for the reserved output", async () => {
    await serve([{ name: MODEL, contextLength: 4096 }]);
    const { runtime } = testRuntime({
      OLLAMA_HOST: server.url,
      SYMPHONY_MAX_OUTPUT_TOKENS: "2048",
    });
    const error = await rejectionOf(runtime.generateText(ask(words(3000))));
    expect(error).toBeInstanceOf(ContextOverflowError);
  });

  it("is refused against the max_model_len an OpenAI-compatible endpoint advertises", async () => {
    await serve([{ name: MODEL, contextLength: 4096 }], true);
    const { runtime } = testRuntime({
      ...openaiCase.env(server),
      SYMPHONY_MAX_OUTPUT_TOKENS: "1024",
    });
    const error = await rejectionOf(runtime.generateText(ask(words(5000))));
    expect(error).toBeInstanceOf(ContextOverflowError);
    expect(server.chatRequests()).toHaveLength(0);
  });
});

describe("OpenAI-compatible requests", () => {
  it("carry max_tokens and no Ollama options", async () => {
    await serve();
    const { runtime } = testRuntime(openaiCase.env(server));
    server.enqueue({ content: "ok" });
    const { usage } = await runtime.generateText(ask("Plan."));
    expect(bodies(server)[0]).toMatchObject({ max_tokens: 4096, stream: true });
    expect(bodies(server)[0]).not.toHaveProperty("options");
    expect(usage.numCtx).toBeUndefined();
  });

  it("go out without a length check where the endpoint advertises none", async () => {
    await serve([{ name: MODEL, contextLength: 4096 }]);
    const { runtime } = testRuntime(openaiCase.env(server));
    server.enqueue({ content: "ok" });
    await runtime.generateText(ask(words(5000)));
    expect(server.chatRequests()).toHaveLength(1);
  });
});

describe("after the call", () => {
  it("warns when Ollama evidently truncated the prompt to num_ctx", async () => {
    await serve();
    const { runtime, logger } = testRuntime({
      OLLAMA_HOST: server.url,
      SYMPHONY_NUM_CTX_MAX: "2048",
      SYMPHONY_MAX_OUTPUT_TOKENS: "512",
    });
    server.enqueue({ content: "ok", promptEvalCount: 2048 });
    await runtime.generateText(ask(words(300)));
    expect(logger.entries).toContainEqual({
      level: "warn",
      msg: expect.stringContaining("evidently truncated the prompt"),
      obj: expect.objectContaining({ model: MODEL, promptTokens: 2048, numCtx: 2048 }),
    });
  });

  it("warns when an OpenAI-compatible endpoint counted far fewer prompt tokens than were sent", async () => {
    await serve();
    const { runtime, logger } = testRuntime(openaiCase.env(server));
    server.enqueue({ content: "ok", promptEvalCount: 400 });
    await runtime.generateText(ask(words(3000)));
    expect(logger.entries.filter((entry) => entry.level === "warn")).toEqual([
      expect.objectContaining({ msg: expect.stringContaining("evidently truncated the prompt") }),
    ]);
  });

  it("stays quiet when the server's count agrees with the estimate", async () => {
    await serve();
    const { runtime, logger } = testRuntime({ OLLAMA_HOST: server.url });
    server.enqueue({ content: "ok", promptEvalCount: 2900 });
    await runtime.generateText(ask(words(3000)));
    expect(logger.entries.filter((entry) => entry.level === "warn")).toEqual([]);
  });
});

describe("token estimate", () => {
  it("counts one token per short word and one per pair of punctuation marks", async () => {
    await serve();
    const { runtime } = testRuntime({ OLLAMA_HOST: server.url });
    expect(runtime.estimateTokens("fix the cache")).toBe(3);
    expect(runtime.estimateTokens("f(x);")).toBe(4);
    expect(runtime.estimateTokens(`":{"`)).toBe(2);
    expect(runtime.estimateTokens("")).toBe(0);
  });

  it("splits long identifiers into pieces", async () => {
    await serve();
    const { runtime } = testRuntime({ OLLAMA_HOST: server.url });
    expect(runtime.estimateTokens("generateObjectRequest")).toBe(5);
  });

  // Qwen's tokenizer splits every number into single digits: "order90000" is six tokens there.
  it("counts every digit of a number as a token of its own", async () => {
    await serve();
    const { runtime } = testRuntime({ OLLAMA_HOST: server.url });
    expect(runtime.estimateTokens("order90000")).toBe(6);
    expect(runtime.estimateTokens("2026")).toBe(4);
  });
});

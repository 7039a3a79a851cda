import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { startModelServer, type ModelServer } from "../support/model-server.js";
import { ask, MODEL, onlyLocalNetwork, openaiCase, testRuntime } from "./runtime-fixture.js";

onlyLocalNetwork();

let server: ModelServer;
beforeEach(async () => {
  server = await startModelServer();
});
afterEach(async () => {
  await server.close();
});

describe("the usage record of an Ollama call", () => {
  it("fills every field, durations converted from nanoseconds to milliseconds", async () => {
    const { runtime } = testRuntime({ OLLAMA_HOST: server.url });
    server.enqueue({
      content: "done",
      promptEvalCount: 123,
      evalCount: 45,
      durationsNs: { load: 1_500_000_000, promptEval: 250_000_000, eval: 4_000_000_000 },
    });
    const { usage } = await runtime.generateText(ask("Plan."));
    expect(usage).toEqual({
      agent: "planner",
      promptVersion: "planner@1",
      provider: "ollama",
      host: server.url,
      model: MODEL,
      promptTokens: 123,
      outputTokens: 45,
      estimatedPromptTokens:
        runtime.estimateTokens("You plan GitHub issues.") + runtime.estimateTokens("Plan.") + 11,
      numCtx: 32768,
      loadMs: 1500,
      promptEvalMs: 250,
      evalMs: 4000,
      wallMs: expect.any(Number),
      retries: 0,
      repairRounds: 0,
      fallbackUsed: false,
      doneReason: "stop",
    });
    expect(usage.wallMs).toBeGreaterThan(0);
  });

  it("counts the output of a reply cut at the output limit along with the one asked for after it", async () => {
    const { runtime } = testRuntime({
      OLLAMA_HOST: server.url,
      SYMPHONY_MAX_OUTPUT_TOKENS: "1024",
    });
    server.enqueue(
      { content: "The plan is", doneReason: "length", evalCount: 1024 },
      { content: "The plan is short.", evalCount: 5 },
    );
    const { usage } = await runtime.generateText(ask("Plan."));
    expect(usage).toMatchObject({ outputTokens: 1029, doneReason: "stop" });
  });

  it("adds up the tokens and durations of repair rounds", async () => {
    const { runtime } = testRuntime({ OLLAMA_HOST: server.url });
    server.enqueue(
      { content: "oops", promptEvalCount: 100, evalCount: 10, durationsNs: { eval: 1_000_000 } },
      { json: { ok: true }, promptEvalCount: 150, evalCount: 20, durationsNs: { eval: 2_000_000 } },
    );
    const { usage } = await runtime.generateObject({
      ...ask("Say ok."),
      schema: z.object({ ok: z.boolean() }),
    });
    expect(usage).toMatchObject({
      promptTokens: 250,
      outputTokens: 30,
      evalMs: 3,
      repairRounds: 1,
    });
  });

  it("is handed to onUsage for metrics", async () => {
    const onUsage = vi.fn();
    const { runtime } = testRuntime({ OLLAMA_HOST: server.url }, {}, { onUsage });
    server.enqueue({ content: "done" });
    const { usage } = await runtime.generateText(ask("Plan."));
    expect(onUsage).toHaveBeenCalledWith(usage);
  });
});

describe("the usage record of an OpenAI-compatible call", () => {
  it("takes the token counts from the usage chunk it asked for", async () => {
    const { runtime } = testRuntime(openaiCase.env(server));
    server.enqueue({ content: "done", promptEvalCount: 77, evalCount: 5 });
    const { usage } = await runtime.generateText(ask("Plan."));
    expect(server.chatRequests()[0]?.body).toMatchObject({
      stream_options: { include_usage: true },
    });
    expect(usage).toMatchObject({
      provider: "openai",
      host: `${server.url}/v1`,
      promptTokens: 77,
      outputTokens: 5,
      doneReason: "stop",
      fallbackUsed: false,
    });
    expect(usage).not.toHaveProperty("loadMs");
  });

  it("falls back on the runtime's estimates when the server sends no usage", async () => {
    const { runtime } = testRuntime(openaiCase.env(server));
    server.enqueue({ content: "three short words", omitUsage: true });
    const { usage } = await runtime.generateText(ask("Plan."));
    expect(usage.promptTokens).toBe(usage.estimatedPromptTokens);
    expect(usage.outputTokens).toBe(3);
  });
});

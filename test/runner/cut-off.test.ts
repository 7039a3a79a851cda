import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { ReplyCutOffError } from "../../src/runner/index.js";
import { startModelServer, type ModelServer } from "../support/model-server.js";
import {
  ask,
  bodies,
  lastMessageContent,
  MODEL,
  ollamaCase,
  onlyLocalNetwork,
  openaiCase,
  rejectionOf,
  testRuntime,
  type ProviderCase,
} from "./runtime-fixture.js";

onlyLocalNetwork();

const Ok = z.object({ ok: z.boolean() });
const cut = (evalCount: number) => ({ content: '{"ok": ', doneReason: "length", evalCount });

let server: ModelServer;
beforeEach(async () => {
  // vLLM's max_model_len gives the OpenAI-compatible link a known window, as llama-server's
  // n_ctx_train does.
  server = await startModelServer({
    models: [{ name: MODEL, contextLength: 8192 }],
    reportMaxModelLen: true,
  });
});
afterEach(async () => {
  await server.close();
});

describe.each([ollamaCase, openaiCase])(
  "a reply cut at the output limit through $name",
  (provider: ProviderCase) => {
    const env = (extra: Record<string, string> = {}) => ({
      ...provider.env(server),
      SYMPHONY_MAX_OUTPUT_TOKENS: "1024",
      ...extra,
    });

    it("is asked for again with twice the allowance, not repaired at the same limit", async () => {
      const { runtime } = testRuntime(env());
      server.enqueue(cut(1024), { json: { ok: true } });
      const { value, usage } = await runtime.generateObject({ ...ask("Say ok."), schema: Ok });
      expect(value).toEqual({ ok: true });
      const [first, second] = bodies(server);
      expect([provider.sentMaxOutput(first), provider.sentMaxOutput(second)]).toEqual([1024, 2048]);
      expect(second?.["messages"]).toEqual(first?.["messages"]);
      expect(usage.repairRounds).toBe(0);
    });

    it("never sends the same request at the same output limit twice", async () => {
      const { runtime } = testRuntime(env());
      server.enqueue(cut(1024), cut(2048), cut(4096), { json: { ok: true } });
      await runtime.generateObject({ ...ask("Say ok."), schema: Ok });
      const limits = bodies(server).map((body) => provider.sentMaxOutput(body));
      expect(limits).toHaveLength(4);
      expect(new Set(limits).size).toBe(4);
      expect(limits.slice(0, 3)).toEqual([1024, 2048, 4096]);
    });

    it("says at how many output tokens the reply was cut and which setting raises it, once the window is full", async () => {
      const { runtime } = testRuntime(env({ SYMPHONY_MAX_OUTPUT_TOKENS: "4096" }));
      server.enqueue(cut(4096), cut(8000));
      const error = await rejectionOf(runtime.generateObject({ ...ask("Say ok."), schema: Ok }));
      expect(error).toBeInstanceOf(ReplyCutOffError);
      expect(error.message).toMatch(/cut at 8000 output tokens/);
      expect(error.message).toMatch(/SYMPHONY_MAX_OUTPUT_TOKENS/);
      expect(bodies(server).map((body) => lastMessageContent(body))).toEqual([
        "Say ok.",
        "Say ok.",
      ]);
    });

    it("raises the allowance for plain text as well", async () => {
      const { runtime } = testRuntime(env());
      server.enqueue(
        { content: "half a", doneReason: "length", evalCount: 1024 },
        { content: "whole" },
      );
      const { text } = await runtime.generateText(ask("Say it."));
      expect(text).toBe("whole");
      expect(provider.sentMaxOutput(bodies(server)[1])).toBe(2048);
    });
  },
);

it("fails at once with the cut-off message where the endpoint tells no context size", async () => {
  await server.close();
  server = await startModelServer();
  const { runtime } = testRuntime({ ...openaiCase.env(server), SYMPHONY_MAX_OUTPUT_TOKENS: "512" });
  server.enqueue(cut(512));
  const error = await rejectionOf(runtime.generateObject({ ...ask("Say ok."), schema: Ok }));
  expect(error.message).toMatch(/cut at 512 output tokens/);
  expect(server.chatRequests()).toHaveLength(1);
});

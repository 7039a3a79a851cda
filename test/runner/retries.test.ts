import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  ModelNotFoundError,
  ModelRequestRejectedError,
  ModelUnavailableError,
} from "../../src/runner/index.js";
import { exponentialBackoff } from "../../src/runner/retry-policy.js";
import { closedPortUrl, startModelServer, type ModelServer } from "../support/model-server.js";
import {
  ask,
  bothProviders,
  MODEL,
  onlyLocalNetwork,
  rejectionOf,
  testRuntime,
  type ProviderCase,
} from "./runtime-fixture.js";

onlyLocalNetwork();

describe.each(bothProviders)("retries through $name", (provider: ProviderCase) => {
  let server: ModelServer;
  beforeEach(async () => {
    server = await startModelServer();
  });
  afterEach(async () => {
    await server.close();
  });

  it("retries a 503 'server busy' and answers", async () => {
    const { runtime } = testRuntime(provider.env(server));
    server.enqueue({ fault: "status", status: 503 }, { content: "done" });
    const result = await runtime.generateText(ask("Plan."));
    expect(result.text).toBe("done");
    expect(result.usage.retries).toBe(1);
    expect(server.chatRequests()).toHaveLength(2);
  });

  it("retries a 500 from a crashed runner", async () => {
    const { runtime } = testRuntime(provider.env(server));
    server.enqueue({ fault: "status", status: 500 }, { content: "done" });
    expect((await runtime.generateText(ask("Plan."))).usage.retries).toBe(1);
  });

  it("retries a connection dropped mid-stream, an error line and a stream cut short", async () => {
    const { runtime } = testRuntime(provider.env(server));
    server.enqueue(
      { fault: "drop", content: "The" },
      { fault: "error-line", content: "The" },
      { fault: "no-final-chunk", content: "The" },
      { content: "done" },
    );
    const result = await runtime.generateText(ask("Plan."));
    expect(result).toMatchObject({ text: "done", usage: { retries: 3 } });
  });

  it("waits the backoff before each retry", async () => {
    const backoff = vi.fn(() => 0);
    const { runtime } = testRuntime(provider.env(server), {}, { backoff });
    server.enqueue(
      { fault: "status", status: 503 },
      { fault: "status", status: 503 },
      { content: "done" },
    );
    await runtime.generateText(ask("Plan."));
    expect(backoff.mock.calls).toEqual([[0], [1]]);
  });

  it("gives up after the configured retries with ModelUnavailableError carrying the status", async () => {
    const { runtime } = testRuntime({ ...provider.env(server), SYMPHONY_MODEL_RETRIES: "2" });
    server.enqueue(...Array.from({ length: 4 }, () => ({ fault: "status" as const, status: 503 })));
    const error = await rejectionOf(runtime.generateText(ask("Plan.")));
    expect(error).toBeInstanceOf(ModelUnavailableError);
    expect(error).toMatchObject({ status: 503 });
    expect(server.chatRequests()).toHaveLength(3);
  });

  it("does not retry a 404 from the chat endpoint", async () => {
    const { runtime } = testRuntime(provider.env(server));
    server.enqueue({ fault: "status", status: 404 }, { content: "never sent" });
    const error = await rejectionOf(runtime.generateText(ask("Plan.")));
    expect(error).toBeInstanceOf(ModelNotFoundError);
    expect(error).toMatchObject({ model: MODEL });
    expect(server.chatRequests()).toHaveLength(1);
  });

  it("does not retry a request the server refuses as malformed", async () => {
    const { runtime } = testRuntime(provider.env(server));
    server.enqueue(
      { fault: "status", status: 400, error: "invalid format" },
      { content: "never sent" },
    );
    const error = await rejectionOf(runtime.generateText(ask("Plan.")));
    expect(error).toBeInstanceOf(ModelRequestRejectedError);
    expect(error).toMatchObject({ status: 400 });
    expect(server.chatRequests()).toHaveLength(1);
  });
});

describe("a model Ollama does not have", () => {
  let server: ModelServer;
  beforeEach(async () => {
    server = await startModelServer({ models: [{ name: MODEL }] });
  });
  afterEach(async () => {
    await server.close();
  });

  it("fails at once with ModelNotFoundError naming the model and `ollama pull`", async () => {
    const { runtime } = testRuntime({
      OLLAMA_HOST: server.url,
      SYMPHONY_MODEL: "deepseek-coder-v2:16b",
    });
    const error = await rejectionOf(runtime.generateText(ask("Plan.")));
    expect(error).toBeInstanceOf(ModelNotFoundError);
    expect(error.message).toBe(
      `model deepseek-coder-v2:16b is not on the Ollama host ${server.url}: run \`ollama pull deepseek-coder-v2:16b\``,
    );
    expect(server.requests().map((request) => request.path)).toEqual(["/api/show"]);
  });

  it("is asked for again on the next call rather than remembered as missing", async () => {
    const { runtime } = testRuntime({
      OLLAMA_HOST: server.url,
      SYMPHONY_MODEL: "deepseek-coder-v2:16b",
    });
    await rejectionOf(runtime.generateText(ask("Plan.")));
    await rejectionOf(runtime.generateText(ask("Plan.")));
    expect(server.requests().filter((request) => request.path === "/api/show")).toHaveLength(2);
  });
});

describe("an OpenAI-compatible endpoint without the model", () => {
  it("fails with ModelNotFoundError that points at /v1/models and OPENAI_BASE_URL", async () => {
    const server = await startModelServer({ models: [{ name: MODEL }] });
    try {
      const { runtime } = testRuntime({
        SYMPHONY_PROVIDER: "openai",
        OPENAI_BASE_URL: `${server.url}/v1`,
        SYMPHONY_MODEL: "gpt-4o-mini",
      });
      const error = await rejectionOf(runtime.generateText(ask("Plan.")));
      expect(error).toBeInstanceOf(ModelNotFoundError);
      expect(error.message).toContain("/v1/models");
      expect(error.message).toContain("OPENAI_BASE_URL");
      expect(server.chatRequests()).toHaveLength(1);
    } finally {
      await server.close();
    }
  });
});

describe("a host that refuses connections", () => {
  it("is retried, then reported as unavailable with what to check (Ollama)", async () => {
    const url = await closedPortUrl();
    const backoff = vi.fn(() => 0);
    const { runtime } = testRuntime(
      { OLLAMA_HOST: url, SYMPHONY_MODEL_RETRIES: "2" },
      {},
      { backoff },
    );
    const error = await rejectionOf(runtime.generateText(ask("Plan.")));
    expect(error).toBeInstanceOf(ModelUnavailableError);
    expect(error.message).toContain("connection refused");
    expect(error.message).toContain("OLLAMA_HOST");
    expect(backoff).toHaveBeenCalledTimes(2);
  });

  it("is retried, then reported as unavailable with what to check (OpenAI-compatible)", async () => {
    const url = await closedPortUrl();
    const backoff = vi.fn(() => 0);
    const { runtime } = testRuntime(
      { SYMPHONY_PROVIDER: "openai", OPENAI_BASE_URL: `${url}/v1`, SYMPHONY_MODEL_RETRIES: "1" },
      {},
      { backoff },
    );
    const error = await rejectionOf(runtime.generateText(ask("Plan.")));
    expect(error).toBeInstanceOf(ModelUnavailableError);
    expect(error.message).toContain("connection refused");
    expect(error.message).toContain("OPENAI_BASE_URL");
    expect(backoff).toHaveBeenCalledTimes(1);
  });
});

describe("the default backoff", () => {
  it("doubles from half a second up to eight seconds, jittered within the upper half", () => {
    const random = vi.spyOn(Math, "random");
    random.mockReturnValue(0);
    expect([0, 1, 2, 3, 4, 10].map(exponentialBackoff)).toEqual([250, 500, 1000, 2000, 4000, 4000]);
    random.mockReturnValue(0.999999);
    expect(Math.round(exponentialBackoff(10))).toBe(8000);
  });
});

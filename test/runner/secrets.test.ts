import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ModelUnavailableError } from "../../src/runner/index.js";
import { startModelServer, type ModelServer } from "../support/model-server.js";
import { ask, onlyLocalNetwork, rejectionOf, testRuntime } from "./runtime-fixture.js";

onlyLocalNetwork();

const KEY = "sk-live-4f9c2b7e1d0a5c3b";

describe("the OpenAI API key", () => {
  let server: ModelServer;
  beforeEach(async () => {
    server = await startModelServer();
  });
  afterEach(async () => {
    await server.close();
  });

  const keyedEnv = () => ({
    SYMPHONY_PROVIDER: "openai",
    OPENAI_BASE_URL: `${server.url}/v1`,
    OPENAI_API_KEY: KEY,
  });

  it("goes to the endpoint as a bearer token", async () => {
    const { runtime } = testRuntime(keyedEnv());
    server.enqueue({ content: "ok" });
    await runtime.generateText(ask("Plan."));
    expect(server.chatRequests()[0]?.headers["authorization"]).toBe(`Bearer ${KEY}`);
  });

  it("is left out, header and all, when none is configured", async () => {
    const { runtime } = testRuntime({
      SYMPHONY_PROVIDER: "openai",
      OPENAI_BASE_URL: `${server.url}/v1`,
    });
    server.enqueue({ content: "ok" });
    await runtime.generateText(ask("Plan."));
    expect(server.chatRequests()[0]?.headers).not.toHaveProperty("authorization");
  });

  it("never appears in the usage record, the description or the logs", async () => {
    const { runtime, logger } = testRuntime(keyedEnv());
    server.enqueue({ fault: "status", status: 503 }, { content: "ok" });
    const { usage } = await runtime.generateText(ask("Plan."));
    expect(JSON.stringify(usage)).not.toContain(KEY);
    expect(runtime.describe()).not.toContain(KEY);
    expect(logger.text()).not.toContain(KEY);
    expect(logger.entries.length).toBeGreaterThan(0);
  });

  it("is scrubbed from an error that quotes it", async () => {
    const { runtime, logger } = testRuntime({ ...keyedEnv(), SYMPHONY_MODEL_RETRIES: "0" });
    server.enqueue({ fault: "status", status: 500, error: `upstream refused key ${KEY}` });
    const error = await rejectionOf(runtime.generateText(ask("Plan.")));
    expect(error).toBeInstanceOf(ModelUnavailableError);
    expect(error.message).toContain("upstream refused key [redacted]");
    expect(logger.text()).not.toContain(KEY);
  });
});

describe("credentials in a host URL", () => {
  it("go to the Ollama host as Basic authorization, not in the URL", async () => {
    const server = await startModelServer();
    try {
      const { runtime } = testRuntime({
        OLLAMA_HOST: server.url.replace("http://", "http://admin:hunter2@"),
      });
      server.enqueue({ content: "ok" });
      await runtime.generateText(ask("Plan."));
      const basic = `Basic ${Buffer.from("admin:hunter2").toString("base64")}`;
      expect(server.chatRequests()[0]?.headers["authorization"]).toBe(basic);
    } finally {
      await server.close();
    }
  });

  it("are left out of the description and the usage record", async () => {
    const server = await startModelServer();
    try {
      const url = server.url.replace("http://", "http://admin:hunter2@");
      const { runtime } = testRuntime({ OLLAMA_HOST: url });
      server.enqueue({ content: "ok" });
      const { usage } = await runtime.generateText(ask("Plan."));
      expect(usage.host).toBe(server.url);
      expect(runtime.describe()).not.toContain("hunter2");
    } finally {
      await server.close();
    }
  });
});

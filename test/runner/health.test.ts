import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { closedPortUrl, startModelServer, type ModelServer } from "../support/model-server.js";
import { MODEL, onlyLocalNetwork, openaiCase, testRuntime } from "./runtime-fixture.js";

onlyLocalNetwork();

describe("describe()", () => {
  it("names each link of the chain with its host and model", () => {
    const { runtime } = testRuntime({
      OLLAMA_HOST: "http://127.0.0.1:11434",
      OPENAI_BASE_URL: "http://127.0.0.1:8000/v1",
      SYMPHONY_FALLBACK_MODEL: "Qwen/Qwen2.5-Coder-7B-Instruct",
    });
    expect(runtime.describe()).toBe(
      `ollama http://127.0.0.1:11434 model ${MODEL}, ` +
        "fallback openai http://127.0.0.1:8000/v1 model Qwen/Qwen2.5-Coder-7B-Instruct",
    );
  });
});

describe("health()", () => {
  let server: ModelServer;
  beforeEach(async () => {
    server = await startModelServer({ version: "0.12.6" });
  });
  afterEach(async () => {
    await server.close();
  });

  it("reports a live Ollama host with its version and the model present", async () => {
    const { runtime } = testRuntime({ OLLAMA_HOST: server.url });
    expect(await runtime.health()).toEqual({
      reachable: true,
      version: "0.12.6",
      modelPresent: true,
    });
  });

  it("says to pull a model the Ollama host lacks", async () => {
    const { runtime } = testRuntime({ OLLAMA_HOST: server.url, SYMPHONY_MODEL: "llama3.1:8b" });
    expect(await runtime.health()).toEqual({
      reachable: true,
      version: "0.12.6",
      modelPresent: false,
      problem: `model llama3.1:8b is not on the Ollama host ${server.url}: run \`ollama pull llama3.1:8b\``,
    });
  });

  it("matches a model named without a tag to its :latest", async () => {
    await server.close();
    server = await startModelServer({ models: [{ name: "llama3:latest" }] });
    const { runtime } = testRuntime({ OLLAMA_HOST: server.url, SYMPHONY_MODEL: "llama3" });
    expect((await runtime.health()).modelPresent).toBe(true);
  });

  it("reports an OpenAI-compatible endpoint and whether it lists the model", async () => {
    const { runtime } = testRuntime(openaiCase.env(server));
    expect(await runtime.health()).toEqual({ reachable: true, modelPresent: true });
  });

  it("reports an Ollama host that refuses connections, without throwing", async () => {
    const url = await closedPortUrl();
    const { runtime } = testRuntime({ OLLAMA_HOST: url });
    expect(await runtime.health()).toEqual({
      reachable: false,
      problem: `the Ollama host ${url} did not answer (connection refused): start it with \`ollama serve\` or check OLLAMA_HOST`,
    });
  });

  it("reports an OpenAI-compatible endpoint that refuses connections, without throwing", async () => {
    const url = await closedPortUrl();
    const { runtime } = testRuntime({ SYMPHONY_PROVIDER: "openai", OPENAI_BASE_URL: `${url}/v1` });
    const health = await runtime.health();
    expect(health).toMatchObject({ reachable: false });
    expect(health.problem).toContain("connection refused");
  });
});

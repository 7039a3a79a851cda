import { describe, expect, it } from "vitest";
import { loadRuntimeSettings, RuntimeSettingsError } from "../../src/runner/index.js";

function settingsError(env: NodeJS.ProcessEnv): RuntimeSettingsError {
  try {
    loadRuntimeSettings(env);
  } catch (error) {
    if (error instanceof RuntimeSettingsError) return error;
    throw error;
  }
  throw new Error("expected a RuntimeSettingsError");
}

describe("runtime settings", () => {
  it("default to a local Ollama and qwen2.5-coder:14b", () => {
    const settings = loadRuntimeSettings({});
    expect(settings).toMatchObject({
      provider: "ollama",
      ollamaHost: "http://127.0.0.1:11434",
      model: "qwen2.5-coder:14b",
      chain: [{ provider: "ollama", host: "http://127.0.0.1:11434", model: "qwen2.5-coder:14b" }],
      keepAlive: "30m",
      temperature: 0.2,
      numCtxMax: 32768,
      maxOutputTokens: 4096,
      timeoutMs: 900_000,
      concurrency: 1,
      queueLimit: 32,
      retries: 3,
      maxRepairs: 2,
      allowedModels: ["qwen2.5-coder:14b"],
    });
    expect(settings.seed).toBeUndefined();
  });

  it("read every variable", () => {
    const settings = loadRuntimeSettings({
      OLLAMA_HOST: "http://gpu-box:11434",
      SYMPHONY_MODEL: "qwen2.5-coder:32b",
      SYMPHONY_KEEP_ALIVE: "1h30m",
      SYMPHONY_TEMPERATURE: "0",
      SYMPHONY_SEED: "7",
      SYMPHONY_NUM_CTX_MAX: "65536",
      SYMPHONY_MAX_OUTPUT_TOKENS: "8192",
      SYMPHONY_MODEL_TIMEOUT_MS: "60000",
      SYMPHONY_MODEL_CONCURRENCY: "4",
      SYMPHONY_MODEL_QUEUE_LIMIT: "100",
      SYMPHONY_MODEL_RETRIES: "5",
      SYMPHONY_MAX_REPAIRS: "1",
      SYMPHONY_ALLOWED_MODELS: "qwen2.5-coder:32b, llama3.1:8b",
    });
    expect(settings).toMatchObject({
      ollamaHost: "http://gpu-box:11434",
      model: "qwen2.5-coder:32b",
      keepAlive: "1h30m",
      temperature: 0,
      seed: 7,
      numCtxMax: 65536,
      maxOutputTokens: 8192,
      timeoutMs: 60_000,
      concurrency: 4,
      queueLimit: 100,
      retries: 5,
      maxRepairs: 1,
      allowedModels: ["qwen2.5-coder:32b", "llama3.1:8b"],
    });
  });

  it("take a keep-alive in plain seconds as a number", () => {
    expect(loadRuntimeSettings({ SYMPHONY_KEEP_ALIVE: "-1" }).keepAlive).toBe(-1);
  });

  it("treat empty variables as unset, as workflow inputs pass them", () => {
    expect(loadRuntimeSettings({ SYMPHONY_MODEL: "", SYMPHONY_SEED: " " })).toMatchObject({
      model: "qwen2.5-coder:14b",
      seed: undefined,
    });
  });

  it.each([
    ["0.0.0.0", "http://127.0.0.1:11434"],
    [":11500", "http://127.0.0.1:11500"],
    ["gpu-box", "http://gpu-box:11434"],
    ["https://ollama.example.com/", "https://ollama.example.com"],
  ])("read OLLAMA_HOST=%s as %s, the way the Ollama CLI does", (raw, url) => {
    expect(loadRuntimeSettings({ OLLAMA_HOST: raw }).ollamaHost).toBe(url);
  });

  it("chain an OpenAI-compatible fallback after Ollama", () => {
    const settings = loadRuntimeSettings({
      OPENAI_BASE_URL: "http://127.0.0.1:8000/v1/",
      SYMPHONY_FALLBACK_MODEL: "Qwen/Qwen2.5-Coder-7B-Instruct",
    });
    expect(settings.chain).toEqual([
      { provider: "ollama", host: "http://127.0.0.1:11434", model: "qwen2.5-coder:14b" },
      {
        provider: "openai",
        host: "http://127.0.0.1:8000/v1",
        model: "Qwen/Qwen2.5-Coder-7B-Instruct",
      },
    ]);
    expect(settings.allowedModels).toEqual(["qwen2.5-coder:14b", "Qwen/Qwen2.5-Coder-7B-Instruct"]);
  });

  it("chain a fallback model on the same Ollama host when no OpenAI endpoint is set", () => {
    expect(loadRuntimeSettings({ SYMPHONY_FALLBACK_MODEL: "qwen2.5-coder:7b" }).chain).toEqual([
      { provider: "ollama", host: "http://127.0.0.1:11434", model: "qwen2.5-coder:14b" },
      { provider: "ollama", host: "http://127.0.0.1:11434", model: "qwen2.5-coder:7b" },
    ]);
  });

  it("put the OpenAI-compatible endpoint first when SYMPHONY_PROVIDER is openai", () => {
    const settings = loadRuntimeSettings({
      SYMPHONY_PROVIDER: "openai",
      OPENAI_BASE_URL: "https://api.example.com/v1",
      SYMPHONY_MODEL: "gpt-4o",
      SYMPHONY_FALLBACK_MODEL: "gpt-4o-mini",
    });
    expect(settings.chain).toEqual([
      { provider: "openai", host: "https://api.example.com/v1", model: "gpt-4o" },
      { provider: "openai", host: "https://api.example.com/v1", model: "gpt-4o-mini" },
    ]);
  });

  it.each([
    [
      "SYMPHONY_TEMPERATURE",
      "hot",
      'SYMPHONY_TEMPERATURE must be a number from 0 to 2 (it is "hot")',
    ],
    ["SYMPHONY_TEMPERATURE", "3", 'SYMPHONY_TEMPERATURE must be a number from 0 to 2 (it is "3")'],
    ["SYMPHONY_SEED", "1.5", 'SYMPHONY_SEED must be a whole number (it is "1.5")'],
    ["SYMPHONY_KEEP_ALIVE", "forever", "SYMPHONY_KEEP_ALIVE must be a duration"],
    [
      "SYMPHONY_NUM_CTX_MAX",
      "1000",
      "SYMPHONY_NUM_CTX_MAX must be a whole number of tokens from 2048",
    ],
    [
      "SYMPHONY_MODEL_TIMEOUT_MS",
      "10",
      "SYMPHONY_MODEL_TIMEOUT_MS must be a whole number of milliseconds",
    ],
    [
      "SYMPHONY_MODEL_CONCURRENCY",
      "0",
      "SYMPHONY_MODEL_CONCURRENCY must be a whole number from 1 to 64",
    ],
    ["SYMPHONY_PROVIDER", "vllm", 'SYMPHONY_PROVIDER must be "ollama" or "openai"'],
    ["SYMPHONY_MODEL", "qwen coder", "SYMPHONY_MODEL must be a model name without spaces"],
    ["OLLAMA_HOST", "ftp://box", "OLLAMA_HOST must be a host or URL"],
    ["OPENAI_BASE_URL", "not a url", "OPENAI_BASE_URL must be an http(s) URL"],
  ])("refuse %s=%s with a sentence naming the variable", (name, value, sentence) => {
    const error = settingsError({ [name]: value, SYMPHONY_FALLBACK_MODEL: "x" });
    expect(error.message).toContain(sentence);
    expect(error.variables).toEqual([name]);
  });

  it("name every bad variable at once", () => {
    const error = settingsError({ SYMPHONY_SEED: "x", SYMPHONY_TEMPERATURE: "y" });
    expect(error.variables.sort()).toEqual(["SYMPHONY_SEED", "SYMPHONY_TEMPERATURE"]);
  });

  it("refuse an OpenAI endpoint without a model to ask it for", () => {
    const error = settingsError({ OPENAI_BASE_URL: "http://127.0.0.1:8000/v1" });
    expect(error.message).toBe(
      "OPENAI_BASE_URL is set but SYMPHONY_FALLBACK_MODEL is not: name the model to ask that endpoint for",
    );
  });

  it("refuse the openai provider without OPENAI_BASE_URL", () => {
    expect(settingsError({ SYMPHONY_PROVIDER: "openai" }).message).toMatch(
      /OPENAI_BASE_URL is not set/,
    );
  });

  it("refuse an output reserve that leaves no room for a prompt", () => {
    const error = settingsError({
      SYMPHONY_NUM_CTX_MAX: "4096",
      SYMPHONY_MAX_OUTPUT_TOKENS: "4096",
    });
    expect(error.message).toMatch(
      /SYMPHONY_MAX_OUTPUT_TOKENS \(4096\) must be below SYMPHONY_NUM_CTX_MAX/,
    );
  });

  it("never print the API key, in errors or when serialized", () => {
    const key = "sk-test-0123456789abcdef";
    const settings = loadRuntimeSettings({
      OPENAI_BASE_URL: "http://127.0.0.1:8000/v1",
      OPENAI_API_KEY: key,
      SYMPHONY_FALLBACK_MODEL: "m",
    });
    expect(settings.openaiApiKey?.reveal()).toBe(key);
    expect(JSON.stringify(settings)).not.toContain(key);
    expect(String(settings.openaiApiKey)).toBe("[redacted]");
    const error = settingsError({ OPENAI_API_KEY: key, SYMPHONY_TEMPERATURE: "x" });
    expect(error.message).not.toContain(key);
  });
});

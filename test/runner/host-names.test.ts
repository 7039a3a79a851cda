import { describe, expect, it } from "vitest";
import { withoutHostNames } from "../../src/runner/host-names.js";

describe("model-host failures as a comment shows them", () => {
  it("say the model host for every form of a named host, an unnamed URL or an address", () => {
    const host = "http://gpu-a.internal:11434";
    const cases: [string, string][] = [
      [
        `could not talk to the Ollama host ${host} (connection refused): start Ollama`,
        "could not talk to the model host (connection refused): start Ollama",
      ],
      [
        `the OpenAI-compatible endpoint ${host}/v1 answered 502: dial tcp gpu-a.internal:11434: refused`,
        "the model host answered 502: dial tcp the model host: refused",
      ],
      [
        "the model host answered 500: proxy https://edge.corp.example/llm and 10.0.3.7:8080 failed",
        "the model host answered 500: proxy the model host and the model host failed",
      ],
    ];
    for (const [message, shown] of cases) expect(withoutHostNames(message, [host])).toBe(shown);
  });

  it("leaves model names, versions and advice alone", () => {
    const message =
      "model qwen2.5-coder:14b did not finish within 900 s: raise SYMPHONY_MODEL_TIMEOUT_MS";
    expect(withoutHostNames(message, ["http://127.0.0.1:11434"])).toBe(message);
  });
});

// The scripted model server itself: other tests trust it to speak Ollama's wire format.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startModelServer, type JsonObject, type ModelServer } from "../support/model-server.js";
import { onlyLocalNetwork } from "./runtime-fixture.js";

onlyLocalNetwork();

let server: ModelServer;
beforeEach(async () => {
  server = await startModelServer({
    models: [{ name: "qwen2.5-coder:14b", contextLength: 32768 }],
    chunkSize: 4,
  });
});
afterEach(async () => {
  await server.close();
});

function post(path: string, body: JsonObject): Promise<Response> {
  return fetch(`${server.url}${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
}

const chat = (extra: JsonObject = {}) => ({
  model: "qwen2.5-coder:14b",
  messages: [{ role: "user", content: "twelve chars" }],
  ...extra,
});

function ndjson(text: string): JsonObject[] {
  return text
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as JsonObject);
}

function sseData(text: string): string[] {
  return text
    .split("\n\n")
    .filter((event) => event !== "")
    .map((event) => event.replace(/^data: /, ""));
}

describe("the scripted server's Ollama API", () => {
  it("streams /api/chat as NDJSON chunks closed by a done chunk with counts and durations", async () => {
    server.enqueue({ content: "hello world", evalCount: 2 });
    const response = await post("/api/chat", chat());
    expect(response.headers.get("content-type")).toBe("application/x-ndjson");
    const lines = ndjson(await response.text());
    expect(lines.slice(0, -1).map((line) => line["message"])).toEqual([
      { role: "assistant", content: "hell" },
      { role: "assistant", content: "o wo" },
      { role: "assistant", content: "rld" },
    ]);
    expect(lines[0]).toMatchObject({
      model: "qwen2.5-coder:14b",
      created_at: expect.any(String),
      done: false,
    });
    expect(lines.at(-1)).toEqual({
      model: "qwen2.5-coder:14b",
      created_at: expect.any(String),
      message: { role: "assistant", content: "" },
      done: true,
      done_reason: "stop",
      total_duration: 6_000_000,
      load_duration: 1_000_000,
      prompt_eval_count: 4,
      prompt_eval_duration: 2_000_000,
      eval_count: 2,
      eval_duration: 3_000_000,
    });
  });

  it("answers /api/chat with stream false in one JSON object", async () => {
    server.enqueue({ json: { ok: true }, fenced: true });
    const body = (await (await post("/api/chat", chat({ stream: false }))).json()) as JsonObject;
    expect(body).toMatchObject({
      done: true,
      message: { role: "assistant", content: '```json\n{"ok":true}\n```' },
    });
  });

  it("shows a model's architecture and context length, and 404s an unknown one", async () => {
    const shown = (await (
      await post("/api/show", { model: "qwen2.5-coder:14b" })
    ).json()) as JsonObject;
    expect(shown["model_info"]).toMatchObject({
      "general.architecture": "qwen2",
      "qwen2.context_length": 32768,
    });
    const missing = await post("/api/show", { model: "phi4" });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: "model 'phi4' not found" });
  });

  it("lists its models on /api/tags and its version on /api/version", async () => {
    const tags = (await (await fetch(`${server.url}/api/tags`)).json()) as { models: JsonObject[] };
    expect(tags.models.map((model) => model["name"])).toEqual(["qwen2.5-coder:14b"]);
    expect(await (await fetch(`${server.url}/api/version`)).json()).toEqual({ version: "0.12.6" });
  });

  it("404s a chat for a model it lacks without using up the queue", async () => {
    server.enqueue({ content: "kept" });
    const response = await post("/api/chat", chat({ model: "phi4" }));
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      error: 'model "phi4" not found, try pulling it first',
    });
    expect(server.pending()).toBe(1);
  });

  it("answers 503 with Ollama's busy message on demand", async () => {
    server.enqueue({ fault: "status", status: 503 });
    const response = await post("/api/chat", chat());
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({
      error: "server busy, please try again.  maximum pending requests exceeded",
    });
  });

  it("puts an error line into a 200 stream on demand", async () => {
    server.enqueue({ fault: "error-line", content: "abcd", error: "boom" });
    const response = await post("/api/chat", chat());
    expect(response.status).toBe(200);
    expect(ndjson(await response.text()).at(-1)).toEqual({ error: "boom" });
  });

  it("ends a stream without its done chunk on demand", async () => {
    server.enqueue({ fault: "no-final-chunk", content: "abcd" });
    const lines = ndjson(await (await post("/api/chat", chat())).text());
    expect(lines.map((line) => line["done"])).toEqual([false]);
  });

  it("drops the connection mid-stream on demand", async () => {
    server.enqueue({ fault: "drop", content: "abcdefgh" });
    const response = await post("/api/chat", chat());
    await expect(response.text()).rejects.toThrow();
  });

  it("says so with a 500 when no reply was scripted", async () => {
    const response = await post("/api/chat", chat());
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({
      error: "scripted model server: no reply scripted for /api/chat",
    });
  });
});

describe("the scripted server's OpenAI-compatible API", () => {
  it("streams SSE chunks, a finish chunk, a usage chunk when asked, then [DONE]", async () => {
    server.enqueue({ content: "hello", promptEvalCount: 9, evalCount: 1 });
    const response = await post(
      "/v1/chat/completions",
      chat({ stream: true, stream_options: { include_usage: true } }),
    );
    expect(response.headers.get("content-type")).toBe("text/event-stream");
    const events = sseData(await response.text());
    expect(events.at(-1)).toBe("[DONE]");
    const chunks = events.slice(0, -1).map((event) => JSON.parse(event) as JsonObject);
    expect(chunks.map((chunk) => chunk["object"])).toEqual(Array(4).fill("chat.completion.chunk"));
    expect(chunks[0]).toMatchObject({
      choices: [{ index: 0, delta: { content: "hell" }, finish_reason: null }],
    });
    expect(chunks[2]).toMatchObject({
      choices: [{ delta: { content: "" }, finish_reason: "stop" }],
    });
    expect(chunks[3]).toMatchObject({
      choices: [],
      usage: { prompt_tokens: 9, completion_tokens: 1, total_tokens: 10 },
    });
  });

  it("leaves the usage chunk out when not asked", async () => {
    server.enqueue({ content: "hello" });
    const events = sseData(
      await (await post("/v1/chat/completions", chat({ stream: true }))).text(),
    );
    expect(events).toHaveLength(4);
  });

  it("answers without streaming in one chat.completion object", async () => {
    server.enqueue({ content: "hello" });
    const body = (await (await post("/v1/chat/completions", chat())).json()) as JsonObject;
    expect(body).toMatchObject({
      object: "chat.completion",
      choices: [{ message: { role: "assistant", content: "hello" }, finish_reason: "stop" }],
      usage: { completion_tokens: 2 },
    });
  });

  it("wraps errors in OpenAI's error object", async () => {
    server.enqueue({ fault: "status", status: 500, error: "runner crashed" });
    const response = await post("/v1/chat/completions", chat({ stream: true }));
    expect(await response.json()).toEqual({
      error: { message: "runner crashed", type: "api_error", param: null, code: null },
    });
  });

  it("lists models on /v1/models, with max_model_len where asked to", async () => {
    const plain = (await (await fetch(`${server.url}/v1/models`)).json()) as { data: JsonObject[] };
    expect(plain.data).toEqual([
      {
        id: "qwen2.5-coder:14b",
        object: "model",
        created: expect.any(Number),
        owned_by: "library",
      },
    ]);
    const vllm = await startModelServer({
      models: [{ name: "m", contextLength: 8192 }],
      reportMaxModelLen: true,
    });
    try {
      const listed = (await (await fetch(`${vllm.url}/v1/models`)).json()) as {
        data: JsonObject[];
      };
      expect(listed.data[0]).toMatchObject({ id: "m", max_model_len: 8192 });
    } finally {
      await vllm.close();
    }
  });
});

describe("the scripted server's script", () => {
  it("records every request's path, headers and parsed body", async () => {
    server.enqueue({ content: "x" });
    await (await post("/api/chat", chat())).text();
    expect(server.requests()).toEqual([
      {
        method: "POST",
        path: "/api/chat",
        headers: expect.objectContaining({ "content-type": "application/json" }),
        body: chat(),
      },
    ]);
  });

  it("asks the responder when the queue is empty", async () => {
    server.respond((request) => ({ content: `echo ${String(request.body?.["model"])}` }));
    const body = (await (await post("/api/chat", chat({ stream: false }))).json()) as JsonObject;
    expect(body["message"]).toEqual({ role: "assistant", content: "echo qwen2.5-coder:14b" });
  });

  it("closes with requests still held open", async () => {
    server.enqueue(
      { content: "never", holdUntil: new Promise(() => {}) },
      { content: "late", headerDelayMs: 60_000 },
    );
    const held = post("/api/chat", chat()).catch((error: unknown) => error);
    const delayed = post("/api/chat", chat()).catch((error: unknown) => error);
    await server.waitForChatRequests(2);
    await server.close();
    expect(await held).toBeInstanceOf(Error);
    expect(await delayed).toBeInstanceOf(Error);
  });
});

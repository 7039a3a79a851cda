// Real llama.cpp behind Ollama's and llama-server's wire formats, for the engine contract tests:
// the tiny test models run under the grammar llama.cpp makes of the request's schema, with
// num_ctx as the context size and num_predict / max_tokens as the output limit. Prints
// {"url": …} on stdout once it listens; exits when its stdin closes.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  getLlama,
  LlamaGrammarEvaluationState,
  LlamaLogLevel,
  type LlamaContext,
  type LlamaGrammar,
  type LlamaModel,
  type Token,
} from "node-llama-cpp";
import { CLOSING_BONUS, TINY_CONTEXT_LENGTH, writeTinyModel } from "../support/tiny-gguf.js";
import { converterScript, startConverter } from "./converter.js";

/**
 * "tiny" closes its JSON soon; "tiny-plain" is plain noise and often runs to the output limit;
 * "tiny-endless" never closes a string, so every reply is cut (the cut-off path).
 */
const MODELS = { tiny: CLOSING_BONUS, "tiny-plain": 0, "tiny-endless": -CLOSING_BONUS } as const;

interface Chat {
  model: string;
  messages: { role: string; content: string }[];
  schema: unknown;
  numCtx: number;
  maxTokens: number;
  temperature: number;
  seed: number;
}

interface Generated {
  text: string;
  promptTokens: number;
  outputTokens: number;
  doneReason: "stop" | "length";
}

class GrammarRefused extends Error {}

const folder = mkdtempSync(join(tmpdir(), "symphony-tiny-"));
const llama = await getLlama({ gpu: false, build: "never", logLevel: LlamaLogLevel.error });
const models = new Map<string, LlamaModel>();
for (const [name, closingBonus] of Object.entries(MODELS)) {
  const path = join(folder, `${name}.gguf`);
  writeTinyModel(path, { closingBonus });
  models.set(name, await llama.loadModel({ modelPath: path }));
}
const converter = startConverter(converterScript());
const grammars = new Map<string, Promise<LlamaGrammar>>();
const contexts = new Map<string, Promise<LlamaContext>>();
/** One generation at a time, as Ollama with OLLAMA_NUM_PARALLEL=1. */
let queue: Promise<unknown> = Promise.resolve();

function grammarFor(schema: unknown): Promise<LlamaGrammar> {
  const key = JSON.stringify(schema);
  let grammar = grammars.get(key);
  if (!grammar) {
    grammar = converter.convert(schema).then((converted) => {
      if (!converted.ok) throw new GrammarRefused(`failed to convert schema: ${converted.error}`);
      return llama.createGrammar({ grammar: converted.grammar }).catch(() => {
        throw new GrammarRefused("failed to load grammar: llama.cpp's grammar parser refused it");
      });
    });
    grammars.set(key, grammar);
  }
  return grammar;
}

function contextFor(name: string, size: number): Promise<LlamaContext> {
  const key = `${name} ${size}`;
  let context = contexts.get(key);
  if (!context) {
    // threads: 1 — node-llama-cpp's default of 4 makes this model 100× slower on two cores.
    context = models.get(name)!.createContext({ contextSize: size, threads: 1, sequences: 1 });
    contexts.set(key, context);
  }
  return context;
}

async function generate(chat: Chat, onText: (text: string) => void): Promise<Generated> {
  const model = models.get(chat.model)!;
  const grammar = chat.schema === undefined ? undefined : await grammarFor(chat.schema);
  const prompt =
    chat.messages.map((message) => `${message.role}: ${message.content}\n`).join("") +
    "assistant: ";
  let tokens = model.tokenize(prompt);
  // As Ollama: a prompt longer than the window keeps its tail, and the count says num_ctx.
  if (tokens.length >= chat.numCtx) tokens = tokens.slice(tokens.length - chat.numCtx + 1);
  const promptTokens = Math.min(model.tokenize(prompt).length, chat.numCtx);
  const room = chat.numCtx - tokens.length;
  const limit = Math.min(chat.maxTokens, room);
  const sequence = (await contextFor(chat.model, chat.numCtx)).getSequence();
  try {
    const output: Token[] = [];
    let text = "";
    const state = grammar ? new LlamaGrammarEvaluationState({ model, grammar }) : undefined;
    for await (const token of sequence.evaluate(tokens, {
      temperature: chat.temperature,
      seed: chat.seed,
      ...(state ? { grammarEvaluationState: state } : {}),
    })) {
      output.push(token);
      const next = model.detokenize(output);
      onText(next.slice(text.length));
      text = next;
      if (output.length >= limit) {
        return { text, promptTokens, outputTokens: output.length, doneReason: "length" };
      }
    }
    return { text, promptTokens, outputTokens: output.length, doneReason: "stop" };
  } finally {
    sequence.dispose();
  }
}

function serialized<T>(work: () => Promise<T>): Promise<T> {
  const run = queue.then(work, work);
  queue = run.catch(() => undefined);
  return run;
}

async function readBody(request: IncomingMessage): Promise<Record<string, unknown>> {
  let body = "";
  for await (const chunk of request) body += String(chunk);
  return body === "" ? {} : (JSON.parse(body) as Record<string, unknown>);
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(JSON.stringify(body));
}

function ollamaChat(body: Record<string, unknown>): Chat {
  const options = (body["options"] ?? {}) as Record<string, number | undefined>;
  return {
    model: String(body["model"]),
    messages: body["messages"] as Chat["messages"],
    schema: body["format"] ?? undefined,
    numCtx: options["num_ctx"] ?? 2048,
    maxTokens: options["num_predict"] ?? 128,
    temperature: options["temperature"] ?? 0.8,
    seed: options["seed"] ?? 0,
  };
}

function openaiChat(body: Record<string, unknown>): Chat {
  const format = body["response_format"] as
    { type: string; json_schema?: { schema: unknown } } | undefined;
  return {
    model: String(body["model"]),
    messages: body["messages"] as Chat["messages"],
    schema: format?.type === "json_schema" ? format.json_schema?.schema : undefined,
    // llama-server runs with one context size for every request.
    numCtx: TINY_CONTEXT_LENGTH,
    maxTokens: Number(body["max_tokens"] ?? 128),
    temperature: Number(body["temperature"] ?? 0.8),
    seed: Number(body["seed"] ?? 0),
  };
}

async function onOllamaChat(body: Record<string, unknown>, response: ServerResponse) {
  const chat = ollamaChat(body);
  const streamed = body["stream"] !== false;
  const started = process.hrtime.bigint();
  // As Ollama: a schema the engine cannot take is a status, before any stream starts.
  if (chat.schema !== undefined) await grammarFor(chat.schema);
  if (streamed) response.writeHead(200, { "content-type": "application/x-ndjson" });
  const line = (content: string, extra: Record<string, unknown> = {}) => ({
    model: chat.model,
    created_at: new Date().toISOString(),
    message: { role: "assistant", content },
    done: false,
    ...extra,
  });
  const result = await serialized(() =>
    generate(chat, (text) => {
      if (streamed && text !== "") response.write(`${JSON.stringify(line(text))}\n`);
    }),
  );
  const final = line(streamed ? "" : result.text, {
    done: true,
    done_reason: result.doneReason,
    prompt_eval_count: result.promptTokens,
    eval_count: result.outputTokens,
    total_duration: Number(process.hrtime.bigint() - started),
  });
  if (streamed) response.end(`${JSON.stringify(final)}\n`);
  else send(response, 200, final);
}

async function onOpenAIChat(body: Record<string, unknown>, response: ServerResponse) {
  const chat = openaiChat(body);
  const streamed = body["stream"] === true;
  const chunk = (delta: Record<string, string>, finish: string | null) => ({
    id: "chatcmpl-tiny",
    object: "chat.completion.chunk",
    created: Math.floor(Date.now() / 1000),
    model: chat.model,
    choices: [{ index: 0, delta, finish_reason: finish }],
  });
  const event = (data: unknown) => response.write(`data: ${JSON.stringify(data)}\n\n`);
  const result = await serialized(async () => {
    const generated = await generate(chat, (text) => {
      if (!streamed || text === "") return;
      if (!response.headersSent) response.writeHead(200, { "content-type": "text/event-stream" });
      event(chunk({ content: text }, null));
    });
    return generated;
  });
  const usage = {
    prompt_tokens: result.promptTokens,
    completion_tokens: result.outputTokens,
    total_tokens: result.promptTokens + result.outputTokens,
  };
  if (!streamed) {
    send(response, 200, {
      id: "chatcmpl-tiny",
      object: "chat.completion",
      created: Math.floor(Date.now() / 1000),
      model: chat.model,
      choices: [
        {
          index: 0,
          message: { role: "assistant", content: result.text },
          finish_reason: result.doneReason,
        },
      ],
      usage,
    });
    return;
  }
  if (!response.headersSent) response.writeHead(200, { "content-type": "text/event-stream" });
  event(chunk({}, result.doneReason));
  event({ ...chunk({}, null), choices: [], usage });
  response.end("data: [DONE]\n\n");
}

async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
  const path = request.url?.split("?")[0];
  const body = request.method === "POST" ? await readBody(request) : {};
  if (typeof body["model"] === "string" && !(body["model"] in MODELS)) {
    return send(response, 404, { error: `model '${body["model"]}' not found` });
  }
  switch (path) {
    case "/api/version":
      return send(response, 200, { version: "0.0.0-node-llama-cpp-3.21.1" });
    case "/api/tags":
      return send(response, 200, {
        models: Object.keys(MODELS).map((name) => ({ name, model: name })),
      });
    case "/api/show":
      return send(response, 200, {
        model_info: {
          "general.architecture": "llama",
          "llama.context_length": TINY_CONTEXT_LENGTH,
        },
      });
    case "/v1/models":
      return send(response, 200, {
        object: "list",
        data: Object.keys(MODELS).map((id) => ({
          id,
          object: "model",
          owned_by: "llama.cpp",
          meta: { n_ctx_train: TINY_CONTEXT_LENGTH },
        })),
      });
    case "/api/chat":
      return onOllamaChat(body, response);
    case "/v1/chat/completions":
      return onOpenAIChat(body, response);
    default:
      return send(response, 404, { error: `no route ${path}` });
  }
}

const server = createServer((request, response) => {
  route(request, response).catch((error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    if (response.headersSent) response.end();
    else if (error instanceof GrammarRefused) send(response, 500, { error: message });
    else send(response, 500, { error: `engine error: ${message}` });
  });
});
server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}` })}\n`);
});

process.stdin.resume();
process.stdin.on("end", () => {
  server.close();
  converter.close();
  void llama.dispose().finally(() => {
    rmSync(folder, { recursive: true, force: true });
    process.exit(0);
  });
});

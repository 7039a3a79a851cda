/**
 * A scripted Ollama-compatible model server for tests: node:http on 127.0.0.1, ephemeral port,
 * speaking Ollama's real wire format (NDJSON on /api/*, SSE on the OpenAI-compatible /v1/*).
 *
 *   const server = await startModelServer({ models: [{ name: "qwen2.5-coder:14b", contextLength: 32768 }] });
 *   server.url;                                   // "http://127.0.0.1:PORT" (OLLAMA_HOST); `${url}/v1` for OPENAI_BASE_URL
 *   server.enqueue({ content: "hello" });         // next chat reply, streamed in chunks
 *   server.enqueue({ json: { ok: true } });       // content = JSON.stringify(value)
 *   server.enqueue({ json: plan, fenced: true }); // content wrapped in a ```json fence
 *   server.enqueue({ content: '{"title": ' });    // malformed JSON content
 *   server.enqueue({ fault: "status", status: 503 });   // Ollama's error JSON with that status
 *   server.enqueue({ fault: "drop", content: "par" });  // connection destroyed mid-stream
 *   server.enqueue({ fault: "error-line" });            // {"error": …} line inside a 200 stream
 *   server.enqueue({ fault: "no-final-chunk" });        // stream ends without its done chunk
 *   server.enqueue({ content: "x", headerDelayMs: 50, chunkDelayMs: 5, holdUntil: promise });
 *   server.respond((request) => ({ content: "…" }));    // used whenever the queue is empty
 *   server.chatRequests();                         // every chat request: path, headers, parsed body
 *   await server.waitForChatRequests(2);           // resolves once two chat requests arrived
 *   await server.close();                          // ends every connection and timer
 *
 * Chat requests naming a model outside `models` get Ollama's 404 without consuming the queue.
 * With an empty queue and no responder, a chat request gets a 500 saying so.
 * `/api/ps` lists the models loaded: `loaded` at start, then every model a chat asked for.
 * `closedPortUrl()` gives a 127.0.0.1 URL nobody listens on (connection refused).
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

export type JsonValue =
  string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export interface JsonObject {
  [key: string]: JsonValue;
}

export interface ScriptedModel {
  /** As `ollama pull` names it, e.g. "qwen2.5-coder:14b"; "llama3" also answers to "llama3:latest". */
  name: string;
  /** Trained context, reported by /api/show as `<architecture>.context_length`. Default 32768. */
  contextLength?: number;
  /** `general.architecture`. Default "qwen2". */
  architecture?: string;
}

export interface ModelServerOptions {
  /** Models the server has. Default: qwen2.5-coder:14b with a 32768-token context. */
  models?: ScriptedModel[];
  /** Characters per streamed chunk when a reply gives no `chunks`. Default 16. */
  chunkSize?: number;
  /** Whether /v1/models entries carry vLLM's `max_model_len`. Default false (Ollama's shape). */
  reportMaxModelLen?: boolean;
  /** `/api/version` answer. Default "0.12.6". */
  version?: string;
  /** Models `/api/pull` can fetch from the registry; a pull adds them to `models`. Default none. */
  pullable?: string[];
  /** Port to listen on (a host restarted where it was); default an ephemeral one. */
  port?: number;
  /** Models `/api/ps` lists as loaded at start; a chat request loads its model. Default none. */
  loaded?: string[];
}

interface ReplyTiming {
  /** Wait this long before sending the status line and headers. */
  headerDelayMs?: number;
  /** Wait this long between streamed chunks. */
  chunkDelayMs?: number;
  /** Send nothing until this settles: lets a test hold a request in flight. */
  holdUntil?: Promise<unknown>;
}

export interface ContentReply extends ReplyTiming {
  content?: string;
  /** Reply content as JSON.stringify(json); overrides `content`. */
  json?: unknown;
  /** Wrap the content in a ```json Markdown fence, as models often do. */
  fenced?: boolean;
  /** Explicit stream chunks (joined, they are the content). */
  chunks?: string[];
  /** Ollama `done_reason` / OpenAI `finish_reason`. Default "stop". */
  doneReason?: string;
  /** Default: the prompt's characters / 3, about what code and JSON come to. */
  promptEvalCount?: number;
  /** Default: the content's characters / 4. */
  evalCount?: number;
  /** Final-chunk durations in nanoseconds. */
  durationsNs?: { total?: number; load?: number; promptEval?: number; eval?: number };
  /** OpenAI API: leave out the usage chunk even when `stream_options.include_usage` asks for it. */
  omitUsage?: boolean;
}

export type FaultKind = "status" | "drop" | "error-line" | "no-final-chunk";

export interface FaultReply extends ReplyTiming {
  fault: FaultKind;
  /** For "status": the HTTP status. Default 500. */
  status?: number;
  /** Error text; defaults to what Ollama says for the status or fault. */
  error?: string;
  /** Content streamed before the fault ("drop", "error-line", "no-final-chunk"). */
  content?: string;
}

export type ScriptedReply = ContentReply | FaultReply;

export interface RecordedRequest {
  method: string;
  /** Path without the query string, e.g. "/api/chat" or "/v1/chat/completions". */
  path: string;
  headers: Record<string, string | undefined>;
  /** The parsed JSON body; undefined for GET or a body that is not a JSON object. */
  body: JsonObject | undefined;
}

export type Responder = (request: RecordedRequest) => ScriptedReply | undefined;

export interface ModelServer {
  /** http://127.0.0.1:PORT — use as OLLAMA_HOST, and `${url}/v1` as OPENAI_BASE_URL. */
  readonly url: string;
  enqueue(...replies: ScriptedReply[]): void;
  /** Replies computed from the request, used whenever the queue is empty; undefined clears it. */
  respond(responder: Responder | undefined): void;
  /** Every request received, in order. */
  requests(): RecordedRequest[];
  /** Requests to /api/chat and /v1/chat/completions, in order. */
  chatRequests(): RecordedRequest[];
  /** Resolves once at least `count` chat requests have arrived. */
  waitForChatRequests(count: number): Promise<void>;
  /** Scripted replies not yet used. */
  pending(): number;
  close(): Promise<void>;
}

const DEFAULT_MODELS: ScriptedModel[] = [{ name: "qwen2.5-coder:14b", contextLength: 32768 }];
const CHAT_PATHS = new Set(["/api/chat", "/v1/chat/completions"]);
const BUSY = "server busy, please try again.  maximum pending requests exceeded";

export async function startModelServer(options: ModelServerOptions = {}): Promise<ModelServer> {
  const state = new ServerState(options);
  const server = createServer((req, res) => {
    state.handle(req, res).catch((error: unknown) => {
      if (!res.headersSent && !res.destroyed) {
        res.writeHead(500, { "Content-Type": "application/json" });
        res.end(JSON.stringify({ error: `scripted model server failed: ${String(error)}` }));
      } else {
        res.destroy();
      }
    });
  });
  // Ollama (Go's net/http, no idle timeout set) keeps an idle connection open; Node's default
  // closes it after 5 s, which a client can race by reusing the socket as the close arrives.
  server.keepAliveTimeout = 0;
  server.on("connection", (socket: Socket) => {
    state.sockets.add(socket);
    socket.on("close", () => state.sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    enqueue: (...replies) => state.queue.push(...replies),
    respond: (responder) => {
      state.responder = responder;
    },
    requests: () => [...state.recorded],
    chatRequests: () => state.recorded.filter((request) => CHAT_PATHS.has(request.path)),
    waitForChatRequests: (count) => state.waitForChats(count),
    pending: () => state.queue.length,
    close: async () => {
      state.closed = true;
      for (const timer of state.timers) clearTimeout(timer);
      state.timers.clear();
      const closing = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      for (const socket of state.sockets) socket.destroy();
      await closing;
    },
  };
}

/** A 127.0.0.1 URL with nothing listening on it, for connection-refused tests. */
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

class ServerState {
  readonly queue: ScriptedReply[] = [];
  readonly recorded: RecordedRequest[] = [];
  readonly sockets = new Set<Socket>();
  readonly timers = new Set<NodeJS.Timeout>();
  responder: Responder | undefined;
  closed = false;
  private readonly models: Required<ScriptedModel>[];
  private readonly chatWaiters: { count: number; resolve: () => void }[] = [];
  private readonly loaded: Set<string>;

  constructor(private readonly options: ModelServerOptions) {
    this.models = (options.models ?? DEFAULT_MODELS).map((model) => ({
      name: model.name,
      contextLength: model.contextLength ?? 32768,
      architecture: model.architecture ?? "qwen2",
    }));
    this.loaded = new Set((options.loaded ?? []).map(withTag));
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const request = await readRequest(req);
    this.recorded.push(request);
    const route = `${request.method} ${request.path}`;
    if (CHAT_PATHS.has(request.path)) this.wakeChatWaiters();
    switch (route) {
      case "POST /api/chat":
        return this.chat(request, res, "ollama");
      case "POST /v1/chat/completions":
        return this.chat(request, res, "openai");
      case "POST /api/show":
        return this.show(request, res);
      case "GET /api/tags":
        return sendJson(res, 200, { models: this.models.map(tagEntry) });
      case "GET /api/ps":
        return sendJson(res, 200, {
          models: this.models.filter((model) => this.loaded.has(withTag(model.name))).map(tagEntry),
        });
      case "GET /api/version":
        return sendJson(res, 200, { version: this.options.version ?? "0.12.6" });
      case "POST /api/pull":
        return this.pull(request, res);
      case "GET /v1/models":
        return sendJson(res, 200, {
          object: "list",
          data: this.models.map((model) => this.openaiModelEntry(model)),
        });
      default:
        res.writeHead(404, { "Content-Type": "text/plain" });
        res.end("404 page not found");
    }
  }

  waitForChats(count: number): Promise<void> {
    if (this.chatCount() >= count) return Promise.resolve();
    return new Promise((resolve) => this.chatWaiters.push({ count, resolve }));
  }

  private chatCount(): number {
    return this.recorded.filter((request) => CHAT_PATHS.has(request.path)).length;
  }

  private wakeChatWaiters(): void {
    const count = this.chatCount();
    for (const waiter of [...this.chatWaiters]) {
      if (waiter.count <= count) {
        this.chatWaiters.splice(this.chatWaiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  }

  private findModel(name: unknown): Required<ScriptedModel> | undefined {
    if (typeof name !== "string") return undefined;
    const wanted = withTag(name);
    return this.models.find((model) => withTag(model.name) === wanted);
  }

  /** Ollama's streamed pull: NDJSON progress lines, then `success`, or an error line. */
  private pull(request: RecordedRequest, res: ServerResponse): void {
    const name = String(request.body?.["model"] ?? request.body?.["name"] ?? "");
    res.writeHead(200, { "Content-Type": "application/x-ndjson" });
    const line = (value: JsonObject) => res.write(`${JSON.stringify(value)}\n`);
    line({ status: "pulling manifest" });
    if (!(this.options.pullable ?? []).some((model) => withTag(model) === withTag(name))) {
      line({ error: "pull model manifest: file does not exist" });
      res.end();
      return;
    }
    const digest = "sha256:3028237cc8c52fea4e77185d72cc997b2e90392791f7c82fe1c71995d56e642d";
    const total = 8_988_124_069;
    for (const completed of [0, total / 2, total]) {
      line({ status: `pulling ${digest.slice(7, 19)}`, digest, total, completed });
    }
    line({ status: "verifying sha256 digest" });
    line({ status: "writing manifest" });
    line({ status: "success" });
    this.models.push({ name, contextLength: 32768, architecture: "qwen2" });
    res.end();
  }

  private show(request: RecordedRequest, res: ServerResponse): void {
    const name = request.body?.["model"] ?? request.body?.["name"];
    const model = this.findModel(name);
    if (!model) return sendJson(res, 404, { error: `model '${String(name)}' not found` });
    sendJson(res, 200, {
      license: "",
      modelfile: `FROM ${model.name}`,
      parameters: 'stop "<|im_end|>"',
      template: "{{ .Prompt }}",
      details: modelDetails(model),
      model_info: {
        "general.architecture": model.architecture,
        "general.parameter_count": 14_770_033_664,
        [`${model.architecture}.context_length`]: model.contextLength,
        [`${model.architecture}.embedding_length`]: 5120,
      },
      capabilities: ["completion", "tools"],
      modified_at: "2025-01-01T00:00:00Z",
    });
  }

  private openaiModelEntry(model: Required<ScriptedModel>): JsonObject {
    const entry: JsonObject = {
      id: model.name,
      object: "model",
      created: 1_735_689_600,
      owned_by: "library",
    };
    if (this.options.reportMaxModelLen) entry["max_model_len"] = model.contextLength;
    return entry;
  }

  private async chat(request: RecordedRequest, res: ServerResponse, api: Api): Promise<void> {
    const modelName = request.body?.["model"];
    if (!this.findModel(modelName)) {
      const message = `model "${String(modelName)}" not found, try pulling it first`;
      return sendError(res, api, 404, message);
    }
    this.loaded.add(withTag(String(modelName)));
    const reply = this.queue.shift() ?? this.responder?.(request);
    if (!reply) {
      return sendError(
        res,
        api,
        500,
        `scripted model server: no reply scripted for ${request.path}`,
      );
    }
    if (reply.holdUntil) await reply.holdUntil;
    if (reply.headerDelayMs) await this.sleep(reply.headerDelayMs);
    if (this.closed || res.destroyed) return;
    // Ollama streams unless told not to; the OpenAI API only when asked.
    const stream =
      api === "ollama" ? request.body?.["stream"] !== false : request.body?.["stream"] === true;
    if ("fault" in reply) return this.fault(reply, request, res, api, stream);
    const exchange = new Exchange(request, reply, api);
    if (!stream) return sendJson(res, 200, exchange.whole());
    startStream(res, api);
    await this.writeChunks(res, exchange.chunkLines(this.chunkSizeFor()), reply.chunkDelayMs);
    for (const line of exchange.closingLines()) res.write(line);
    res.end();
  }

  private async fault(
    reply: FaultReply,
    request: RecordedRequest,
    res: ServerResponse,
    api: Api,
    stream: boolean,
  ): Promise<void> {
    if (reply.fault === "status") {
      const status = reply.status ?? 500;
      return sendError(res, api, status, reply.error ?? defaultErrorFor(status));
    }
    const exchange = new Exchange(request, { content: reply.content ?? "" }, api);
    startStream(res, api);
    const lines = stream ? exchange.chunkLines(this.chunkSizeFor()) : [];
    await this.writeChunks(res, lines, reply.chunkDelayMs);
    if (reply.fault === "drop") {
      // Flush what was written, then cut the socket without the closing chunk of the encoding.
      res.write("", () => res.socket?.destroy());
      return;
    }
    if (reply.fault === "error-line") {
      res.write(
        exchange.errorLine(
          reply.error ?? "an error was encountered while running the model: unexpected EOF",
        ),
      );
    }
    res.end();
  }

  private chunkSizeFor(): number {
    return Math.max(1, this.options.chunkSize ?? 16);
  }

  private async writeChunks(res: ServerResponse, lines: string[], delayMs = 0): Promise<void> {
    for (const line of lines) {
      if (delayMs > 0) await this.sleep(delayMs);
      if (this.closed || res.destroyed) return;
      res.write(line);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.add(timer);
    });
  }
}

type Api = "ollama" | "openai";

/** One chat exchange rendered in either API's wire format. */
class Exchange {
  private readonly model: string;
  private readonly content: string;
  private readonly created = new Date().toISOString();
  private readonly id = `chatcmpl-${Math.floor(Math.random() * 1e6)}`;

  constructor(
    private readonly request: RecordedRequest,
    private readonly reply: ContentReply,
    private readonly api: Api,
  ) {
    this.model = String(request.body?.["model"]);
    this.content = replyContent(reply);
  }

  chunkLines(size: number): string[] {
    const parts = this.reply.chunks ?? splitText(this.content, size);
    return parts.map((part) =>
      this.line(this.api === "ollama" ? this.ollamaChunk(part) : this.openaiChunk(part, null)),
    );
  }

  closingLines(): string[] {
    if (this.api === "ollama")
      return [this.line({ ...this.ollamaChunk(""), ...this.ollamaFinal() })];
    const lines = [this.line(this.openaiChunk("", this.doneReason()))];
    const options = this.request.body?.["stream_options"];
    const wantsUsage = isObject(options) && options["include_usage"] === true;
    if (wantsUsage && !this.reply.omitUsage) {
      lines.push(
        this.line({
          ...this.openaiEnvelope("chat.completion.chunk"),
          choices: [],
          usage: this.usage(),
        }),
      );
    }
    lines.push("data: [DONE]\n\n");
    return lines;
  }

  whole(): JsonObject {
    if (this.api === "ollama") {
      return { ...this.ollamaChunk(this.content), ...this.ollamaFinal() };
    }
    return {
      ...this.openaiEnvelope("chat.completion"),
      choices: [
        {
          index: 0,
          message: { role: "assistant", content: this.content },
          finish_reason: this.doneReason(),
        },
      ],
      usage: this.usage(),
    };
  }

  errorLine(message: string): string {
    if (this.api === "ollama") return this.line({ error: message });
    return this.line({ error: { message, type: "api_error", param: null, code: null } });
  }

  private line(value: JsonObject): string {
    const json = JSON.stringify(value);
    return this.api === "ollama" ? `${json}\n` : `data: ${json}\n\n`;
  }

  private ollamaChunk(content: string): JsonObject {
    return {
      model: this.model,
      created_at: this.created,
      message: { role: "assistant", content },
      done: false,
    };
  }

  private ollamaFinal(): JsonObject {
    const durations = this.reply.durationsNs ?? {};
    const load = durations.load ?? 1_000_000;
    const promptEval = durations.promptEval ?? 2_000_000;
    const evaluation = durations.eval ?? 3_000_000;
    return {
      done: true,
      done_reason: this.doneReason(),
      total_duration: durations.total ?? load + promptEval + evaluation,
      load_duration: load,
      prompt_eval_count: this.promptTokens(),
      prompt_eval_duration: promptEval,
      eval_count: this.outputTokens(),
      eval_duration: evaluation,
    };
  }

  private openaiEnvelope(object: string): JsonObject {
    return {
      id: this.id,
      object,
      created: Math.floor(Date.now() / 1000),
      model: this.model,
      system_fingerprint: "fp_ollama",
    };
  }

  private openaiChunk(content: string, finishReason: string | null): JsonObject {
    return {
      ...this.openaiEnvelope("chat.completion.chunk"),
      choices: [{ index: 0, delta: { role: "assistant", content }, finish_reason: finishReason }],
    };
  }

  private usage(): JsonObject {
    const prompt = this.promptTokens();
    const completion = this.outputTokens();
    return {
      prompt_tokens: prompt,
      completion_tokens: completion,
      total_tokens: prompt + completion,
    };
  }

  private doneReason(): string {
    return this.reply.doneReason ?? "stop";
  }

  private promptTokens(): number {
    return this.reply.promptEvalCount ?? Math.ceil(promptChars(this.request.body) / 3);
  }

  private outputTokens(): number {
    return this.reply.evalCount ?? Math.ceil(this.content.length / 4);
  }
}

function replyContent(reply: ContentReply): string {
  const text =
    reply.json !== undefined
      ? JSON.stringify(reply.json)
      : reply.chunks !== undefined
        ? reply.chunks.join("")
        : (reply.content ?? "");
  return reply.fenced ? "```json\n" + text + "\n```" : text;
}

function splitText(text: string, size: number): string[] {
  const parts: string[] = [];
  for (let start = 0; start < text.length; start += size)
    parts.push(text.slice(start, start + size));
  return parts;
}

function promptChars(body: JsonObject | undefined): number {
  const messages = body?.["messages"];
  if (!Array.isArray(messages)) return 0;
  let chars = 0;
  for (const message of messages) {
    if (isObject(message) && typeof message["content"] === "string")
      chars += message["content"].length;
  }
  return chars;
}

function withTag(name: string): string {
  return name.includes(":") ? name : `${name}:latest`;
}

function tagEntry(model: Required<ScriptedModel>): JsonObject {
  return {
    name: model.name,
    model: model.name,
    modified_at: "2025-01-01T00:00:00Z",
    size: 8_988_124_069,
    digest: "sha256:3028237cc8c52fea4e77185d72cc997b2e90392791f7c82fe1c71995d56e642d",
    details: modelDetails(model),
  };
}

function modelDetails(model: Required<ScriptedModel>): JsonObject {
  return {
    parent_model: "",
    format: "gguf",
    family: model.architecture,
    families: [model.architecture],
    parameter_size: "14.8B",
    quantization_level: "Q4_K_M",
  };
}

function defaultErrorFor(status: number): string {
  if (status === 503) return BUSY;
  if (status === 404) return "model not found, try pulling it first";
  if (status >= 500) return "llama runner process has terminated: exit status 2";
  return `scripted failure with status ${status}`;
}

function startStream(res: ServerResponse, api: Api): void {
  const type = api === "ollama" ? "application/x-ndjson" : "text/event-stream";
  res.writeHead(200, { "Content-Type": type });
  // Send the headers now, as Ollama does, so a client sees the stream open before any chunk.
  res.flushHeaders();
}

function sendError(res: ServerResponse, api: Api, status: number, message: string): void {
  const body: JsonObject =
    api === "ollama"
      ? { error: message }
      : { error: { message, type: "api_error", param: null, code: null } };
  sendJson(res, status, body);
}

function sendJson(res: ServerResponse, status: number, body: JsonObject): void {
  if (res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { "Content-Type": "application/json; charset=utf-8" });
  res.end(text);
}

async function readRequest(req: IncomingMessage): Promise<RecordedRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    headers[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return {
    method: req.method ?? "GET",
    path: new URL(req.url ?? "/", "http://127.0.0.1").pathname,
    headers,
    body: parseBody(text),
  };
}

function parseBody(text: string): JsonObject | undefined {
  if (text === "") return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

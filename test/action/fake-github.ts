// A recording HTTP server on 127.0.0.1 that plays GitHub's REST API for the bundled Action, which
// runs in a child process where nock cannot reach. Routes answer by "METHOD /path" (query ignored).
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface GitHubRequest {
  method: string;
  /** The path as sent, still URL-encoded, without the query. */
  path: string;
  query: string;
  headers: IncomingMessage["headers"];
  body: unknown;
}

export interface GitHubReply {
  status: number;
  body?: unknown;
  /** Sent as-is when a string (raw file contents), else as JSON. */
  contentType?: string;
}

export type Route = (request: GitHubRequest) => GitHubReply;

export interface FakeGitHub {
  /** Use as GITHUB_API_URL. */
  url: string;
  route(key: string, reply: GitHubReply | Route): void;
  requests(): GitHubRequest[];
  /** Requests no route answered (each got a 404). */
  unmatched(): string[];
  close(): Promise<void>;
}

export async function startFakeGitHub(): Promise<FakeGitHub> {
  const routes = new Map<string, Route>();
  const recorded: GitHubRequest[] = [];
  const unmatched: string[] = [];
  const server = createServer((req, res) => {
    void handle(req, res);
  });
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    const [path = "", query = ""] = (req.url ?? "").split("?");
    const request: GitHubRequest = {
      method: req.method ?? "GET",
      path,
      query,
      headers: req.headers,
      body: text === "" ? undefined : safeJson(text),
    };
    recorded.push(request);
    const key = `${request.method} ${path}`;
    const route = routes.get(key);
    if (route === undefined) unmatched.push(key);
    const reply = route?.(request) ?? { status: 404, body: { message: "Not Found" } };
    const raw = typeof reply.body === "string";
    res.writeHead(reply.status, {
      "content-type": reply.contentType ?? (raw ? "text/plain" : "application/json; charset=utf-8"),
    });
    res.end(raw ? reply.body : reply.body === undefined ? "" : JSON.stringify(reply.body));
  }
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    route: (key, reply) => routes.set(key, typeof reply === "function" ? reply : () => reply),
    requests: () => [...recorded],
    unmatched: () => [...unmatched],
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

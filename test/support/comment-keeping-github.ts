// A GitHub REST stand-in on 127.0.0.1 that keeps issue comments, for App replicas in child
// processes (nock cannot reach them) and the benches: duplicates and lost runs are counted from
// what it holds afterwards. Optional `delayMs` answers every request that much later, and
// `holdUntil` answers nothing before that promise settles.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface KeptComment {
  id: number;
  body: string;
  user: { login: string; type: "Bot" };
}

export interface CommentKeepingGitHub {
  /** The API's base URL (Probot's `baseUrl`). */
  url: string;
  /** Comments by "owner/repo#number". */
  comments: Map<string, KeptComment[]>;
  /** Requests no route answered, as "METHOD /path". */
  unmatched: string[];
  /** Every request in the order it arrived: "METHOD /path", and when (performance.now()). */
  requests: { request: string; at: number }[];
  /** Every comment written (posted or edited), in the order written: its "owner/repo#number". */
  writes: { key: string; body: string; at: number }[];
  close(): Promise<void>;
}

export async function startCommentKeepingGitHub(
  options: { delayMs?: number; botLogin?: string; holdUntil?: Promise<unknown> } = {},
): Promise<CommentKeepingGitHub> {
  const comments = new Map<string, KeptComment[]>();
  const unmatched: string[] = [];
  const requests: { request: string; at: number }[] = [];
  const writes: { key: string; body: string; at: number }[] = [];
  const login = options.botLogin ?? "symphony[bot]";
  let nextId = 1;
  const server = createServer((req, res) => void handle(req, res));

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    requests.push({ request: `${req.method} ${req.url ?? "/"}`, at: performance.now() });
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body =
      chunks.length > 0 ? (JSON.parse(Buffer.concat(chunks).toString()) as { body?: string }) : {};
    await options.holdUntil;
    if (options.delayMs !== undefined) {
      await new Promise((resolve) => setTimeout(resolve, options.delayMs));
    }
    const path = new URL(req.url ?? "/", "http://x").pathname;
    const send = (status: number, data: unknown): void => {
      res.writeHead(status, {
        "content-type": "application/json",
        "x-ratelimit-remaining": "4999",
      });
      res.end(JSON.stringify(data));
    };
    let match: RegExpMatchArray | null;
    if (req.method === "POST" && /^\/app\/installations\/\d+\/access_tokens$/.test(path)) {
      return send(201, { token: "ghs_test", expires_at: "2999-01-01T00:00:00Z" });
    }
    if (path.includes("/contents/")) return send(404, { message: "Not Found" });
    if ((match = path.match(/^\/repos\/([^/]+)\/([^/]+)\/collaborators\/([^/]+)\/permission$/))) {
      return send(200, { permission: "write", role_name: "write", user: { login: match[3] } });
    }
    if ((match = path.match(/^\/repos\/([^/]+\/[^/]+)\/issues\/(\d+)\/comments$/))) {
      const key = `${match[1]}#${match[2]}`;
      const list = comments.get(key) ?? [];
      if (req.method === "GET") return send(200, list);
      const comment: KeptComment = {
        id: nextId++,
        body: body.body ?? "",
        user: { login, type: "Bot" },
      };
      comments.set(key, [...list, comment]);
      writes.push({ key, body: comment.body, at: performance.now() });
      return send(201, { ...comment, html_url: `https://github.test/${key}#${comment.id}` });
    }
    if ((match = path.match(/^\/repos\/[^/]+\/[^/]+\/issues\/comments\/(\d+)$/))) {
      const id = Number(match[1]);
      for (const [key, list] of comments) {
        const comment = list.find((c) => c.id === id);
        if (comment !== undefined) {
          comment.body = body.body ?? comment.body;
          writes.push({ key, body: comment.body, at: performance.now() });
          return send(200, comment);
        }
      }
      return send(404, { message: "Not Found" });
    }
    unmatched.push(`${req.method} ${path}`);
    return send(404, { message: `no ${req.method} ${path} here` });
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    comments,
    unmatched,
    requests,
    writes,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

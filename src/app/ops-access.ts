// Who may read /metrics and /readyz, which name the operator's model hosts and load: a bearer
// token (SYMPHONY_METRICS_TOKEN), a port of their own (SYMPHONY_METRICS_PORT), or both. /healthz
// says only "the process answers" and stays open on the webhook port.
import { createHash, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { Logger } from "probot";
import type { ServerHandler } from "./health.js";

export interface OpsAccess {
  /** /metrics and /readyz answer 401 without `Authorization: Bearer <token>`. */
  token?: string;
  /** /metrics and /readyz are served on this port, and no longer on the webhook port. */
  port?: number;
  /** The address the metrics port listens on; default every interface. */
  host?: string;
  /** Called once the metrics port listens, with its server (tests and embedders close it). */
  onListening?: (server: Server) => void;
}

const MIN_TOKEN_CHARS = 16;

/** The operator's settings; a bad value stops start-up with a sentence naming the variable. */
export function readOpsAccess(env: NodeJS.ProcessEnv): OpsAccess {
  const access: OpsAccess = {};
  const token = env.SYMPHONY_METRICS_TOKEN?.trim();
  if (token !== undefined && token !== "") {
    if (token.length < MIN_TOKEN_CHARS) {
      throw new Error(
        `SYMPHONY_METRICS_TOKEN must be at least ${MIN_TOKEN_CHARS} characters (use a random one, e.g. \`openssl rand -hex 32\`)`,
      );
    }
    access.token = token;
  }
  const port = env.SYMPHONY_METRICS_PORT?.trim();
  if (port !== undefined && port !== "") {
    const value = Number(port);
    if (!Number.isInteger(value) || value < 1 || value > 65_535) {
      throw new Error(
        `SYMPHONY_METRICS_PORT must be a port number from 1 to 65535 (it is "${port}")`,
      );
    }
    access.port = value;
  }
  const host = env.SYMPHONY_METRICS_HOST?.trim();
  if (host !== undefined && host !== "") access.host = host;
  return access;
}

/** Whether the request carries the token; compared in constant time. */
export function carriesToken(req: IncomingMessage, token: string): boolean {
  const header = req.headers.authorization ?? "";
  const given = /^Bearer (.+)$/i.exec(header)?.[1]?.trim() ?? "";
  const digest = (text: string) => createHash("sha256").update(text).digest();
  return timingSafeEqual(digest(given), digest(token));
}

/** The metrics port's own server; a request no endpoint answers gets 404. */
export function serveOpsPort(handler: ServerHandler, access: OpsAccess, log: Logger): Server {
  const server = createServer((req, res) => {
    handler(req, res).then(
      (handled) => {
        if (handled) return;
        res.writeHead(404, { "content-type": "text/plain" });
        res.end("Not Found\n");
      },
      (error: unknown) => {
        log.error({ err: error }, "the metrics port could not answer");
        if (!res.headersSent) res.writeHead(500);
        res.end();
      },
    );
  });
  server.on("error", (error) => log.error({ err: error }, "the metrics port failed"));
  server.listen(access.port, access.host, () => {
    log.info({ port: access.port, host: access.host }, "/metrics and /readyz on their own port");
    access.onListening?.(server);
  });
  return server;
}

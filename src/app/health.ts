// The operator's endpoints on the App's HTTP server: /metrics for Prometheus, /healthz for "the
// process answers", /readyz for "the model host answers and has the model".
import type { IncomingMessage, ServerResponse } from "node:http";
import { carriesToken } from "./ops-access.js";
import type { ProviderHealth } from "../runner/types.js";
import type { SymphonyMetrics } from "./metrics.js";

export interface OpsEndpointsOptions {
  metrics: SymphonyMetrics;
  /** The model runtime's health check (never throws in the real runtime). */
  health(): Promise<ProviderHealth>;
  /** /readyz answers 503 when the check takes longer than this (5 s). */
  readyTimeoutMs?: number;
  /** False once shutdown began: /readyz then answers 503 so the load balancer moves on. */
  accepting?: () => boolean;
  /** With REDIS_URL: whether Redis answers; without it a replica cannot take deliveries. */
  redis?: () => Promise<{ ok: boolean; problem?: string }>;
  /** SYMPHONY_METRICS_TOKEN: /metrics and /readyz answer 401 without it as a bearer token. */
  token?: string;
  /** Which endpoints this handler answers; default all three. */
  serves?: readonly OpsPath[];
}

export type OpsPath = "/metrics" | "/healthz" | "/readyz";
const ALL_PATHS: readonly OpsPath[] = ["/metrics", "/healthz", "/readyz"];

/** A Probot server handler (`addHandler`): true when it answered the request. */
export type ServerHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

export function createOpsEndpoints(options: OpsEndpointsOptions): ServerHandler {
  return async (req, res) => {
    if (req.method !== "GET" && req.method !== "HEAD") return false;
    const path = ALL_PATHS.find((known) => known === (req.url ?? "").split("?")[0]);
    if (path === undefined || !(options.serves ?? ALL_PATHS).includes(path)) return false;
    // /healthz says only that the process answers; the others name hosts, models and load.
    if (path !== "/healthz" && options.token !== undefined && !carriesToken(req, options.token)) {
      res.setHeader("www-authenticate", 'Bearer realm="symphony"');
      sendJson(res, 401, {
        status: "unauthorized",
        problem: "send Authorization: Bearer <SYMPHONY_METRICS_TOKEN>",
      });
      return true;
    }
    switch (path) {
      case "/metrics":
        send(res, 200, options.metrics.contentType, await options.metrics.render());
        return true;
      case "/healthz":
        sendJson(res, 200, { status: "ok", uptimeSeconds: Math.round(process.uptime()) });
        return true;
      case "/readyz":
        await answerReady(res, options);
        return true;
    }
  };
}

async function answerReady(res: ServerResponse, options: OpsEndpointsOptions): Promise<void> {
  if (options.accepting?.() === false) {
    sendJson(res, 503, { status: "shutting down" });
    return;
  }
  const [health, redis] = await Promise.all([
    withTimeout(options.health(), options.readyTimeoutMs ?? 5_000),
    options.redis?.(),
  ]);
  const ready = health.reachable && health.modelPresent !== false && redis?.ok !== false;
  const problem =
    (redis?.ok === false ? `Redis did not answer: ${redis.problem ?? "no reply"}` : undefined) ??
    health.problem ??
    (!health.reachable ? "the model host did not answer" : undefined) ??
    (health.modelPresent === false ? "the model is not on the host" : undefined);
  sendJson(res, ready ? 200 : 503, {
    status: ready ? "ready" : "not ready",
    modelHost: health.reachable ? "answering" : "not answering",
    ...(redis === undefined ? {} : { redis: redis.ok ? "answering" : "not answering" }),
    ...(health.modelPresent === undefined ? {} : { modelPresent: health.modelPresent }),
    ...(health.version === undefined ? {} : { version: health.version }),
    ...(ready || problem === undefined ? {} : { problem }),
    ...(health.hosts === undefined
      ? {}
      : {
          hosts: health.hosts.map((host) => ({
            host: host.host,
            answering: host.up,
            ...(host.problem === undefined ? {} : { problem: host.problem }),
          })),
        }),
  });
}

function withTimeout(check: Promise<ProviderHealth>, ms: number): Promise<ProviderHealth> {
  return new Promise((resolve) => {
    const timer = setTimeout(
      () =>
        resolve({
          reachable: false,
          problem: `the model host did not answer the health check within ${ms} ms`,
        }),
      ms,
    );
    check.then(
      (health) => {
        clearTimeout(timer);
        resolve(health);
      },
      (error: unknown) => {
        clearTimeout(timer);
        resolve({
          reachable: false,
          problem: error instanceof Error ? error.message : "the health check failed",
        });
      },
    );
  });
}

function sendJson(res: ServerResponse, status: number, body: object): void {
  send(res, status, "application/json", `${JSON.stringify(body)}\n`);
}

function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, {
    "content-type": contentType,
    "content-length": Buffer.byteLength(body),
    "cache-control": "no-store",
  });
  res.end(body);
}

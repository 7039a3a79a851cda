// The production set-up for tests: Probot's real HTTP server on 127.0.0.1 with a webhook secret,
// signed deliveries, and a probe command that goes through startRun like every feature does.
import { createHmac, randomUUID } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import nock from "nock";
import { Probot, Server, type ApplicationFunction, type Logger } from "probot";
import { afterEach, beforeEach, expect } from "vitest";
import {
  blockNetwork,
  TEST_APP_ID,
  TEST_INSTALLATION_ID,
  TestOctokit,
  testLog,
  testPrivateKey,
  type WebhookName,
  type WebhookPayload,
} from "../support/probot.js";

/**
 * useGitHubMock() for tests that also talk to servers on 127.0.0.1 (Symphony's own, the model
 * server): a request to GitHub that no mock answered fails the test; local requests are fine.
 */
export function useGitHubMockWithLocalServers(): { unmatched: string[] } {
  const state = { unmatched: [] as string[] };
  const record = (request: { method?: string; path?: string; href?: string }): void => {
    const where = request.href ?? request.path ?? "?";
    if (/^https?:\/\/127\.0\.0\.1[:/]/.test(where)) return;
    state.unmatched.push(`${request.method ?? "?"} ${where}`);
  };
  beforeEach(() => {
    blockNetwork();
    state.unmatched = [];
    nock.emitter.on("no match", record);
  });
  afterEach(() => {
    nock.emitter.removeListener("no match", record);
    nock.cleanAll();
    expect(state.unmatched, "GitHub requests no mock answered").toEqual([]);
  });
  return state;
}

export const WEBHOOK_SECRET = "test-webhook-secret";
export const WEBHOOK_PATH = "/api/github/webhooks";

export interface RunningServer {
  /** http://127.0.0.1:PORT */
  url: string;
  stop(): Promise<void>;
}

export interface ServerOptions {
  app: ApplicationFunction;
  /** Default TestOctokit (no retry, no throttling). */
  Octokit?: typeof TestOctokit;
  log?: Logger;
}

/** Probot's own Server, as `probot run` builds it, listening on an ephemeral port. */
export async function startSymphonyServer(options: ServerOptions): Promise<RunningServer> {
  blockNetwork();
  const port = await freePort();
  const log = options.log ?? testLog();
  const server = new Server({
    host: "127.0.0.1",
    port,
    enableStaticFiles: false,
    log,
    Probot: Probot.defaults({
      appId: TEST_APP_ID,
      privateKey: testPrivateKey(),
      secret: WEBHOOK_SECRET,
      Octokit: options.Octokit ?? TestOctokit,
      log,
    }),
  });
  await server.load(options.app);
  await server.start();
  return { url: `http://127.0.0.1:${port}`, stop: () => server.stop() };
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

export function sign(body: string, secret = WEBHOOK_SECRET): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

export interface Delivery {
  status: number;
  body: string;
}

/** POSTs a webhook as GitHub does; `signature: null` leaves the header out. */
export async function postWebhook<E extends WebhookName>(
  url: string,
  name: E,
  payload: WebhookPayload<E>,
  options: { id?: string; signature?: string | null } = {},
): Promise<Delivery> {
  const body = JSON.stringify(payload);
  const [event = name] = name.split(".");
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "x-github-event": event,
    "x-github-delivery": options.id ?? randomUUID(),
    "x-github-hook-installation-target-id": String(TEST_INSTALLATION_ID),
  };
  const signature = options.signature === undefined ? sign(body) : options.signature;
  if (signature !== null) headers["x-hub-signature-256"] = signature;
  const response = await fetch(`${url}${WEBHOOK_PATH}`, { method: "POST", headers, body });
  return { status: response.status, body: await response.text() };
}

export { probeCommand, ProbeAnswer } from "./probe-command.js";

// A Probot instance for tests: a key made at test time, Octokit without retry or throttling,
// webhook payloads from @octokit/webhooks-examples, and a model runtime that never reaches a network.
import { generateKeyPairSync, randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import nock from "nock";
import { pino } from "pino";
import { Probot, type ApplicationFunction, type Context, type Logger } from "probot";
import type { AppRuntime } from "../../src/app/services.js";
import type { ModelRuntime, ProviderHealth } from "../../src/runner/types.js";
import { TestOctokit } from "./test-octokit.js";

export { TestOctokit };

export const TEST_APP_ID = 1;
export const TEST_INSTALLATION_ID = 2;
/** The bot login tests give the app, so it does not have to ask `GET /app`. */
export const TEST_BOT_LOGIN = "symphony-test[bot]";
export const GITHUB_API = "https://api.github.com";

let privateKey: string | undefined;

/** An RSA key generated once per test file; never committed, never valid anywhere else. */
export function testPrivateKey(): string {
  privateKey ??= generateKeyPairSync("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs1", format: "pem" },
  }).privateKey;
  return privateKey;
}

/** No test reaches the network; 127.0.0.1 stays open for the scripted model server. */
export function blockNetwork(): void {
  nock.disableNetConnect();
  nock.enableNetConnect("127.0.0.1");
}

/**
 * Tests print no logs: a passing run shows only the reporter, a failing one its assertion.
 * `LOG_LEVEL=debug npx vitest run test/x` shows what the app logged while it ran.
 */
export const TEST_LOG_LEVEL = process.env["LOG_LEVEL"] ?? "silent";

/** A pino logger, as Probot's, at the tests' level (silent unless LOG_LEVEL says otherwise). */
export function testLog(): Logger {
  return pino({ level: TEST_LOG_LEVEL });
}

export interface TestProbotOptions {
  /** Loaded into the instance before it is returned. */
  app?: ApplicationFunction;
  log?: Logger;
}

export async function createTestProbot(options: TestProbotOptions = {}): Promise<Probot> {
  blockNetwork();
  const probot = new Probot({
    appId: TEST_APP_ID,
    privateKey: testPrivateKey(),
    Octokit: TestOctokit,
    log: options.log ?? testLog(),
  });
  if (options.app !== undefined) await probot.load(options.app);
  return probot;
}

/** The installation token Probot asks for before its first call on behalf of an installation. */
export function mockInstallationToken(
  scope: nock.Scope,
  installationId = TEST_INSTALLATION_ID,
): nock.Scope {
  return scope.post(`/app/installations/${installationId}/access_tokens`).reply(201, {
    token: "ghs_test_installation_token",
    expires_at: "2999-01-01T00:00:00Z",
    permissions: { issues: "write", pull_requests: "write", contents: "write", checks: "write" },
    repository_selection: "all",
  });
}

/** Event names with an action ("issue_comment.created") or without ("push"). */
export type WebhookName = Context["name"];
export type WebhookPayload<E extends WebhookName> = Context<E>["payload"];

interface ExampleGroup {
  name: string;
  actions: string[];
  examples: { action?: string }[];
}

const require = createRequire(import.meta.url);

/**
 * A copy of the first @octokit/webhooks-examples payload for the event (and action), from the
 * test installation, optionally changed by `tweak`.
 */
export function webhookPayload<E extends WebhookName>(
  name: E,
  tweak?: (payload: WebhookPayload<E>) => void,
): WebhookPayload<E> {
  const [event, action] = name.split(".");
  const groups = require("@octokit/webhooks-examples") as ExampleGroup[];
  const example = groups
    .find((group) => group.name === event)
    ?.examples.find((candidate) => action === undefined || candidate.action === action);
  if (example === undefined) throw new Error(`@octokit/webhooks-examples has no ${name} payload`);
  const payload = structuredClone(example) as WebhookPayload<E>;
  Object.assign(payload, {
    installation: { id: TEST_INSTALLATION_ID, node_id: "MDIzOkluc3RhbGxhdGlvbjI=" },
  });
  tweak?.(payload);
  return payload;
}

/** Delivers a webhook the way Probot's server would, resolving once every handler has. */
export async function deliver<E extends WebhookName>(
  probot: Probot,
  name: E,
  payload: WebhookPayload<E>,
  id: string = randomUUID(),
): Promise<void> {
  const [event = name] = name.split(".");
  await probot.receive({ id, name: event, payload } as Parameters<Probot["receive"]>[0]);
}

export interface FakeRuntimeOptions {
  describe?: string;
  health?: ProviderHealth | (() => Promise<ProviderHealth>);
  /**
   * Where model calls go (a MockModelRuntime from ./mock-runtime.js, or a real runtime pointed
   * at the scripted model server). Without it every model call fails loudly, so a handler that
   * calls a model unexpectedly is caught.
   */
  models?: ModelRuntime;
}

/** The app's runtime for tests: start-up description and health as scripted, models as given. */
export function createFakeRuntime(options: FakeRuntimeOptions = {}): AppRuntime {
  const health = options.health ?? { reachable: true, version: "0.0.0-test", modelPresent: true };
  const models = options.models ?? refusingModels;
  return {
    describe: () => options.describe ?? "ollama http://127.0.0.1:11434 model test-model",
    health: typeof health === "function" ? health : () => Promise.resolve(health),
    generateText: (request) => models.generateText(request),
    generateObject: (request) => models.generateObject(request),
    promptBudget: (model) => models.promptBudget(model),
    estimateTokens: (text) => models.estimateTokens(text),
  };
}

const refusingModels: ModelRuntime = {
  generateText: () => Promise.reject(new Error(NO_MODEL)),
  generateObject: () => Promise.reject(new Error(NO_MODEL)),
  promptBudget: () => Promise.resolve(8_192),
  estimateTokens: (text) => Math.ceil(text.length / 4),
};

const NO_MODEL = "this test gave the app no model; pass createFakeRuntime({ models })";

// The Probot app as feature listeners see it: every listener counted by outcome, its GitHub
// client reporting errors and the rate limit left, and a refused delivery answered with a 503.
import type { Context, Probot } from "probot";
import { DeliveryRefusedError, withinDelivery } from "./delivery-scope.js";
import type { SymphonyMetrics } from "./metrics.js";

type AnyContext = Context;
type Listener = (context: AnyContext) => unknown;

/** "issues.labeled", or the bare event name for events without an action. */
export function eventName(context: Pick<AnyContext, "name" | "payload">): string {
  const payload = context.payload as { action?: unknown };
  return typeof payload.action === "string" ? `${context.name}.${payload.action}` : context.name;
}

/**
 * A view of `app` whose `on` wraps each listener. Everything else is the app itself (bound, since
 * Probot keeps its state in private fields).
 */
export function instrumentedApp(app: Probot, metrics: SymphonyMetrics): Probot {
  app.onAny((context) => {
    metrics.eventReceived(eventName(context));
  });
  const on = (events: unknown, listener: Listener): void => {
    (app.on as (events: unknown, listener: Listener) => void)(events, (context) =>
      runListener(context, listener, metrics),
    );
  };
  return new Proxy(app, {
    get(target, property) {
      if (property === "on") return on;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === "function" ? (value as () => unknown).bind(target) : value;
    },
  });
}

/** One listener run as `on` wraps it; the cluster's workers call it for stored deliveries. */
export async function runListener(
  context: AnyContext,
  listener: Listener,
  metrics: SymphonyMetrics,
): Promise<void> {
  const event = eventName(context);
  instrumentOctokit(context.octokit, metrics, installationOf(context));
  let refusal: string | undefined;
  try {
    refusal = await withinDelivery(async () => {
      await listener(context);
    });
  } catch (error) {
    metrics.eventHandled(event, "failed");
    throw error;
  }
  if (refusal !== undefined) {
    metrics.eventHandled(event, "refused");
    context.log.warn({ event, deliveryId: context.id, reason: refusal }, "delivery refused (503)");
    throw new DeliveryRefusedError(refusal);
  }
  metrics.eventHandled(event, "ok");
}

function installationOf(context: AnyContext): string {
  const payload = context.payload as { installation?: { id?: number } };
  return String(payload.installation?.id ?? "none");
}

interface HookableOctokit {
  hook: {
    after(name: "request", hook: (response: { headers: Headers }) => void): void;
    error(name: "request", hook: (error: unknown) => never): void;
  };
}
type Headers = Record<string, string | number | undefined>;

const instrumented = new WeakSet<object>();

/**
 * Counts the requests that failed after Octokit's own retries (its retry and throttling plugins
 * wrap the request before this hook does) and keeps the newest `x-ratelimit-remaining`.
 */
export function instrumentOctokit(
  octokit: object,
  metrics: SymphonyMetrics,
  installation: string,
): void {
  if (instrumented.has(octokit)) return;
  instrumented.add(octokit);
  const { hook } = octokit as HookableOctokit;
  const readRateLimit = (headers: Headers | undefined): void => {
    const remaining = Number(headers?.["x-ratelimit-remaining"]);
    if (headers?.["x-ratelimit-remaining"] !== undefined && Number.isFinite(remaining)) {
      metrics.githubRateLimit(installation, remaining);
    }
  };
  hook.after("request", (response) => readRateLimit(response.headers));
  hook.error("request", (error) => {
    const failure = error as { status?: number; response?: { headers?: Headers } };
    metrics.githubError(typeof failure.status === "number" ? failure.status : undefined);
    readRateLimit(failure.response?.headers);
    throw error;
  });
}

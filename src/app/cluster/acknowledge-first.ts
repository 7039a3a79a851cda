// With Redis, a delivery is answered as soon as its job is stored, before any GitHub read: the
// feature listeners (their gates, settings and permission reads included) run later, in whichever
// replica's worker takes the job, on a Probot Context rebuilt from the stored delivery.
import { Context, type Probot } from "probot";
import { eventName, runListener } from "../instrumented-app.js";
import type { SymphonyMetrics } from "../metrics.js";
import type { WorkQueue } from "../queue.js";
import type { DeliveryQueue, StoredDelivery } from "./delivery-queue.js";

type Listener = (context: Context) => unknown;

export interface AcknowledgeFirstOptions {
  app: Probot;
  deliveries: DeliveryQueue;
  /** This replica's in-memory queue: the runs a stored delivery starts go through it. */
  queue: WorkQueue;
  metrics: SymphonyMetrics;
}

/**
 * A view of `app` for the feature listeners: `on` files each listener here instead of on the
 * webhook, and the webhook's only listener stores the delivery. Returns the view and the worker's
 * handler for a stored delivery.
 */
export function acknowledgeFirst(options: AcknowledgeFirstOptions): {
  view: Probot;
  handle(delivery: StoredDelivery): Promise<void>;
} {
  const { app, deliveries, queue, metrics } = options;
  const listeners = new Map<string, Listener[]>();
  const log = app.log.child({ name: "symphony:cluster" });
  const on = (events: string | string[], listener: Listener): void => {
    for (const event of Array.isArray(events) ? events : [events]) {
      listeners.set(event, [...(listeners.get(event) ?? []), listener]);
    }
  };
  const heard = (context: Pick<Context, "name" | "payload">): Listener[] => [
    ...(listeners.get(context.name) ?? []),
    ...(eventName(context) === context.name ? [] : (listeners.get(eventName(context)) ?? [])),
  ];

  app.onAny(async (context) => {
    metrics.eventReceived(eventName(context));
    if (heard(context).length === 0) return;
    try {
      await deliveries.store(
        { id: context.id, name: context.name, payload: context.payload },
        repositoryOf(context.payload),
      );
    } catch (error) {
      metrics.eventHandled(eventName(context), "refused");
      log.error({ err: error, deliveryId: context.id }, "delivery refused (503): Redis is away");
      throw error;
    }
  });

  const view = new Proxy(app, {
    get(target, property) {
      if (property === "on") return on;
      // Counted above, once per delivery, at the replica that received it.
      if (property === "onAny") return () => undefined;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === "function" ? (value as () => unknown).bind(target) : value;
    },
  });

  const handle = async (delivery: StoredDelivery): Promise<void> => {
    const payload = delivery.payload as { installation?: { id?: number } };
    const octokit = await app.auth(payload.installation?.id);
    const event = { id: delivery.id, name: delivery.name, payload: delivery.payload };
    const context = new Context(
      event as ConstructorParameters<typeof Context>[0],
      octokit,
      app.log.child({ name: "event", id: delivery.id }),
    );
    const results = await Promise.allSettled(
      heard(context).map((listener) => runListener(context, listener, metrics)),
    );
    for (const result of results) {
      if (result.status === "rejected") {
        log.error({ err: result.reason, deliveryId: delivery.id }, "a listener failed");
      }
    }
    await queue.whenDone(delivery.id);
  };

  return { view, handle };
}

function repositoryOf(payload: unknown): string {
  const repository = (payload as { repository?: { full_name?: unknown } }).repository;
  return typeof repository?.full_name === "string" ? repository.full_name : "(none)";
}

// The app function with its dependencies injected: the model runtime, the queue, time, handlers.
import type { ApplicationFunction, ApplicationFunctionOptions, Probot } from "probot";
import { commands, listeners } from "./features/index.js";
import { createBotLogin } from "./github/app-identity.js";
import { announceRuntime } from "./app/announce-runtime.js";
import { createAppMemory } from "./app/app-memory.js";
import { systemClock, type Clock } from "./lib/clock.js";
import { CommandRegistry, type SymphonyCommand } from "./app/commands.js";
import { createOpsEndpoints, type OpsPath } from "./app/health.js";
import { serveOpsPort, type OpsAccess } from "./app/ops-access.js";
import { instrumentedApp } from "./app/instrumented-app.js";
import { SymphonyMetrics } from "./app/metrics.js";
import { WorkQueue, type WorkQueueOptions } from "./app/queue.js";
import { acknowledgeFirst } from "./app/cluster/acknowledge-first.js";
import { watchCluster } from "./app/cluster/cluster-metrics.js";
import type { Replica } from "./app/cluster/cluster-queue.js";
import { RedisUsageLimits } from "./app/cluster/redis-usage-limits.js";
import { recordingRuntime } from "./app/recording-runtime.js";
import type { AppRuntime, AppServices, RegisterListeners } from "./app/services.js";
import { OpenRuns } from "./app/shutdown.js";
import { EnvironmentValueError } from "./app/start-up-error.js";
import { EnvUsageLimits, NoUsageLimits, type UsageLimits } from "./app/usage-limits.js";

export interface SymphonyDeps {
  runtime: AppRuntime;
  /** Default: a queue of 2 concurrent jobs that logs failures through `app.log`. */
  queue?: WorkQueue;
  clock?: Clock;
  /** The app's bot login; default: looked up once with `GET /app`. */
  botLogin?: string;
  /** Default: every command in src/features/index.ts. */
  commands?: readonly SymphonyCommand[];
  /** Default: every listener in src/features/index.ts. */
  listeners?: readonly RegisterListeners[];
  /** Default `app`; the Action passes `action`. */
  mode?: "app" | "action";
  /** Default: no caps. */
  limits?: UsageLimits;
  /** Default: a registry of this app's own, served on /metrics. */
  metrics?: SymphonyMetrics;
  /** Default: a fresh registry; the entry point shares it with its SIGTERM handler. */
  runs?: OpenRuns;
  /** With Redis: deliveries are stored and answered at once, and worked by every replica. */
  replica?: Replica;
  /** Who may read /metrics and /readyz (SYMPHONY_METRICS_TOKEN, SYMPHONY_METRICS_PORT). */
  ops?: OpsAccess;
}

export function createSymphonyApp(deps: SymphonyDeps): ApplicationFunction {
  return (app: Probot, options?: ApplicationFunctionOptions) => {
    const metrics = deps.metrics ?? new SymphonyMetrics();
    const replica = deps.replica;
    const services = createServices(app, { ...deps, queue: replica?.queue ?? deps.queue }, metrics);
    metrics.watchQueue(services.queue);
    metrics.watchHosts(() => deps.runtime.hosts?.() ?? []);
    serveOpsEndpoints(app, options, services, deps, replica);
    void announceRuntime(app.log, deps.runtime);
    if (replica === undefined) {
      const view = instrumentedApp(app, metrics);
      for (const register of deps.listeners ?? listeners) register(view, services);
      return;
    }
    const { deliveries, queue } = replica;
    const cluster = acknowledgeFirst({ app, deliveries, queue, metrics });
    for (const register of deps.listeners ?? listeners) register(cluster.view, services);
    deliveries.work(cluster.handle, watchCluster(metrics, deliveries));
  };
}

/**
 * /metrics, /healthz and /readyz on the App's server, or /healthz there and the other two on the
 * metrics port of their own; a Probot without a server has none.
 */
function serveOpsEndpoints(
  app: Probot,
  options: ApplicationFunctionOptions | undefined,
  services: AppServices,
  deps: SymphonyDeps,
  replica: Replica | undefined,
): void {
  const metrics = services.metrics;
  if (options?.addHandler === undefined || metrics === undefined) return;
  const access = deps.ops ?? {};
  const endpoints = (serves: readonly OpsPath[]) =>
    createOpsEndpoints({
      metrics,
      health: () => deps.runtime.health(),
      accepting: () => !services.queue.closed,
      ...(replica === undefined ? {} : { redis: () => replica.deliveries.ping() }),
      ...(access.token === undefined ? {} : { token: access.token }),
      serves,
    });
  const ownPort = access.port !== undefined;
  try {
    options.addHandler(endpoints(ownPort ? ["/healthz"] : ["/metrics", "/healthz", "/readyz"]));
  } catch {
    // `probot.load()` without a server (tests, the Action) offers an addHandler that throws.
    app.log.debug("no HTTP server: /metrics, /healthz and /readyz are not served");
    return;
  }
  if (ownPort) serveOpsPort(endpoints(["/metrics", "/healthz", "/readyz"]), access, app.log);
}

/** The queue the app uses unless a test brings its own: failures are logged, never thrown. */
export function createAppQueue(app: Probot, env: NodeJS.ProcessEnv = {}): WorkQueue {
  const log = app.log.child({ name: "symphony:queue" });
  return new WorkQueue({
    ...readQueueSettings(env),
    onError: (error, job) => log.error({ err: error, job }, "a queued job failed"),
  });
}

const QUEUE_VARIABLES = {
  SYMPHONY_QUEUE_CONCURRENCY: "concurrency",
  SYMPHONY_QUEUE_MAX: "maxQueued",
  SYMPHONY_QUEUE_MAX_PER_REPO: "maxQueuedPerRepository",
} as const;

/**
 * The queue's bounds from the operator's environment (unset: 2 running, 100 waiting, 10 per
 * repository). A bad value stops start-up with a sentence naming the variable.
 */
export function readQueueSettings(
  env: NodeJS.ProcessEnv,
): Partial<Pick<WorkQueueOptions, "concurrency" | "maxQueued" | "maxQueuedPerRepository">> {
  const settings: Partial<Record<(typeof QUEUE_VARIABLES)[keyof typeof QUEUE_VARIABLES], number>> =
    {};
  for (const [variable, option] of Object.entries(QUEUE_VARIABLES)) {
    const raw = env[variable]?.trim();
    if (raw === undefined || raw === "") continue;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 1 || value > 100_000) {
      throw new EnvironmentValueError(
        `${variable} must be a whole number from 1 to 100000 (it is "${raw}")`,
      );
    }
    settings[option] = value;
  }
  return settings;
}

function createServices(app: Probot, deps: SymphonyDeps, metrics: SymphonyMetrics): AppServices {
  const { botLogin } = deps;
  return {
    runtime: recordingRuntime(deps.runtime, metrics),
    queue: deps.queue ?? createAppQueue(app),
    commands: new CommandRegistry(deps.commands ?? commands),
    clock: deps.clock ?? systemClock,
    botLogin: botLogin === undefined ? createBotLogin(app) : () => Promise.resolve(botLogin),
    log: app.log.child({ name: "symphony" }),
    mode: deps.mode ?? "app",
    limits: countedLimits(deps.limits ?? new NoUsageLimits(), metrics),
    metrics,
    runs: deps.runs ?? new OpenRuns(),
    memory: createAppMemory(),
  };
}

/** The caps as /metrics shows them: the values in force, and each refusal by cap. */
function countedLimits(limits: UsageLimits, metrics: SymphonyMetrics): UsageLimits {
  if (limits instanceof EnvUsageLimits || limits instanceof RedisUsageLimits) {
    for (const [cap, value] of Object.entries(limits.caps)) metrics.usageCap(cap, value);
  }
  return {
    async admit(request) {
      const admission = await limits.admit(request);
      if (!admission.ok) metrics.usageRefused(admission.cap ?? "other");
      return admission;
    },
    recordTokens: (repository, tokens) => limits.recordTokens(repository, tokens),
  };
}

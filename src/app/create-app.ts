// The app function with its dependencies injected: the model runtime, the queue, time, handlers.
import type { ApplicationFunction, Probot } from "probot";
import { commands, listeners } from "../handlers/index.js";
import { createBotLogin } from "../github/app-identity.js";
import { announceRuntime } from "./announce-runtime.js";
import { systemClock, type Clock } from "./clock.js";
import { CommandRegistry, type SymphonyCommand } from "./commands.js";
import { WorkQueue } from "./queue.js";
import type { AppRuntime, AppServices, RegisterListeners } from "./services.js";
import { NoUsageLimits, type UsageLimits } from "./usage-limits.js";

export interface SymphonyDeps {
  runtime: AppRuntime;
  /** Default: a queue of 2 concurrent jobs that logs failures through `app.log`. */
  queue?: WorkQueue;
  clock?: Clock;
  /** The app's bot login; default: looked up once with `GET /app`. */
  botLogin?: string;
  /** Default: every command in src/handlers/index.ts. */
  commands?: readonly SymphonyCommand[];
  /** Default: every listener in src/handlers/index.ts. */
  listeners?: readonly RegisterListeners[];
  /** Default `app`; the Action passes `action`. */
  mode?: "app" | "action";
  /** Default: no caps. */
  limits?: UsageLimits;
}

export function createSymphonyApp(deps: SymphonyDeps): ApplicationFunction {
  return (app: Probot) => {
    const services = createServices(app, deps);
    void announceRuntime(app.log, deps.runtime);
    for (const register of deps.listeners ?? listeners) register(app, services);
  };
}

/** The queue the app uses unless a test brings its own: failures are logged, never thrown. */
export function createAppQueue(app: Probot): WorkQueue {
  const log = app.log.child({ name: "symphony:queue" });
  return new WorkQueue({
    onError: (error, job) => log.error({ err: error, job }, "a queued job failed"),
  });
}

function createServices(app: Probot, deps: SymphonyDeps): AppServices {
  const { botLogin } = deps;
  return {
    runtime: deps.runtime,
    queue: deps.queue ?? createAppQueue(app),
    commands: new CommandRegistry(deps.commands ?? commands),
    clock: deps.clock ?? systemClock,
    botLogin: botLogin === undefined ? createBotLogin(app) : () => Promise.resolve(botLogin),
    log: app.log.child({ name: "symphony" }),
    mode: deps.mode ?? "app",
    limits: deps.limits ?? new NoUsageLimits(),
  };
}

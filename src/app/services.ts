// What every handler is given: the model runtime, the work queue, the command registry, time.
import type { Logger, Probot } from "probot";
import type { HostStatus } from "../runner/host-pool.js";
import type { ModelRuntime, ProviderHealth, RoutedModel } from "../runner/types.js";
import type { Clock } from "../lib/clock.js";
import type { SymphonyMetrics } from "./metrics.js";
import type { OpenRuns } from "./shutdown.js";
import type { CommandRegistry } from "./commands.js";
import type { WorkQueue } from "./queue.js";
import type { UsageLimits } from "./usage-limits.js";

/** The model runtime as the app holds it: what agents call, plus what start-up logs. */
export interface AppRuntime extends ModelRuntime {
  /** Which host and model it will use, for the start-up log ("ollama http://… qwen2.5-coder:14b"). */
  describe(): string;
  health(): Promise<ProviderHealth>;
  /** Every model host the runtime calls, for /metrics; absent where a test double has none. */
  hosts?(): HostStatus[];
  /** Model calls the hosts could start now; absent counts as one. */
  freeSlots?(): number;
  /** The operator's allowed models, among which the Conductor learns; absent: none. */
  allowedModels?(): readonly string[];
  /** The model an agent's calls go to first, and why; absent: unknown (test doubles). */
  modelFor?(agent: string, requested?: string): RoutedModel;
}

export interface AppServices {
  runtime: AppRuntime;
  queue: WorkQueue;
  commands: CommandRegistry;
  clock: Clock;
  /** The app's bot login (`<slug>[bot]`), to find its own comments. */
  botLogin(): Promise<string>;
  log: Logger;
  /** `app`: the Probot server; `action`: the GitHub Action, which never hands work off again. */
  mode: "app" | "action";
  /** Operator caps on runs and tokens, checked before any model work is queued. */
  limits: UsageLimits;
  /** What /metrics reports; absent where nothing serves it (tests that build services by hand). */
  metrics?: SymphonyMetrics;
  /** Status comments of queued runs, so shutdown can mark the ones it cuts short. */
  runs?: OpenRuns;
}

/** A feature's webhook wiring: `app.on(...)` calls that hand the heavy part to `services.queue`. */
export type RegisterListeners = (app: Probot, services: AppServices) => void;

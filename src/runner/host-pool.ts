// The one place that limits model calls per host. Every host the runtime calls (OLLAMA_HOST, the
// hosts of SYMPHONY_MODEL_HOSTS, the fallback's endpoint) has its slots here, and calls that find
// no free slot wait in one queue for the whole pool, each taking the first slot that frees on a
// host its link may use. A host that fails is marked down with backoff and the same request
// moves to the link's next host, so one reply comes back.
import { chooseHost, rankHosts } from "./host-choice.js";
import {
  freeSlotsOf,
  hasModel,
  nameOn,
  newHostState,
  noteLatency,
  type HostState,
} from "./host-state.js";
import {
  ModelAbortedError,
  ModelNotFoundError,
  ModelOverloadedError,
  ModelRuntimeError,
  ModelUnavailableError,
} from "./errors.js";
import type {
  HostHealth,
  ModelProvider,
  ProviderHealth,
  ProviderKind,
  ProviderReply,
  ProviderRequest,
} from "./types.js";

export interface PooledHost {
  provider: ModelProvider;
  /** Requests it serves at once (its OLLAMA_NUM_PARALLEL). */
  parallel: number;
  /** One of SYMPHONY_MODEL_HOSTS: checked in the background, listed on /readyz. */
  listed?: boolean;
}

/** One host as /metrics and /readyz show it. */
export interface HostStatus {
  host: string;
  kind: ProviderKind;
  up: boolean;
  inFlight: number;
  parallel: number;
  calls: number;
  failures: number;
  models?: string[];
  loaded: string[];
  /** Moving average of its answer times, once it has answered. */
  latencyMs?: number;
  problem?: string;
}

/** One request a host answered or failed, for the per-host metrics. */
export interface HostCallReport {
  host: string;
  ok: boolean;
  ms: number;
}

export interface HostPoolOptions {
  /** Milliseconds a host stays marked down after its n-th failure in a row (n from 1). */
  markDownMs?: (failuresInARow: number) => number;
  now?: () => number;
  onCall?: (report: HostCallReport) => void;
  onHostChange?: (status: HostStatus, change: "down" | "up") => void;
}

export interface PoolLinkOptions {
  /** Calls of this link that may wait for a slot before new ones are refused. */
  queueLimit: number;
  /** The hosts of SYMPHONY_MODEL_HOSTS: health is each host's, as /readyz lists them. */
  balanced?: boolean;
}

interface Waiter {
  link: PoolLink;
  model: string;
  tried: ReadonlySet<HostState>;
  grant: (host: HostState | undefined) => void;
}

const FIRST_MARK_DOWN_MS = 1000;
const LONGEST_MARK_DOWN_MS = 60_000;

export const doublingMarkDown = (failuresInARow: number): number =>
  Math.min(FIRST_MARK_DOWN_MS * 2 ** (failuresInARow - 1), LONGEST_MARK_DOWN_MS);

export class HostPool {
  private readonly states: HostState[];
  private readonly waiting: Waiter[] = [];
  private readonly now: () => number;
  private readonly markDownMs: (failuresInARow: number) => number;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    hosts: readonly PooledHost[],
    private readonly options: HostPoolOptions = {},
  ) {
    this.states = hosts.map((host) =>
      newHostState(host.provider, host.parallel, host.listed ?? false),
    );
    this.now = options.now ?? Date.now;
    this.markDownMs = options.markDownMs ?? doublingMarkDown;
  }

  /** A provider for one link of the fallback chain: its calls go to these hosts of the pool. */
  link(providers: readonly ModelProvider[], options: PoolLinkOptions): PoolLink {
    const hosts = providers.map((provider) => {
      const state = this.states.find((candidate) => candidate.provider === provider);
      if (!state) throw new TypeError(`${provider.host} is not a host of this pool`);
      return state;
    });
    if (hosts.length === 0) throw new TypeError("a link needs at least one host");
    return new PoolLink(this, hosts, options);
  }

  statuses(): HostStatus[] {
    return this.states.map((state) => statusOf(state));
  }

  /** Health checks of the listed hosts now and every `intervalMs`; never keeps the process alive. */
  startChecks(intervalMs: number): void {
    this.stopChecks();
    if (!this.states.some((state) => state.listed)) return;
    void this.checkHosts();
    this.timer = setInterval(() => void this.checkHosts(), intervalMs);
    this.timer.unref();
  }

  stopChecks(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One health check of these hosts (default: the listed ones), side by side. */
  async checkHosts(
    hosts: readonly HostState[] = this.states.filter((state) => state.listed),
  ): Promise<void> {
    await Promise.all(hosts.map((state) => this.checkHost(state)));
    this.dispatch();
  }

  /**
   * @internal Runs one request of a link on a host with a free slot (waiting for one), and on
   * the link's next host when that one is down or lacks the model; the first answer counts.
   */
  async run<T>(
    link: PoolLink,
    model: string,
    signal: AbortSignal | undefined,
    send: (provider: ModelProvider) => Promise<T>,
  ): Promise<T> {
    const tried = new Set<HostState>();
    const failures: ModelRuntimeError[] = [];
    for (;;) {
      const host = await this.acquire(link, model, tried, signal);
      if (host === undefined) break;
      tried.add(host);
      const startedAt = this.now();
      try {
        const answer = await send(host.provider);
        this.answered(host, model, this.now() - startedAt);
        return answer;
      } catch (error) {
        this.options.onCall?.({ host: host.provider.host, ok: false, ms: this.now() - startedAt });
        host.failures++;
        if (!(error instanceof ModelRuntimeError) || !this.movesOn(host, model, signal, error))
          throw error;
        failures.push(error);
      } finally {
        this.release(host);
      }
    }
    throw failures[0] ?? new ModelUnavailableError(`no model host is listed`, link.host);
  }

  /** @internal The link's hosts in the order a call for the model would try them. */
  ranked(hosts: readonly HostState[], model: string): HostState[] {
    return rankHosts(hosts, model, new Set(), this.now()).flat();
  }

  /** Calls of this link waiting for a slot. */
  private waitingFor(link: PoolLink): number {
    return this.waiting.reduce((count, waiter) => count + Number(waiter.link === link), 0);
  }

  private async checkHost(state: HostState): Promise<void> {
    if (!state.provider.inventory) return;
    try {
      const inventory = await state.provider.inventory();
      state.models = new Set(inventory.models.map((name) => nameOn(state, name)));
      state.loaded = new Set(inventory.loaded.map((name) => nameOn(state, name)));
      this.markUp(state);
    } catch (error) {
      this.markDown(state, error instanceof Error ? error.message : String(error));
    }
  }

  /** Whether a failed request should move to another host; marks the host as it deserves. */
  private movesOn(
    host: HostState,
    model: string,
    signal: AbortSignal | undefined,
    error: ModelRuntimeError,
  ): boolean {
    if (error instanceof ModelAbortedError || signal?.aborted) return false;
    if (error instanceof ModelNotFoundError) {
      (host.models ??= new Set()).delete(nameOn(host, model));
      return true;
    }
    if (error instanceof ModelUnavailableError) {
      this.markDown(host, error.message);
      return true;
    }
    return false;
  }

  private answered(host: HostState, model: string, ms: number): void {
    host.calls++;
    noteLatency(host, ms);
    host.loaded.add(nameOn(host, model));
    host.models?.add(nameOn(host, model));
    this.markUp(host);
    this.options.onCall?.({ host: host.provider.host, ok: true, ms });
  }

  private markDown(host: HostState, problem: string): void {
    host.failuresInARow++;
    host.downUntil = this.now() + this.markDownMs(host.failuresInARow);
    host.problem = problem;
    if (!host.up) return;
    host.up = false;
    this.options.onHostChange?.(statusOf(host), "down");
  }

  private markUp(host: HostState): void {
    host.failuresInARow = 0;
    host.downUntil = 0;
    host.problem = undefined;
    if (host.up) return;
    host.up = true;
    this.options.onHostChange?.(statusOf(host), "up");
  }

  private acquire(
    link: PoolLink,
    model: string,
    tried: ReadonlySet<HostState>,
    signal: AbortSignal | undefined,
  ): Promise<HostState | undefined> {
    if (signal?.aborted)
      return Promise.reject(new ModelAbortedError("the model call was cancelled"));
    const picked = chooseHost(link.hosts, model, tried, this.now());
    if (picked !== "wait") {
      if (picked) picked.inFlight++;
      return Promise.resolve(picked);
    }
    const queued = this.waitingFor(link);
    if (queued >= link.queueLimit) {
      return Promise.reject(new ModelOverloadedError(link.host, queued));
    }
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        const index = this.waiting.indexOf(waiter);
        if (index >= 0) this.waiting.splice(index, 1);
        reject(new ModelAbortedError("the model call was cancelled while waiting for a host"));
      };
      const waiter: Waiter = {
        link,
        model,
        tried,
        grant: (host) => {
          signal?.removeEventListener("abort", onAbort);
          resolve(host);
        },
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.waiting.push(waiter);
    });
  }

  private release(host: HostState): void {
    host.inFlight--;
    this.dispatch();
  }

  /**
   * Hands free slots to waiting calls, oldest first, each to the host it would choose now; a
   * call whose hosts are all busy lets a later one (of another link) take a slot it cannot use.
   */
  private dispatch(): void {
    for (let index = 0; index < this.waiting.length;) {
      if (!this.states.some((state) => freeSlotsOf(state) > 0)) return;
      const waiter = this.waiting[index]!;
      const picked = chooseHost(waiter.link.hosts, waiter.model, waiter.tried, this.now());
      if (picked === "wait") {
        index++;
        continue;
      }
      this.waiting.splice(index, 1);
      if (picked) picked.inFlight++;
      // Undefined: every host was tried; the call ends with the failures it collected.
      waiter.grant(picked);
    }
  }
}

/** One link's view of the pool: the provider the runtime's fallback chain holds. */
export class PoolLink implements ModelProvider {
  readonly kind: ProviderKind;
  readonly host: string;
  readonly queueLimit: number;
  private readonly balanced: boolean;

  constructor(
    private readonly pool: HostPool,
    readonly hosts: readonly HostState[],
    options: PoolLinkOptions,
  ) {
    // num_ctx is sent whenever one host is Ollama; OpenAI-compatible servers ignore it.
    this.kind = hosts.some((host) => host.provider.kind === "ollama") ? "ollama" : "openai";
    this.host = hosts.map((host) => host.provider.host).join(", ");
    this.queueLimit = options.queueLimit;
    this.balanced = options.balanced ?? false;
  }

  chat(request: ProviderRequest): Promise<ProviderReply> {
    return this.send(request.model, request.signal, (provider) => provider.chat(request));
  }

  /**
   * Hands `send` the provider of the host that takes the call, once a slot is free there; the
   * reply names that host. The runtime starts its time limit inside `send`, after the wait.
   */
  async send(
    model: string,
    signal: AbortSignal | undefined,
    send: (provider: ModelProvider) => Promise<ProviderReply>,
  ): Promise<ProviderReply> {
    return this.pool.run(this, model, signal, async (provider) => ({
      ...(await send(provider)),
      host: provider.host,
      provider: provider.kind,
    }));
  }

  /** Requests its hosts could start right now. */
  freeSlots(): number {
    return this.hosts.reduce((sum, host) => sum + freeSlotsOf(host), 0);
  }

  /** Asks the hosts that may have the model, up ones first; the first answer counts. */
  async contextLength(model: string): Promise<number | undefined> {
    let firstError: unknown;
    for (const host of this.pool.ranked(this.hosts, model)) {
      try {
        return await host.provider.contextLength(model);
      } catch (error) {
        firstError ??= error;
      }
    }
    throw firstError;
  }

  /**
   * One host: its own check, with its own advice. Several: each host checked now, ready while
   * one answers and has the model.
   */
  async health(model: string): Promise<ProviderHealth> {
    if (!this.balanced) return this.hosts[0]!.provider.health(model);
    await this.pool.checkHosts(this.hosts);
    const hosts: HostHealth[] = this.hosts.map((state) => ({
      host: state.provider.host,
      kind: state.provider.kind,
      up: state.up,
      ...(state.models ? { models: [...state.models] } : {}),
      ...(state.problem !== undefined ? { problem: state.problem } : {}),
    }));
    const up = this.hosts.filter((state) => state.up);
    const serving = up.filter((state) => hasModel(state, model) !== false);
    const problems = this.hosts
      .map(
        (state) =>
          state.problem ??
          (hasModel(state, model) === false
            ? `model ${model} is not on ${state.provider.host}`
            : undefined),
      )
      .filter((problem) => problem !== undefined);
    return {
      reachable: up.length > 0,
      ...(up.length > 0 ? { modelPresent: serving.length > 0 } : {}),
      ...(problems.length > 0 ? { problem: problems.join("; ") } : {}),
      hosts,
    };
  }
}

function statusOf(state: HostState): HostStatus {
  return {
    host: state.provider.host,
    kind: state.provider.kind,
    up: state.up,
    inFlight: state.inFlight,
    parallel: state.parallel,
    calls: state.calls,
    failures: state.failures,
    ...(state.models ? { models: [...state.models] } : {}),
    loaded: [...state.loaded],
    ...(state.latencyMs !== undefined ? { latencyMs: Math.round(state.latencyMs) } : {}),
    ...(state.problem !== undefined ? { problem: state.problem } : {}),
  };
}

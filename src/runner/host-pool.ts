// Several model hosts behind one provider: each call goes to a healthy host that has the model
// (one where it is already loaded first) with the fewest requests in flight; a host that fails is
// marked down with backoff and the same request moves to the next host, so one reply comes back.
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
  problem?: string;
}

/** One request a host answered or failed, for the per-host metrics. */
export interface HostCallReport {
  host: string;
  ok: boolean;
  ms: number;
}

export interface HostPoolOptions {
  /** Calls that may wait for a slot, pool-wide, before new ones are refused. */
  queueLimit: number;
  /** Milliseconds a host stays marked down after its n-th failure in a row (n from 1). */
  markDownMs?: (failuresInARow: number) => number;
  now?: () => number;
  onCall?: (report: HostCallReport) => void;
  onHostChange?: (status: HostStatus, change: "down" | "up") => void;
}

interface HostState {
  provider: ModelProvider;
  parallel: number;
  inFlight: number;
  calls: number;
  failures: number;
  up: boolean;
  downUntil: number;
  failuresInARow: number;
  /** Undefined until a health check or a 404 tells us. */
  models: Set<string> | undefined;
  loaded: Set<string>;
  problem: string | undefined;
}

interface Waiter {
  model: string;
  tried: ReadonlySet<HostState>;
  grant: (host: HostState | undefined) => void;
}

const FIRST_MARK_DOWN_MS = 1000;
const LONGEST_MARK_DOWN_MS = 60_000;

export const doublingMarkDown = (failuresInARow: number): number =>
  Math.min(FIRST_MARK_DOWN_MS * 2 ** (failuresInARow - 1), LONGEST_MARK_DOWN_MS);

export class HostPool implements ModelProvider {
  readonly kind: ProviderKind;
  readonly host: string;
  readonly queuesItself = true;
  private readonly states: HostState[];
  private readonly waiting: Waiter[] = [];
  private readonly now: () => number;
  private readonly markDownMs: (failuresInARow: number) => number;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    hosts: PooledHost[],
    private readonly options: HostPoolOptions,
  ) {
    if (hosts.length === 0) throw new TypeError("a host pool needs at least one host");
    this.states = hosts.map((host) => ({
      provider: host.provider,
      parallel: host.parallel,
      inFlight: 0,
      calls: 0,
      failures: 0,
      up: true,
      downUntil: 0,
      failuresInARow: 0,
      models: undefined,
      loaded: new Set(),
      problem: undefined,
    }));
    // num_ctx is sent whenever one host is Ollama; OpenAI-compatible servers ignore it.
    this.kind = hosts.some((host) => host.provider.kind === "ollama") ? "ollama" : "openai";
    this.host = hosts.map((host) => host.provider.host).join(", ");
    this.now = options.now ?? Date.now;
    this.markDownMs = options.markDownMs ?? doublingMarkDown;
  }

  async chat(request: ProviderRequest): Promise<ProviderReply> {
    const tried = new Set<HostState>();
    const failures: ModelRuntimeError[] = [];
    for (;;) {
      const host = await this.acquire(request.model, tried, request.signal);
      if (host === undefined) break;
      tried.add(host);
      const startedAt = this.now();
      try {
        const reply = await host.provider.chat(request);
        this.answered(host, request.model, this.now() - startedAt);
        return { ...reply, host: host.provider.host, provider: host.provider.kind };
      } catch (error) {
        this.options.onCall?.({ host: host.provider.host, ok: false, ms: this.now() - startedAt });
        host.failures++;
        if (!(error instanceof ModelRuntimeError) || !this.movesOn(host, request, error))
          throw error;
        failures.push(error);
      } finally {
        this.release(host);
      }
    }
    throw failures[0] ?? new ModelUnavailableError(`no model host is listed`, this.host);
  }

  /** Asks the hosts that may have the model, up ones first; the first answer counts. */
  async contextLength(model: string): Promise<number | undefined> {
    let firstError: unknown;
    for (const host of this.ranked(model, new Set()).flat()) {
      try {
        return await host.provider.contextLength(model);
      } catch (error) {
        firstError ??= error;
      }
    }
    throw firstError;
  }

  /** Checks every host now; ready while one host answers and has the model. */
  async health(model: string): Promise<ProviderHealth> {
    await this.checkHosts();
    const hosts: HostHealth[] = this.states.map((state) => ({
      host: state.provider.host,
      kind: state.provider.kind,
      up: state.up,
      ...(state.models ? { models: [...state.models] } : {}),
      ...(state.problem !== undefined ? { problem: state.problem } : {}),
    }));
    const up = this.states.filter((state) => state.up);
    const serving = up.filter((state) => hasModel(state, model) !== false);
    const problems = this.states
      .map(
        (state) =>
          state.problem ?? (hasModel(state, model) === false ? missing(state, model) : undefined),
      )
      .filter((problem) => problem !== undefined);
    return {
      reachable: up.length > 0,
      ...(up.length > 0 ? { modelPresent: serving.length > 0 } : {}),
      ...(problems.length > 0 ? { problem: problems.join("; ") } : {}),
      hosts,
    };
  }

  /** Health checks now and every `intervalMs`; the timer never keeps the process alive. */
  startChecks(intervalMs: number): void {
    this.stopChecks();
    void this.checkHosts();
    this.timer = setInterval(() => void this.checkHosts(), intervalMs);
    this.timer.unref();
  }

  stopChecks(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One health check of every host, side by side: up or down, what it has, what it has loaded. */
  async checkHosts(): Promise<void> {
    await Promise.all(this.states.map((state) => this.checkHost(state)));
    this.dispatch();
  }

  statuses(): HostStatus[] {
    return this.states.map((state) => statusOf(state));
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
  private movesOn(host: HostState, request: ProviderRequest, error: ModelRuntimeError): boolean {
    if (error instanceof ModelAbortedError || request.signal?.aborted) return false;
    if (error instanceof ModelNotFoundError) {
      (host.models ??= new Set()).delete(nameOn(host, request.model));
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

  /**
   * The hosts not yet tried for this call, best group first: up (or past their mark-down) with
   * the model or not known to lack it; then marked down; then those known to lack it, whose
   * lists may be stale. A call goes to the first group that is not empty.
   */
  private ranked(model: string, tried: ReadonlySet<HostState>): HostState[][] {
    const groups: HostState[][] = [[], [], []];
    const now = this.now();
    for (const state of this.states) {
      if (tried.has(state)) continue;
      const present = hasModel(state, model);
      const available = state.up || state.downUntil <= now;
      groups[present === false ? 2 : available ? 0 : 1]!.push(state);
    }
    return groups.filter((group) => group.length > 0);
  }

  /** A free host of the best group: loaded model first, then fewest in flight for its size. */
  private pick(model: string, tried: ReadonlySet<HostState>): HostState | "wait" | undefined {
    const group = this.ranked(model, tried)[0];
    if (group === undefined) return undefined;
    const free = group.filter((state) => state.inFlight < state.parallel);
    if (free.length === 0) return "wait";
    const loaded = (state: HostState) => Number(state.loaded.has(nameOn(state, model)));
    free.sort(
      (a, b) =>
        loaded(b) - loaded(a) ||
        a.inFlight / a.parallel - b.inFlight / b.parallel ||
        a.calls - b.calls,
    );
    return free[0];
  }

  private acquire(
    model: string,
    tried: ReadonlySet<HostState>,
    signal: AbortSignal | undefined,
  ): Promise<HostState | undefined> {
    if (signal?.aborted)
      return Promise.reject(new ModelAbortedError("the model call was cancelled"));
    const picked = this.pick(model, tried);
    if (picked !== "wait") {
      if (picked) picked.inFlight++;
      return Promise.resolve(picked);
    }
    if (this.waiting.length >= this.options.queueLimit) {
      return Promise.reject(new ModelOverloadedError(this.host, this.waiting.length));
    }
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        const index = this.waiting.indexOf(waiter);
        if (index >= 0) this.waiting.splice(index, 1);
        reject(new ModelAbortedError("the model call was cancelled while waiting for a host"));
      };
      const waiter: Waiter = {
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

  /** Hands free slots to waiting calls, oldest first, each to the host it would pick now. */
  private dispatch(): void {
    for (let index = 0; index < this.waiting.length;) {
      const waiter = this.waiting[index]!;
      const picked = this.pick(waiter.model, waiter.tried);
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

/** Ollama names "llama3" and "llama3:latest" the same model; other servers match names exactly. */
function nameOn(state: HostState, name: string): string {
  if (state.provider.kind !== "ollama") return name;
  return name.includes(":") ? name : `${name}:latest`;
}

function hasModel(state: HostState, model: string): boolean | undefined {
  return state.models === undefined ? undefined : state.models.has(nameOn(state, model));
}

function missing(state: HostState, model: string): string {
  return `model ${model} is not on ${state.provider.host}`;
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
    ...(state.problem !== undefined ? { problem: state.problem } : {}),
  };
}

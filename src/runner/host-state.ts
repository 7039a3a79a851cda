// One model host as the pool tracks it: its slots, whether it answers, which models it has and
// has loaded, and how fast it has been answering.
import type { ModelProvider } from "./types.js";

export interface HostState {
  readonly provider: ModelProvider;
  /** Requests it serves at once (its OLLAMA_NUM_PARALLEL, vLLM's batch). */
  readonly parallel: number;
  /** One of SYMPHONY_MODEL_HOSTS: checked in the background and listed on /readyz. */
  readonly listed: boolean;
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
  /** Moving average of its answer times in ms; undefined until it has answered once. */
  latencyMs: number | undefined;
}

/** Weight of the newest answer in the moving average: recent answers count most. */
const LATENCY_WEIGHT = 0.3;

export function newHostState(
  provider: ModelProvider,
  parallel: number,
  listed: boolean,
): HostState {
  return {
    provider,
    parallel,
    listed,
    inFlight: 0,
    calls: 0,
    failures: 0,
    up: true,
    downUntil: 0,
    failuresInARow: 0,
    models: undefined,
    loaded: new Set(),
    problem: undefined,
    latencyMs: undefined,
  };
}

export function noteLatency(state: HostState, ms: number): void {
  state.latencyMs =
    state.latencyMs === undefined ? ms : state.latencyMs + LATENCY_WEIGHT * (ms - state.latencyMs);
}

/** Ollama names "llama3" and "llama3:latest" the same model; other servers match names exactly. */
export function nameOn(state: HostState, name: string): string {
  if (state.provider.kind !== "ollama") return name;
  return name.includes(":") ? name : `${name}:latest`;
}

/** Whether the host has the model: undefined while nothing has told us. */
export function hasModel(state: HostState, model: string): boolean | undefined {
  return state.models === undefined ? undefined : state.models.has(nameOn(state, model));
}

export function freeSlotsOf(state: HostState): number {
  return Math.max(0, state.parallel - state.inFlight);
}

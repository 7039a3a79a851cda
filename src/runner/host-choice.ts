// Which host a call goes to, among the hosts its link may use: one that answers and has the
// model, with a free slot; the model already loaded first, then the shortest expected answer.
import { freeSlotsOf, hasModel, nameOn, type HostState } from "./host-state.js";

/**
 * The hosts not yet tried for this call, best group first: up (or past their mark-down) with
 * the model or not known to lack it; then marked down; then those known to lack it, whose
 * lists may be stale. A call goes to the first group that is not empty.
 */
export function rankHosts(
  hosts: readonly HostState[],
  model: string,
  tried: ReadonlySet<HostState>,
  now: number,
): HostState[][] {
  const groups: HostState[][] = [[], [], []];
  for (const state of hosts) {
    if (tried.has(state)) continue;
    const present = hasModel(state, model);
    const available = state.up || state.downUntil <= now;
    groups[present === false ? 2 : available ? 0 : 1]!.push(state);
  }
  return groups.filter((group) => group.length > 0);
}

/**
 * A free host of the best group, or "wait" while all of its slots are taken (the call then
 * takes the first slot that frees), or undefined when every host was tried.
 */
export function chooseHost(
  hosts: readonly HostState[],
  model: string,
  tried: ReadonlySet<HostState>,
  now: number,
): HostState | "wait" | undefined {
  const group = rankHosts(hosts, model, tried, now)[0];
  if (group === undefined) return undefined;
  let best: HostState | undefined;
  for (const state of group) {
    if (freeSlotsOf(state) === 0) continue;
    if (best === undefined || better(state, best, model)) best = state;
  }
  return best ?? "wait";
}

function better(a: HostState, b: HostState, model: string): boolean {
  const loaded = (state: HostState) => Number(state.loaded.has(nameOn(state, model)));
  const order =
    loaded(b) - loaded(a) ||
    expectedMs(a) - expectedMs(b) ||
    a.inFlight / a.parallel - b.inFlight / b.parallel ||
    a.calls - b.calls;
  return order < 0;
}

/**
 * How long an answer from this host is likely to take: its recent answer time, longer for each
 * request it already runs (the requests of one host share its GPU). A host that has not
 * answered yet counts as quick, so each host is tried before the pool settles on the fastest.
 */
function expectedMs(state: HostState): number {
  return (state.latencyMs ?? 0) * (1 + state.inFlight / state.parallel);
}

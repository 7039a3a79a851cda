import { describe, expect, it } from "vitest";
import { chooseHost } from "../../src/runner/host-choice.js";
import { newHostState, type HostState } from "../../src/runner/host-state.js";
import type { ModelProvider } from "../../src/runner/types.js";

const MODEL = "qwen2.5-coder:14b";

function host(
  name: string,
  fields: Partial<Pick<HostState, "latencyMs" | "inFlight" | "parallel" | "up" | "downUntil">> & {
    loaded?: boolean;
    models?: string[];
  } = {},
): HostState {
  const provider = { kind: "ollama", host: `http://${name}:11434` } as ModelProvider;
  const state = newHostState(provider, fields.parallel ?? 2, true);
  state.inFlight = fields.inFlight ?? 0;
  state.latencyMs = fields.latencyMs;
  state.up = fields.up ?? true;
  state.downUntil = fields.downUntil ?? 0;
  if (fields.loaded) state.loaded.add(MODEL);
  if (fields.models) state.models = new Set(fields.models);
  return state;
}

const choose = (hosts: HostState[], tried: HostState[] = []) =>
  chooseHost(hosts, MODEL, new Set(tried), 1_000);
const nameOf = (choice: ReturnType<typeof choose>) =>
  typeof choice === "object" ? choice.provider.host : choice;

describe("choosing a host for a call", () => {
  it("sends a call to the host that has been answering fastest when several are free", () => {
    const slow = host("slow", { latencyMs: 200 });
    const fast = host("fast", { latencyMs: 50 });
    const middle = host("middle", { latencyMs: 100 });
    expect(nameOf(choose([slow, middle, fast]))).toBe(fast.provider.host);
  });

  it("counts the requests a host already runs against its speed", () => {
    const fast = host("fast", { latencyMs: 50, inFlight: 1, parallel: 2 });
    const middle = host("middle", { latencyMs: 100 });
    // 50 ms, half its slots busy: 75 ms expected, still ahead of an idle 100 ms host.
    expect(nameOf(choose([middle, fast]))).toBe(fast.provider.host);
    const crowded = host("crowded", { latencyMs: 80, inFlight: 3, parallel: 4 });
    expect(nameOf(choose([crowded, middle]))).toBe(middle.provider.host);
  });

  it("prefers a host with the model loaded over a faster one that would have to load it", () => {
    const warm = host("warm", { latencyMs: 300, loaded: true });
    const cold = host("cold", { latencyMs: 50 });
    expect(nameOf(choose([cold, warm]))).toBe(warm.provider.host);
  });

  it("tries a host that has not answered yet before settling on the fastest", () => {
    const known = host("known", { latencyMs: 50 });
    const fresh = host("fresh");
    expect(nameOf(choose([known, fresh]))).toBe(fresh.provider.host);
  });

  it("spreads calls by free slots while no host has answered yet", () => {
    const a = host("a", { inFlight: 1 });
    const b = host("b");
    expect(nameOf(choose([a, b]))).toBe(b.provider.host);
  });

  it("waits for a slot on a busy host that has the model rather than use a host without it", () => {
    const busy = host("busy", { inFlight: 2, parallel: 2 });
    const bare = host("bare", { models: ["llama3.2:3b"] });
    expect(choose([busy, bare])).toBe("wait");
  });

  it("passes over a host marked down while another answers, and uses it once nothing else is left", () => {
    const down = host("down", { up: false, downUntil: 5_000, latencyMs: 10 });
    const up = host("up", { latencyMs: 100 });
    expect(nameOf(choose([down, up]))).toBe(up.provider.host);
    expect(nameOf(choose([down, up], [up]))).toBe(down.provider.host);
    expect(choose([down, up], [up, down])).toBeUndefined();
  });
});

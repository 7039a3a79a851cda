import { afterEach, describe, expect, it } from "vitest";
import {
  loadRuntimeSettings,
  ModelOverloadedError,
  RuntimeSettingsError,
} from "../../src/runner/index.js";
import { startModelServer, type ModelServer } from "../support/model-server.js";
import { ask, MODEL, onlyLocalNetwork, rejectionOf, testRuntime } from "./runtime-fixture.js";

onlyLocalNetwork();

/** A promise the test resolves by hand: holds a scripted reply in flight. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open = () => {};
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

function portOf(url: string): number {
  return Number(new URL(url).port);
}

describe("SYMPHONY_MODEL_HOSTS", () => {
  it("reads Ollama hosts by default and OpenAI-compatible ones by their prefix", () => {
    const settings = loadRuntimeSettings({
      SYMPHONY_MODEL_HOSTS:
        "http://gpu-a:11434#parallel=4, gpu-b:11434,openai+https://vllm.internal/v1#key=VLLM_KEY",
      SYMPHONY_MODEL_CONCURRENCY: "2",
      VLLM_KEY: "sk-vllm-secret",
    });
    expect(settings.hosts?.map(({ kind, url, parallel }) => ({ kind, url, parallel }))).toEqual([
      { kind: "ollama", url: "http://gpu-a:11434", parallel: 4 },
      { kind: "ollama", url: "http://gpu-b:11434", parallel: 2 },
      { kind: "openai", url: "https://vllm.internal/v1", parallel: 2 },
    ]);
    expect(settings.hosts?.[2]?.apiKey?.reveal()).toBe("sk-vllm-secret");
    expect(JSON.stringify(settings)).not.toContain("sk-vllm-secret");
  });

  it("gives OpenAI-compatible hosts OPENAI_API_KEY unless they name their own", () => {
    const settings = loadRuntimeSettings({
      SYMPHONY_MODEL_HOSTS: "openai+http://vllm:8000/v1",
      OPENAI_API_KEY: "sk-shared",
    });
    expect(settings.hosts?.[0]?.apiKey?.reveal()).toBe("sk-shared");
  });

  it("refuses a key variable that is not set, naming the variable and not a value", () => {
    expect(() =>
      loadRuntimeSettings({ SYMPHONY_MODEL_HOSTS: "openai+http://vllm:8000/v1#key=VLLM_KEY" }),
    ).toThrow(
      new RuntimeSettingsError(
        "SYMPHONY_MODEL_HOSTS: http://vllm:8000/v1 reads its key from VLLM_KEY, which is not set",
        ["SYMPHONY_MODEL_HOSTS"],
      ),
    );
  });

  it("refuses a bad parallel, an unknown option and a host listed twice", () => {
    const problem = (hosts: string) => {
      try {
        loadRuntimeSettings({ SYMPHONY_MODEL_HOSTS: hosts });
      } catch (error) {
        return (error as Error).message;
      }
      return "accepted";
    };
    expect(problem("http://a:11434#parallel=0")).toBe(
      "SYMPHONY_MODEL_HOSTS: http://a:11434 has parallel=0; use a whole number from 1 to 64",
    );
    expect(problem("http://a:11434#weight=2")).toContain('unknown option "weight"');
    expect(problem("http://a:11434,a:11434")).toBe(
      "SYMPHONY_MODEL_HOSTS: http://a:11434 is listed twice",
    );
  });

  it("leaves OLLAMA_HOST alone in charge when the list is unset", () => {
    const settings = loadRuntimeSettings({ OLLAMA_HOST: "http://gpu:11434" });
    expect(settings.hosts).toBeUndefined();
    expect(settings.chain[0]?.host).toBe("http://gpu:11434");
  });
});

describe("several model hosts", () => {
  const servers: ModelServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });

  async function hosts(count: number, options: Parameters<typeof startModelServer>[0] = {}) {
    const started = await Promise.all(
      Array.from({ length: count }, () => startModelServer(options)),
    );
    servers.push(...started);
    return started;
  }

  function poolRuntime(list: ModelServer[], parallel = 1) {
    return testRuntime({
      SYMPHONY_MODEL_HOSTS: list.map((server) => `${server.url}#parallel=${parallel}`).join(","),
    });
  }

  it("sends each call to the host with the fewest requests in flight", async () => {
    const list = await hosts(3);
    const held = gate();
    for (const server of list) server.respond(() => ({ content: "ok", holdUntil: held.promise }));
    const { runtime } = poolRuntime(list, 2);
    const calls = Array.from({ length: 6 }, (_, index) =>
      runtime.generateText(ask(`Call ${index}.`)),
    );
    await Promise.all(list.map((server) => server.waitForChatRequests(2)));
    expect(list.map((server) => server.chatRequests().length)).toEqual([2, 2, 2]);
    held.open();
    expect((await Promise.all(calls)).map((result) => result.text)).toEqual(Array(6).fill("ok"));
    expect(runtime.hosts().map((host) => host.calls)).toEqual([2, 2, 2]);
  });

  it("gives a slow host fewer calls: a waiting call takes the first slot that frees", async () => {
    const [slow, fast] = await hosts(2);
    const slowReply = gate();
    // Held past the fast host's answer, then slower still, so that a fast call slowed by a busy
    // machine never measures as slow as this one.
    slow!.respond(() => ({ content: "slow", holdUntil: slowReply.promise, headerDelayMs: 400 }));
    fast!.respond(() => ({ content: "fast" }));
    const { runtime } = poolRuntime([slow!, fast!]);
    const calls = Array.from({ length: 5 }, (_, index) =>
      runtime.generateText(ask(`Call ${index}.`)),
    );
    await fast!.waitForChatRequests(4);
    slowReply.open();
    const texts = (await Promise.all(calls)).map((result) => result.text).sort();
    expect(texts).toEqual(["fast", "fast", "fast", "fast", "slow"]);
    expect(slow!.chatRequests()).toHaveLength(1);
  });

  it("prefers a host where the model is already loaded", async () => {
    const [cold] = await hosts(1);
    const [warm] = await hosts(1, { loaded: [MODEL] });
    for (const server of [cold!, warm!]) server.respond(() => ({ content: server.url }));
    const { runtime } = poolRuntime([cold!, warm!]);
    await runtime.health();
    expect((await runtime.generateText(ask("Plan."))).text).toBe(warm!.url);
    expect(cold!.chatRequests()).toHaveLength(0);
  });

  it("never sends a host a model its health check did not list", async () => {
    const [a, b] = await hosts(2);
    const [bare] = await hosts(1, { models: [{ name: "llama3.2:3b" }] });
    for (const server of [a!, b!, bare!]) server.respond(() => ({ content: "ok" }));
    const { runtime } = poolRuntime([bare!, a!, b!]);
    const health = await runtime.health();
    expect(health).toMatchObject({ reachable: true, modelPresent: true });
    expect(health.problem).toBe(`model ${MODEL} is not on ${bare!.url}`);
    await Promise.all([1, 2, 3, 4].map((n) => runtime.generateText(ask(`Call ${n}.`))));
    expect(bare!.chatRequests()).toHaveLength(0);
    expect(a!.chatRequests().length + b!.chatRequests().length).toBe(4);
  });

  it("moves a call on from a host that answers 404 for the model, with one reply", async () => {
    const [bare] = await hosts(1, { models: [{ name: "llama3.2:3b" }] });
    const [full] = await hosts(1);
    full!.respond(() => ({ content: "answered" }));
    const { runtime } = poolRuntime([bare!, full!]);
    const result = await runtime.generateText(ask("Plan."));
    expect(result.text).toBe("answered");
    expect(result.usage.host).toBe(full!.url);
    expect(bare!.chatRequests()).toHaveLength(1);
    expect(full!.chatRequests()).toHaveLength(1);
  });

  it("moves a call from a host killed mid-reply to another, marks it down, and uses it again once back", async () => {
    const [doomed, steady] = await hosts(2);
    const neverAnswers = gate();
    doomed!.respond(() => ({ content: "lost", holdUntil: neverAnswers.promise }));
    steady!.respond(() => ({ content: "steady" }));
    const { runtime, logger } = poolRuntime([doomed!, steady!]);
    const inFlight = runtime.generateText(ask("First."));
    await doomed!.waitForChatRequests(1);
    const port = portOf(doomed!.url);
    await doomed!.close();
    servers.splice(servers.indexOf(doomed!), 1);

    const result = await inFlight;
    expect(result.text).toBe("steady");
    expect(result.usage.host).toBe(steady!.url);
    expect(runtime.hosts()[0]).toMatchObject({ up: false, failures: 1 });
    expect(logger.entries.map((entry) => entry.msg)).toContain("model host marked down");
    // While it is down, calls go elsewhere without trying it.
    expect((await runtime.generateText(ask("Second."))).text).toBe("steady");
    expect(steady!.chatRequests()).toHaveLength(2);

    const back = await startModelServer({ port });
    servers.push(back);
    back.respond(() => ({ content: "back" }));
    await runtime.health();
    expect(runtime.hosts()[0]).toMatchObject({ up: true });
    const held = gate();
    steady!.respond(() => ({ content: "steady", holdUntil: held.promise }));
    const busy = runtime.generateText(ask("Third."));
    await steady!.waitForChatRequests(3);
    expect((await runtime.generateText(ask("Fourth."))).text).toBe("back");
    held.open();
    await busy;
  });

  it("sends lone calls to the host that has answered fastest, not to each host in turn", async () => {
    const [slow, fast] = await hosts(2);
    const slowReply = gate();
    // Held past the fast host's answer, then slower still, so that a fast call slowed by a busy
    // machine never measures as slow as this one.
    slow!.respond(() => ({ content: "slow", holdUntil: slowReply.promise, headerDelayMs: 400 }));
    fast!.respond(() => ({ content: "fast" }));
    const { runtime } = poolRuntime([slow!, fast!]);
    // The slow host is still on its first answer when the fast one has given its own.
    const first = runtime.generateText(ask("First."));
    await slow!.waitForChatRequests(1);
    expect((await runtime.generateText(ask("Second."))).text).toBe("fast");
    slowReply.open();
    expect((await first).text).toBe("slow");
    slow!.respond(() => ({ content: "slow", headerDelayMs: 400 }));

    for (const n of [3, 4, 5, 6]) {
      expect((await runtime.generateText(ask(`Call ${n}.`))).text).toBe("fast");
    }
    expect(slow!.chatRequests()).toHaveLength(1);
  });

  it("limits a host in one place though it serves both the pool and the fallback model", async () => {
    const [ollama] = await hosts(1);
    const [vllm] = await hosts(1, { models: [{ name: MODEL }, { name: "gpt-4o-mini" }] });
    const held = gate();
    for (const server of [ollama!, vllm!])
      server.respond(() => ({ content: "ok", holdUntil: held.promise }));
    const { runtime } = testRuntime({
      SYMPHONY_MODEL_HOSTS: `${ollama!.url}#parallel=1,openai+${vllm!.url}/v1#parallel=1`,
      OPENAI_BASE_URL: `${vllm!.url}/v1`,
      SYMPHONY_FALLBACK_MODEL: "gpt-4o-mini",
      SYMPHONY_MODEL_QUEUE_LIMIT: "0",
    });
    const running = [runtime.generateText(ask("One.")), runtime.generateText(ask("Two."))];
    await Promise.all([ollama!.waitForChatRequests(1), vllm!.waitForChatRequests(1)]);

    // Both slots are taken: the fallback finds the vLLM host full too, and sends nothing more.
    expect(await rejectionOf(runtime.generateText(ask("Three.")))).toBeInstanceOf(
      ModelOverloadedError,
    );
    expect(vllm!.chatRequests()).toHaveLength(1);
    expect(runtime.hosts().map((host) => [host.host, host.inFlight])).toEqual([
      [ollama!.url, 1],
      [`${vllm!.url}/v1`, 1],
    ]);
    held.open();
    await Promise.all(running);
  });

  it("fails a call with the first host's error only when every host failed", async () => {
    const list = await hosts(2);
    for (const server of list) server.respond(() => ({ fault: "status", status: 500 }));
    const { runtime } = testRuntime({
      SYMPHONY_MODEL_HOSTS: list.map((server) => server.url).join(","),
      SYMPHONY_MODEL_RETRIES: "0",
    });
    const error = await rejectionOf(runtime.generateText(ask("Plan.")));
    expect(error.name).toBe("ModelUnavailableError");
    expect(error.message).toContain(list[0]!.url);
    expect(list.map((server) => server.chatRequests().length)).toEqual([1, 1]);
  });

  it("reports each host in the health check", async () => {
    const [up] = await hosts(1);
    const [gone] = await hosts(1);
    const goneUrl = gone!.url;
    await gone!.close();
    servers.splice(servers.indexOf(gone!), 1);
    const { runtime } = poolRuntime([up!, gone!]);
    const health = await runtime.health();
    expect(health.reachable).toBe(true);
    expect(health.hosts?.map(({ host, up: answering }) => ({ host, answering }))).toEqual([
      { host: up!.url, answering: true },
      { host: goneUrl, answering: false },
    ]);
  });
});

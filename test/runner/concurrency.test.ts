import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ModelAbortedError, ModelOverloadedError } from "../../src/runner/index.js";
import { startModelServer, type ModelServer } from "../support/model-server.js";
import {
  ask,
  bothProviders,
  onlyLocalNetwork,
  rejectionOf,
  testRuntime,
  type ProviderCase,
} from "./runtime-fixture.js";

onlyLocalNetwork();

/** A promise the test resolves by hand: holds a scripted reply in flight. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open = () => {};
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

describe.each(bothProviders)("per-host concurrency through $name", (provider: ProviderCase) => {
  let server: ModelServer;
  beforeEach(async () => {
    server = await startModelServer();
  });
  afterEach(async () => {
    await server.close();
  });

  it("holds one request in flight per host by default", async () => {
    const { runtime, settings } = testRuntime({
      ...provider.env(server),
      SYMPHONY_MODEL_QUEUE_LIMIT: "0",
    });
    expect(settings.concurrency).toBe(1);
    const held = gate();
    server.enqueue({ content: "first", holdUntil: held.promise });
    const first = runtime.generateText(ask("First."));
    await server.waitForChatRequests(1);
    const error = await rejectionOf(runtime.generateText(ask("Second.")));
    expect(error).toBeInstanceOf(ModelOverloadedError);
    held.open();
    expect((await first).text).toBe("first");
  });

  it("queues calls past the limit and sends each when a slot frees", async () => {
    const { runtime } = testRuntime({ ...provider.env(server), SYMPHONY_MODEL_QUEUE_LIMIT: "1" });
    const held = gate();
    server.enqueue({ content: "first", holdUntil: held.promise }, { content: "second" });
    const first = runtime.generateText(ask("First."));
    await server.waitForChatRequests(1);
    const second = runtime.generateText(ask("Second."));
    const third = await rejectionOf(runtime.generateText(ask("Third.")));
    expect(third).toBeInstanceOf(ModelOverloadedError);
    expect(third).toMatchObject({ queued: 1 });
    expect(server.chatRequests()).toHaveLength(1);
    held.open();
    expect([(await first).text, (await second).text]).toEqual(["first", "second"]);
    expect(server.chatRequests()).toHaveLength(2);
  });

  it("lets as many requests in flight as SYMPHONY_MODEL_CONCURRENCY allows", async () => {
    const { runtime } = testRuntime({
      ...provider.env(server),
      SYMPHONY_MODEL_CONCURRENCY: "2",
      SYMPHONY_MODEL_QUEUE_LIMIT: "0",
    });
    const held = gate();
    server.enqueue(
      { content: "a", holdUntil: held.promise },
      { content: "b", holdUntil: held.promise },
    );
    const calls = [runtime.generateText(ask("A.")), runtime.generateText(ask("B."))];
    await server.waitForChatRequests(2);
    held.open();
    expect((await Promise.all(calls)).map((result) => result.text).sort()).toEqual(["a", "b"]);
  });

  it("takes an aborted call out of the queue", async () => {
    const { runtime } = testRuntime({ ...provider.env(server), SYMPHONY_MODEL_QUEUE_LIMIT: "1" });
    const held = gate();
    server.enqueue({ content: "first", holdUntil: held.promise }, { content: "third" });
    const first = runtime.generateText(ask("First."));
    await server.waitForChatRequests(1);
    const controller = new AbortController();
    const second = runtime.generateText(ask("Second.", { signal: controller.signal }));
    controller.abort();
    expect(await rejectionOf(second)).toBeInstanceOf(ModelAbortedError);
    const third = runtime.generateText(ask("Third."));
    held.open();
    expect([(await first).text, (await third).text]).toEqual(["first", "third"]);
  });
});

describe("a full queue on the first host", () => {
  it("sends the call on to the fallback host", async () => {
    const ollama = await startModelServer();
    const hosted = await startModelServer({ models: [{ name: "gpt-4o-mini" }] });
    try {
      const { runtime } = testRuntime({
        OLLAMA_HOST: ollama.url,
        OPENAI_BASE_URL: `${hosted.url}/v1`,
        SYMPHONY_FALLBACK_MODEL: "gpt-4o-mini",
        SYMPHONY_MODEL_QUEUE_LIMIT: "0",
      });
      const held = gate();
      ollama.enqueue({ content: "first", holdUntil: held.promise });
      hosted.enqueue({ content: "second" });
      const first = runtime.generateText(ask("First."));
      await ollama.waitForChatRequests(1);
      const second = await runtime.generateText(ask("Second."));
      expect(second.usage).toMatchObject({ provider: "openai", fallbackUsed: true });
      held.open();
      await first;
    } finally {
      await ollama.close();
      await hosted.close();
    }
  });
});

describe("a single host", () => {
  it("is counted per host like the hosts of SYMPHONY_MODEL_HOSTS", async () => {
    const server = await startModelServer();
    try {
      server.respond(() => ({ content: "ok" }));
      const { runtime } = testRuntime({ OLLAMA_HOST: server.url, SYMPHONY_MODEL_CONCURRENCY: "3" });
      await runtime.generateText(ask("One."));
      expect(runtime.hosts()).toMatchObject([
        { host: server.url, up: true, calls: 1, inFlight: 0, parallel: 3 },
      ]);
      expect(runtime.freeSlots()).toBe(3);
    } finally {
      await server.close();
    }
  });
});

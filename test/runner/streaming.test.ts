import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  ModelAbortedError,
  ModelTimeoutError,
  ModelUnavailableError,
  type StreamProgress,
} from "../../src/runner/index.js";
import { startModelServer, type ModelServer } from "../support/model-server.js";
import {
  ask,
  bodies,
  bothProviders,
  onlyLocalNetwork,
  rejectionOf,
  testRuntime,
  type ProviderCase,
} from "./runtime-fixture.js";

onlyLocalNetwork();

const reply = "The plan has three steps: read, write, test.";

describe.each(bothProviders)("streaming through $name", (provider: ProviderCase) => {
  let server: ModelServer;
  beforeEach(async () => {
    server = await startModelServer({ chunkSize: 8 });
  });
  afterEach(async () => {
    await server.close();
  });

  it("asks for a streamed reply and joins its chunks", async () => {
    const { runtime } = testRuntime(provider.env(server));
    server.enqueue({ content: reply });
    const result = await runtime.generateText(ask("Plan."));
    expect(bodies(server)[0]).toMatchObject({ stream: true });
    expect(result.text).toBe(reply);
  });

  it("reports progress as chunks arrive", async () => {
    const { runtime } = testRuntime(provider.env(server));
    server.enqueue({ content: reply });
    const progress: StreamProgress[] = [];
    await runtime.generateText(ask("Plan.", { onProgress: (step) => progress.push(step) }));
    expect(progress.length).toBeGreaterThanOrEqual(Math.ceil(reply.length / 8));
    expect(progress.at(-1)?.outputChars).toBe(reply.length);
    expect(progress.map((step) => step.chunks)).toEqual(progress.map((_, index) => index + 1));
  });

  it("stops a request waiting for headers when the caller aborts", async () => {
    const { runtime } = testRuntime(provider.env(server));
    server.enqueue({ content: reply, headerDelayMs: 60_000 });
    const controller = new AbortController();
    const call = runtime.generateText(ask("Plan.", { signal: controller.signal }));
    await server.waitForChatRequests(1);
    controller.abort();
    expect(await rejectionOf(call)).toBeInstanceOf(ModelAbortedError);
    expect(server.chatRequests()).toHaveLength(1);
  });

  it("stops a stream midway when the caller aborts, without retrying", async () => {
    const { runtime } = testRuntime(provider.env(server));
    server.enqueue({ content: reply.repeat(50), chunkDelayMs: 20 });
    const controller = new AbortController();
    const call = runtime.generateText(
      ask("Plan.", { signal: controller.signal, onProgress: () => controller.abort() }),
    );
    expect(await rejectionOf(call)).toBeInstanceOf(ModelAbortedError);
    expect(server.chatRequests()).toHaveLength(1);
  });

  it("sends nothing when the caller aborted before the call", async () => {
    const { runtime } = testRuntime(provider.env(server));
    const error = await rejectionOf(
      runtime.generateText(ask("Plan.", { signal: AbortSignal.abort() })),
    );
    expect(error).toBeInstanceOf(ModelAbortedError);
    expect(server.chatRequests()).toHaveLength(0);
  });

  it("fails with ModelTimeoutError, without retrying, when no headers come within the time limit", async () => {
    const { runtime } = testRuntime(provider.env(server), { timeoutMs: 200 });
    // Only one reply is scripted: a retry would meet a 500 and end in another error.
    server.enqueue({ content: reply, headerDelayMs: 60_000 });
    const error = await rejectionOf(runtime.generateText(ask("Plan.")));
    expect(error).toBeInstanceOf(ModelTimeoutError);
    expect(error).toMatchObject({ timeoutMs: 200 });
  });

  it("fails with ModelTimeoutError when the stream runs past the time limit", async () => {
    const { runtime } = testRuntime(provider.env(server), { timeoutMs: 100 });
    server.enqueue({ content: reply.repeat(20), chunkDelayMs: 50 });
    expect(await rejectionOf(runtime.generateText(ask("Plan.")))).toBeInstanceOf(ModelTimeoutError);
  });

  it("treats an error line inside a 200 stream as a failure", async () => {
    const { runtime } = testRuntime(provider.env(server), { retries: 0 });
    server.enqueue({
      fault: "error-line",
      content: "The plan",
      error: "CUDA error: out of memory",
    });
    const error = await rejectionOf(runtime.generateText(ask("Plan.")));
    expect(error).toBeInstanceOf(ModelUnavailableError);
    expect(error.message).toContain("CUDA error: out of memory");
  });

  it("treats a stream that ends without its final chunk as a failure", async () => {
    const { runtime } = testRuntime(provider.env(server), { retries: 0 });
    server.enqueue({ fault: "no-final-chunk", content: "The plan has" });
    const error = await rejectionOf(runtime.generateText(ask("Plan.")));
    expect(error).toBeInstanceOf(ModelUnavailableError);
    expect(error.message).toContain("ended the reply stream before its final chunk");
  });

  it("treats a connection dropped mid-stream as a failure", async () => {
    const { runtime } = testRuntime(provider.env(server), { retries: 0 });
    server.enqueue({ fault: "drop", content: "The plan has" });
    const error = await rejectionOf(runtime.generateText(ask("Plan.")));
    expect(error).toBeInstanceOf(ModelUnavailableError);
  });
});

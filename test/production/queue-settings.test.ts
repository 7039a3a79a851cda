import { describe, expect, it } from "vitest";
import { readQueueSettings } from "../../src/create-app.js";

describe("the queue's bounds from the environment", () => {
  it("keeps the defaults when nothing is set", () => {
    expect(readQueueSettings({})).toEqual({});
  });

  it("reads each bound the operator sets", () => {
    expect(
      readQueueSettings({
        SYMPHONY_QUEUE_CONCURRENCY: "8",
        SYMPHONY_QUEUE_MAX: "500",
        SYMPHONY_QUEUE_MAX_PER_REPO: " 25 ",
      }),
    ).toEqual({ concurrency: 8, maxQueued: 500, maxQueuedPerRepository: 25 });
  });

  it("stops start-up with a sentence naming a bad variable", () => {
    expect(() => readQueueSettings({ SYMPHONY_QUEUE_MAX: "lots" })).toThrow(
      'SYMPHONY_QUEUE_MAX must be a whole number from 1 to 100000 (it is "lots")',
    );
    expect(() => readQueueSettings({ SYMPHONY_QUEUE_CONCURRENCY: "0" })).toThrow(
      /SYMPHONY_QUEUE_CONCURRENCY must be/,
    );
  });
});

// The in-memory queue's default bound per repository, and what a BullMQ job waits on: its
// delivery's runs (whenDone) and the key held across replicas (exclusive).
import { describe, expect, it, vi } from "vitest";
import { QueueFullError, WorkQueue, type QueueJob } from "../../src/app/queue.js";

const flush = () => new Promise((resolve) => setImmediate(resolve));

function held(key: string, deliveryId: string, repository = "octo/a") {
  let release = (): void => undefined;
  const job: QueueJob = {
    key,
    repository,
    deliveryId,
    run: () => new Promise<void>((resolve) => (release = resolve)),
  };
  return { job, release: () => release() };
}

describe("WorkQueue: bounds and deliveries", () => {
  it("accepts 50 labels in one repository at once and refuses the 51st waiting run", () => {
    const queue = new WorkQueue({ onError: vi.fn(), concurrency: 1 });
    for (let issue = 0; issue <= 50; issue += 1) {
      queue.enqueue(held(`octo/a#${issue}:plan`, `d-${issue}`).job);
    }

    expect(queue.size).toBe(50);
    expect(() => queue.enqueue(held("octo/a#99:plan", "d-99").job)).toThrow(QueueFullError);
  });

  it("says a delivery is done once its run finished, not before", async () => {
    const queue = new WorkQueue({ onError: vi.fn(), concurrency: 1 });
    const run = held("octo/a#1:plan", "d-1");
    queue.enqueue(run.job);
    const done = vi.fn();
    void queue.whenDone("d-1").then(done);
    await flush();
    expect(done).not.toHaveBeenCalled();

    run.release();
    await flush();
    await flush();

    expect(done).toHaveBeenCalledOnce();
  });

  it("says a delivery is done when a newer trigger with the same key took its waiting place", async () => {
    const queue = new WorkQueue({ onError: vi.fn(), concurrency: 1 });
    queue.enqueue(held("octo/a#1:plan", "d-1").job);
    queue.enqueue(held("octo/a#2:plan", "d-2").job);
    const done = vi.fn();
    void queue.whenDone("d-2").then(done);

    queue.enqueue(held("octo/a#2:plan", "d-3").job);
    await flush();

    expect(done).toHaveBeenCalledOnce();
  });

  it("says at once that a delivery which queued nothing is done", async () => {
    const queue = new WorkQueue({ onError: vi.fn() });

    await expect(queue.whenDone("never-queued")).resolves.toBeUndefined();
  });

  it("runs every job through the exclusive hook with its key and follow-up choice", async () => {
    const exclusive = vi.fn((_job: unknown, run: () => Promise<void>) => run());
    const queue = new WorkQueue({ onError: vi.fn(), exclusive });
    const ran = vi.fn(() => Promise.resolve());
    queue.enqueue({
      key: "k",
      repository: "octo/a",
      deliveryId: "d",
      whileRunning: "ignore",
      run: ran,
    });
    await queue.onIdle();

    expect(exclusive).toHaveBeenCalledWith(
      { key: "k", repository: "octo/a", deliveryId: "d", whileRunning: "ignore" },
      expect.any(Function),
    );
    expect(ran).toHaveBeenCalledOnce();
  });
});

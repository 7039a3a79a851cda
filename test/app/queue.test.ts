import { describe, expect, it, vi } from "vitest";
import { ManualClock } from "../../src/lib/clock.js";
import {
  QueueClosedError,
  QueueFullError,
  WorkQueue,
  type QueueJob,
  type WorkQueueOptions,
} from "../../src/app/queue.js";

/** A job that runs until the test releases it, noting when it started. */
function gate() {
  const started: string[] = [];
  const releases = new Map<string, () => void>();
  const job = (key: string, repository = "octo/a", extra: Partial<QueueJob> = {}): QueueJob => ({
    key,
    repository,
    ...extra,
    run: () =>
      new Promise<void>((resolve) => {
        started.push(key);
        releases.set(key, resolve);
      }),
  });
  /** Lets the oldest running job with that key finish, and the queue react. */
  const finish = async (key: string) => {
    await flush();
    releases.get(key)?.();
    releases.delete(key);
    await flush();
  };
  return { started, job, finish };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

function queue(options: Partial<WorkQueueOptions> = {}) {
  return new WorkQueue({ onError: vi.fn(), concurrency: 1, ...options });
}

describe("WorkQueue", () => {
  it("runs a job without blocking the caller", async () => {
    const { started, job } = gate();
    const work = queue();

    expect(work.enqueue(job("a#1:plan"))).toBe("queued");
    await flush();

    expect(started).toEqual(["a#1:plan"]);
    expect(work.running).toBe(1);
  });

  it("never runs more jobs at once than its concurrency", async () => {
    const { started, job } = gate();
    const work = queue({ concurrency: 2 });

    for (const key of ["1", "2", "3", "4"]) work.enqueue(job(key, `octo/${key}`));
    await flush();

    expect(started).toEqual(["1", "2"]);
    expect(work.running).toBe(2);
    expect(work.size).toBe(2);
  });

  it("takes turns between repositories so a busy one cannot starve the others", async () => {
    const { started, job, finish } = gate();
    const work = queue();

    for (const n of [1, 2, 3]) work.enqueue(job(`busy#${n}`, "octo/busy"));
    work.enqueue(job("quiet#1", "octo/quiet"));
    for (const key of ["busy#1", "busy#2", "quiet#1", "busy#3"]) await finish(key);

    expect(started).toEqual(["busy#1", "busy#2", "quiet#1", "busy#3"]);
  });

  it("folds a job into a waiting one with the same key, keeping the newer run", async () => {
    const ran: string[] = [];
    const { job, finish } = gate();
    const work = queue();
    work.enqueue(job("blocker", "octo/b"));
    const plan = (args: string): QueueJob => ({
      key: "a#1:plan",
      repository: "octo/a",
      run: async () => void ran.push(args),
    });

    expect(work.enqueue(plan("first"))).toBe("queued");
    expect(work.enqueue(plan("second"))).toBe("coalesced");
    expect(work.size).toBe(1);
    await finish("blocker");
    await work.onIdle();

    expect(ran).toEqual(["second"]);
  });

  it("queues one follow-up behind a running job with the same key, however many triggers come", async () => {
    const { started, job, finish } = gate();
    const work = queue({ concurrency: 2 });

    work.enqueue(job("a#1:plan"));
    await flush();
    const outcomes = [1, 2, 3].map(() => work.enqueue(job("a#1:plan")));
    await flush();

    expect(outcomes).toEqual(["follow-up", "coalesced", "coalesced"]);
    expect(started).toEqual(["a#1:plan"]);
    await finish("a#1:plan");
    expect(started).toEqual(["a#1:plan", "a#1:plan"]);
    await finish("a#1:plan");
    expect(work.running).toBe(0);
  });

  it("ignores a job for a running key when the job asks not to follow up", async () => {
    const { job } = gate();
    const work = queue();
    work.enqueue(job("a#1:plan"));
    await flush();

    expect(work.enqueue(job("a#1:plan", "octo/a", { whileRunning: "ignore" }))).toBe("ignored");
    expect(work.size).toBe(0);
  });

  it("ignores a redelivered webhook", async () => {
    const { started, job, finish } = gate();
    const work = queue();
    work.enqueue(job("a#1:plan", "octo/a", { deliveryId: "d-1" }));
    await finish("a#1:plan");

    expect(work.enqueue(job("a#1:plan", "octo/a", { deliveryId: "d-1" }))).toBe("duplicate");
    expect(started).toHaveLength(1);
  });

  it("refuses work past the bound for one repository with QueueFullError", () => {
    const { job } = gate();
    const work = queue({ maxQueuedPerRepository: 2 });
    for (const n of [1, 2, 3]) work.enqueue(job(`a#${n}`));

    expect(() => work.enqueue(job("a#4"))).toThrow(QueueFullError);
    expect(() => work.enqueue(job("b#1", "octo/b"))).not.toThrow();
  });

  it("refuses work past the total bound with QueueFullError naming the limit", () => {
    const { job } = gate();
    const work = queue({ maxQueued: 2 });
    for (const n of [1, 2, 3]) work.enqueue(job(`${n}`, `octo/${n}`));

    const error = (() => {
      try {
        work.enqueue(job("4", "octo/4"));
      } catch (caught) {
        return caught;
      }
    })();

    expect(error).toBeInstanceOf(QueueFullError);
    expect(error).toMatchObject({ scope: "total", limit: 2 });
  });

  it("hands a job's failure to onError and carries on with the next job", async () => {
    const onError = vi.fn();
    const work = queue({ onError });
    const ran: string[] = [];
    work.enqueue({
      key: "bad",
      repository: "octo/a",
      run: () => Promise.reject(new Error("model down")),
    });
    work.enqueue({ key: "good", repository: "octo/a", run: async () => void ran.push("good") });

    await work.onIdle();

    expect(onError).toHaveBeenCalledWith(new Error("model down"), {
      key: "bad",
      repository: "octo/a",
    });
    expect(ran).toEqual(["good"]);
  });

  it("survives an onError that throws", async () => {
    const work = queue({
      onError: () => {
        throw new Error("logger broke");
      },
    });
    work.enqueue({ key: "bad", repository: "octo/a", run: () => Promise.reject(new Error("x")) });

    await expect(work.onIdle()).resolves.toBeUndefined();
  });

  it("on drain, lets running jobs finish within the grace period and drops waiting ones", async () => {
    const { job, finish } = gate();
    const clock = new ManualClock();
    const work = queue({ clock });
    work.enqueue(job("running"));
    work.enqueue(job("waiting"));
    await flush();

    const drained = work.drain(30_000);
    await finish("running");

    expect(await drained).toEqual([{ key: "waiting", repository: "octo/a", state: "waiting" }]);
  });

  it("on drain, aborts and reports the jobs still running when the grace period ends", async () => {
    const clock = new ManualClock();
    const work = queue({ clock });
    let signal: AbortSignal | undefined;
    work.enqueue({
      key: "slow",
      repository: "octo/a",
      run: (given) => {
        signal = given;
        return new Promise(() => undefined);
      },
    });
    await flush();

    const drained = work.drain(30_000);
    clock.advance(30_000);

    expect(await drained).toEqual([{ key: "slow", repository: "octo/a", state: "running" }]);
    expect(signal?.aborted).toBe(true);
  });

  it("takes no new work once draining", async () => {
    const work = queue();
    await work.drain(0);

    expect(() =>
      work.enqueue({ key: "x", repository: "octo/a", run: async () => undefined }),
    ).toThrow(QueueClosedError);
  });
});

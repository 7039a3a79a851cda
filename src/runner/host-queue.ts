// Per-host concurrency: at most `limit` requests in flight, at most `queueLimit` waiting.
import { ModelAbortedError, ModelOverloadedError } from "./errors.js";

interface Waiter {
  start: () => void;
}

export class HostQueue {
  private active = 0;
  private readonly waiting: Waiter[] = [];

  constructor(
    readonly host: string,
    private readonly limit: number,
    private readonly queueLimit: number,
  ) {}

  /** Requests running now. */
  get inFlight(): number {
    return this.active;
  }

  /**
   * Runs `work` once a slot is free. A full queue refuses at once rather than holding unbounded
   * work in memory; an abort while waiting leaves the queue without taking a slot.
   */
  async run<T>(signal: AbortSignal | undefined, work: () => Promise<T>): Promise<T> {
    await this.acquire(signal);
    try {
      return await work();
    } finally {
      this.release();
    }
  }

  private acquire(signal: AbortSignal | undefined): Promise<void> {
    if (signal?.aborted)
      return Promise.reject(new ModelAbortedError("the model call was cancelled"));
    if (this.active < this.limit) {
      this.active++;
      return Promise.resolve();
    }
    if (this.waiting.length >= this.queueLimit) {
      return Promise.reject(new ModelOverloadedError(this.host, this.waiting.length));
    }
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        const index = this.waiting.indexOf(waiter);
        if (index >= 0) this.waiting.splice(index, 1);
        reject(new ModelAbortedError("the model call was cancelled while waiting for the host"));
      };
      const waiter: Waiter = {
        start: () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        },
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.waiting.push(waiter);
    });
  }

  private release(): void {
    const next = this.waiting.shift();
    // The slot passes straight to the next caller, so `active` stays the same.
    if (next) next.start();
    else this.active--;
  }
}

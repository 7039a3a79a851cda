// Time as features see it, injectable so that tests of pacing and grace periods never sleep.

export type CancelTimer = () => void;

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /**
   * Calls back once after `ms`; the returned function cancels it. `unref`: the timer alone does
   * not keep the process alive (background schedules).
   */
  setTimeout(callback: () => void, ms: number, options?: { unref?: boolean }): CancelTimer;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(callback, ms, options) {
    const timer = setTimeout(callback, ms);
    if (options?.unref) timer.unref();
    return () => clearTimeout(timer);
  },
};

/**
 * A clock that moves only when told to: for tests, and for replaying timings. Shipped beside
 * Clock as its test double on purpose, so `knip --production` is told it has no caller in src/.
 * @public
 */
export class ManualClock implements Clock {
  #now: number;
  #timers: { at: number; callback: () => void; id: number }[] = [];
  #nextId = 0;

  constructor(start = 0) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  setTimeout(callback: () => void, ms: number): CancelTimer {
    const id = this.#nextId++;
    this.#timers.push({ at: this.#now + Math.max(0, ms), callback, id });
    return () => {
      this.#timers = this.#timers.filter((timer) => timer.id !== id);
    };
  }

  /** Timers not yet fired. */
  get pending(): number {
    return this.#timers.length;
  }

  /** Moves time forward, firing every timer that falls due, in order. */
  advance(ms: number): void {
    const until = this.#now + ms;
    for (;;) {
      const due = this.#timers
        .filter((timer) => timer.at <= until)
        .sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (due === undefined) break;
      this.#timers = this.#timers.filter((timer) => timer.id !== due.id);
      this.#now = due.at;
      due.callback();
    }
    this.#now = until;
  }
}

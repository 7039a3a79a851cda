// Work run one after another per key: the second caller waits for the first, whatever its outcome.

export class OneAtATime {
  readonly #tails = new Map<string, Promise<unknown>>();

  /** Runs `work` once every earlier call with this key has settled. */
  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const before = this.#tails.get(key) ?? Promise.resolve();
    const mine = before.catch(() => undefined).then(work);
    this.#tails.set(key, mine);
    try {
      return await mine;
    } finally {
      if (this.#tails.get(key) === mine) this.#tails.delete(key);
    }
  }
}

/**
 * Counts work under way (requests being handled, deliveries being sent), so shutdown can
 * finish it and tests can wait for the bot to settle instead of sleeping.
 */
export class Inflight {
  #count = 0;
  #waiters: (() => void)[] = [];

  get count(): number {
    return this.#count;
  }

  /** Marks the start of a piece of work; call the returned function when it is over. */
  begin(): () => void {
    this.#count++;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.#count--;
      if (this.#count === 0) this.#settle();
    };
  }

  async track<T>(work: Promise<T>): Promise<T> {
    const end = this.begin();
    try {
      return await work;
    } finally {
      end();
    }
  }

  /** Resolves once no work is under way (work that starts meanwhile is waited for too). */
  async idle(): Promise<void> {
    for (;;) {
      if (this.#count > 0) {
        await new Promise<void>((resolve) => this.#waiters.push(resolve));
      }
      // Work often starts work: give follow-ups queued in this turn a chance to begin.
      await new Promise((resolve) => setImmediate(resolve));
      if (this.#count === 0) return;
    }
  }

  #settle(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const resolve of waiters) resolve();
  }
}

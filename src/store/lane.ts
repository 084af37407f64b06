/**
 * One at a time, in line: the process's writes to PostgreSQL. Serializable transactions
 * running side by side in one process conflict with one another (measured: 64 催办 clicks in
 * flight on 64 tasks, pool of ten, 97 of 256 gave up after 25 s of retries and the person was
 * told to try again); in line, only another replica's writes can conflict, and those are
 * retried.
 */
export class Lane {
  #busy = false;
  readonly #waiting: (() => void)[] = [];

  /** Waits for a turn; returns the release of it. */
  async acquire(): Promise<() => void> {
    if (this.#busy) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    else this.#busy = true;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#waiting.shift();
      if (next) next();
      else this.#busy = false;
    };
  }
}

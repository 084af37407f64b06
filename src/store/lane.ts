/**
 * One at a time, in line: the process's writes to PostgreSQL. Serializable transactions
 * running side by side in one process conflict with one another (measured: 64 催办 clicks in
 * flight on 64 tasks, pool of ten, 97 of 256 gave up after 25 s of retries and the person was
 * told to try again; and a second line for the inbox's writes beside this one, at 50 requests a
 * second, stored 5 of 468 replies during the load where one line stored 54); in line, only
 * another replica's writes can conflict, and those are retried.
 *
 * The inbox worker's writes (the thread replies, one after another) take turns with the rest
 * waiting, as on SQLite's one connection (sqlite-adapter.ts): when both wait, the next turn goes
 * to the side that did not go last. At the back of one line, each reply waited behind every
 * click's, command's and delivery's write queued before it.
 */
export type Turn = "inbox" | "rest";

export class Lane {
  #busy = false;
  readonly #waiting: Record<Turn, (() => void)[]> = { inbox: [], rest: [] };
  #last: Turn = "rest";

  /** Waits for a turn; returns the release of it. */
  async acquire(turn: Turn = "rest"): Promise<() => void> {
    if (this.#busy) await new Promise<void>((resolve) => this.#waiting[turn].push(resolve));
    else {
      this.#busy = true;
      this.#last = turn;
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const other: Turn = this.#last === "inbox" ? "rest" : "inbox";
      const side = this.#waiting[other].length > 0 ? other : this.#last;
      const next = this.#waiting[side].shift();
      if (next) {
        this.#last = side;
        next();
      } else this.#busy = false;
    };
  }

  /** How many wait on each side (tests). */
  get waiting(): Record<Turn, number> {
    return { inbox: this.#waiting.inbox.length, rest: this.#waiting.rest.length };
  }
}

import type { Store } from "../store/store.js";

/**
 * A period's scores, worked out once and shared until the data behind them changes.
 *
 * Scoring a month reads every task counted in it and the month's reports: at 20,000 tasks and
 * 500,000 reports that is ~0.6 s of reading and shaping, and on SQLite every other request waits
 * behind it. Sixty-four people asking `/ducha 得分` at once want the same figures: the first
 * works them out, the others wait for that answer, and later ones get it as long as nothing has
 * changed.
 *
 * "Nothing has changed" is exact, not a time to live. An entry is stamped with
 *  - the database's watermark (the newest audit event and report): every change that can move a
 *    score (a report, an edit, a star, a return, a coordination, a setting, the calendar, a
 *    department) writes its audit event, whichever replica makes it;
 *  - whatever else the scores depend on that time alone changes (the 协调 requests that lapsed
 *    by now), read fresh each time.
 * A different stamp works the scores out again; an entry computed while a write landed is
 * stamped with what was read before it, so it is redone at the next ask, never kept too long.
 * The bot's own bookkeeping (stored lights, the inbox and outbox, card updates) writes no audit
 * event and leaves the scores shared: under load it wrote several times a second, and each
 * write made the next `/ducha 得分` work a month out again (~0.2–0.6 s with every other request
 * waiting behind it on SQLite).
 */
export class SharedResults<T> {
  private readonly entries = new Map<string, { stamp: string; value: Promise<T>; settled?: { value: T } }>();

  constructor(private readonly capacity = 8) {}

  /**
   * What is shared for this stamp, when it is worked out already (never waits: a caller inside
   * a transaction must not wait for a computation that needs the connection it holds).
   */
  peek(key: string, stamp: string): T | undefined {
    const found = this.entries.get(key);
    return found && found.stamp === stamp ? found.settled?.value : undefined;
  }

  get(key: string, stamp: string, compute: () => Promise<T>): Promise<T> {
    const found = this.entries.get(key);
    if (found && found.stamp === stamp) {
      // Most recently used last.
      this.entries.delete(key);
      this.entries.set(key, found);
      return found.value;
    }
    const value = compute();
    const entry: { stamp: string; value: Promise<T>; settled?: { value: T } } = { stamp, value };
    value.then(
      (settled) => {
        entry.settled = { value: settled };
      },
      () => {},
    );
    this.entries.delete(key);
    this.entries.set(key, entry);
    // A failure is not kept: the next ask tries again.
    value.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
    return value;
  }
}

const shared = new WeakMap<Store, SharedResults<unknown>>();

/** The shared results of one store (one database, one process). */
export function sharedResultsOf<T>(store: Store): SharedResults<T> {
  let found = shared.get(store);
  if (!found) {
    found = new SharedResults<unknown>();
    shared.set(store, found);
  }
  return found as SharedResults<T>;
}

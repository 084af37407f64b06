/**
 * The acknowledging writes of one process, committed together (SQLite). Each is one small
 * statement — an event into the inbox, a click stored, a request's trigger_id — and each was a
 * transaction of its own on the one connection: at 50 requests a second ~45 of them a second,
 * each a turn of the connection, and the work behind them (storing the replies, doing the
 * clicks) had the turns left over; the line grew until acknowledgements waited 13 s (p50).
 * Here the ones that arrive while a batch is being written go in the next batch, in one
 * transaction: an acknowledgement waits for at most the batch before it, and a burst costs the
 * connection one turn, not one per request. A statement that fails fails its own request only
 * (SQLite keeps the transaction going after a failed statement); a failed COMMIT fails them all,
 * and none of them is acknowledged.
 */
export class AckBatch<Tx> {
  readonly #pending: {
    work: Work<Tx>;
    resolve: (value: unknown) => void;
    reject: (error: unknown) => void;
  }[] = [];
  #writing = false;

  constructor(
    /** Runs the works in one transaction, each one's outcome apart. */
    private readonly write: (works: readonly Work<Tx>[]) => Promise<Outcome[]>,
    private readonly max = 200,
  ) {}

  add<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#pending.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (!this.#writing) void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    this.#writing = true;
    try {
      while (this.#pending.length > 0) {
        const batch = this.#pending.splice(0, this.max);
        try {
          const outcomes = await this.write(batch.map((b) => b.work));
          batch.forEach((b, i) => {
            const outcome = outcomes[i];
            if (outcome?.ok) b.resolve(outcome.value);
            else b.reject(outcome?.error ?? new Error("an acknowledging write had no outcome"));
          });
        } catch (error) {
          for (const b of batch) b.reject(error);
        }
      }
    } finally {
      this.#writing = false;
    }
  }
}

type Work<Tx> = (tx: Tx) => Promise<unknown>;
export type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** Runs each work in turn on one transaction, keeping each one's outcome apart. */
export async function eachApart<Tx>(tx: Tx, works: readonly Work<Tx>[]): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  for (const work of works) {
    try {
      outcomes.push({ ok: true, value: await work(tx) });
    } catch (error) {
      outcomes.push({ ok: false, error });
    }
  }
  return outcomes;
}

import { AsyncLocalStorage } from "node:async_hooks";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";

type Adapter = Awaited<ReturnType<PrismaBetterSQLite3["connect"]>>;
type Transaction = Awaited<ReturnType<Adapter["startTransaction"]>>;
type Query = Parameters<Adapter["executeRaw"]>[0];
/** The better-sqlite3 connection the adapter holds (a public field of its adapter). */
type Connection = { inTransaction: boolean; exec(sql: string): unknown };

/**
 * Marks the transactions started inside `work` as reads: they begin DEFERRED and never take
 * the write lock. Every other transaction begins IMMEDIATE.
 */
export function readingOnly<T>(work: () => Promise<T>): Promise<T> {
  return reading.run(true, work);
}
const reading = new AsyncLocalStorage<boolean>();

/**
 * Puts the transactions started inside `work` first in line on this process's connection: the
 * small writes that must be done before Slack is answered (an event stored in the inbox, a
 * click's trigger_id) wait for the transaction running now, not for all the work queued
 * behind it. Measured with 64 replies in flight, an acknowledgement otherwise waited for the
 * whole queue: p50 3.9 s, p99 15.9 s, past Slack's 3 s.
 */
export function firstInLine<T>(work: () => Promise<T>): Promise<T> {
  return ahead.run(true, work);
}
const ahead = new AsyncLocalStorage<boolean>();

/**
 * Prisma's better-sqlite3 adapter, with transactions that cannot wedge the connection.
 *
 * A transaction that may write takes SQLite's write lock at BEGIN (IMMEDIATE), before it reads:
 * with another process writing to the same file, a DEFERRED transaction that read first is
 * refused at its first write (SQLITE_BUSY_SNAPSHOT) and all its work is done again; measured on
 * two processes under a stream of replies and clicks, 316 transactions were redone, some
 * several times over, until a click ran out of attempts. Waiting at BEGIN costs nothing done.
 *
 * The adapter serialises transactions with a lock it takes before BEGIN and releases only when
 * Prisma calls commit() or rollback() after its COMMIT or ROLLBACK statement succeeded. When
 * COMMIT fails — SQLITE_FULL on a full disk, an I/O error — Prisma reports the error and never
 * releases the lock, and SQLite may leave the transaction open: every later transaction then
 * waits forever, reads included, long after the disk has room again. Here the lock is ours:
 * a failed COMMIT is rolled back and the lock released, and a transaction SQLite left open is
 * closed before the next BEGIN, so the first write after the cause is gone succeeds.
 */
export class GuardedSqliteAdapterFactory extends PrismaBetterSQLite3 {
  override async connect(): Promise<Adapter> {
    return guard(await super.connect());
  }
}

/**
 * better-sqlite3 answers at once, so a transaction's statements, and the transactions queued
 * behind it, would run one after another without the event loop ever turning: no request that
 * arrived meanwhile would be read, let alone acknowledged, until the whole queue was done.
 * A statement first lets the loop turn once the transaction has held it for a slice of time.
 * (Turning before every statement made each transaction wait a full turn of a busy loop per
 * statement, with the one connection held all along: under 64 requests in flight a reply's
 * transaction of ~25 statements took ~25 turns, and the connection stored ~23 replies a second.)
 */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
/** How long a transaction may hold the event loop before it lets the loop turn. */
const SLICE_MS = 4;

function guard(adapter: Adapter): Adapter {
  const connection = (adapter as unknown as { client: Connection }).client;
  // One transaction at a time on the one connection; who waits goes in line, and the writes
  // that acknowledge a request (firstInLine) go before everything else waiting.
  let busy = false;
  const inLine = { first: [] as (() => void)[], rest: [] as (() => void)[] };
  const handOver = () => {
    const next = inLine.first.shift() ?? inLine.rest.shift();
    // Through the event loop: requests that arrived meanwhile are read (and acknowledged)
    // before the next transaction starts.
    if (next) setImmediate(next);
    else busy = false;
  };
  /** Waits for this transaction's turn; returns the release of this one. */
  const lock = async (): Promise<() => void> => {
    if (busy) {
      await new Promise<void>((resolve) => (ahead.getStore() ? inLine.first : inLine.rest).push(resolve));
    } else {
      busy = true;
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      handOver();
    };
  };
  /** Closes a transaction SQLite kept open after an error: nothing of it was committed. */
  const abandon = () => {
    if (!connection.inTransaction) return;
    try {
      connection.exec("ROLLBACK");
    } catch {
      // Nothing more can be done; the next BEGIN will say what is wrong.
    }
  };

  const startTransaction = async (isolationLevel?: Parameters<Adapter["startTransaction"]>[0]) => {
    if (isolationLevel && isolationLevel !== "SERIALIZABLE") return adapter.startTransaction(isolationLevel);
    const release = await lock();
    try {
      abandon();
      await adapter.executeScript(reading.getStore() ? "BEGIN" : "BEGIN IMMEDIATE");
    } catch (error) {
      release();
      throw error;
    }
    let turnedAt = performance.now();
    /** Lets the loop turn when this transaction has held it for a slice. */
    const share = async () => {
      if (performance.now() - turnedAt < SLICE_MS) return;
      await turn();
      turnedAt = performance.now();
    };
    /** A COMMIT or ROLLBACK that fails ends the transaction all the same. */
    const ending = async <T>(query: Query, run: () => Promise<T>): Promise<T> => {
      try {
        return await run();
      } catch (error) {
        const sql = query.sql.trim().toUpperCase();
        if (sql === "COMMIT" || sql === "ROLLBACK") {
          abandon();
          release();
        }
        throw error;
      }
    };
    const transaction: Transaction = {
      provider: adapter.provider,
      adapterName: adapter.adapterName,
      options: { usePhantomQuery: false },
      queryRaw: async (query) => {
        await share();
        return ending(query, () => adapter.queryRaw(query));
      },
      executeRaw: async (query) => {
        await share();
        return ending(query, () => adapter.executeRaw(query));
      },
      commit: async () => release(),
      rollback: async () => {
        abandon();
        release();
      },
    };
    return transaction;
  };

  return new Proxy(adapter, {
    get(target, property, receiver) {
      if (property === "startTransaction") return startTransaction;
      const value = Reflect.get(target, property, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

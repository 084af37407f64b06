import { AsyncLocalStorage } from "node:async_hooks";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";

type Adapter = Awaited<ReturnType<PrismaBetterSQLite3["connect"]>>;
type Transaction = Awaited<ReturnType<Adapter["startTransaction"]>>;
type Query = Parameters<Adapter["executeRaw"]>[0];
/** The better-sqlite3 connection the adapter holds (a public field of its adapter). */
type Connection = { inTransaction: boolean; exec(sql: string): unknown; prepare: Prepare };
/** What the adapter uses of a better-sqlite3 statement. */
interface Statement {
  readonly reader: boolean;
  bind(...args: unknown[]): Statement;
  run(...args: unknown[]): unknown;
  columns(): { name: string; type: string | null }[];
  raw(on?: boolean): Statement;
  all(...args: unknown[]): unknown[];
}
type Prepare = (sql: string, ...internal: unknown[]) => Statement;

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
 * Marks the transactions started inside `work` as the inbox's (the thread replies, stored one
 * after another by one worker): they take turns with the rest of the work waiting, rather than
 * waiting behind all of it. Measured at 50 requests a second, the worker's one transaction at a
 * time waited behind every click's, command's and delivery's: 3 of 468 replies were stored
 * during the load, each ~30 s after its acknowledgement.
 */
export function inboxTurn<T>(work: () => Promise<T>): Promise<T> {
  return inbox.run(true, work);
}
const inbox = new AsyncLocalStorage<boolean>();

/** Whether this transaction is the inbox worker's (inside `inboxTurn`): PostgreSQL's line asks (lane.ts). */
export function inInboxTurn(): boolean {
  return inbox.getStore() === true;
}

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

/**
 * How many acknowledging writes may go in a row before the work waiting behind them gets a
 * turn: an acknowledgement waits for at most one other transaction besides these.
 */
const FIRST_TURNS = 2;

/** How many statements the connection keeps prepared (the store's statements, and IN lists of each length). */
const PREPARED = 500;

/**
 * Keeps the connection's statements prepared, for the adapter: it prepares every statement it
 * runs afresh (better-sqlite3 compiles the SQL each time) and binds its parameters to it, which
 * better-sqlite3 allows once per statement. Measured under a stream of thread replies, preparing
 * was ~7% of the process's CPU. The adapter gets, for each SQL text, one statement compiled
 * once and a view of it with this run's parameters. Calls with more than the SQL (better-
 * sqlite3's own, for pragmas and transactions) are passed through.
 */
export function keepPrepared(connection: Pick<Connection, "prepare">, size = PREPARED): void {
  const prepare = connection.prepare.bind(connection);
  const kept = new Map<string, Statement>();
  connection.prepare = (sql: string, ...internal: unknown[]): Statement => {
    if (internal.length > 0) return prepare(sql, ...internal);
    let statement = kept.get(sql);
    if (statement) {
      // Most recently used last: the least used goes first when the map is full.
      kept.delete(sql);
    } else {
      statement = prepare(sql);
      if (kept.size >= size) {
        const oldest = kept.keys().next().value;
        if (oldest !== undefined) kept.delete(oldest);
      }
    }
    kept.set(sql, statement);
    return withParameters(statement, []);
  };
}

/**
 * A kept statement as the adapter uses it: `bind` gives the parameters of this run only, and
 * `raw` the rows' shape of this run only (the statement itself is shared by every run).
 */
function withParameters(statement: Statement, args: unknown[]): Statement {
  let rows = false;
  const view: Statement = {
    reader: statement.reader,
    bind: (...bound: unknown[]) => withParameters(statement, bound),
    run: (...more: unknown[]) => statement.run(...args, ...more),
    columns: () => statement.columns(),
    raw: (on = true) => {
      rows = on;
      return view;
    },
    all: (...more: unknown[]) => statement.raw(rows).all(...args, ...more),
  };
  return view;
}

function guard(adapter: Adapter): Adapter {
  const connection = (adapter as unknown as { client: Connection }).client;
  keepPrepared(connection);
  // One transaction at a time on the one connection; who waits goes in line, and the writes
  // that acknowledge a request (firstInLine) go before everything else waiting — but not
  // always: under steady arrivals there is always an acknowledgement waiting, and the work
  // behind them (storing the replies, acting on the clicks) stopped (measured at 100 requests
  // a second: 6 replies stored in 30 s). After FIRST_TURNS acknowledgements in a row the work
  // waiting gets a turn, so it keeps at least a share of the connection.
  // Behind the acknowledgements, the inbox's transactions and the rest take turns.
  let busy = false;
  const inLine = { first: [] as (() => void)[], inbox: [] as (() => void)[], rest: [] as (() => void)[] };
  let firstInARow = 0;
  let restWentLast = false;
  const nextInLine = (): (() => void) | undefined => {
    const behind = inLine.inbox.length + inLine.rest.length;
    if (inLine.first.length > 0 && (behind === 0 || firstInARow < FIRST_TURNS)) {
      firstInARow++;
      return inLine.first.shift();
    }
    firstInARow = 0;
    if (inLine.inbox.length > 0 && (restWentLast || inLine.rest.length === 0)) {
      restWentLast = false;
      return inLine.inbox.shift();
    }
    restWentLast = inLine.rest.length > 0;
    return inLine.rest.shift();
  };
  const handOver = () => {
    const next = nextInLine();
    // Through the event loop: requests that arrived meanwhile are read (and acknowledged)
    // before the next transaction starts.
    if (next) setImmediate(next);
    else busy = false;
  };
  /** Waits for this transaction's turn; returns the release of this one. */
  const lock = async (): Promise<() => void> => {
    if (busy) {
      await new Promise<void>((resolve) =>
        (ahead.getStore() ? inLine.first : inbox.getStore() ? inLine.inbox : inLine.rest).push(resolve),
      );
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

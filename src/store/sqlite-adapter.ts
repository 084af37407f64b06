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

function guard(adapter: Adapter): Adapter {
  const connection = (adapter as unknown as { client: Connection }).client;
  let tail: Promise<void> = Promise.resolve();
  /** Waits for the transaction before this one to end; returns the release of this one. */
  const lock = async (): Promise<() => void> => {
    let release!: () => void;
    const mine = new Promise<void>((resolve) => {
      release = resolve;
    });
    const before = tail;
    tail = before.then(() => mine);
    await before;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      release();
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
      queryRaw: (query) => ending(query, () => adapter.queryRaw(query)),
      executeRaw: (query) => ending(query, () => adapter.executeRaw(query)),
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

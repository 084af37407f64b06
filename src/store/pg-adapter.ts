import { PrismaPg } from "@prisma/adapter-pg";
import type pg from "pg";

type Adapter = Awaited<ReturnType<PrismaPg["connect"]>>;
type Transaction = Awaited<ReturnType<Adapter["startTransaction"]>>;
type Query = Parameters<Adapter["executeRaw"]>[0];
/** What Prisma's PostgreSQL transaction holds: its pooled connection and the listener it added. */
type Held = { client: pg.PoolClient; cleanup?: () => void };

/**
 * Prisma's pg adapter, with transactions that always give their connection back.
 *
 * The adapter returns a transaction's pooled connection only when Prisma calls commit() or
 * rollback() after its COMMIT or ROLLBACK statement succeeded. When COMMIT itself fails — a
 * serialization failure PostgreSQL reports at commit (40001), the server going away — Prisma
 * reports the error and never calls them: the connection stays checked out, and after as many
 * failures as the pool has connections every transaction waits forever. Here a failed COMMIT
 * or ROLLBACK ends the transaction all the same, and the connection is thrown away rather than
 * reused in an unknown state. The transaction's queries are sent one at a time.
 */
export class GuardedPgAdapterFactory extends PrismaPg {
  override async connect(): Promise<Adapter> {
    return guard(await super.connect());
  }
}

function guard(adapter: Adapter): Adapter {
  const startTransaction = async (isolationLevel?: Parameters<Adapter["startTransaction"]>[0]) => {
    const tx = await adapter.startTransaction(isolationLevel);
    const held = tx as unknown as Held;
    let ended = false;
    const discard = (error: unknown) => {
      if (ended) return;
      ended = true;
      held.cleanup?.();
      held.client.release(error instanceof Error ? error : new Error(String(error)));
    };
    // Prisma's engine may send a transaction's queries at once; its one connection runs them in
    // turn anyway, and pg 9 will refuse a query while another runs: they are queued here.
    let tail: Promise<unknown> = Promise.resolve();
    const inTurn = <T>(run: () => Promise<T>): Promise<T> => {
      const next = tail.then(run, run);
      tail = next.catch(() => undefined);
      return next;
    };
    const ending = async <T>(query: Query, run: () => Promise<T>): Promise<T> => {
      try {
        return await inTurn(run);
      } catch (error) {
        const sql = query.sql.trim().toUpperCase();
        if (sql === "COMMIT" || sql === "ROLLBACK") discard(error);
        throw error;
      }
    };
    const transaction: Transaction = {
      provider: tx.provider,
      adapterName: tx.adapterName,
      options: tx.options,
      queryRaw: (query) => ending(query, () => tx.queryRaw(query)),
      executeRaw: (query) => ending(query, () => tx.executeRaw(query)),
      commit: async () => {
        if (ended) return;
        ended = true;
        await tx.commit();
      },
      rollback: async () => {
        if (ended) return;
        ended = true;
        await tx.rollback();
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

import { PrismaClient } from "../generated/prisma/client.js";
import { migrateSqlite } from "./migrate.js";
import { GuardedSqliteAdapterFactory } from "./sqlite-adapter.js";

export type { PrismaClient };
/** The client inside an interactive transaction. */
export type Tx = Omit<PrismaClient, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

/**
 * How long a SQLite connection waits for another connection's lock before giving up with
 * SQLITE_BUSY. better-sqlite3 waits synchronously, stalling the event loop, so the wait is
 * kept short and the store retries the whole transaction asynchronously instead
 * (src/store/store.ts): a lock held by this same process can then be released meanwhile.
 */
const BUSY_TIMEOUT_MS = 100;

export interface Database {
  readonly client: PrismaClient;
  /** The SQLite file behind the client. */
  readonly file: string;
  /** True when the database answers a query within the time given. */
  ping(timeoutMs: number): Promise<boolean>;
  /** Damage SQLite's `PRAGMA quick_check` finds (its first lines), or null when the file is sound. */
  quickCheck(): Promise<string | null>;
  /** True when a small write goes through (the disk has room, the file can be written). */
  probeWrite(): Promise<boolean>;
  close(): Promise<void>;
}

/** `file:./data/ducha.db` → `./data/ducha.db`. */
export function sqliteFile(url: string): string {
  return url.replace(/^file:/, "").replace(/\?.*$/, "");
}

/**
 * Opens the database the bot runs on: migrations first (the folder is created if missing),
 * then the Prisma client. Throws MigrationError when the database cannot be used.
 */
export async function openDatabase(url: string, options: { busyTimeoutMs?: number } = {}): Promise<Database> {
  const file = sqliteFile(url);
  const busyTimeoutMs = options.busyTimeoutMs ?? BUSY_TIMEOUT_MS;
  migrateSqlite(file);
  const client = new PrismaClient({
    adapter: new GuardedSqliteAdapterFactory({ url: `file:${file}`, timeout: busyTimeoutMs }),
    transactionOptions: { maxWait: 10_000, timeout: 20_000 },
  });
  await client.$connect();
  let closed = false;
  return {
    client,
    file,
    async ping(timeoutMs) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      });
      const query = client
        .$queryRawUnsafe("SELECT count(*) AS n FROM _prisma_migrations")
        .then(() => true)
        .catch(() => false);
      try {
        return await Promise.race([query, timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
    async quickCheck() {
      const rows = await client.$queryRawUnsafe<{ quick_check: string }[]>("PRAGMA quick_check(5)");
      const lines = rows.map((r) => Object.values(r)[0]).map(String);
      return lines.length === 1 && lines[0] === "ok" ? null : lines.join("; ").slice(0, 500);
    },
    async probeWrite() {
      try {
        // A counter no one reads: each probe adds one, so the write reaches the file.
        await client.$transaction([
          client.counter.upsert({
            where: { name: "health.probe" },
            create: { name: "health.probe", value: 1 },
            update: { value: { increment: 1 } },
          }),
        ]);
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await client.$disconnect();
    },
  };
}

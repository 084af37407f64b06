import { PrismaClient } from "../generated/prisma/client.js";
import { PrismaClient as PgPrismaClient } from "../generated/prisma-pg/client.js";
import { migratePostgres, migrateSqlite, redactUrl } from "./migrate.js";
import { GuardedPgAdapterFactory } from "./pg-adapter.js";
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

export type Provider = "sqlite" | "postgresql";

export interface Database {
  /**
   * The client. On PostgreSQL it is the client generated from the same schema for PostgreSQL
   * (src/generated/prisma-pg), typed as SQLite's: the store only uses what both providers do.
   */
  readonly client: PrismaClient;
  /**
   * PostgreSQL: a client of its own (two connections) for the small writes that acknowledge a
   * request, so an acknowledgement never waits for a pooled connection held by a long list.
   * SQLite has one connection, and its adapter puts those writes first in line instead.
   */
  readonly acknowledgingClient?: PrismaClient;
  /**
   * SQLite: a second connection for transactions that only read. Its one connection is one
   * line: a long read (a list of red tasks at a city's size, ~0.8 s) held every write behind it,
   * acknowledgements included (at 10 requests a second, ack p99 804 ms). In WAL mode readers
   * do not block the writer: reads go in their own line, each seeing what was committed when it
   * began. PostgreSQL's pool serves both.
   */
  readonly readingClient?: PrismaClient;
  readonly provider: Provider;
  /** The SQLite file, or the PostgreSQL URL with its password hidden: for logs and messages. */
  readonly location: string;
  /** True when the database answers a query within the time given. */
  ping(timeoutMs: number): Promise<boolean>;
  /** Damage SQLite's `PRAGMA quick_check` finds (its first lines), or null when the file is sound. */
  quickCheck(): Promise<string | null>;
  /** True when a small write goes through (the disk has room, the file can be written). */
  probeWrite(): Promise<boolean>;
  /**
   * SQLite: gathers the planner's statistics of "Report" (ANALYZE, sampled). Without them an
   * index on a column nearly every row has the same value of looks selective (`"retractedAt" IS
   * NULL`), and a list's latest reports were read from all 500,000 through it: 71 ms a list →
   * 0.1 ms. Only "Report": the other tables' statements are written for the plans SQLite makes
   * without statistics, and tests hold them to those (task-views: the lights' index). PostgreSQL's
   * autovacuum keeps its own.
   */
  optimize(): Promise<void>;
  close(): Promise<void>;
}

/** Which database a DATABASE_URL names. */
export function providerOf(url: string): Provider {
  return /^postgres(ql)?:\/\//i.test(url) ? "postgresql" : "sqlite";
}

/** `file:./data/ducha.db` → `./data/ducha.db`. */
export function sqliteFile(url: string): string {
  return url.replace(/^file:/, "").replace(/\?.*$/, "");
}

/**
 * Opens the database the bot runs on: migrations first (the folder is created if missing),
 * then the Prisma client. Throws MigrationError when the database cannot be used.
 */
export async function openDatabase(
  url: string,
  options: { busyTimeoutMs?: number; poolSize?: number; poolWaitMs?: number } = {},
): Promise<Database> {
  if (providerOf(url) === "postgresql")
    return openPostgres(url, options.poolSize ?? 10, options.poolWaitMs ?? 5_000);
  const file = sqliteFile(url);
  const busyTimeoutMs = options.busyTimeoutMs ?? BUSY_TIMEOUT_MS;
  migrateSqlite(file);
  const connect = () =>
    new PrismaClient({
      adapter: new GuardedSqliteAdapterFactory({ url: `file:${file}`, timeout: busyTimeoutMs }),
      transactionOptions: { maxWait: 10_000, timeout: 20_000 },
    });
  const client = connect();
  const reading = connect();
  await client.$connect();
  // The planner's statistics of "Report", gathered now (sampled: ~0.1 s at 500,000 reports)
  // and again by the daily housekeeping; before the reading connection opens, which reads
  // them when it first reads the schema.
  const analyze = async () => {
    await client.$executeRawUnsafe(`PRAGMA analysis_limit = ${ANALYSIS_LIMIT}`);
    await client.$executeRawUnsafe(`ANALYZE "Report"`);
  };
  await analyze();
  await reading.$connect();
  // It only reads: a write through it would fail at once rather than wait for the writer.
  await reading.$executeRawUnsafe("PRAGMA query_only = ON");
  const database = wrap(client, "sqlite", file, async () => {
    const rows = await client.$queryRawUnsafe<{ quick_check: string }[]>("PRAGMA quick_check(5)");
    const lines = rows.map((r) => Object.values(r)[0]).map(String);
    return lines.length === 1 && lines[0] === "ok" ? null : lines.join("; ").slice(0, 500);
  });
  return {
    ...database,
    readingClient: reading,
    optimize: analyze,
    async close() {
      await database.close();
      await reading.$disconnect();
    },
  };
}

/**
 * PostgreSQL: migrations under an advisory lock (replicas starting together apply each once),
 * then a pool of `poolSize` connections through Prisma's pg adapter.
 */
async function openPostgres(url: string, poolSize: number, poolWaitMs: number): Promise<Database> {
  await migratePostgres(url);
  const connect = (max: number) =>
    new PgPrismaClient({
      adapter: new GuardedPgAdapterFactory({
        connectionString: url,
        max,
        // How long a transaction waits for a free connection before the store tries again.
        connectionTimeoutMillis: poolWaitMs,
        // A connection is not kept waiting on a lock longer than a transaction may last.
        statement_timeout: 20_000,
      }),
      transactionOptions: { maxWait: 10_000, timeout: 20_000 },
    }) as unknown as PrismaClient;
  const client = connect(poolSize);
  const acknowledging = connect(2);
  await client.$connect();
  await acknowledging.$connect();
  // PostgreSQL checks its own pages; there is no quick_check to run.
  const database = wrap(client, "postgresql", redactUrl(url), async () => null);
  return {
    ...database,
    acknowledgingClient: acknowledging,
    async close() {
      await database.close();
      await acknowledging.$disconnect();
    },
  };
}

/**
 * A connection that only reads, for a thread of its own (the period's scores): the database as
 * it is, not migrated (the process that opened it for writing did), nothing written through it.
 */
export async function openForReading(url: string): Promise<Database> {
  if (providerOf(url) === "postgresql") {
    const client = new PgPrismaClient({
      adapter: new GuardedPgAdapterFactory({
        connectionString: url,
        max: 2,
        connectionTimeoutMillis: 5_000,
        statement_timeout: 20_000,
      }),
    }) as unknown as PrismaClient;
    await client.$connect();
    return wrap(client, "postgresql", redactUrl(url), async () => null);
  }
  const file = sqliteFile(url);
  const client = new PrismaClient({
    adapter: new GuardedSqliteAdapterFactory({ url: `file:${file}`, timeout: BUSY_TIMEOUT_MS }),
  });
  await client.$connect();
  await client.$executeRawUnsafe("PRAGMA query_only = ON");
  return wrap(client, "sqlite", file, async () => null);
}

/** Rows SQLite's ANALYZE samples per index: statistics good enough to choose, in a tenth of a second. */
const ANALYSIS_LIMIT = 1_000;

function wrap(
  client: PrismaClient,
  provider: Provider,
  location: string,
  quickCheck: () => Promise<string | null>,
): Database {
  let closed = false;
  return {
    client,
    provider,
    location,
    quickCheck,
    async optimize() {},
    async ping(timeoutMs) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      });
      const query = client
        .$queryRawUnsafe('SELECT count(*) AS n FROM "_prisma_migrations"')
        .then(() => true)
        .catch(() => false);
      try {
        return await Promise.race([query, timeout]);
      } finally {
        clearTimeout(timer);
      }
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

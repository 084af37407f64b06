import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, describe, expect, inject, it } from "vitest";
import { copySqliteToPostgres } from "../bench/pg-copy.js";
import { PG_SCHEMA, writePgSchema } from "../scripts/pg-schema.js";
import { seedScale } from "../scripts/seed-scale.js";
import type { ScoringTask } from "../src/domain/scoring.js";
import { openDatabase } from "../src/store/database.js";
import { MigrationError, migratePostgres, PG_MIGRATIONS_DIR, readMigrations } from "../src/store/migrate.js";
import { createStore, type Store } from "../src/store/store.js";
import {
  BLOCKER_FLAG_MIGRATION,
  BLOCKER_FLAGS_AFTER,
  OFFICE_BEFORE_BLOCKER_FLAG,
} from "./support/before-migration.js";
import { TEST_DATABASE } from "./support/harness.js";
import { adminQuery, freshPostgresUrl, withDatabase } from "./support/postgres.js";

// This file runs in the "postgresql" project only (vitest.config.ts): it tests PostgreSQL itself.
const provided = inject("postgres");
let made = 0;

/** An empty database, not even migrated. */
async function emptyDatabase(): Promise<string> {
  const name = `${provided.prefix}_empty_${process.pid}_${++made}`;
  await adminQuery(provided.adminUrl, `CREATE DATABASE "${name}"`);
  return withDatabase(provided.adminUrl, name);
}

async function query<T extends pg.QueryResultRow>(
  url: string,
  sql: string,
  values: unknown[] = [],
): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

/** The tables, columns, indexes and constraints of a database, as PostgreSQL describes them. */
async function shape(url: string): Promise<string[]> {
  const columns = await query<{ line: string }>(
    url,
    `SELECT table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' ' || coalesce(column_default, '') AS line
       FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'`,
  );
  const indexes = await query<{ line: string }>(
    url,
    `SELECT indexdef AS line FROM pg_indexes WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'`,
  );
  const constraints = await query<{ line: string }>(
    url,
    `SELECT conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid) AS line
       FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text <> '_prisma_migrations'`,
  );
  return [...columns, ...indexes, ...constraints].map((r) => r.line).sort();
}

const stores: Store[] = [];
async function storeOn(url: string): Promise<Store> {
  const store = createStore(await openDatabase(url, { poolSize: 3 }));
  stores.push(store);
  return store;
}
afterAll(async () => {
  await Promise.all(stores.map((s) => s.close()));
});

describe("PostgreSQL", () => {
  it("is what this project runs on", () => {
    expect(TEST_DATABASE).toBe("postgresql");
  });

  it("its migrations take an empty database exactly to prisma/schema.prisma: no drift", async () => {
    const migrated = await emptyDatabase();
    await migratePostgres(migrated);
    // What the schema says today, written by Prisma from nothing.
    writePgSchema();
    const sql = execFileSync(
      path.resolve("node_modules/.bin/prisma"),
      ["migrate", "diff", "--from-empty", "--to-schema-datamodel", PG_SCHEMA, "--script"],
      { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] },
    );
    const fromSchema = await emptyDatabase();
    await query(fromSchema, sql);
    const [mine, wanted] = [await shape(migrated), await shape(fromSchema)];
    expect(wanted.length).toBeGreaterThan(50);
    // A change to schema.prisma without its PostgreSQL migration (npm run db:migration) shows here.
    // Beside Prisma's model by design: 查考's GIN index over the entries' pieces (an expression index
    // Prisma cannot describe), made by its migration.
    const outside = (l: string) => l.includes("SearchEntry_grams_idx");
    expect(mine.filter(outside)).toHaveLength(1);
    expect(mine.filter((l) => !wanted.includes(l) && !outside(l))).toEqual([]);
    expect(wanted.filter((l) => !mine.includes(l))).toEqual([]);
  });

  it("its migrations carry an office's data over: a task whose latest report is a blocker is flagged so", async () => {
    const url = await emptyDatabase();
    const all = readMigrations(PG_MIGRATIONS_DIR);
    expect(all.map((m) => m.name)).toContain(BLOCKER_FLAG_MIGRATION);
    await migratePostgres(
      url,
      all.filter((m) => m.name < BLOCKER_FLAG_MIGRATION),
    );
    for (const sql of OFFICE_BEFORE_BLOCKER_FLAG) await query(url, sql);
    expect((await migratePostgres(url)).applied).toContain(BLOCKER_FLAG_MIGRATION);
    expect(await query(url, `SELECT "id", "lastReportBlocker" FROM "Task" ORDER BY "id"`)).toEqual(
      BLOCKER_FLAGS_AFTER,
    );
  });

  it("applies each migration once when three replicas start together", async () => {
    const url = await emptyDatabase();
    const results = await Promise.all([migratePostgres(url), migratePostgres(url), migratePostgres(url)]);
    const applied = results.flatMap((r) => r.applied);
    expect(applied.sort()).toEqual(readMigrations(PG_MIGRATIONS_DIR).map((m) => m.name));
    const rows = await query<{ n: number }>(url, `SELECT count(*)::int AS n FROM "_prisma_migrations"`);
    expect(rows[0]?.n).toBe(applied.length);
  });

  it("refuses a database migrated by a newer build, and one whose migration was changed", async () => {
    const url = await emptyDatabase();
    await migratePostgres(url);
    await query(
      url,
      `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count)
       VALUES ('x', 'y', now(), '29990101000000_from_the_future', now(), 1)`,
    );
    const ahead = await migratePostgres(url).catch((e: unknown) => e);
    expect(ahead).toBeInstanceOf(MigrationError);
    expect((ahead as MigrationError).kind).toBe("ahead");
    expect(String((ahead as Error).message)).toMatch(/newer version of ducha/);

    const other = await emptyDatabase();
    await migratePostgres(other);
    await query(other, `UPDATE "_prisma_migrations" SET checksum = 'changed'`);
    const modified = await migratePostgres(other).catch((e: unknown) => e);
    expect((modified as MigrationError).kind).toBe("modified");
  });

  it("says which server it could not reach, without its password", async () => {
    const error = await migratePostgres("postgresql://ducha:s3cret@127.0.0.1:1/ducha").catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(MigrationError);
    expect((error as MigrationError).kind).toBe("unavailable");
    expect((error as Error).message).toContain("127.0.0.1:1");
    expect((error as Error).message).not.toContain("s3cret");
  });

  it("gives replicas distinct, gap-free numbers, one job slot, one copy of an event, one claim", async () => {
    const url = await freshPostgresUrl(provided);
    const [a, b, c] = [await storeOn(url), await storeOn(url), await storeOn(url)];
    const replicas = [a, b, c];
    const numbers = (
      await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          replicas[i % 3]?.transaction((tx) => tx.tasks.takeNumbers(2026, 1 + (i % 2))),
        ),
      )
    ).flatMap((n) => n ?? []);
    expect(numbers.sort((x, y) => x - y)).toEqual(Array.from({ length: 45 }, (_, i) => i + 1));

    const slot = new Date("2026-12-01T01:00:00Z");
    const claims = await Promise.all(
      replicas.map((s, i) => s.transaction((tx) => tx.jobRuns.claim("daily", slot, `r${i}`, slot))),
    );
    expect(claims.filter(Boolean)).toHaveLength(1);

    const accepted = await Promise.all(
      replicas.map((s) => s.transaction((tx) => tx.inbox.accept("Ev0SAME", "{}", slot))),
    );
    expect(accepted.filter(Boolean)).toHaveLength(1);
    const firsts = await Promise.all(
      replicas.map((s) => s.transaction((tx) => tx.inboxRequests.firstTime("request:trigger-1", slot))),
    );
    expect(firsts.filter(Boolean)).toHaveLength(1);

    await a.transaction((tx) =>
      tx.outbox.enqueue({ key: "k1", lane: "C1", message: { kind: "card.post", taskId: 1 } }),
    );
    const entry = await a.read((tx) => tx.outbox.byKey("k1"));
    const lease = new Date(Date.now() + 30_000);
    const taken = await Promise.all(
      replicas.map((s) => s.transaction((tx) => tx.outbox.claim([entry?.id ?? -1], new Date(), lease))),
    );
    expect(taken.flat()).toEqual([entry?.id]);
  });

  it("reads a period's tasks and reports for scoring as SQLite does, from the same rows", async () => {
    // The reports of a period come joined into one text, written differently for each database.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ducha-pg-scoring-"));
    const file = path.join(dir, "office.db");
    await seedScale(file, { departments: 6, tasks: 300, reports: 6_000 });
    // The seed claims nothing: some reports become completion claims, one of them retracted.
    const raw = new Database(file);
    raw.exec(`UPDATE "Report" SET "kind" = 'claim' WHERE "id" % 23 = 0;
              UPDATE "Report" SET "retractedAt" = "createdAt" WHERE "id" % 46 = 0;`);
    raw.close();
    const url = await emptyDatabase();
    await copySqliteToPostgres(file, url);
    const onSqlite = await storeOn(`file:${file}`);
    const onPostgres = await storeOn(url);
    // Lists whose order means nothing are compared sorted.
    const sorted = (tasks: ScoringTask[]) =>
      tasks.map((t) => ({
        ...t,
        perfunctory: [...t.perfunctory].sort((x, y) => x - y),
        starred: [...t.starred].sort((x, y) => x - y),
        claims: t.claims?.map((d) => d.getTime()).sort((x, y) => x - y),
        returns: t.returns.map((d) => d.getTime()).sort((x, y) => x - y),
      }));
    const periods = [
      { kind: "week", key: "2026-W49", start: "2026-11-29T16:00:00Z", end: "2026-12-06T16:00:00Z" },
      { kind: "month", key: "2026-11", start: "2026-10-31T16:00:00Z", end: "2026-11-30T16:00:00Z" },
      { kind: "year", key: "2026", start: "2025-12-31T16:00:00Z", end: "2026-12-31T16:00:00Z" },
    ] as const;
    for (const p of periods) {
      const period = { ...p, start: new Date(p.start), end: new Date(p.end), complete: true };
      const expected = sorted(await onSqlite.read((tx) => tx.summaries.scoringTasks(period)));
      expect(expected.some((t) => t.given.length > 0 && t.perfunctory.length > 0)).toBe(true);
      expect(expected.some((t) => t.claims?.length)).toBe(true);
      expect(sorted(await onPostgres.read((tx) => tx.summaries.scoringTasks(period))), p.key).toEqual(
        expected,
      );
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("splits the open tasks by whether their stored light holds as SQLite does: every one once", async () => {
    // The failing lights are found by ranges around the known ones, compared by the database.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ducha-pg-lights-"));
    const file = path.join(dir, "office.db");
    await seedScale(file, { departments: 4, tasks: 200, reports: 1_000 });
    const raw = new Database(file);
    raw.exec(`UPDATE "Task" SET "light" = 'red', "lightUntil" = '2026-12-20T02:00:00.000+00:00' WHERE "id" % 2 = 0;
              UPDATE "Task" SET "light" = 'green', "lightUntil" = '2026-12-10T02:00:00.000+00:00' WHERE "id" % 3 = 0;
              UPDATE "Task" SET "light" = 'on_time', "lightUntil" = NULL WHERE "id" % 5 = 0;
              UPDATE "Task" SET "light" = NULL, "lightUntil" = '2026-12-20T02:00:00.000+00:00' WHERE "id" % 7 = 0;
              UPDATE "Task" SET "light" = 'Green', "lightUntil" = '2026-12-20T02:00:00.000+00:00' WHERE "id" % 11 = 0;
              UPDATE "Task" SET "light" = 'ontime', "lightUntil" = '2026-12-20T02:00:00.000+00:00' WHERE "id" % 13 = 0;
              UPDATE "Task" SET "light" = 'zz', "lightUntil" = '2026-12-20T02:00:00.000+00:00' WHERE "id" % 17 = 0;
              UPDATE "Task" SET "light" = 'a', "lightUntil" = '2026-12-20T02:00:00.000+00:00' WHERE "id" % 19 = 0;`);
    raw.close();
    const url = await emptyDatabase();
    await copySqliteToPostgres(file, url);
    const now = new Date("2026-12-14T01:00:00Z");
    const ids = (tasks: { id: number }[]) => tasks.map((t) => t.id).sort((a, b) => a - b);
    const split = async (store: Store) => ({
      holding: ids(await store.read((tx) => tx.taskLights.openWithStoredLight(now))),
      stale: ids(await store.read((tx) => tx.taskLights.openSlim({ staleAt: now }))),
      all: ids(await store.read((tx) => tx.taskLights.openSlim())),
    });
    const onSqlite = await split(await storeOn(`file:${file}`));
    const onPostgres = await split(await storeOn(url));
    expect(onSqlite.holding.length).toBeGreaterThan(3);
    expect(onSqlite.stale.length).toBeGreaterThan(10);
    expect([...onSqlite.holding, ...onSqlite.stale].sort((a, b) => a - b)).toEqual(onSqlite.all);
    // Unknown lights (a capital, no underscore, before and after every known one) are stale.
    for (const id of onSqlite.all.filter((id) => [7, 11, 13, 17, 19].some((n) => id % n === 0)))
      expect(onSqlite.stale).toContain(id);
    expect(onPostgres).toEqual(onSqlite);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("gives a connection back when COMMIT fails, so a pool of one keeps working", async () => {
    const url = await freshPostgresUrl(provided);
    // One connection each: a connection kept after a failed COMMIT would stall every later transaction.
    const a = createStore(await openDatabase(url, { poolSize: 1 }));
    const b = createStore(await openDatabase(url, { poolSize: 1 }));
    stores.push(a, b);
    // Write skew: each reads one setting and writes the other; PostgreSQL fails one of them
    // with 40001 (at its write or at its COMMIT), and the store runs it again.
    let arrived = 0;
    let open!: () => void;
    const both = new Promise<void>((resolve) => {
      open = resolve;
    });
    let runs = 0;
    const skew = (store: Store, read: string, write: string) =>
      store.transaction(async (tx) => {
        runs++;
        const seen = await tx.settings.get(read);
        if (++arrived === 2) open();
        await both;
        await tx.settings.set(write, { seen: seen ?? null }, "U0TEST");
      });
    await Promise.all([skew(a, "skew.a", "skew.b"), skew(b, "skew.b", "skew.a")]);
    expect(runs).toBeGreaterThan(2);
    for (let i = 0; i < 3; i++) {
      await a.transaction((tx) => tx.tasks.takeNumbers(3, 1));
      await b.transaction((tx) => tx.tasks.takeNumbers(3, 1));
    }
    expect(await a.read((tx) => tx.tasks.takeNumbers(3, 1))).toEqual([7]);
  });

  it("runs one process's writes in line, so they never undo one another; an acknowledgement and a lone statement do not wait", async () => {
    const url = await freshPostgresUrl(provided);
    const store = createStore(await openDatabase(url, { poolSize: 5 }));
    stores.push(store);
    // Ten writes at once, each reading what the others write: side by side at Serializable
    // most would fail with 40001 and run again.
    let runs = 0;
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        store.transaction(async (tx) => {
          runs++;
          let seen = 0;
          for (let j = 0; j < 10; j++) if (await tx.settings.get(`line.${j}`)) seen++;
          await tx.settings.set(`line.${i}`, { seen }, "U0TEST");
        }),
      ),
    );
    expect(runs).toBe(10);
    // A write holds the line; a request's acknowledgement is stored meanwhile.
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const holding = store.transaction(async (tx) => {
      await tx.settings.set("line.held", true, "U0TEST");
      await held;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await store.acknowledging((tx) => tx.inboxRequests.firstTime("request:T1", new Date()))).toBe(
      true,
    );
    // A single statement that is right beside anything (an outbox claim by ids, a mark done by
    // id) does not wait for the line either.
    const marked = await Promise.race([
      store.statement((tx) => tx.outbox.claim([1, 2, 3], new Date(), new Date())),
      new Promise((resolve) => setTimeout(() => resolve("held"), 3_000)),
    ]);
    expect(marked).toEqual([]);
    release();
    await holding;
  });

  it("waits for a pooled connection when all are busy, instead of failing the person's request", async () => {
    const url = await freshPostgresUrl(provided);
    const store = createStore(await openDatabase(url, { poolSize: 1, poolWaitMs: 200 }));
    stores.push(store);
    // A long read holds the pool's only connection for a second: five pool timeouts meanwhile.
    const long = store.read(async (tx) => {
      await tx.settings.get("pool.a");
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      return "long";
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const short = store.read((tx) => tx.settings.get("pool.b"));
    expect(await Promise.all([long, short])).toEqual(["long", undefined]);
    expect(store.problem()).toBeNull();
  });
});

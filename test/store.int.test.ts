import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { backupSqlite } from "../scripts/backup.js";
import { seedScale } from "../scripts/seed-scale.js";
import { openDatabase } from "../src/store/database.js";
import { MigrationError, migrateSqlite, readMigrations } from "../src/store/migrate.js";
import { createStore } from "../src/store/store.js";
import { tempDbFile } from "./support/harness.js";

/**
 * A migration as Prisma writes one for a column change on SQLite: the table is rebuilt
 * (create new, copy, drop old, rename) between its own foreign-key pragmas. This one makes
 * Task.requirement nullable, the way `prisma migrate diff` would.
 */
function rebuildTaskMigration(db: Database.Database) {
  const table = db.prepare(`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'Task'`).get() as {
    sql: string;
  };
  const indexes = db
    .prepare(`SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'Task' AND sql IS NOT NULL`)
    .all() as { sql: string }[];
  const columns = (db.prepare(`PRAGMA table_info("Task")`).all() as { name: string }[])
    .map((c) => `"${c.name}"`)
    .join(", ");
  const created = table.sql
    .replace(/^CREATE TABLE "Task"/, 'CREATE TABLE "new_Task"')
    .replace(/"requirement" TEXT NOT NULL DEFAULT ''/, `"requirement" TEXT DEFAULT ''`);
  expect(created).toContain('"requirement" TEXT DEFAULT');
  const sql = [
    "-- RedefineTables",
    "PRAGMA defer_foreign_keys=ON;",
    "PRAGMA foreign_keys=OFF;",
    `${created};`,
    `INSERT INTO "new_Task" (${columns}) SELECT ${columns} FROM "Task";`,
    'DROP TABLE "Task";',
    'ALTER TABLE "new_Task" RENAME TO "Task";',
    ...indexes.map((i) => `${i.sql};`),
    "PRAGMA foreign_keys=ON;",
    "PRAGMA defer_foreign_keys=OFF;",
  ].join("\n");
  return { name: "29990101000000_task_requirement_nullable", sql, checksum: "c".repeat(64) };
}

const COUNTED = ["Task", "Report", "Extension", "TaskCoDept", "TaskTag", "Event", "Decision"] as const;
function counts(file: string): Record<string, number> {
  const db = new Database(file, { readonly: true });
  try {
    return Object.fromEntries(
      COUNTED.map((t) => [t, (db.prepare(`SELECT count(*) AS n FROM "${t}"`).get() as { n: number }).n]),
    );
  } finally {
    db.close();
  }
}

describe("migrations on SQLite", () => {
  it("creates the folder and the schema, and a second start applies nothing", () => {
    const file = path.join(path.dirname(tempDbFile()), "nested", "deeper", "ducha.db");
    const first = migrateSqlite(file);
    expect(first.applied).toEqual(readMigrations().map((m) => m.name));
    expect(migrateSqlite(file).applied).toEqual([]);
    const db = new Database(file);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as {
      name: string;
    }[];
    db.close();
    expect(tables.map((t) => t.name)).toEqual(
      expect.arrayContaining(["Task", "OutboxMessage", "JobRun", "Event"]),
    );
  });

  it("keeps every report, extension and event when a migration rebuilds the Task table", async () => {
    const file = tempDbFile();
    await seedScale(file, { departments: 4, tasks: 40, reports: 400 });
    const db = new Database(file);
    const insert = db.prepare(
      `INSERT INTO "Extension" (taskId, requestedBy, requestedAt, oldDueAt, newDueAt, reason, state) VALUES (?, 'U1', ?, ?, ?, '资金未到位', 'approved')`,
    );
    const at = new Date().toISOString();
    for (let taskId = 1; taskId <= 10; taskId++) insert.run(taskId, at, at, at);
    const migration = rebuildTaskMigration(db);
    db.close();
    const before = counts(file);
    expect(before.Report).toBeGreaterThan(100);
    expect(before.Extension).toBe(10);

    const result = migrateSqlite(file, [...readMigrations(), migration]);

    expect(result.applied).toEqual([migration.name]);
    expect(counts(file)).toEqual(before);
    const after = new Database(file, { readonly: true });
    expect(after.pragma("foreign_key_check")).toEqual([]);
    expect(
      (
        after.prepare(`SELECT "notnull" FROM pragma_table_info('Task') WHERE name = 'requirement'`).get() as {
          notnull: number;
        }
      ).notnull,
    ).toBe(0);
    after.close();
  });

  it("refuses, changing nothing, a migration that would leave rows pointing at nothing", async () => {
    const file = tempDbFile();
    await seedScale(file, { departments: 2, tasks: 10, reports: 50 });
    const before = counts(file);
    const orphaning = {
      name: "29990101000000_orphans",
      sql: 'DELETE FROM "Task" WHERE id = 1;\nCREATE TABLE "Scratch" (id INTEGER);',
      checksum: "d".repeat(64),
    };
    expect(() => migrateSqlite(file, [...readMigrations(), orphaning])).toThrowError(/pointing at nothing/);
    expect(counts(file)).toEqual(before);
    const db = new Database(file, { readonly: true });
    expect(db.prepare(`SELECT name FROM sqlite_master WHERE name = 'Scratch'`).get()).toBeUndefined();
    db.close();
  });

  it("refuses a database migrated by a newer ducha", () => {
    const file = tempDbFile();
    migrateSqlite(file);
    const db = new Database(file);
    db.prepare(
      `INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, started_at, applied_steps_count) VALUES ('x', 'y', datetime('now'), '29990101000000_future', datetime('now'), 1)`,
    ).run();
    db.close();
    expect(() => migrateSqlite(file)).toThrowError(/newer version of ducha/);
  });

  it("refuses a migration changed after it was applied", () => {
    const file = tempDbFile();
    migrateSqlite(file);
    const changed = readMigrations().map((m, i) => (i === 0 ? { ...m, checksum: "0".repeat(64) } : m));
    expect(() => migrateSqlite(file, changed)).toThrowError(MigrationError);
  });

  it("says clearly when the database cannot be opened", () => {
    const dir = path.dirname(tempDbFile());
    fs.mkdirSync(path.join(dir, "a-directory.db"));
    expect(() => migrateSqlite(path.join(dir, "a-directory.db"))).toThrowError(
      /cannot (open|migrate) the database/,
    );
  });
});

describe("one rule of an open blocker", () => {
  it("gives a card and the summaries the same start for a run of blockers longer than a card reads", async () => {
    const file = tempDbFile();
    await seedScale(file, { departments: 2, tasks: 4, reports: 8 });
    const db = new Database(file);
    const insert = db.prepare(
      `INSERT INTO "Report" (taskId, departmentId, userId, kind, via, text, progress, blocker, cause, doneClaim, perfunctory, createdAt)
       VALUES (1, NULL, 'U1', 'report', 'modal', ?, NULL, 1, ?, 0, 0, ?)`,
    );
    const first = Date.parse("2026-12-20T02:00:00Z");
    let last = 0;
    for (let i = 0; i < 25; i++) {
      const at = new Date(first + i * 3_600_000).toISOString().replace("Z", "+00:00");
      last = Number(insert.run(`困难第${i + 1}次`, i === 24 ? null : "funding", at).lastInsertRowid);
    }
    db.prepare(
      `UPDATE "Task" SET lastReportId = ?, lastReportBlocker = 1, state = 'in_progress', closedAt = NULL WHERE id = 1`,
    ).run(last);
    db.close();
    const store = createStore(await openDatabase(`file:${file}`));
    try {
      const view = await store.read((r) => r.tasks.view(1));
      const slim = (await store.read((r) => r.taskLights.openSlim())).find((t) => t.id === 1);
      expect(view?.openBlocker?.since.toISOString()).toBe(new Date(first).toISOString());
      expect(slim?.openBlocker).toEqual({
        since: view?.openBlocker?.since,
        cause: view?.openBlocker?.cause,
        text: view?.openBlocker?.text,
      });
      // The latest report names no cause: the one named most recently stands.
      expect(view?.openBlocker?.cause).toBe("funding");
      expect(view?.openBlocker?.text).toBe("困难第25次");
    } finally {
      await store.close();
    }
  });
});

describe("backups", () => {
  it("copy the database whole while the bot writes to it (SQLite online backup)", async () => {
    const file = tempDbFile();
    await seedScale(file, { departments: 3, tasks: 30, reports: 300 });
    const store = createStore(await openDatabase(`file:${file}`));
    try {
      const target = path.join(path.dirname(file), "backup", "copy.db");
      const writing = store.transaction((tx) =>
        tx.departments.create({ name: "市审计局", channelId: "C0AUDIT", aliases: [], members: [], by: "U1" }),
      );
      const { pages } = await backupSqlite(file, target);
      await writing;
      expect(pages).toBeGreaterThan(10);
      expect(counts(target)).toEqual(counts(file));
      const copy = new Database(target, { readonly: true });
      expect(copy.pragma("integrity_check")).toEqual([{ integrity_check: "ok" }]);
      copy.close();
    } finally {
      await store.close();
    }
  });
});

describe("the store on SQLite", () => {
  it("rolls a failed transaction back whole", async () => {
    const store = createStore(await openDatabase(`file:${tempDbFile()}`));
    try {
      await expect(
        store.transaction(async (tx) => {
          await tx.departments.create({
            name: "市财政局",
            channelId: "C1",
            aliases: [],
            members: [],
            by: "U1",
          });
          throw new Error("boom");
        }),
      ).rejects.toThrow("boom");
      expect(await store.read((r) => r.departments.listActive())).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it("takes the write lock before reading, so another process's write waits instead of undoing the work", async () => {
    const file = tempDbFile();
    const a = createStore(await openDatabase(`file:${file}`));
    const b = createStore(await openDatabase(`file:${file}`));
    const department = (name: string) => ({
      name,
      channelId: `C${name}`,
      aliases: [],
      members: [],
      by: "U1",
    });
    try {
      let attempts = 0;
      let otherWrite: Promise<unknown> | undefined;
      let otherDone = false;
      let readDuring: string[] | undefined;
      await a.transaction(async (tx) => {
        attempts++;
        await tx.departments.listActive();
        // Another process writes meanwhile: with SQLite's DEFERRED begin it would commit first
        // and A's write on its stale snapshot would be refused (SQLITE_BUSY_SNAPSHOT), A's work
        // all done again. A began IMMEDIATE: the other write waits for A.
        otherWrite ??= b
          .transaction((other) => other.departments.create(department("市住建局")))
          .then(() => {
            otherDone = true;
          });
        // A read in the other process is not kept waiting (it takes no write lock).
        readDuring = (await b.read((r) => r.departments.listActive())).map((d) => d.name);
        await new Promise((resolve) => setTimeout(resolve, 150));
        expect(otherDone).toBe(false);
        await tx.departments.create(department("市财政局"));
      });
      await otherWrite;
      expect(attempts).toBe(1);
      expect(readDuring).toEqual([]);
      const names = (await a.read((r) => r.departments.listActive())).map((d) => d.name).sort();
      expect(names).toEqual(["市住建局", "市财政局"]);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it("keeps two processes' writes on one file apart (WAL, busy wait)", async () => {
    const file = tempDbFile();
    const a = createStore(await openDatabase(`file:${file}`));
    const b = createStore(await openDatabase(`file:${file}`));
    try {
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          (i % 2 ? a : b).transaction(async (tx) => {
            await tx.departments.create({
              name: `单位${i}`,
              channelId: `C${i}`,
              aliases: [],
              members: [],
              by: "U1",
            });
          }),
        ),
      );
      expect(await a.read((r) => r.departments.listActive())).toHaveLength(20);
    } finally {
      await a.close();
      await b.close();
    }
  });
});

describe("settings and the calendar within a transaction", () => {
  it("are read once, and read again after a change in the same transaction", async () => {
    const store = createStore(await openDatabase(`file:${tempDbFile()}`));
    try {
      await store.transaction(async (tx) => {
        expect((await tx.settings.all()).get("office.name")).toBeUndefined();
        expect((await tx.calendar.overrides()).get("2026-12-05")).toBeUndefined();
        // A caller changing what it was given does not change what the next one gets.
        (await tx.settings.all()).set("office.name", "改过的");
        expect((await tx.settings.all()).get("office.name")).toBeUndefined();
        await tx.settings.set("office.name", "市政府督查室", "UADMIN");
        await tx.calendar.set("2026-12-05", "workday", "调休上班", "UADMIN");
        expect((await tx.settings.all()).get("office.name")).toBe("市政府督查室");
        expect((await tx.calendar.overrides()).get("2026-12-05")).toBe("workday");
        expect(await tx.calendar.remove("2026-12-05")).toBe(true);
        expect((await tx.calendar.overrides()).has("2026-12-05")).toBe(false);
      });
      // The next transaction reads what was committed.
      expect(await store.read(async (tx) => (await tx.settings.all()).get("office.name"))).toBe(
        "市政府督查室",
      );
    } finally {
      await store.close();
    }
  });
});

describe("the inbox's claims", () => {
  it("take the oldest entry due, and one whose worker's lease lapsed, once each", async () => {
    const store = createStore(await openDatabase(`file:${tempDbFile()}`));
    try {
      const t0 = new Date("2026-12-01T02:00:00.000Z");
      const at = (ms: number) => new Date(t0.getTime() + ms);
      await store.transaction(async (tx) => {
        expect(await tx.inbox.accept("Ev1", '{"n":1}', t0)).toBe(true);
        expect(await tx.inbox.accept("Ev2", '{"n":2}', t0)).toBe(true);
        expect(await tx.inbox.accept("Ev1", '{"n":1}', t0)).toBe(false);
      });
      const claim = (now: Date) => store.transaction((tx) => tx.inbox.claimNext(now, 1_000));
      const first = await claim(t0);
      expect(first).toMatchObject({ eventId: "Ev1", body: '{"n":1}', attempts: 1 });
      expect(first?.receivedAt.getTime()).toBe(t0.getTime());
      expect((await claim(at(10)))?.eventId).toBe("Ev2");
      // Both taken, neither lease lapsed: nothing to take.
      expect(await claim(at(500))).toBeNull();
      // The first one's worker is gone: once its lease lapses another takes it, counting the attempt.
      await store.transaction((tx) => tx.inbox.done(first?.id ?? 0, at(600)));
      const again = await claim(at(1_500));
      expect(again).toMatchObject({ eventId: "Ev2", attempts: 2 });
      expect(await claim(at(1_600))).toBeNull();
      await store.transaction((tx) => tx.inbox.done(again?.id ?? 0, at(1_700)));
      // One to be tried again later is not taken before its time.
      await store.transaction(async (tx) => {
        await tx.inbox.accept("Ev3", "{}", at(2_000));
        const third = await tx.inbox.claimNext(at(2_000), 1_000);
        await tx.inbox.retryAt(third?.id ?? 0, at(5_000), "busy");
      });
      expect(await claim(at(4_000))).toBeNull();
      expect(await claim(at(5_000))).toMatchObject({ eventId: "Ev3", attempts: 2 });
    } finally {
      await store.close();
    }
  });
});

describe("the inbox's batches", () => {
  it("are the oldest due, in order, under one lease; given back, they are due again with no attempt counted", async () => {
    const store = createStore(await openDatabase(`file:${tempDbFile()}`));
    try {
      const t0 = new Date("2026-12-01T02:00:00.000Z");
      const at = (ms: number) => new Date(t0.getTime() + ms);
      await store.transaction(async (tx) => {
        for (let i = 1; i <= 5; i++) await tx.inbox.accept(`Ev${i}`, `{"n":${i}}`, t0);
      });
      const claim = (now: Date, limit: number) =>
        store.transaction((tx) => tx.inbox.claimDue(now, 1_000, limit));
      const batch = await claim(t0, 3);
      expect(batch.map((e) => e.eventId)).toEqual(["Ev1", "Ev2", "Ev3"]);
      expect(batch.map((e) => e.attempts)).toEqual([1, 1, 1]);
      // The worker processed the first, and gives the rest back (it stops, or waits for the database).
      await store.transaction((tx) => tx.inbox.done([batch[0]?.id ?? 0], at(10)));
      await store.transaction((tx) => tx.inbox.release(batch.slice(1).map((e) => e.id)));
      const next = await claim(at(20), 10);
      expect(next.map((e) => [e.eventId, e.attempts])).toEqual([
        ["Ev2", 1],
        ["Ev3", 1],
        ["Ev4", 1],
        ["Ev5", 1],
      ]);
      // Taken and not lapsed: nothing more; done, gone for good.
      expect(await claim(at(30), 10)).toEqual([]);
      await store.transaction((tx) =>
        tx.inbox.done(
          next.map((e) => e.id),
          at(40),
        ),
      );
      expect(await claim(at(5_000), 10)).toEqual([]);
      // Giving back an entry done already changes nothing.
      await store.transaction((tx) => tx.inbox.release([batch[0]?.id ?? 0]));
      expect(await claim(at(6_000), 10)).toEqual([]);
    } finally {
      await store.close();
    }
  });
});

describe("the outbox's claims", () => {
  it("take a batch in one statement, leaving out what another worker took first", async () => {
    const store = createStore(await openDatabase(`file:${tempDbFile()}`));
    try {
      const ids = await store.transaction(async (tx) => {
        for (const key of ["a", "b", "c"])
          await tx.outbox.enqueue({ key, lane: `C${key}`, message: { kind: "card.post", taskId: 1 } });
        return Promise.all(["a", "b", "c"].map(async (key) => (await tx.outbox.byKey(key))?.id ?? -1));
      });
      const [a, b, c] = ids;
      const lease = new Date(Date.now() + 30_000);
      expect(await store.transaction((tx) => tx.outbox.claim([b ?? -1], new Date(), lease))).toEqual([b]);
      const taken = await store.transaction((tx) => tx.outbox.claim(ids, new Date(), lease));
      expect([...taken].sort()).toEqual([a, c].sort());
      expect(await store.transaction((tx) => tx.outbox.claim(ids, new Date(), lease))).toEqual([]);
      expect(await store.transaction((tx) => tx.outbox.claim([], new Date(), lease))).toEqual([]);
      const states = await store.read((tx) =>
        Promise.all(["a", "b", "c"].map((key) => tx.outbox.byKey(key))),
      );
      expect(states.map((e) => [e?.attempts, e?.state])).toEqual([
        [1, "sending"],
        [1, "sending"],
        [1, "sending"],
      ]);
    } finally {
      await store.close();
    }
  });
});

describe("a long transaction on SQLite", () => {
  it("lets the event loop turn while it runs, so requests arriving meanwhile are answered", async () => {
    const store = createStore(await openDatabase(`file:${tempDbFile()}`));
    try {
      let statements = 0;
      let firedAfter: number | undefined;
      const work = store.transaction(async (tx) => {
        const started = performance.now();
        // Enough statements to hold the loop well past a slice (each ~0.1–0.5 ms).
        while (performance.now() - started < 60) {
          await tx.settings.get("office.name");
          statements++;
        }
      });
      // What a request arriving now would need: a turn of the loop.
      await new Promise<void>((resolve) =>
        setImmediate(() => {
          firedAfter = statements;
          resolve();
        }),
      );
      await work;
      expect(firedAfter).toBeDefined();
      expect(firedAfter).toBeLessThan(statements);
    } finally {
      await store.close();
    }
  });
});

describe("the line on SQLite's one connection", () => {
  it("puts acknowledgements first, yet gives the work behind them a turn under a steady stream of them", async () => {
    const store = createStore(await openDatabase(`file:${tempDbFile()}`));
    try {
      // Four requests at a time being acknowledged, each followed at once by the next: there
      // is always an acknowledging write waiting, as at 100 requests a second. (Before the
      // work had its share, it waited for the stream to end: here, for ever.)
      let acknowledged = 0;
      let streaming = true;
      const stream = async (lane: number) => {
        for (let i = 0; streaming; i++) {
          await store.acknowledging((tx) => tx.inboxRequests.firstTime(`line:${lane}:${i}`, new Date()));
          acknowledged++;
        }
      };
      const streams = [0, 1, 2, 3].map(stream);
      await new Promise((resolve) => setTimeout(resolve, 20));
      // The work behind them: three transactions, one after the other.
      const waited: number[] = [];
      for (let i = 0; i < 3; i++) {
        const before = acknowledged;
        await store.transaction((tx) => tx.settings.set("office.name", `第${i}次`, "U0ADMIN01"));
        waited.push(acknowledged - before);
      }
      streaming = false;
      await Promise.all(streams);
      // Each waited for a few acknowledgements, not for the stream to end; and the
      // acknowledgements went on meanwhile, first in line.
      for (const n of waited) expect(n).toBeLessThanOrEqual(12);
      expect(acknowledged).toBeGreaterThan(3);
    } finally {
      await store.close();
    }
  });
});

describe("the inbox's turn on SQLite's one connection", () => {
  it("gives the inbox worker's transactions a turn between the rest, not a place behind all of them", async () => {
    const store = createStore(await openDatabase(`file:${tempDbFile()}`));
    try {
      // Twenty pieces of other work (clicks, deliveries) always waiting, as under load.
      let others = 0;
      let streaming = true;
      const stream = async (lane: number) => {
        for (let i = 0; streaming; i++) {
          await store.transaction((tx) => tx.settings.set(`bench.other.${lane}`, String(i), "U0ADMIN01"));
          others++;
        }
      };
      const streams = Array.from({ length: 20 }, (_, lane) => stream(lane));
      await new Promise((resolve) => setTimeout(resolve, 20));
      // The inbox worker: one transaction after another.
      const waited: number[] = [];
      await store.inboxTurn(async () => {
        for (let i = 0; i < 5; i++) {
          const before = others;
          await store.transaction((tx) => tx.inbox.accept(`turn:${i}`, "{}", new Date()));
          waited.push(others - before);
        }
      });
      streaming = false;
      await Promise.all(streams);
      // Each waited for about one other transaction, not for the twenty in line before it.
      for (const n of waited) expect(n).toBeLessThanOrEqual(3);
      expect(others).toBeGreaterThan(5);
    } finally {
      await store.close();
    }
  });
});

describe("acknowledgements on SQLite, committed together", () => {
  it("stores every one of a burst that waited behind a transaction, and a statement that fails fails its own request only", async () => {
    const store = createStore(await openDatabase(`file:${tempDbFile()}`));
    try {
      let release: (() => void) | undefined;
      const held = store.transaction(() => new Promise<void>((resolve) => (release = resolve)), 10_000);
      await new Promise((resolve) => setTimeout(resolve, 20));
      const now = new Date();
      const acks = Array.from({ length: 50 }, (_, i) =>
        store.acknowledging((tx) => tx.inbox.accept(`burst:${i}`, "{}", now)),
      );
      // A body the table refuses (NOT NULL): that request's write fails, and only it.
      const refused = store.acknowledging((tx) =>
        tx.inbox.accept("burst:bad", null as unknown as string, now),
      );
      release?.();
      await held;
      expect(await Promise.all(acks)).toEqual(Array(50).fill(true));
      await expect(refused).rejects.toThrow();
      const stored = await store.read((tx) => tx.inbox.backlog());
      expect(stored.waiting).toBe(50);
      // A resend of one of them is stored once.
      expect(await store.acknowledging((tx) => tx.inbox.accept("burst:3", "{}", now))).toBe(false);
    } finally {
      await store.close();
    }
  });
});

describe("the planner's statistics on SQLite", () => {
  it("are gathered at open: a list's latest reports are read through the task's index, not through all of them", async () => {
    const file = tempDbFile();
    await (await openDatabase(`file:${file}`)).close();
    // 20,000 reports of 200 tasks, none retracted: the index on "retractedAt" holds every one.
    let raw = new Database(file);
    raw.pragma("foreign_keys = OFF");
    const insert = raw.prepare(
      `INSERT INTO "Report" ("taskId", "userId", "kind", "via", "text", "createdAt") VALUES (?, 'U0FIN0001', 'report', 'thread', '进度', ?)`,
    );
    raw.transaction(() => {
      for (let i = 0; i < 20_000; i++) insert.run((i % 200) + 1, 1_780_000_000_000 + i * 1_000);
    })();
    const plan = () =>
      raw
        .prepare(
          `EXPLAIN QUERY PLAN SELECT r."id" FROM "Report" r
            WHERE r."taskId" IN (1, 2, 3) AND r."kind" IN ('report', 'claim') AND r."retractedAt" IS NULL`,
        )
        .all()
        .map((row) => (row as { detail: string }).detail)
        .join(" | ");
    // Without statistics SQLite takes "retractedAt" IS NULL for a selective test.
    expect(plan()).toContain("Report_retractedAt_idx");
    const store = createStore(await openDatabase(`file:${file}`));
    await store.close();
    const stats = raw.prepare(`SELECT count(*) AS n FROM sqlite_stat1 WHERE tbl = 'Report'`).get() as {
      n: number;
    };
    expect(stats.n).toBeGreaterThan(0);
    raw.close();
    // A connection opened now (as the app's are) plans with them.
    raw = new Database(file);
    expect(plan()).toContain("Report_taskId_kind_createdAt_retractedAt_perfunctory_idx");
    raw.close();
  });
});

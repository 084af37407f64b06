import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../src/store/database.js";
import { MigrationError, migrateSqlite, readMigrations } from "../src/store/migrate.js";
import { createStore } from "../src/store/store.js";
import { tempDbFile } from "./support/harness.js";

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

import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { changesSomething, sqlFromMigrationsToSchema } from "../scripts/migration-diff.js";
import { migrateSqlite, readMigrations } from "../src/store/migrate.js";
import {
  BLOCKER_FLAG_MIGRATION,
  BLOCKER_FLAGS_AFTER,
  OFFICE_BEFORE_BLOCKER_FLAG,
} from "./support/before-migration.js";
import { tempDbFile } from "./support/harness.js";

describe("the migrations", () => {
  it("take an empty SQLite database exactly to prisma/schema.prisma: no drift", () => {
    const sql = sqlFromMigrationsToSchema();
    // A change to schema.prisma without its migration (npm run db:migration -- name) shows here.
    expect(changesSomething(sql.sqlite) ? sql.sqlite : "").toBe("");
    // What npm run db:migration would write for PostgreSQL from the same state: nothing either.
    // (test/postgres.int.test.ts checks the PostgreSQL migrations themselves on a real server.)
    expect(changesSomething(sql.postgresql) ? sql.postgresql : "").toBe("");
  });

  it("carry an office's data over: a task whose latest report is a blocker is flagged so", () => {
    const file = tempDbFile();
    const before = readMigrations().filter((m) => m.name < BLOCKER_FLAG_MIGRATION);
    expect(readMigrations().map((m) => m.name)).toContain(BLOCKER_FLAG_MIGRATION);
    migrateSqlite(file, before);
    const db = new Database(file);
    for (const sql of OFFICE_BEFORE_BLOCKER_FLAG) db.exec(sql);
    db.close();
    expect(migrateSqlite(file).applied).toContain(BLOCKER_FLAG_MIGRATION);
    const after = new Database(file, { readonly: true });
    const rows = after.prepare(`SELECT "id", "lastReportBlocker" FROM "Task" ORDER BY "id"`).all() as {
      id: number;
      lastReportBlocker: number;
    }[];
    after.close();
    expect(rows.map((r) => ({ id: r.id, lastReportBlocker: r.lastReportBlocker === 1 }))).toEqual(
      BLOCKER_FLAGS_AFTER,
    );
  });
});

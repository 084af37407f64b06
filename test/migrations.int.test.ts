import { describe, expect, it } from "vitest";
import { changesSomething, sqlFromMigrationsToSchema } from "../scripts/migration-diff.js";

describe("the migrations", () => {
  it("take an empty SQLite database exactly to prisma/schema.prisma: no drift", () => {
    const sql = sqlFromMigrationsToSchema();
    // A change to schema.prisma without its migration (npm run db:migration -- name) shows here.
    expect(changesSomething(sql.sqlite) ? sql.sqlite : "").toBe("");
    // What npm run db:migration would write for PostgreSQL from the same state: nothing either.
    // (test/postgres.int.test.ts checks the PostgreSQL migrations themselves on a real server.)
    expect(changesSomething(sql.postgresql) ? sql.postgresql : "").toBe("");
  });
});

import { describe, expect, it } from "vitest";
import { changesSomething, sqlFromMigrationsToSchema } from "../scripts/migration-diff.js";

describe("the migrations", () => {
  it("take an empty SQLite database exactly to prisma/schema.prisma: no drift", () => {
    const sql = sqlFromMigrationsToSchema();
    // A change to schema.prisma without its migration (npm run db:migration -- name) shows here.
    expect(changesSomething(sql) ? sql : "").toBe("");
  });
});

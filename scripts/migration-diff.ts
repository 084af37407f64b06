import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { migrateSqlite } from "../src/store/migrate.js";

/**
 * The SQL that takes a database at the last committed migration to prisma/schema.prisma, found
 * offline: the committed migrations are applied to a scratch SQLite file, its schema read back
 * with `prisma db pull`, and that diffed against schema.prisma with `prisma migrate diff`.
 * Empty (no CREATE, ALTER, DROP or INSERT) when the migrations match the schema.
 */
export function sqlFromMigrationsToSchema(schema = "prisma/schema.prisma"): string {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "ducha-migration-"));
  try {
    const db = path.join(scratch, "current.db");
    migrateSqlite(db);
    const prisma = path.resolve("node_modules/.bin/prisma");
    const env = { ...process.env, DATABASE_URL: `file:${db}` };
    const current = execFileSync(prisma, ["db", "pull", "--print"], {
      env,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    });
    const currentSchema = path.join(scratch, "current.prisma");
    fs.writeFileSync(currentSchema, current.slice(current.indexOf("generator client")));
    return execFileSync(
      prisma,
      [
        "migrate",
        "diff",
        "--from-schema-datamodel",
        currentSchema,
        "--to-schema-datamodel",
        schema,
        "--script",
      ],
      { env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] },
    );
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/** Whether SQL from `prisma migrate diff` changes anything. */
export function changesSomething(sql: string): boolean {
  return /CREATE|ALTER|DROP|INSERT/i.test(sql);
}

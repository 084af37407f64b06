import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { migrateSqlite } from "../src/store/migrate.js";
import { toPostgres, writePgSchema } from "./pg-schema.js";

const prisma = () => path.resolve("node_modules/.bin/prisma");

/**
 * The SQL that takes a database at the last committed migration to prisma/schema.prisma, for
 * SQLite and for PostgreSQL, found offline: the committed SQLite migrations are applied to a
 * scratch file, its schema read back with `prisma db pull`, and that diffed against the schema
 * with `prisma migrate diff` — as it is for SQLite, and with PostgreSQL as its provider for
 * PostgreSQL (the JavaScript schema engine cannot read a PostgreSQL database back; the
 * PostgreSQL migrations are checked against a real server in test/postgres.int.test.ts).
 * Each is empty (no CREATE, ALTER, DROP or INSERT) when the migrations match the schema.
 */
export function sqlFromMigrationsToSchema(schema = "prisma/schema.prisma"): {
  sqlite: string;
  postgresql: string;
} {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "ducha-migration-"));
  try {
    const db = path.join(scratch, "current.db");
    migrateSqlite(db);
    // The full-text index (查考) lives beside Prisma's model by design: an FTS5 table and its
    // triggers that Prisma cannot describe. It is left out of what is compared.
    const scratchDb = new Database(db);
    scratchDb.exec(FTS_OUTSIDE_PRISMA);
    scratchDb.close();
    const env = { ...process.env, DATABASE_URL: `file:${db}` };
    const pulled = execFileSync(prisma(), ["db", "pull", "--print"], {
      env,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    });
    const current = pulled.slice(pulled.indexOf("generator client"));
    const diff = (from: string, to: string) => {
      const file = path.join(scratch, `${path.basename(to, ".prisma")}-from.prisma`);
      fs.writeFileSync(file, from);
      return execFileSync(
        prisma(),
        ["migrate", "diff", "--from-schema-datamodel", file, "--to-schema-datamodel", to, "--script"],
        { env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] },
      );
    };
    return {
      sqlite: diff(current, schema),
      postgresql: diff(toPostgres(current), writePgSchema()),
    };
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/** Drops what the migrations create outside Prisma's model (SQLite's full-text index for 查考). */
const FTS_OUTSIDE_PRISMA = `
  DROP TRIGGER IF EXISTS "SearchEntry_ai";
  DROP TRIGGER IF EXISTS "SearchEntry_ad";
  DROP TRIGGER IF EXISTS "SearchEntry_au";
  DROP TABLE IF EXISTS "SearchGrams";
`;

/** Whether SQL from `prisma migrate diff` changes anything. */
export function changesSomething(sql: string): boolean {
  return /CREATE|ALTER|DROP|INSERT/i.test(sql);
}

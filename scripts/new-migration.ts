/**
 * Writes prisma/migrations/<timestamp>_<name>/migration.sql and the same migration for
 * PostgreSQL in prisma/migrations-postgresql/: the SQL that takes a database at the last
 * committed migration to prisma/schema.prisma.
 *
 *   npm run db:migration -- add_task_priority
 *
 * Prisma's own `migrate dev` needs a downloaded engine here; this does the same offline: it
 * applies the committed migrations to a scratch SQLite file, reads its schema back with
 * `prisma db pull`, and diffs that against schema.prisma with `prisma migrate diff`.
 */
import fs from "node:fs";
import path from "node:path";
import { MIGRATIONS_DIR, PG_MIGRATIONS_DIR } from "../src/store/migrate.js";
import { changesSomething, sqlFromMigrationsToSchema } from "./migration-diff.js";

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  process.stderr.write("usage: npm run db:migration -- name_in_snake_case\n");
  process.exit(2);
}
const sql = sqlFromMigrationsToSchema();
if (!changesSomething(sql.sqlite) && !changesSomething(sql.postgresql)) {
  process.stdout.write("schema.prisma matches the migrations: nothing to write.\n");
  process.exit(0);
}
const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
for (const [root, text] of [
  [MIGRATIONS_DIR, sql.sqlite],
  [PG_MIGRATIONS_DIR, sql.postgresql],
] as const) {
  const dir = path.join(root, `${stamp}_${name}`);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "migration.sql"), text);
  process.stdout.write(`wrote ${path.relative(process.cwd(), dir)}/migration.sql\n`);
}

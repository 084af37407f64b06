/**
 * A consistent copy of the SQLite database while ducha runs (SQLite's online backup: the
 * bot keeps reading and writing meanwhile):
 *
 *   npm run backup -- /var/backups/ducha/ducha-2026-12-01.db
 *
 * It reads DATABASE_URL (default file:./data/ducha.db) as the bot does; the copy is a whole
 * database, opened like any other (point DATABASE_URL at it to restore).
 */
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { loadDotEnv } from "../src/config.js";
import { sqliteFile } from "../src/store/database.js";

export async function backupSqlite(source: string, target: string): Promise<{ pages: number }> {
  if (!fs.existsSync(source)) throw new Error(`no database at ${source}`);
  fs.mkdirSync(path.dirname(path.resolve(target)), { recursive: true });
  const db = new Database(source, { readonly: true, fileMustExist: true });
  try {
    const { totalPages } = await db.backup(target);
    return { pages: totalPages };
  } finally {
    db.close();
  }
}

async function main(): Promise<void> {
  const target = process.argv[2];
  if (!target) {
    process.stderr.write("usage: npm run backup -- /path/to/backup.db\n");
    process.exit(2);
  }
  loadDotEnv();
  const source = sqliteFile(process.env.DATABASE_URL?.trim() || "file:./data/ducha.db");
  const { pages } = await backupSqlite(source, target);
  process.stdout.write(`backed up ${source} to ${target} (${pages} pages)\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: unknown) => {
    process.stderr.write(`backup failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}

/**
 * Copies a seeded SQLite office into a PostgreSQL database migrated as the bot migrates it, so
 * the benchmark measures both databases on the same rows. Rows go in batches of multi-row
 * INSERTs with foreign keys checked only at the end (session_replication_role = replica, which
 * needs a superuser, as a local test server's postgres user is); sequences are moved past the
 * copied ids afterwards.
 */
import Database from "better-sqlite3";
import pg from "pg";
import { openDatabase } from "../src/store/database.js";

/** PostgreSQL takes at most 65,535 parameters in one statement. */
const PARAMETERS = 60_000;

export async function copySqliteToPostgres(sqliteFile: string, url: string): Promise<Record<string, number>> {
  // The schema exactly as the bot creates it: its own migrations.
  const migrated = await openDatabase(url);
  await migrated.close();
  const source = new Database(sqliteFile, { readonly: true });
  const target = new pg.Client({ connectionString: url });
  await target.connect();
  const copied: Record<string, number> = {};
  try {
    const { rows: columns } = await target.query<{
      table_name: string;
      column_name: string;
      data_type: string;
    }>(
      `SELECT table_name, column_name, data_type FROM information_schema.columns
        WHERE table_schema = 'public' AND table_name <> '_prisma_migrations' ORDER BY table_name, ordinal_position`,
    );
    const tables = new Map<string, { name: string; type: string }[]>();
    for (const c of columns) {
      const list = tables.get(c.table_name) ?? [];
      list.push({ name: c.column_name, type: c.data_type });
      tables.set(c.table_name, list);
    }
    await target.query("BEGIN");
    await target.query("SET LOCAL session_replication_role = replica");
    for (const [table, cols] of tables) {
      const names = cols.map((c) => `"${c.name}"`).join(", ");
      // Integers are read as BigInt (a 64-bit key such as SearchEntry's sortKey does not fit a
      // double) and given back as numbers where the column is not a bigint.
      const number = (v: unknown) => (typeof v === "bigint" ? Number(v) : v);
      const convert = cols.map((c) => {
        if (c.type === "boolean") return (v: unknown) => (v === null ? null : Boolean(v));
        if (c.type.startsWith("timestamp"))
          return (v: unknown) => (typeof v === "bigint" ? new Date(Number(v)).toISOString() : v);
        if (c.type === "bigint") return (v: unknown) => (typeof v === "bigint" ? v.toString() : v);
        return number;
      });
      const perBatch = Math.max(1, Math.floor(PARAMETERS / cols.length));
      let batch: unknown[][] = [];
      let count = 0;
      const flush = async () => {
        if (!batch.length) return;
        const values = batch
          .map((_, r) => `(${cols.map((_c, i) => `$${r * cols.length + i + 1}`).join(", ")})`)
          .join(", ");
        await target.query(`INSERT INTO "${table}" (${names}) VALUES ${values}`, batch.flat());
        count += batch.length;
        batch = [];
      };
      const rows = source
        .prepare(`SELECT ${names} FROM "${table}"`)
        .raw(true)
        .safeIntegers(true)
        .iterate() as Iterable<unknown[]>;
      for (const row of rows) {
        batch.push(row.map((v, i) => (convert[i] as (v: unknown) => unknown)(v)));
        if (batch.length >= perBatch) await flush();
      }
      await flush();
      copied[table] = count;
      if (cols.some((c) => c.name === "id" && c.type === "integer")) {
        await target.query(
          `SELECT setval(pg_get_serial_sequence('"${table}"', 'id'), GREATEST((SELECT max(id) FROM "${table}"), 1))
            WHERE pg_get_serial_sequence('"${table}"', 'id') IS NOT NULL`,
        );
      }
    }
    await target.query("COMMIT");
    // As autovacuum leaves a database that has run a while: statistics, and the visibility map
    // that lets an index answer without the table.
    await target.query("VACUUM ANALYZE");
  } finally {
    source.close();
    await target.end();
  }
  return copied;
}

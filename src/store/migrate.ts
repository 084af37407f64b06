import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import pg from "pg";

/** prisma/migrations (SQLite's), found from this file in src/ and in dist/ alike. */
export const MIGRATIONS_DIR = fileURLToPath(new URL("../../prisma/migrations", import.meta.url));
/** prisma/migrations-postgresql: the same schema's migrations for PostgreSQL. */
export const PG_MIGRATIONS_DIR = fileURLToPath(
  new URL("../../prisma/migrations-postgresql", import.meta.url),
);

export interface Migration {
  name: string;
  sql: string;
  /** Prisma's checksum: the SHA-256 of migration.sql, hex. */
  checksum: string;
}

export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && fs.existsSync(path.join(dir, entry.name, "migration.sql")))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = fs.readFileSync(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: crypto.createHash("sha256").update(sql).digest("hex") };
    });
}

/** Why the database cannot be used by this build of ducha. */
export class MigrationError extends Error {
  /**
   * ahead: migrated by a newer build; modified: a migration changed after it was applied;
   * unfinished: one started and never finished; orphans: one would leave rows pointing at
   * nothing (nothing was changed); unavailable: the database cannot be opened or migrated.
   */
  readonly kind: "ahead" | "modified" | "unfinished" | "orphans" | "unavailable";
  /** The migration concerned, if one is. */
  readonly migration: string | undefined;
  /** What the database said, for unavailable. */
  readonly detail: string | undefined;
  constructor(
    kind: MigrationError["kind"],
    message: string,
    options: { cause?: unknown; migration?: string; detail?: string } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = "MigrationError";
    this.kind = kind;
    this.migration = options.migration;
    this.detail = options.detail;
  }
}

export interface MigrateResult {
  applied: string[];
  total: number;
}

// The same table Prisma's CLI keeps, so `prisma migrate status/deploy` agree with us.
const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" TEXT PRIMARY KEY NOT NULL,
  "checksum" TEXT NOT NULL,
  "finished_at" DATETIME,
  "migration_name" TEXT NOT NULL,
  "logs" TEXT,
  "rolled_back_at" DATETIME,
  "started_at" DATETIME NOT NULL DEFAULT current_timestamp,
  "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0
)`;

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: string | null;
}

/**
 * Brings a SQLite database up to this build's schema before anything else touches it.
 * Several processes may start at once: the first takes the write lock, the others wait and
 * find nothing left to do. A database migrated by a newer build is refused, not "fixed".
 */
export function migrateSqlite(filePath: string, migrations = readMigrations()): MigrateResult {
  let db: Database.Database;
  try {
    fs.mkdirSync(path.dirname(path.resolve(filePath)), { recursive: true });
    db = new Database(filePath, { timeout: 15_000 });
  } catch (error) {
    throw new MigrationError("unavailable", `cannot open the database ${filePath}: ${describe(error)}`, {
      cause: error,
      detail: describe(error),
    });
  }
  try {
    // WAL lets the bot read while the scheduler writes, and several processes share the file.
    db.pragma("journal_mode = WAL");
    // Prisma's migrations change a column by rebuilding its table (create new, copy, drop old,
    // rename). With foreign keys on, dropping the old Task would cascade to every report and
    // extension. SQLite ignores this pragma inside a transaction, so it is set here, before
    // one, and the keys are checked before the transaction commits instead.
    db.pragma("foreign_keys = OFF");
    return db
      .transaction((): MigrateResult => {
        db.exec(CREATE_MIGRATIONS_TABLE);
        const rows = db
          .prepare(
            `SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL ORDER BY started_at`,
          )
          .all() as AppliedRow[];
        checkApplied(rows, migrations);
        const done = new Set(rows.map((row) => row.migration_name));
        const applied: string[] = [];
        const insert = db.prepare(
          `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, logs, started_at, applied_steps_count) VALUES (?, ?, ?, ?, NULL, ?, 1)`,
        );
        for (const migration of migrations) {
          if (done.has(migration.name)) continue;
          const startedAt = new Date().toISOString();
          db.exec(migration.sql);
          insert.run(
            crypto.randomUUID(),
            migration.checksum,
            new Date().toISOString(),
            migration.name,
            startedAt,
          );
          applied.push(migration.name);
        }
        if (applied.length > 0) {
          const broken = db.pragma("foreign_key_check") as { table: string; parent: string }[];
          if (broken.length > 0) {
            const where = [...new Set(broken.map((b) => `${b.table} → ${b.parent}`))].join(", ");
            // Thrown inside the transaction: nothing of these migrations is kept.
            throw new MigrationError(
              "orphans",
              `migration ${applied.join(", ")} would leave ${broken.length} rows pointing at nothing (${where}); nothing was changed`,
              { migration: applied.join(", "), detail: where },
            );
          }
        }
        return { applied, total: migrations.length };
      })
      .immediate();
  } catch (error) {
    if (error instanceof MigrationError) throw error;
    throw new MigrationError("unavailable", `cannot migrate the database ${filePath}: ${describe(error)}`, {
      cause: error,
      detail: describe(error),
    });
  } finally {
    db.close();
  }
}

/**
 * Refuses a database this build must not touch: migrated by a newer build, a migration left
 * unfinished, or one changed after it was applied.
 */
function checkApplied(rows: readonly AppliedRow[], migrations: readonly Migration[]): void {
  const known = new Map(migrations.map((m) => [m.name, m]));
  for (const row of rows) {
    const mine = known.get(row.migration_name);
    if (!mine) {
      throw new MigrationError(
        "ahead",
        `the database was migrated by a newer version of ducha (migration ${row.migration_name} is unknown to this build): run the newer version, or point DATABASE_URL at another database`,
        { migration: row.migration_name },
      );
    }
    if (row.finished_at === null) {
      throw new MigrationError(
        "unfinished",
        `migration ${row.migration_name} started but did not finish: restore the database from a backup`,
        { migration: row.migration_name },
      );
    }
    if (mine.checksum !== row.checksum) {
      throw new MigrationError(
        "modified",
        `migration ${row.migration_name} was changed after it was applied: restore prisma/migrations from the release`,
        { migration: row.migration_name },
      );
    }
  }
}

// Prisma's own table on PostgreSQL, as `prisma migrate deploy` creates it.
const CREATE_PG_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

/** The advisory lock replicas take while one of them migrates ("ducha" in ASCII). */
export const MIGRATION_LOCK_KEY = 0x6475636861;

/**
 * Brings a PostgreSQL database up to this build's schema. Replicas starting together queue on
 * one advisory lock: the first applies what is missing, each in its own transaction (PostgreSQL
 * changes its schema transactionally), the others then find nothing left to do. A database
 * migrated by a newer build is refused.
 */
export async function migratePostgres(
  url: string,
  migrations = readMigrations(PG_MIGRATIONS_DIR),
): Promise<MigrateResult> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  const where = redactUrl(url);
  try {
    await client.connect();
  } catch (error) {
    throw new MigrationError("unavailable", `cannot connect to the database ${where}: ${describe(error)}`, {
      cause: error,
      detail: describe(error),
    });
  }
  // An error on an idle client (the server going away) must not crash the process.
  client.on("error", () => {});
  try {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
    await client.query(CREATE_PG_MIGRATIONS_TABLE);
    const { rows } = await client.query<{
      migration_name: string;
      checksum: string;
      finished_at: Date | null;
    }>(
      `SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL ORDER BY started_at`,
    );
    checkApplied(
      rows.map((r) => ({ ...r, finished_at: r.finished_at?.toISOString() ?? null })),
      migrations,
    );
    const done = new Set(rows.map((row) => row.migration_name));
    const applied: string[] = [];
    for (const migration of migrations) {
      if (done.has(migration.name)) continue;
      const startedAt = new Date();
      await client.query("BEGIN");
      try {
        await client.query(migration.sql);
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, logs, started_at, applied_steps_count) VALUES ($1, $2, now(), $3, NULL, $4, 1)`,
          [crypto.randomUUID(), migration.checksum, migration.name, startedAt],
        );
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK").catch(() => {});
        throw new MigrationError(
          "unavailable",
          `migration ${migration.name} failed on ${where}, nothing of it was kept: ${describe(error)}`,
          { cause: error, migration: migration.name, detail: describe(error) },
        );
      }
      applied.push(migration.name);
    }
    return { applied, total: migrations.length };
  } catch (error) {
    if (error instanceof MigrationError) throw error;
    throw new MigrationError("unavailable", `cannot migrate the database ${where}: ${describe(error)}`, {
      cause: error,
      detail: describe(error),
    });
  } finally {
    await client.query("SELECT pg_advisory_unlock_all()").catch(() => {});
    await client.end().catch(() => {});
  }
}

/** A database URL fit for a log line: the password replaced. */
export function redactUrl(url: string): string {
  if (!/^postgres(ql)?:\/\//i.test(url)) return url;
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(an unreadable database URL)";
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

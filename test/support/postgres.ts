import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";

/**
 * A PostgreSQL server for the tests: the one TEST_POSTGRES_URL names (CI machines run one on
 * 127.0.0.1:5432), or a throwaway cluster started here from the server binaries on the machine,
 * on a loopback port, removed afterwards. initdb refuses to run as root: as root the cluster
 * belongs to `nobody`. When neither works the error says why; the tests are never skipped.
 */
export interface TestPostgres {
  /** A URL with the right to create databases (its database is the server's `postgres`). */
  adminUrl: string;
  /** Where it came from, for messages. */
  origin: string;
  stop(): Promise<void>;
}

/** A server of the test's own, which it may also take away and bring back. */
export interface OwnPostgres extends TestPostgres {
  /** Stops the server (its data kept): connections are cut, new ones refused. */
  pause(): void;
  /** Starts it again on the same port with the same data. */
  resume(): void;
}

export async function startTestPostgres(): Promise<TestPostgres> {
  const given = process.env.TEST_POSTGRES_URL?.trim();
  if (given) {
    await reachable(given, `TEST_POSTGRES_URL (${given})`);
    return { adminUrl: given, origin: "TEST_POSTGRES_URL", stop: async () => {} };
  }
  return startOwnCluster();
}

/** The directory holding initdb and pg_ctl, or null. */
export function serverBinaries(): string | null {
  const candidates = [
    ...(process.env.PATH ?? "").split(path.delimiter),
    ...(fs.existsSync("/usr/lib/postgresql")
      ? fs
          .readdirSync("/usr/lib/postgresql")
          .sort((a, b) => Number(b) - Number(a))
          .map((v) => path.join("/usr/lib/postgresql", v, "bin"))
      : []),
  ];
  return (
    candidates.find(
      (dir) => dir && fs.existsSync(path.join(dir, "initdb")) && fs.existsSync(path.join(dir, "pg_ctl")),
    ) ?? null
  );
}

export async function startOwnCluster(): Promise<OwnPostgres> {
  const bin = serverBinaries();
  if (!bin) {
    throw new Error(
      "the PostgreSQL tests need a PostgreSQL server: no initdb/pg_ctl found on PATH or in /usr/lib/postgresql/*/bin. " +
        "Install the server (apt-get install postgresql), or set TEST_POSTGRES_URL to a server the tests may create databases on.",
    );
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ducha-pg-"));
  const data = path.join(dir, "data");
  const asRoot = process.getuid?.() === 0;
  // initdb refuses root: the cluster then belongs to nobody, who must be able to reach the folder.
  const run = (command: string, args: string[]) => {
    const full = path.join(bin, command);
    const result = asRoot
      ? spawnSync("runuser", ["-u", "nobody", "--", full, ...args], { encoding: "utf8" })
      : spawnSync(full, args, { encoding: "utf8" });
    if (result.status !== 0) {
      throw new Error(
        `the PostgreSQL tests could not start their own server: ${command} failed (${result.error?.message ?? `exit ${result.status}`}): ${(result.stderr || result.stdout || "").trim().slice(-800)}`,
      );
    }
  };
  if (asRoot) {
    const nobody = Number(execFileSync("id", ["-u", "nobody"], { encoding: "utf8" }).trim());
    fs.chownSync(dir, nobody, nobody);
    fs.chmodSync(dir, 0o700);
  }
  const port = await freePort();
  run("initdb", ["-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C", "--no-sync"]);
  const options = [
    `-p ${port}`,
    "-c listen_addresses=127.0.0.1",
    `-c unix_socket_directories=${dir}`,
    "-c max_connections=300",
    // A throwaway server: durability is not what is tested here.
    "-c fsync=off",
    "-c synchronous_commit=off",
    "-c full_page_writes=off",
  ].join(" ");
  const start = () =>
    run("pg_ctl", ["-D", data, "-o", options, "-l", path.join(dir, "server.log"), "-w", "-t", "60", "start"]);
  start();
  const adminUrl = `postgresql://postgres@127.0.0.1:${port}/postgres`;
  await reachable(adminUrl, "the server started for the tests");
  return {
    adminUrl,
    origin: `own server on port ${port} (${bin})`,
    pause: () => run("pg_ctl", ["-D", data, "-m", "fast", "-w", "stop"]),
    resume: start,
    async stop() {
      try {
        // Paused already, or never started: nothing to stop.
        if (fs.existsSync(path.join(data, "postmaster.pid")))
          run("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

async function reachable(url: string, what: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
  } catch (error) {
    throw new Error(`the PostgreSQL tests cannot use ${what}: ${(error as Error).message}`);
  } finally {
    await client.end().catch(() => {});
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** `url` with another database. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** Runs one statement on the server as the admin URL's user. */
export async function adminQuery(adminUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** What the PostgreSQL projects' global setup hands the tests. */
export interface ProvidedPostgres {
  adminUrl: string;
  /** Every database the run creates starts with this, so the run can remove them all. */
  prefix: string;
  /** A database migrated once; each test's database is a copy of it. */
  template: string;
}

declare module "vitest" {
  export interface ProvidedContext {
    postgres: ProvidedPostgres;
  }
}

let made = 0;

/** A new, migrated database of its own on the tests' PostgreSQL server. */
export async function freshPostgresUrl(provided: ProvidedPostgres): Promise<string> {
  const name = `${provided.prefix}_${process.pid}_${++made}`;
  for (let attempt = 1; ; attempt++) {
    try {
      await adminQuery(provided.adminUrl, `CREATE DATABASE "${name}" TEMPLATE "${provided.template}"`);
      return withDatabase(provided.adminUrl, name);
    } catch (error) {
      // 55006: another copy of the template was being made at that moment.
      if ((error as { code?: string }).code !== "55006" || attempt >= 50) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20 * attempt));
    }
  }
}

/** Removes every database a run made (connections still open to them are closed). */
export async function dropDatabases(adminUrl: string, prefix: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>(
      "SELECT datname FROM pg_database WHERE starts_with(datname, $1)",
      [prefix],
    );
    for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

/** The number a `SELECT count(*) AS n …` finds, read from outside the bot as an operator would. */
export async function pgCount(url: string, sql: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return Number((await client.query<{ n: string }>(sql)).rows[0]?.n ?? 0);
  } finally {
    await client.end();
  }
}

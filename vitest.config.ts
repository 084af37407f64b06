import { defineConfig } from "vitest/config";

/**
 * The integration tests that also run on PostgreSQL. The core runs in `npm test`: the store's
 * own PostgreSQL tests (migrations, drift, numbering, slots, claims and events across
 * replicas) and job slots across bot instances. The rest run in `npm run test:postgresql-rest`,
 * which .ci/run runs too: on PostgreSQL each statement is a round trip, and all of them would
 * take `npm test` past five minutes.
 */
const POSTGRES_CORE = ["test/postgres.int.test.ts", "test/schedule-runs.int.test.ts"];
const POSTGRES_REST = [
  "test/admin-commands.int.test.ts",
  "test/calendar.int.test.ts",
  "test/closing-loops.int.test.ts",
  "test/confidential.int.test.ts",
  "test/delivery.int.test.ts",
  "test/dispatch.int.test.ts",
  "test/home-and-history.int.test.ts",
  "test/information.int.test.ts",
  "test/numbers.int.test.ts",
  "test/search.int.test.ts",
  "test/service-rules.int.test.ts",
  "test/summaries.int.test.ts",
  "test/task-actions.int.test.ts",
  "test/thread-reports.int.test.ts",
];

/** The same integration tests on PostgreSQL: DUCHA_TEST_DB tells the harness, the setup starts the server. */
const onPostgres = (name: string, include: string[]) => ({
  extends: true as const,
  test: {
    name,
    include,
    env: { DUCHA_TEST_DB: "postgresql" },
    globalSetup: ["test/support/postgres-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});

export default defineConfig({
  test: {
    // Vitest's default on two cores is one worker; the tests spend much of their time waiting on
    // HTTP, the database server and timers, and two workers keep `npm test` within five minutes.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          // Files share a worker's module cache (no test here depends on a fresh one): loading
          // the code once per worker instead of once per file saves ~10 s of CPU.
          isolate: false,
          include: ["src/**/*.test.ts", "test/**/*.test.ts"],
          exclude: ["**/*.int.test.ts", "**/*.fault.test.ts", "node_modules/**"],
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          // Each test starts its own bot, fake Slack and database; what files share is the loaded
          // code. Loading Bolt, Prisma and ducha once per worker instead of once per file took
          // the project from ~60 s of imports to ~10 s (measured 2026-12-01: 27 files, 216 tests).
          isolate: false,
          include: ["src/**/*.int.test.ts", "test/**/*.int.test.ts"],
          // PostgreSQL's own tests run in the "postgresql" project only; the real process's
          // start and stop in the "process" project (npm run test:faults, .ci/run).
          exclude: ["test/postgres.int.test.ts", "test/main.int.test.ts", "node_modules/**"],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      // Left to SQLite only: tests of SQLite itself (locks, files, its migrations), of the
      // process, and of Slack-facing layers that never differ by database.
      onPostgres("postgresql", POSTGRES_CORE),
      onPostgres("postgresql-rest", POSTGRES_REST),
      {
        // The real entry point as an operator runs it: start, configuration errors, SIGTERM. Each
        // test spawns `node --import tsx src/main.ts` (seconds of compiling each): with the
        // fault suite, outside `npm test`'s five minutes.
        extends: true,
        test: {
          name: "process",
          include: ["test/main.int.test.ts"],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        // Faults on the real process and the real store: a full disk on a small filesystem,
        // two processes on one file, kill -9, a revoked token, a 502 after success.
        extends: true,
        test: {
          name: "faults",
          include: ["test/faults/**/*.fault.test.ts"],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});

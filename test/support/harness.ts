import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { inject } from "vitest";
import { createDuchaApp, type DuchaApp } from "../../src/app.js";
import type { Config } from "../../src/config.js";
import type { Clock } from "../../src/domain/clock.js";
import type { Locale } from "../../src/i18n/index.js";
import { createLogger } from "../../src/logger.js";
import type { ProxySettings } from "../../src/net.js";
import type { InboxOptions } from "../../src/slack/inbox/worker.js";
import type { OutboxOptions } from "../../src/slack/outbox/worker.js";
import { openDatabase } from "../../src/store/database.js";
import { createStore, type Store } from "../../src/store/store.js";
import { FakeSlack } from "../fake-slack/fake-slack.js";
import { PEOPLE, populate } from "../fake-slack/workspace.js";
import { ManualClock } from "./manual-clock.js";
import { freshPostgresUrl } from "./postgres.js";

export { CHANNELS, channelRef, mention, PEOPLE } from "../fake-slack/workspace.js";

export interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

export interface TestBot {
  slack: FakeSlack;
  bot: DuchaApp;
  store: Store;
  clock: ManualClock;
  /** The database the bot runs on (pass it to another instance or a restart). */
  databaseUrl: string;
  /** The SQLite file behind databaseUrl, for tests that reach into SQLite itself (throws on PostgreSQL). */
  readonly dbFile: string;
  port: number;
  logs: LogLine[];
  /** The signing secret the bot was given (for tests that look for it where it must not be). */
  signingSecret: string;
  /** Waits until the bot and the fake Slack have nothing under way. */
  settle(): Promise<void>;
  /** Stops the bot and closes its database; the fake Slack too unless kept (for a restart). */
  stop(options?: { keepSlack?: boolean }): Promise<void>;
}

export interface TestBotOptions {
  admins?: string[];
  locale?: Locale;
  now?: Date;
  socketMode?: boolean;
  /** Reuse a database (another instance, a restart): a TestBot's databaseUrl. */
  databaseUrl?: string;
  /** Reuse a SQLite file (tests of SQLite itself). */
  dbFile?: string;
  /** Reuse a fake Slack (several instances on one workspace). */
  slack?: FakeSlack;
  /** Leave the workspace empty instead of adding PEOPLE and CHANNELS. */
  emptyWorkspace?: boolean;
  /** How long SQLite waits for another connection's lock. */
  busyTimeoutMs?: number;
  /** Commands and clicks at work before new ones are refused as busy. */
  busyAt?: number;
  /** Periods' scores worked out on their own thread, as `npm start` does (services/scoring-thread.ts). */
  scoringThread?: boolean;
  /** Take over a given fake Slack: stop it when this bot stops (a restart in a test). */
  ownSlack?: boolean;
  /** With a shared fake Slack: whether this bot receives Slack's requests (only one can). */
  receive?: boolean;
  /** Start the scheduler's real minute tick (and its catch-up) as production does. */
  startScheduler?: boolean;
  /** Delivery timings; tests default to no pacing and short waits. */
  outbox?: Partial<OutboxOptions>;
  /** The log level (info by default). */
  logLevel?: "debug" | "info";
  /** The inbox worker's timings (retries after the database failed). */
  inbox?: Partial<InboxOptions>;
  /** The bot scopes the fake Slack grants (manifest.yml's by default). */
  scopes?: readonly string[];
  /** The delivery worker's clock (real time by default). */
  deliveryClock?: Clock;
  /** HTTPS_PROXY / HTTP_PROXY / NO_PROXY as the configuration reads them. */
  proxy?: ProxySettings;
}

/**
 * The database the integration tests run on: SQLite files by default, PostgreSQL in the
 * projects that set DUCHA_TEST_DB=postgresql (vitest.config.ts), each test on its own.
 */
export const TEST_DATABASE: "sqlite" | "postgresql" =
  process.env.DUCHA_TEST_DB === "postgresql" ? "postgresql" : "sqlite";

/** A new, empty database of the kind this run tests. */
export async function freshDatabaseUrl(): Promise<string> {
  return TEST_DATABASE === "postgresql" ? freshPostgresUrl(inject("postgres")) : `file:${tempDbFile()}`;
}

export function tempDbFile(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ducha-test-"));
  return path.join(dir, "ducha.db");
}

/** Starts a fake Slack (unless given) and the real bot on a fresh SQLite file, connected to each other. */
export async function startTestBot(options: TestBotOptions = {}): Promise<TestBot> {
  const slack = options.slack ?? new FakeSlack(options.scopes ? { scopes: options.scopes } : {});
  const ownSlack = options.ownSlack ?? !options.slack;
  if (!options.slack) {
    await slack.start();
    if (!options.emptyWorkspace) populate(slack);
  }
  const databaseUrl =
    options.databaseUrl ?? (options.dbFile ? `file:${options.dbFile}` : await freshDatabaseUrl());
  const database = await openDatabase(databaseUrl, { busyTimeoutMs: options.busyTimeoutMs, poolSize: 4 });
  const store = createStore(database);
  const clock = new ManualClock(options.now ?? new Date("2026-12-01T01:00:00Z"));
  const logs: LogLine[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n").filter(Boolean)) logs.push(JSON.parse(line) as LogLine);
      done();
    },
  });
  const signingSecret = crypto.randomBytes(16).toString("hex");
  const config: Pick<Config, "slack" | "port" | "timeZone" | "locale" | "admins" | "proxy"> = {
    slack: {
      botToken: slack.botToken,
      signingSecret: options.socketMode ? undefined : signingSecret,
      appToken: options.socketMode ? slack.appToken : undefined,
      apiUrl: slack.apiUrl,
    },
    port: 0,
    timeZone: "Asia/Shanghai",
    locale: options.locale ?? "zh-CN",
    admins: options.admins ?? [PEOPLE.admin.id],
    proxy: options.proxy ?? {},
  };
  const bot = createDuchaApp({
    config,
    store,
    clock,
    logger: createLogger(options.logLevel ?? "info", sink),
    outbox: { ...TEST_OUTBOX, ...options.outbox },
    inbox: { retryMs: 20, maxRetryMs: 200, pollMs: 200, ...options.inbox },
    rereadPaceMs: 0,
    awayProbeMs: 100,
    ...(options.deliveryClock ? { deliveryClock: options.deliveryClock } : {}),
    // Tests move the office's clock and tick the scheduler themselves.
    startScheduler: options.startScheduler ?? false,
    ...(options.busyAt ? { busyAt: options.busyAt } : {}),
    ...(options.scoringThread ? { scoringDatabaseUrl: databaseUrl } : {}),
  });
  const { port } = await bot.start();
  if (options.socketMode) {
    await slack.waitForSocket();
  } else if (options.receive ?? true) {
    slack.connectHttp(`http://127.0.0.1:${port}/slack/events`, signingSecret);
  }
  const settle = async () => {
    for (let round = 0; round < 50; round++) {
      await slack.idle();
      await bot.idle();
      await bot.settleOutbox();
      if (await quiet(slack, bot)) return;
    }
  };
  return {
    slack,
    bot,
    store,
    clock,
    databaseUrl,
    get dbFile() {
      if (!databaseUrl.startsWith("file:"))
        throw new Error("this test reaches into a SQLite file: run it on SQLite");
      return databaseUrl.slice("file:".length);
    },
    port,
    logs,
    signingSecret,
    settle,
    async stop(stopOptions = {}) {
      await bot.stop();
      await store.close();
      if (ownSlack && !stopOptions.keepSlack) await slack.stop();
    },
  };
}

async function quiet(slack: FakeSlack, bot: DuchaApp): Promise<boolean> {
  const before = slack.calls.length;
  await new Promise((resolve) => setImmediate(resolve));
  await slack.idle();
  await bot.idle();
  await bot.settleOutbox();
  return slack.calls.length === before;
}

/** Tests deliver at once and retry within milliseconds; the timings' logic is the same. */
export const TEST_OUTBOX: Partial<OutboxOptions> = {
  // Every page of a ledger updates its progress message, so a small one shows the steps too.
  progressEveryMs: 0,
  pollMs: 200,
  paceMs: 0,
  // Reactions as fast as posts: a test with many replies is not about Slack's reaction budget.
  reactionsPerMinute: 600_000,
  reactionBurst: 10_000,
  debounceMs: 10,
  backoffMs: 5,
  maxBackoffMs: 40,
  blockedRetryMs: 30,
  maxBlockedRetryMs: 60,
  waitForCardMs: 2_000,
  dependencyWaitMs: 10,
  leaseMs: 1_000,
  shareSettleMs: 500,
};

/** The text of a message or ephemeral reply, blocks included, for assertions. */
export function textOf(message: { text: string; blocks?: unknown[] } | undefined): string {
  if (!message) return "";
  const parts = [message.text];
  const walk = (value: unknown) => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === "object") {
      const record = value as Record<string, unknown>;
      if (typeof record.text === "string") parts.push(record.text);
      for (const [key, child] of Object.entries(record))
        if (key !== "text" || typeof child !== "string") walk(child);
    }
  };
  walk(message.blocks ?? []);
  return parts.join("\n");
}

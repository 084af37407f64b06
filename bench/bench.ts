/**
 * `npm run bench`: ducha at the size of a large office (200 departments, 20,000 tasks, 500,000
 * reports; scripts/seed-scale.ts), on SQLite and on PostgreSQL, measured against a bare Bolt app
 * run in the same process on the same fake Slack and the same receiver, so the ratios hold on a
 * noisy machine where absolute times do not. Not part of `npm test`; bench/RESULTS.md keeps the
 * figures next to the targets.
 *
 *   npm run bench                         # both databases, 64 requests in flight
 *   npm run bench -- --db sqlite          # one database
 *   npm run bench -- --quick              # a smaller office (50 / 2,000 / 40,000), to try it out
 *   npm run bench -- --fresh              # seed again instead of reusing data/bench/*.db
 *   npm run bench -- --load-only          # the requests only (no summaries, export, daily run)
 *   npm run bench -- --search-only        # 查考 only: the index's first catch-up, the searches
 *   npm run bench -- --open-loop          # the office's mix arriving at random, 10–100 a second
 *                                         # (bench/open-loop.ts; --rates, --seconds, --db sqlite;
 *                                         # --profile: the app's CPU profile in data/bench/profiles;
 *                                         # --workers N: DUCHA_WORKERS, processes sharing the port)
 *
 * PostgreSQL: TEST_POSTGRES_URL (a superuser's URL; a database is created and dropped), else a
 * throwaway cluster started from the server binaries, as the tests do.
 *
 * Load: the fake Slack sends signed requests over real HTTP with `--concurrency` (64) in flight:
 * slash commands (列表 红灯, 查看, 得分, 帮助; acknowledgement, then the answer at the
 * response_url), 催办 clicks on task cards, and replies in the cards' threads (acknowledgement,
 * then the rate at which they are stored). The bare app acknowledges and answers "ok".
 */
import crypto from "node:crypto";
import fs from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { App, LogLevel } from "@slack/bolt";
import pg from "pg";
import { DEFAULT_SCALE, SCALE_NOW, type ScaleOptions, seedScale } from "../scripts/seed-scale.js";
import { createDuchaApp } from "../src/app.js";
import { messagesFor } from "../src/i18n/index.js";
import { writeLedger } from "../src/ledger/xlsx.js";
import { createLogger } from "../src/logger.js";
import { ledgerSource } from "../src/services/ledger.js";
import type { ServiceDeps } from "../src/services/ports.js";
import { catchUpSearch, search } from "../src/services/search.js";
import { buildSummary, periodFor, scorePeriod } from "../src/services/summary.js";
import { runSupervision } from "../src/services/supervision.js";
import { openDatabase } from "../src/store/database.js";
import { createStore, type Store } from "../src/store/store.js";
import { FakeSlack } from "../test/fake-slack/fake-slack.js";
import { CHANNELS, PEOPLE, populate } from "../test/fake-slack/workspace.js";
import { ManualClock } from "../test/support/manual-clock.js";
import { startTestPostgres, withDatabase } from "../test/support/postgres.js";
import { inFlight, percentile, type Timed, timedCommand, until } from "./load.js";
import { type Card, type Count, pgCount, postCards, sqliteCount } from "./office.js";
import { openLoopBench } from "./open-loop.js";
import { copySqliteToPostgres } from "./pg-copy.js";
import { startupBench } from "./startup.js";

const TZ = "Asia/Shanghai";
const QUICK_SCALE: ScaleOptions = { departments: 50, tasks: 2_000, reports: 40_000 };

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? (args[i + 1] as string) : fallback;
};
const QUICK = flag("quick");
/** Only the requests (commands, clicks, replies): no summaries, export or daily run. */
const LOAD_ONLY = flag("load-only");
/** Only 查考: the index's first catch-up and the searches, on each database. */
const SEARCH_ONLY = flag("search-only");
const SCALE = QUICK ? QUICK_SCALE : DEFAULT_SCALE;
const CONCURRENCY = Number(option("concurrency", "64"));
const DATABASES = option("db", "sqlite,postgresql").split(",") as ("sqlite" | "postgresql")[];
const COMMANDS = Number(option("commands", "256"));
const CLICKS = Number(option("clicks", "256"));
const REPLIES = Number(option("replies", "512"));

const ms = (n: number) => (Number.isFinite(n) ? n.toFixed(0) : "—");

/** Waits until a count reaches `want` or `ms` pass; returns the count. */
async function storedWithin(count: Count, sql: string, want: number, ms: number): Promise<number> {
  let seen = 0;
  await until(
    async () => {
      seen = await count(sql);
      return seen >= want;
    },
    ms,
    sql,
    // Often enough to time the rate, seldom enough not to compete with the bot for the CPU.
    50,
  ).catch(() => undefined);
  return seen;
}

/** Gives CARDS open tasks a card in the fake Slack (their department's channel, a 催办 button). */
interface Target {
  name: string;
  url: string;
  secret: string;
  count?: Count;
}

interface LoadResult {
  commands: Timed[];
  clicks: { acks: number[]; seconds: number; storedPerSecond?: number };
  replies: { acks: number[]; seconds: number; storedPerSecond?: number };
}

const emptyResult = (): LoadResult => ({
  commands: [],
  clicks: { acks: [], seconds: 1 },
  replies: { acks: [], seconds: 1 },
});

/** The three kinds of load against one app: commands, clicks, thread replies. */
async function load(slack: FakeSlack, target: Target, cards: Card[]): Promise<LoadResult> {
  slack.connectHttp(target.url, target.secret);
  const kinds = [
    { kind: "列表 红灯", text: () => "列表 红灯" },
    { kind: "查看", text: (i: number) => `查看 ${cards[i % cards.length]?.ref}` },
    { kind: "得分", text: (i: number) => `得分 第${(i % 40) + 1}单位 本月` },
    { kind: "帮助", text: () => "帮助" },
  ];
  // Warm up: each kind a few times, alone.
  for (let i = 0; i < 8; i++) {
    const k = kinds[i % kinds.length] as (typeof kinds)[number];
    await timedCommand(slack, PEOPLE.admin.id, CHANNELS.general.id, k.text(i), k.kind);
  }
  const commands = await inFlight(COMMANDS, CONCURRENCY, (i) => {
    const k = kinds[i % kinds.length] as (typeof kinds)[number];
    return timedCommand(slack, PEOPLE.admin.id, CHANNELS.general.id, k.text(i), k.kind);
  });
  process.stdout.write(".");

  // Counted past the newest row before the phase: a count over the whole table (500,000
  // reports) polled while the bot works would take the event loop the bot runs on.
  const eventsFrom = (await target.count?.(`SELECT coalesce(max(id), 0) AS n FROM "Event"`)) ?? 0;
  const clickStart = performance.now();
  const clicks = await inFlight(CLICKS, CONCURRENCY, async (i) => {
    const card = cards[i % cards.length] as Card;
    const sent = Date.now();
    const delivery = await slack.clickInMessage(PEOPLE.admin.id, card.channel, card.ts, "task_urge");
    return delivery.status === 200 && !delivery.timedOut ? Date.now() - sent : Number.POSITIVE_INFINITY;
  });
  let clicksStored: number | undefined;
  if (target.count) {
    const stored = await storedWithin(
      target.count,
      `SELECT count(*) AS n FROM "Event" WHERE id > ${eventsFrom} AND "type" = 'task.urged'`,
      CLICKS,
      120_000,
    );
    clicksStored = stored / ((performance.now() - clickStart) / 1000);
    if (stored < CLICKS) console.log(`\n  ${CLICKS - stored} of ${CLICKS} clicks not stored`);
  }
  process.stdout.write(".");

  const reportsFrom = (await target.count?.(`SELECT coalesce(max(id), 0) AS n FROM "Report"`)) ?? 0;
  const replyStart = performance.now();
  const replies = await inFlight(REPLIES, CONCURRENCY, async (i) => {
    const card = cards[i % cards.length] as Card;
    const sent = Date.now();
    await slack.say(
      card.member,
      card.channel,
      `进度${(i % 9) + 1}0%，第${i + 1}次报送：已协调资金，正在施工`,
      {
        threadTs: card.ts,
      },
    );
    return Date.now() - sent;
  });
  let repliesStored: number | undefined;
  if (target.count) {
    const stored = await storedWithin(
      target.count,
      `SELECT count(*) AS n FROM "Report" WHERE id > ${reportsFrom}`,
      REPLIES,
      300_000,
    );
    repliesStored = stored / ((performance.now() - replyStart) / 1000);
    if (stored < REPLIES) console.log(`\n  ${REPLIES - stored} of ${REPLIES} replies not stored`);
  }
  process.stdout.write(".");
  await slack.idle();
  return {
    commands: commands.results,
    clicks: { acks: clicks.results, seconds: clicks.seconds, storedPerSecond: clicksStored },
    replies: { acks: replies.results, seconds: replies.seconds, storedPerSecond: repliesStored },
  };
}

function report(name: string, result: LoadResult, bare: LoadResult): string[] {
  const lines: string[] = [];
  const acks = result.commands.map((c) => (c.failed ? Number.POSITIVE_INFINITY : c.ackMs));
  const bareAcks = bare.commands.map((c) => c.ackMs);
  const failed = result.commands.filter((c) => c.failed).length;
  lines.push(
    `${name}: command ack p50 ${ms(percentile(acks, 0.5))} ms (${(percentile(acks, 0.5) / percentile(bareAcks, 0.5)).toFixed(1)}× bare), p99 ${ms(percentile(acks, 0.99))} ms (bare ${ms(percentile(bareAcks, 0.99))}); ${failed} of ${acks.length} not answered in time`,
  );
  for (const kind of new Set(result.commands.map((c) => c.kind))) {
    const answers = result.commands
      .filter((c) => c.kind === kind)
      .map((c) => c.answerMs ?? Number.POSITIVE_INFINITY);
    const bareAnswers = bare.commands.filter((c) => c.kind === kind).map((c) => c.answerMs ?? 0);
    lines.push(
      `  answer ${kind.padEnd(6)} p50 ${ms(percentile(answers, 0.5)).padStart(6)} ms  p99 ${ms(percentile(answers, 0.99)).padStart(6)} ms   (bare p50 ${ms(percentile(bareAnswers, 0.5))}, p99 ${ms(percentile(bareAnswers, 0.99))})`,
    );
  }
  const clickRate = result.clicks.storedPerSecond ?? CLICKS / result.clicks.seconds;
  lines.push(
    `  clicks: ack p50 ${ms(percentile(result.clicks.acks, 0.5))} ms, p99 ${ms(percentile(result.clicks.acks, 0.99))} ms (bare ${ms(percentile(bare.clicks.acks, 0.99))}); stored ${clickRate.toFixed(0)}/s (bare acknowledged ${(CLICKS / bare.clicks.seconds).toFixed(0)}/s, ${(clickRate / (CLICKS / bare.clicks.seconds)).toFixed(2)}×)`,
  );
  const replyRate = result.replies.storedPerSecond ?? REPLIES / result.replies.seconds;
  lines.push(
    `  replies: ack p50 ${ms(percentile(result.replies.acks, 0.5))} ms, p99 ${ms(percentile(result.replies.acks, 0.99))} ms (bare ${ms(percentile(bare.replies.acks, 0.99))}); stored ${replyRate.toFixed(0)}/s (bare acknowledged ${(REPLIES / bare.replies.seconds).toFixed(0)}/s, ${(replyRate / (REPLIES / bare.replies.seconds)).toFixed(2)}×)`,
  );
  return lines;
}

async function timeIt<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await work();
  return { ms: performance.now() - started, value };
}

/**
 * 查考: a two- and a four-character word each found in a sixth of the records (many hits to
 * order), a word with a filter, as a unit's member (不公开 checked per hit), a rare compound and
 * a word found nowhere; 40 searches each.
 */
async function searchTimes(deps: ServiceDeps): Promise<string[]> {
  const lines: string[] = [];
  const unit = await deps.store.read((tx) => tx.departments.findByNameOrAlias("第3单位"));
  for (const [label, query, actor, filter] of [
    ["供暖", "供暖", PEOPLE.admin.id, {}],
    ["河道治理", "河道治理", PEOPLE.admin.id, {}],
    ["供暖, a member", "供暖", "U00003M1", {}],
    ["河道治理第36项", "河道治理第36项", PEOPLE.admin.id, {}],
    ["不存在", "不存在", PEOPLE.admin.id, {}],
    ["供暖, one unit", "供暖", PEOPLE.admin.id, unit ? { departmentId: unit.id } : {}],
    ["供暖, 已撤销", "供暖", PEOPLE.admin.id, { state: "cancelled" }],
  ] as const) {
    const times: number[] = [];
    for (let i = 0; i < 40; i++)
      times.push((await timeIt(() => search(deps, { actor, query, filter, page: 1 }))).ms);
    lines.push(
      `  查找 ${label.padEnd(16)}             p50 ${ms(percentile(times, 0.5)).padStart(5)} ms, p99 ${ms(percentile(times, 0.99)).padStart(5)} ms`,
    );
  }
  return lines;
}

/** Summaries, scores, the export and the daily run, called in process on one database. */
async function services(name: string, store: Store, clock: ManualClock, dir: string): Promise<string[]> {
  const deps: ServiceDeps = {
    store,
    clock,
    slack: { channelStatus: async () => "member", fileInfo: async () => null },
    outbox: { kick() {} },
    envAdmins: [PEOPLE.admin.id],
    timeZone: TZ,
  };
  const lines = [`${name}: services (best of 3)`];
  const best = async (label: string, work: () => Promise<unknown>) => {
    let least = Number.POSITIVE_INFINITY;
    for (let i = 0; i < 3; i++) least = Math.min(least, (await timeIt(work)).ms);
    lines.push(`  ${label.padEnd(34)} ${ms(least).padStart(7)} ms`);
  };
  await best("last week's summary", () => buildSummary(deps, periodFor(deps, "week", "previous")));
  await best("last month's summary", () => buildSummary(deps, periodFor(deps, "month", "previous")));
  await best("this year's summary", () => buildSummary(deps, periodFor(deps, "year")));
  // Scores are shared while nothing changes (src/services/score-cache.ts): the first ask works
  // them out, the next is answered from what the first read.
  const month = periodFor(deps, "month");
  const first = await timeIt(() => scorePeriod(deps, month));
  lines.push(`  ${"this month's scores, first ask".padEnd(34)} ${ms(first.ms).padStart(7)} ms`);
  await best("this month's scores, asked again", () => scorePeriod(deps, month));

  const file = path.join(dir, `ledger-${name}.xlsx`);
  const out = fs.createWriteStream(file);
  const finished = new Promise<void>((resolve) => out.on("finish", () => resolve()));
  global.gc?.();
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  const exported = await timeIt(() =>
    writeLedger({
      out,
      source: ledgerSource(deps, {}),
      m: messagesFor("zh-CN"),
      locale: "zh-CN",
      tz: TZ,
      revealSecret: false,
      names: async () => new Map(),
    }),
  );
  await finished;
  clearInterval(sampler);
  lines.push(
    `  the full export                    ${(exported.ms / 1000).toFixed(1).padStart(7)} s  ${exported.value.tasks} tasks, ${exported.value.reports} reports, ${(fs.statSync(file).size / 1e6).toFixed(1)} MB; RSS ${(before / 1e6).toFixed(0)} → peak ${(peak / 1e6).toFixed(0)} MB`,
  );
  lines.push(...(await searchTimes(deps)));
  for (const day of [1, 2, 3]) {
    const run = await timeIt(() => runSupervision(deps, { mode: "daily" }));
    const r = run.value;
    lines.push(
      `  daily run, day ${day}                   ${ms(run.ms).padStart(7)} ms  ${r.digests} digests, ${r.requests} requests, ${r.reminders} reminders, ${r.urges} urges, ${r.escalations} escalations, ${r.cardUpdates} card updates`,
    );
    // The next working day (the seeded Monday, then Tuesday, Wednesday).
    clock.set(new Date(clock.now().getTime() + 86_400_000));
  }
  return lines;
}

/**
 * Web API calls a daily run owes as the office grows: 20 departments, 100 to 10,000 tasks,
 * three working days; what each run enqueued in the outbox is what the worker then sends.
 */
async function dailyCalls(dir: string): Promise<string[]> {
  const lines = ["daily run: messages owed (one Web API call each), 20 departments, SQLite"];
  for (const tasks of QUICK ? [100, 1_000] : [100, 1_000, 10_000]) {
    const file = path.join(dir, `daily-${tasks}.db`);
    await seedScale(file, { departments: 20, tasks, reports: tasks * 10 });
    const store = createStore(await openDatabase(`file:${file}`));
    const clock = new ManualClock(SCALE_NOW);
    const deps: ServiceDeps = {
      store,
      clock,
      slack: { channelStatus: async () => "member", fileInfo: async () => null },
      outbox: { kick() {} },
      envAdmins: [PEOPLE.admin.id],
      timeZone: TZ,
    };
    const open = await sqliteCount(file)(
      `SELECT count(*) AS n FROM "Task" WHERE closedAt IS NULL AND cancelledAt IS NULL`,
    );
    const posts: number[] = [];
    const updates: number[] = [];
    const count = (where: string) =>
      sqliteCount(file)(`SELECT count(*) AS n FROM "OutboxMessage" WHERE ${where}`);
    for (let day = 0; day < 3; day++) {
      const before = await count("1");
      const beforeUpdates = await count(`kind IN ('card.update', 'rollup.update')`);
      await runSupervision(deps, { mode: "daily" });
      const updated = (await count(`kind IN ('card.update', 'rollup.update')`)) - beforeUpdates;
      updates.push(updated);
      posts.push((await count("1")) - before - updated);
      clock.set(new Date(clock.now().getTime() + 86_400_000));
    }
    await store.close();
    lines.push(
      `  ${String(tasks).padStart(6)} tasks (${open} open): ${posts.join(", ")} messages posted on days 1, 2, 3; ` +
        `${updates.join(", ")} cards updated (their light changed)`,
    );
  }
  return lines;
}

/** A server of the machine's (TEST_POSTGRES_URL) keeps its databases: the bench's goes. */
async function dropBenchDatabase(postgres: { adminUrl: string } | undefined): Promise<void> {
  if (!postgres) return;
  const admin = new pg.Client({ connectionString: postgres.adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ducha_bench_${process.pid} WITH (FORCE)`);
  await admin.end();
}

async function main() {
  const started = Date.now();
  if (flag("startup")) {
    console.log((await startupBench()).join("\n"));
    return;
  }
  if (flag("open-loop")) {
    const seeded = path.resolve(`data/bench/${QUICK ? "quick" : "scale"}.db`);
    if (flag("fresh") || !fs.existsSync(seeded)) await seedScale(seeded, SCALE);
    const lines = await openLoopBench({
      seeded,
      rates: option("rates", "10,20,50,100").split(",").map(Number),
      seconds: Number(option("seconds", "20")),
      databases: option("db", "sqlite").split(",") as ("sqlite" | "postgresql")[],
      profile: flag("profile"),
      workers: Number(option("workers", "1")),
    });
    console.log(`\n${lines.join("\n")}`);
    return;
  }
  if (flag("daily-only")) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ducha-bench-"));
    console.log((await dailyCalls(dir)).join("\n"));
    fs.rmSync(dir, { recursive: true, force: true });
    return;
  }
  const seeded = path.resolve(`data/bench/${QUICK ? "quick" : "scale"}.db`);
  if (flag("fresh") || !fs.existsSync(seeded)) {
    process.stdout.write(
      `seeding ${path.relative(process.cwd(), seeded)} (${SCALE.departments} departments, ${SCALE.tasks} tasks, ${SCALE.reports} reports)… `,
    );
    const seeding = await timeIt(() => seedScale(seeded, SCALE));
    process.stdout.write(`${(seeding.ms / 1000).toFixed(1)} s\n`);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ducha-bench-"));
  const dbFile = path.join(dir, "scale.db");
  fs.copyFileSync(seeded, dbFile);

  const slack = new FakeSlack();
  await slack.start();
  populate(slack);
  const cards = await postCards(slack, dbFile);
  // 查考's index over every record, as a first start after the upgrade builds it; PostgreSQL's
  // run gets it with the copy.
  const indexing = await timeIt(async () => {
    const store = createStore(await openDatabase(`file:${dbFile}`));
    try {
      return await catchUpSearch({ store, clock: new ManualClock(SCALE_NOW) });
    } finally {
      await store.close();
    }
  });
  const indexed = `search index, first catch-up on SQLite: ${(indexing.ms / 1000).toFixed(1)} s, ${indexing.value} records`;
  // Each database starts from the same office: SQLite's run changes its file.
  const pristine = path.join(dir, "pristine.db");
  fs.copyFileSync(dbFile, pristine);

  // The bare Bolt app on the same kind of receiver: acknowledges, answers "ok", nothing else.
  const bareSecret = crypto.randomBytes(16).toString("hex");
  const bare = new App({
    token: slack.botToken,
    signingSecret: bareSecret,
    clientOptions: { slackApiUrl: slack.apiUrl },
    logLevel: LogLevel.ERROR,
  });
  bare.command("/ducha", async ({ ack, respond }) => {
    await ack();
    await respond({ response_type: "ephemeral", text: "ok" });
  });
  bare.action("task_urge", async ({ ack }) => ack());
  bare.event("message", async () => {});
  const bareServer = (await bare.start(0)) as unknown as Server;
  const barePort = (bareServer.address() as AddressInfo).port;

  const output: string[] = [
    `ducha bench, ${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
    `office: ${SCALE.departments} departments, ${SCALE.tasks} tasks, ${SCALE.reports} reports; ${CONCURRENCY} requests in flight; ${COMMANDS} commands, ${CLICKS} clicks, ${REPLIES} replies each`,
    indexed,
    "",
  ];
  process.stdout.write("bare Bolt ");
  const bareResult = SEARCH_ONLY
    ? emptyResult()
    : await load(
        slack,
        { name: "bare", url: `http://127.0.0.1:${barePort}/slack/events`, secret: bareSecret },
        cards,
      );
  process.stdout.write("\n");
  const bareAcks = bareResult.commands.map((c) => c.ackMs);
  if (!SEARCH_ONLY)
    output.push(
      `bare Bolt: command ack p50 ${ms(percentile(bareAcks, 0.5))} ms, p99 ${ms(percentile(bareAcks, 0.99))} ms; clicks ${(CLICKS / bareResult.clicks.seconds).toFixed(0)}/s, events ${(REPLIES / bareResult.replies.seconds).toFixed(0)}/s acknowledged`,
      "",
    );

  let postgres: Awaited<ReturnType<typeof startTestPostgres>> | undefined;
  for (const provider of DATABASES) {
    let url = `file:${dbFile}`;
    let count: Count = sqliteCount(dbFile);
    if (provider === "postgresql") {
      postgres ??= await startTestPostgres();
      const name = `ducha_bench_${process.pid}`;
      const admin = new pg.Client({ connectionString: postgres.adminUrl });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${name}`);
      await admin.query(`CREATE DATABASE ${name}`);
      await admin.end();
      url = withDatabase(postgres.adminUrl, name);
      process.stdout.write("copying the office into PostgreSQL… ");
      const copy = await timeIt(() => copySqliteToPostgres(pristine, url));
      process.stdout.write(`${(copy.ms / 1000).toFixed(1)} s\n`);
      count = pgCount(url);
    }
    const ephemeralsBefore = slack.ephemerals.length;
    const store = createStore(await openDatabase(url));
    const clock = new ManualClock(SCALE_NOW);
    if (SEARCH_ONLY) {
      const deps = { store, clock, envAdmins: [PEOPLE.admin.id], timeZone: TZ } as unknown as ServiceDeps;
      output.push(`查考 on ${provider}`, ...(await searchTimes(deps)), "");
      await store.close();
      if (provider === "postgresql") await dropBenchDatabase(postgres);
      continue;
    }
    const secret = crypto.randomBytes(16).toString("hex");
    const bot = createDuchaApp({
      config: {
        slack: { botToken: slack.botToken, signingSecret: secret, appToken: undefined, apiUrl: slack.apiUrl },
        port: 0,
        timeZone: TZ,
        locale: "zh-CN",
        admins: [PEOPLE.admin.id],
      },
      store,
      clock,
      // Errors go to a file next to the seeded office, to say what the people were told about.
      logger: createLogger("error", fs.createWriteStream(path.resolve(`data/bench/errors-${provider}.log`))),
      startScheduler: false,
      // At start ducha reads the cards' threads for replies it missed while down: here, those the
      // bare app and the other database's run were sent. Read at once and waited for, not paced
      // through the load: recorded during it, each made the month's shared scores be worked out
      // again (seven times in one run), and 得分 measured that instead of answering.
      rereadPaceMs: 0,
    });
    const { port } = await bot.start();
    await bot.idle();
    process.stdout.write(`ducha on ${provider} `);
    const result = await load(
      slack,
      { name: provider, url: `http://127.0.0.1:${port}/slack/events`, secret, count },
      cards,
    );
    process.stdout.write("\n");
    output.push(...report(`ducha on ${provider}`, result, bareResult), "");
    await bot.stop();
    if (!LOAD_ONLY) output.push(...(await services(provider, store, clock, dir)), "");
    await store.close();
    if (provider === "postgresql") await dropBenchDatabase(postgres);
    const told = slack.ephemerals.slice(ephemeralsBefore).filter((e) => /出错|稍后再试/.test(e.text));
    if (told.length) {
      const kinds = new Map<string, number>();
      for (const e of told) kinds.set(e.text.slice(0, 40), (kinds.get(e.text.slice(0, 40)) ?? 0) + 1);
      output.push(`  ${told.length} people told of an error under this load:`);
      for (const [text, n] of kinds) output.push(`    ${n} × ${text}…`);
      output.push("");
    }
  }
  if (!LOAD_ONLY && !SEARCH_ONLY) output.push(...(await dailyCalls(dir)), "");
  output.push(`(${((Date.now() - started) / 1000).toFixed(0)} s in all)`);
  console.log(`\n${output.join("\n")}`);
  await bare.stop();
  await slack.stop();
  await postgres?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}

await main();

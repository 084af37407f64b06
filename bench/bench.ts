/**
 * `npm run bench`: ducha at the size of a large office (200 departments, 20,000 tasks, 500,000
 * reports; scripts/seed-scale.ts), measured against a bare Bolt app run in the same process on
 * the same fake Slack, so the ratios hold on a noisy machine where absolute times do not.
 *
 * Round trips are from the signed slash command leaving the fake Slack to the reply arriving at
 * its response_url. Services are timed in process. The export is written to a file while the
 * process's RSS is sampled, to show memory stays flat however many rows are written.
 *
 *   npm run bench                # seeds data/bench/scale.db once, then reuses it
 *   npm run bench -- --fresh     # seeds again
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { App, LogLevel } from "@slack/bolt";
import { SCALE_NOW, seedScale } from "../scripts/seed-scale.js";
import { createDuchaApp } from "../src/app.js";
import { ManualClock } from "../src/clock.js";
import { messagesFor } from "../src/i18n/index.js";
import { writeLedger } from "../src/ledger/xlsx.js";
import { createLogger } from "../src/logger.js";
import { ledgerSource } from "../src/services/ledger.js";
import type { ServiceDeps } from "../src/services/ports.js";
import { buildSummary, periodFor, scorePeriod } from "../src/services/summary.js";
import { runSupervision } from "../src/services/supervision.js";
import { openDatabase } from "../src/store/database.js";
import { createStore } from "../src/store/store.js";
import { FakeSlack } from "../test/fake-slack/fake-slack.js";
import { CHANNELS, PEOPLE, populate } from "../test/fake-slack/workspace.js";

const SEEDED = path.resolve("data/bench/scale.db");
const TZ = "Asia/Shanghai";

/** Pads to a width on a terminal, where a Chinese character takes two columns. */
function pad(text: string, width: number): string {
  const columns = [...text].reduce((n, ch) => n + (/[\u3000-\u9fff\uff00-\uffef]/.test(ch) ? 2 : 1), 0);
  return text + " ".repeat(Math.max(0, width - columns));
}

function stats(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { median: at(0.5), p90: at(0.9) };
}

async function time(runs: number, warmup: number, work: () => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await work();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await work();
    samples.push(performance.now() - started);
  }
  return samples;
}

/** A command's round trip: sent by the fake Slack, answered at its response_url. */
function roundTrip(slack: FakeSlack, text: string, user: string = PEOPLE.admin.id) {
  return async () => {
    const before = slack.ephemeralsFor(user).length;
    await slack.command(user, CHANNELS.general.id, text);
    const deadline = Date.now() + 60_000;
    while (slack.ephemeralsFor(user).length === before) {
      if (Date.now() > deadline) throw new Error(`no reply to ${text}`);
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
}

async function main() {
  const fresh = process.argv.includes("--fresh");
  if (fresh || !fs.existsSync(SEEDED)) {
    process.stdout.write("seeding data/bench/scale.db (200 departments, 20,000 tasks, 500,000 reports)… ");
    const started = performance.now();
    await seedScale(SEEDED);
    process.stdout.write(`${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ducha-bench-"));
  const dbFile = path.join(dir, "scale.db");
  fs.copyFileSync(SEEDED, dbFile);

  // The bare Bolt app: acknowledges and answers, nothing else.
  const bareSlack = new FakeSlack();
  await bareSlack.start();
  populate(bareSlack);
  const bareSecret = crypto.randomBytes(16).toString("hex");
  const bare = new App({
    token: bareSlack.botToken,
    signingSecret: bareSecret,
    clientOptions: { slackApiUrl: bareSlack.apiUrl },
    logLevel: LogLevel.ERROR,
  });
  bare.command("/ducha", async ({ ack, respond }) => {
    await ack();
    await respond({ response_type: "ephemeral", text: "ok" });
  });
  const bareServer = (await bare.start(0)) as unknown as import("node:http").Server;
  const barePort = (bareServer.address() as import("node:net").AddressInfo).port;
  bareSlack.connectHttp(`http://127.0.0.1:${barePort}/slack/events`, bareSecret);

  // ducha on the seeded office.
  const slack = new FakeSlack();
  await slack.start();
  populate(slack);
  const secret = crypto.randomBytes(16).toString("hex");
  const database = await openDatabase(`file:${dbFile}`);
  const store = createStore(database);
  const clock = new ManualClock(SCALE_NOW);
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
    logger: createLogger("error", new Writable({ write: (_c, _e, done) => done() })),
    startScheduler: false,
  });
  const { port } = await bot.start();
  slack.connectHttp(`http://127.0.0.1:${port}/slack/events`, secret);
  const deps: ServiceDeps = {
    store,
    clock,
    slack: { channelStatus: async () => "member" },
    outbox: { kick() {} },
    envAdmins: [PEOPLE.admin.id],
    timeZone: TZ,
  };

  const rows: { name: string; samples: number[] }[] = [];
  const measure = async (name: string, runs: number, warmup: number, work: () => Promise<unknown>) => {
    rows.push({ name, samples: await time(runs, warmup, work) });
    process.stdout.write(".");
  };
  await measure("bare Bolt: slash command → ack → respond", 40, 10, roundTrip(bareSlack, "help"));
  await measure("ducha: /ducha 帮助", 40, 10, roundTrip(slack, "帮助"));
  await measure("ducha: /ducha 列表 红灯 (first page of ~2,600)", 10, 2, roundTrip(slack, "列表 红灯"));
  await measure("ducha: /ducha 得分 第1单位 本月", 10, 2, roundTrip(slack, "得分 第1单位 本月"));
  await measure("ducha: /ducha 汇总 本周", 10, 2, roundTrip(slack, "汇总 本周"));
  await measure("service: last week's summary (the Monday post)", 10, 2, () =>
    buildSummary(deps, periodFor(deps, "week", "previous")),
  );
  await measure("service: last month's summary (the bulletin)", 5, 1, () =>
    buildSummary(deps, periodFor(deps, "month", "previous")),
  );
  await measure("service: this year's summary", 5, 1, () => buildSummary(deps, periodFor(deps, "year")));
  await measure("service: this month's scores", 10, 2, () => scorePeriod(deps, periodFor(deps, "month")));
  process.stdout.write("\n");

  const base = stats(rows[0]?.samples ?? [1]).median;
  const lines = rows.map(({ name, samples }) => {
    const { median, p90 } = stats(samples);
    return `${pad(name, 52)} ${median.toFixed(1).padStart(8)} ${p90.toFixed(1).padStart(8)} ${(median / base).toFixed(1).padStart(8)}×`;
  });
  console.log(`\n${"".padEnd(52)} ${"median".padStart(8)} ${"p90".padStart(8)} ${"vs bare".padStart(9)}`);
  console.log(`${"".padEnd(52)} ${"ms".padStart(8)} ${"ms".padStart(8)}`);
  for (const line of lines) console.log(line);

  // The ledger: everything (20,000 tasks, 500,000 reports), then the open tasks only.
  console.log("\nledger export (streamed to a file; RSS sampled every 20 ms)");
  for (const [label, filter] of [
    ["open tasks", { open: true }],
    ["every task and report", {}],
  ] as const) {
    const file = path.join(dir, `ledger-${label.replace(/\s+/g, "-")}.xlsx`);
    const out = fs.createWriteStream(file);
    const finished = new Promise<void>((resolve) => out.on("finish", () => resolve()));
    global.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 20);
    const started = performance.now();
    const written = await writeLedger({
      out,
      source: ledgerSource(deps, filter),
      m: messagesFor("zh-CN"),
      locale: "zh-CN",
      tz: TZ,
      revealSecret: false,
      names: async () => new Map(),
    });
    await finished;
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    const size = fs.statSync(file).size / 1e6;
    console.log(
      `  ${pad(label, 24)} ${String(written.tasks).padStart(6)} tasks ${String(written.reports).padStart(7)} reports  ${seconds.toFixed(1).padStart(5)} s  ${size.toFixed(1).padStart(5)} MB  RSS +${((peak - before) / 1e6).toFixed(0)} MB (${(before / 1e6).toFixed(0)} → ${(peak / 1e6).toFixed(0)} MB)`,
    );
  }

  // The daily supervision run, with the bot stopped (its outbox worker would start delivering).
  await bot.stop();
  console.log("\nthe daily run (one transaction)");
  for (const label of ["first run: every stalled task starts its ladder", "the next working day"]) {
    const started = performance.now();
    const result = await runSupervision(deps, { mode: "daily" });
    const ms = performance.now() - started;
    console.log(
      `  ${pad(label, 50)} ${ms.toFixed(0).padStart(6)} ms  ${result.digests} digests, ${result.reminders} reminders, ${result.urges} urges`,
    );
    clock.set(new Date(clock.now().getTime() + 86_400_000));
  }
  await store.close();
  await bare.stop();
  await slack.stop();
  await bareSlack.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}

await main();

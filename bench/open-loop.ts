/**
 * The open-loop mix (issue 31): requests arrive at random (Poisson) at a set rate, whether or
 * not the earlier ones were answered, as a busy office's do — 50% thread replies, 20% slash
 * commands, 20% clicks (催办 on a card), 10% App Home opened — against ducha running as
 * `npm start` runs it, a process of its own, and a bare Bolt app (bench/bare-app.mjs) on the same
 * harness in the same run. The fake Slack and this generator share a process; the app does not.
 *
 *   npm run bench -- --open-loop [--rates 10,20,50,100] [--seconds 20] [--db sqlite,postgresql]
 *
 * For each rate: acknowledgement p50/p99 (every request), a command's answer p50/p99 (to its
 * response_url), the replies stored while the load lasted and how long after its
 * acknowledgement each was stored (p50/p99), the clicks stored, the cores the app used, and
 * the highest rate whose answers keep p99 under one second.
 */
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { SCALE_NOW } from "../scripts/seed-scale.js";
import { catchUpSearch } from "../src/services/search.js";
import { openDatabase } from "../src/store/database.js";
import { createStore } from "../src/store/store.js";
import { FakeSlack } from "../test/fake-slack/fake-slack.js";
import { CHANNELS, PEOPLE, populate } from "../test/fake-slack/workspace.js";
import { ManualClock } from "../test/support/manual-clock.js";
import { startTestPostgres, withDatabase } from "../test/support/postgres.js";
import { percentile, timedCommand } from "./load.js";
import { type Card, type Count, pgCount, postCards, sqliteCount } from "./office.js";
import { copySqliteToPostgres } from "./pg-copy.js";

const ROOT = path.resolve(import.meta.dirname, "..");

export interface OpenLoopOptions {
  /** The seeded office (data/bench/scale.db). */
  seeded: string;
  rates: number[];
  seconds: number;
  databases: ("sqlite" | "postgresql")[];
  /** Writes a CPU profile of the app (node --cpu-prof) under data/bench/profiles. */
  profile?: boolean;
  /** DUCHA_WORKERS for the app (processes sharing its port and database). */
  workers?: number;
}

interface RateResult {
  rate: number;
  sent: number;
  ackMs: number[];
  answerMs: number[];
  /** Answers by command (列表 红灯, 查看, 得分, 帮助): which kind holds the p99. */
  answerByKind: Map<string, number[]>;
  replies: number;
  repliesStoredDuring: number;
  storeMs: number[];
  clicks: number;
  clicksStored: number;
  cores: number;
  drainSeconds: number;
}

const ms = (n: number) => (Number.isFinite(n) ? n.toFixed(0) : "—");

/** The same random sequence every run (mulberry32). */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** CPU seconds a process and its children (DUCHA_WORKERS' workers) have used, from /proc. */
function cpuSeconds(pid: number): number {
  const stat = (p: string) => {
    try {
      return fs.readFileSync(`/proc/${p}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
    } catch {
      return [];
    }
  };
  const own = (fields: string[]) => (Number(fields[11] ?? 0) + Number(fields[12] ?? 0)) / 100;
  let total = own(stat(String(pid)));
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = stat(entry);
    if (fields[1] === String(pid)) total += own(fields);
  }
  return total;
}

interface Running {
  child: ChildProcess;
  url: string;
  secret: string;
  count?: Count;
  log: string;
}

/** Starts the app in a process of its own; resolves once it listens and has gone quiet. */
async function startApp(args: string[], env: Record<string, string>, log: string): Promise<ChildProcess> {
  const out = fs.openSync(log, "w");
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
    stdio: ["ignore", out, out],
  });
  fs.closeSync(out);
  const began = Date.now();
  while (!/"msg":"(listening|ducha is running[^"]*)"/.test(fs.readFileSync(log, "utf8"))) {
    if (child.exitCode !== null || Date.now() - began > 600_000)
      throw new Error(`${args.join(" ")} did not start:\n${fs.readFileSync(log, "utf8").slice(-2000)}`);
    await sleep(50);
  }
  // Quiet: the start's own work (re-reading the threads, the scheduler making up the day's
  // runs and their messages going out) is done when, half a minute on, the process uses under
  // 5% of a core for two seconds running.
  await sleep(30_000);
  let quietFor = 0;
  while (quietFor < 2 && Date.now() - began < 600_000) {
    const before = cpuSeconds(child.pid ?? 0);
    await sleep(1_000);
    quietFor = cpuSeconds(child.pid ?? 0) - before < 0.05 ? quietFor + 1 : 0;
  }
  return child;
}

async function stopApp(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  child.kill("SIGTERM");
  await new Promise((resolve) => child.once("exit", resolve));
}

/** One rate against one app: arrivals at random for `seconds`, then the backlog drained. */
async function runRate(
  slack: FakeSlack,
  app: Running,
  cards: Card[],
  rate: number,
  seconds: number,
): Promise<RateResult> {
  slack.connectHttp(app.url, app.secret);
  const rand = random(rate * 7919);
  // The replies of this run, told apart from any other (a reply re-read from a thread at start).
  const mark = `负载${rate}`;
  const reportsFrom = (await app.count?.(`SELECT coalesce(max(id), 0) AS n FROM "Report"`)) ?? 0;
  const eventsFrom = (await app.count?.(`SELECT coalesce(max(id), 0) AS n FROM "Event"`)) ?? 0;
  const ackMs: number[] = [];
  const answerMs: number[] = [];
  const answerByKind = new Map<string, number[]>();
  const replyAckedAt: number[] = [];
  const work: Promise<unknown>[] = [];
  let clicks = 0;
  const commands: ((i: number) => [text: string, kind: string])[] = [
    () => ["列表 红灯", "列表 红灯"],
    (i) => [`查看 ${cards[i % cards.length]?.ref}`, "查看"],
    (i) => [`得分 第${(i % 40) + 1}单位 本月`, "得分"],
    () => ["帮助", "帮助"],
  ];
  // Samples of the replies stored, to tell when each was (in order of acknowledgement).
  const stored: { at: number; n: number }[] = [];
  let sampling = true;
  const sampler = (async () => {
    while (sampling && app.count) {
      const n = await app.count(
        `SELECT count(*) AS n FROM "Report" WHERE id > ${reportsFrom} AND "text" LIKE '%（${mark}）%'`,
      );
      stored.push({ at: performance.now(), n });
      await sleep(100);
    }
  })();
  const cpuBefore = cpuSeconds(app.child.pid ?? 0);
  const started = performance.now();
  const end = started + seconds * 1000;
  let next = started;
  for (let i = 0; ; i++) {
    next += (-Math.log(1 - rand()) / rate) * 1000;
    if (next >= end) break;
    await sleep(next - performance.now());
    const pick = rand();
    const card = cards[Math.floor(rand() * cards.length)] as Card;
    const sent = performance.now();
    if (pick < 0.5) {
      work.push(
        slack
          .say(
            card.member,
            card.channel,
            `进度${(i % 9) + 1}0%，第${i + 1}次报送（${mark}）：已协调资金，正在施工`,
            {
              threadTs: card.ts,
            },
          )
          .then(() => {
            const now = performance.now();
            ackMs.push(now - sent);
            replyAckedAt.push(now);
          }),
      );
    } else if (pick < 0.7) {
      const [text, kind] = (commands[i % commands.length] as (i: number) => [string, string])(i);
      work.push(
        timedCommand(slack, PEOPLE.admin.id, CHANNELS.general.id, text, kind).then((t) => {
          ackMs.push(t.failed ? Number.POSITIVE_INFINITY : t.ackMs);
          answerMs.push(t.answerMs ?? Number.POSITIVE_INFINITY);
          const byKind = answerByKind.get(kind) ?? [];
          byKind.push(t.answerMs ?? Number.POSITIVE_INFINITY);
          answerByKind.set(kind, byKind);
        }),
      );
    } else if (pick < 0.9) {
      clicks++;
      work.push(
        slack.clickInMessage(PEOPLE.admin.id, card.channel, card.ts, "task_urge").then((d) => {
          ackMs.push(d.status === 200 && !d.timedOut ? performance.now() - sent : Number.POSITIVE_INFINITY);
        }),
      );
    } else {
      work.push(slack.openHome(card.member).then(() => ackMs.push(performance.now() - sent)));
    }
  }
  const loadEnded = performance.now();
  const repliesStoredDuring = stored.at(-1)?.n ?? 0;
  await Promise.all(work);
  // Drained: every reply stored (or a minute without), the app quiet again.
  const replies = replyAckedAt.length;
  const drainBegan = performance.now();
  while (app.count && (stored.at(-1)?.n ?? 0) < replies && performance.now() - drainBegan < 60_000)
    await sleep(100);
  sampling = false;
  await sampler;
  const cores = (cpuSeconds(app.child.pid ?? 0) - cpuBefore) / ((performance.now() - started) / 1000);
  const clicksStored =
    (await app.count?.(
      `SELECT count(*) AS n FROM "Event" WHERE id > ${eventsFrom} AND "type" = 'task.urged'`,
    )) ?? 0;
  replyAckedAt.sort((a, b) => a - b);
  const storeMs = replyAckedAt.map((acked, k) => {
    const when = stored.find((s) => s.n >= k + 1)?.at;
    return when === undefined ? Number.POSITIVE_INFINITY : Math.max(0, when - acked);
  });
  await slack.idle();
  return {
    rate,
    sent: ackMs.length,
    ackMs,
    answerMs,
    answerByKind,
    replies,
    repliesStoredDuring,
    storeMs,
    clicks,
    clicksStored,
    cores,
    drainSeconds: (performance.now() - loadEnded) / 1000,
  };
}

function line(name: string, r: RateResult, bare: RateResult | undefined): string {
  const p = (xs: number[], q: number) => ms(percentile(xs, q));
  const bareAck = bare ? ` (bare ${p(bare.ackMs, 0.99)})` : "";
  const bareAnswer = bare ? ` (bare ${p(bare.answerMs, 0.99)})` : "";
  const replies = bare
    ? `; replies stored during the load ${r.repliesStoredDuring} of ${r.replies}, each ${p(r.storeMs, 0.5)} / ${p(r.storeMs, 0.99)} ms after its ack; clicks stored ${r.clicksStored} of ${r.clicks}`
    : "";
  const kinds = bare
    ? `\n           answers by command: ${[...r.answerByKind]
        .map(([kind, xs]) => `${kind} ${p(xs, 0.5)} / ${p(xs, 0.99)}`)
        .join(", ")} ms`
    : "";
  return `  ${String(r.rate).padStart(3)}/s ${name.padEnd(10)} ack p50 ${p(r.ackMs, 0.5)} / p99 ${p(r.ackMs, 0.99)} ms${bareAck}; answer p50 ${p(r.answerMs, 0.5)} / p99 ${p(r.answerMs, 0.99)} ms${bareAnswer}${replies}; ${r.cores.toFixed(2)} cores; drained ${r.drainSeconds.toFixed(1)} s after${kinds}`;
}

export async function openLoopBench(options: OpenLoopOptions): Promise<string[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ducha-open-loop-"));
  let postgres: Awaited<ReturnType<typeof startTestPostgres>> | undefined;
  const lines = [
    `open-loop mix (50% replies, 20% commands, 20% clicks, 10% App Home), ${options.seconds} s a rate, app in its own process (npm start${(options.workers ?? 1) > 1 ? `, DUCHA_WORKERS=${options.workers}` : ""}), ${os.cpus().length} cores`,
  ];
  try {
    // The search index built beforehand, as a running office has it (minutes at full size:
    // kept beside the seeded office for the next run, and brought up to date on opening).
    const office = options.seeded.replace(/\.db$/, ".indexed.db");
    if (!fs.existsSync(office) || fs.statSync(office).mtimeMs < fs.statSync(options.seeded).mtimeMs)
      fs.copyFileSync(options.seeded, office);
    const store = createStore(await openDatabase(`file:${office}`));
    await catchUpSearch({ store, clock: new ManualClock(SCALE_NOW) });
    await store.close();
    const secret = "open-loop-secret";
    const results = new Map<string, RateResult[]>();
    // Each app on a Slack of its own, with its own cards: one app's replies in the threads are
    // not re-read by the next at its start.
    for (const name of [...options.databases, "bare"] as const) {
      const slack = new FakeSlack();
      await slack.start();
      populate(slack);
      try {
        const file = path.join(dir, `${name}.db`);
        fs.copyFileSync(office, file);
        const cards = await postCards(slack, file);
        let databaseUrl = `file:${file}`;
        let count: Count | undefined = name === "bare" ? undefined : sqliteCount(file);
        if (name === "postgresql") {
          postgres ??= await startTestPostgres();
          const db = `ducha_open_loop_${process.pid}`;
          const admin = new pg.Client({ connectionString: postgres.adminUrl });
          await admin.connect();
          await admin.query(`DROP DATABASE IF EXISTS ${db}`);
          await admin.query(`CREATE DATABASE ${db}`);
          await admin.end();
          databaseUrl = withDatabase(postgres.adminUrl, db);
          process.stdout.write("copying the office into PostgreSQL… ");
          await copySqliteToPostgres(file, databaseUrl);
          process.stdout.write("done\n");
          count = pgCount(databaseUrl);
        }
        const log = path.resolve(ROOT, `data/bench/open-loop-${name}.log`);
        const args =
          name === "bare"
            ? [path.join(ROOT, "bench/bare-app.mjs")]
            : [
                ...(options.profile
                  ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(ROOT, "data/bench/profiles")}`]
                  : []),
                "--import",
                "tsx",
                path.join(ROOT, "src/main.ts"),
              ];
        process.stdout.write(`${name}: starting… `);
        const child = await startApp(
          args,
          {
            SLACK_BOT_TOKEN: slack.botToken,
            SLACK_SIGNING_SECRET: secret,
            SLACK_API_URL: slack.apiUrl,
            DATABASE_URL: databaseUrl,
            PORT: "0",
            DUCHA_ADMINS: PEOPLE.admin.id,
            LOG_LEVEL: "info",
            DUCHA_WORKERS: String(options.workers ?? 1),
          },
          log,
        );
        const port = /"port":(\d+)/.exec(fs.readFileSync(log, "utf8"))?.[1];
        const app: Running = { child, url: `http://127.0.0.1:${port}/slack/events`, secret, count, log };
        try {
          const list: RateResult[] = [];
          for (const rate of options.rates) {
            process.stdout.write(`${rate}/s `);
            list.push(await runRate(slack, app, cards, rate, options.seconds));
          }
          results.set(name, list);
        } finally {
          await stopApp(child);
          process.stdout.write("\n");
        }
        if (name === "postgresql" && postgres) {
          const admin = new pg.Client({ connectionString: postgres.adminUrl });
          await admin.connect();
          await admin.query(`DROP DATABASE IF EXISTS ducha_open_loop_${process.pid} WITH (FORCE)`);
          await admin.end();
        }
      } finally {
        await slack.stop();
      }
    }
    const bare = results.get("bare") ?? [];
    for (const [name, list] of results) {
      for (const r of list)
        lines.push(line(name, r, name === "bare" ? undefined : bare.find((b) => b.rate === r.rate)));
      const kept = list.filter((r) => percentile(r.answerMs, 0.99) < 1_000).map((r) => r.rate);
      lines.push(
        `  ${name}: highest rate with answer p99 < 1 s: ${kept.length ? `${Math.max(...kept)}/s` : "none"}`,
      );
    }
    return lines;
  } finally {
    await postgres?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

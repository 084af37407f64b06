import crypto from "node:crypto";
import fs from "node:fs";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { FakeSlack } from "../fake-slack/fake-slack.js";
import { MEETING_DECISION } from "../fake-slack/scenario.js";
import { populate } from "../fake-slack/workspace.js";
import { CHANNELS, PEOPLE, startTestBot, tempDbFile, textOf } from "../support/harness.js";
import { cardOf, dispatchMeeting, officeReady } from "../support/office.js";
import { portOf, type Run, runMain, waitFor } from "../support/process.js";

/**
 * The real process (`npm start`'s entry point), several of them, against the fake Slack:
 * replicas on one SQLite file, and a process killed with SIGKILL and started again at once.
 */

const runs: Run[] = [];
let slack: FakeSlack | undefined;
afterEach(async () => {
  for (const run of runs.splice(0)) run.child.kill("SIGKILL");
  await slack?.stop();
  slack = undefined;
});

function start(dbFile: string, signingSecret: string, fake: FakeSlack): Run {
  const run = runMain({
    SLACK_BOT_TOKEN: fake.botToken,
    SLACK_SIGNING_SECRET: signingSecret,
    SLACK_API_URL: fake.apiUrl,
    DATABASE_URL: `file:${dbFile}`,
    PORT: "0",
    LOG_LEVEL: "info",
    DUCHA_ADMINS: PEOPLE.admin.id,
  });
  runs.push(run);
  return run;
}

/** The office set up, on a file the processes then share (by the in-process bot, then stopped). */
async function preparedOffice(options: { dispatch: boolean; everyMinute?: boolean }) {
  slack = new FakeSlack();
  await slack.start();
  populate(slack);
  const dbFile = tempDbFile();
  const t = await startTestBot({ slack, ownSlack: false, dbFile });
  await officeReady(t);
  if (options.dispatch) await dispatchMeeting(t);
  if (options.everyMinute) {
    // The urgent-task check every minute, so that job runs land in the middle of the stream.
    await t.slack.command(PEOPLE.admin.id, CHANNELS.general.id, "设置 计划 急件 * * * * *");
    await t.settle();
  }
  await t.stop({ keepSlack: true });
  return { slack, dbFile };
}

/** The i-th reply of a stream: a member of each task's lead department, in its card's thread, in turn. */
function replier(fake: FakeSlack): (i: number) => Promise<unknown> {
  const reporters = [PEOPLE.finance1, PEOPLE.housing1, PEOPLE.transport1, PEOPLE.finance2, PEOPLE.housing1];
  const cards = [1, 2, 3, 4, 5].map((seq) => cardOf({ slack: fake } as never, seq));
  return (i) => {
    const card = cards[i % cards.length] as (typeof cards)[number];
    const who = reporters[i % reporters.length] as { id: string };
    return fake.say(who.id, card.channel, `进度${(i % 9) + 1}0%，第${i + 1}次报送`, { threadTs: card.ts });
  };
}

/** Reads the shared file from outside the processes, as an operator would. */
function count(dbFile: string, sql: string): number {
  const db = new Database(dbFile, { readonly: true });
  try {
    return Number((db.prepare(sql).get() as { n: number }).n);
  } finally {
    db.close();
  }
}

describe("two processes on one SQLite file", () => {
  it("store every reply once and answer every click, under a stream of both", async () => {
    const { slack: fake, dbFile } = await preparedOffice({ dispatch: true, everyMinute: true });
    const secret = crypto.randomBytes(16).toString("hex");
    const [a, b] = [start(dbFile, secret, fake), start(dbFile, secret, fake)] as [Run, Run];
    const [portA, portB] = await Promise.all([portOf(a), portOf(b)]);
    fake.connectHttp(`http://127.0.0.1:${portA}/slack/events`, secret);
    fake.addHttpReplica(`http://127.0.0.1:${portB}/slack/events`);
    const sentBefore = fake.sentRequests.length;

    const reply = replier(fake);
    const reportsBefore = count(dbFile, 'SELECT count(*) AS n FROM "Report"');
    const urgesBefore = count(dbFile, `SELECT count(*) AS n FROM "Event" WHERE "type" = 'task.urged'`);
    const REPLIES = 150;
    const CLICKS = 50;
    const work: (() => Promise<unknown>)[] = [];
    const cards = [1, 2, 3, 4, 5].map((seq) => cardOf({ slack: fake } as never, seq));
    for (let i = 0; i < REPLIES; i++) {
      work.push(() => reply(i));
      const card = cards[i % cards.length] as (typeof cards)[number];
      if (i % 3 === 0 && work.length < REPLIES + CLICKS) {
        work.push(() => fake.clickInMessage(PEOPLE.leader.id, card.channel, card.ts, "task_urge"));
      }
    }
    const clicks = work.length - REPLIES;
    // Start a few seconds before a minute turns: both processes' schedulers run the job meanwhile.
    await waitFor(() => new Date().getSeconds() >= 54, 61_000);
    const minuteTurns = new Date(Math.ceil(Date.now() / 60_000) * 60_000);
    // Eight at a time, as a busy office sends them.
    for (let i = 0; i < work.length; i += 8) await Promise.all(work.slice(i, i + 8).map((w) => w()));
    await fake.idle();

    await waitFor(
      () =>
        count(dbFile, `SELECT count(*) AS n FROM "InboxEvent" WHERE "state" IN ('pending', 'processing')`) ===
        0,
      60_000,
    );
    expect(fake.eventsGivenUp).toEqual([]);
    expect(fake.lateAcks).toEqual([]);
    expect(count(dbFile, `SELECT count(*) AS n FROM "InboxEvent" WHERE "state" = 'failed'`)).toBe(0);
    // Every reply stored once: one report per message.
    expect(count(dbFile, 'SELECT count(*) AS n FROM "Report"') - reportsBefore).toBe(REPLIES);
    expect(count(dbFile, 'SELECT count(DISTINCT "ts") AS n FROM "Report"')).toBe(
      count(dbFile, 'SELECT count(*) AS n FROM "Report" WHERE "ts" IS NOT NULL'),
    );
    // Every click answered and recorded, none told "处理时出错了".
    await waitFor(
      () =>
        count(dbFile, `SELECT count(*) AS n FROM "Event" WHERE "type" = 'task.urged'`) - urgesBefore ===
        clicks,
      30_000,
    );
    const told = fake.ephemerals.map((e) => textOf(e)).filter((text) => /出错|稍后再试/.test(text));
    expect(told).toEqual([]);
    // The job ran for the minute that turned during the stream, once for both processes.
    await waitFor(
      () =>
        count(
          dbFile,
          `SELECT count(*) AS n FROM "JobRun" WHERE "job" = 'urgent' AND "state" = 'done' AND "slot" >= '${minuteTurns.toISOString().replace("Z", "+00:00")}'`,
        ) >= 1,
      30_000,
    );
    // Both processes took a share of the stream, and neither logged an error.
    const served = new Set(fake.sentRequests.slice(sentBefore).map((r) => new URL(r.url).port));
    expect(served).toEqual(new Set([String(portA), String(portB)]));
    for (const run of [a, b]) expect(run.stdout).not.toMatch(/"level":50/);
  });
});

describe("kill -9 and a quick restart", () => {
  it("posts every card exactly once: what the dead process left sending is taken over and looked for first", async () => {
    const { slack: fake, dbFile } = await preparedOffice({ dispatch: false });
    const secret = crypto.randomBytes(16).toString("hex");
    // Each post lands at once, but its answer takes half a second: a kill catches posts whose
    // outcome the process never learned.
    fake.answerLatencyMs["chat.postMessage"] = 500;
    const first = start(dbFile, secret, fake);
    fake.connectHttp(`http://127.0.0.1:${await portOf(first)}/slack/events`, secret);

    // Three decisions at once: fifteen cards, their rollups and notices owed, paced one per
    // second per channel.
    let previous: string | undefined;
    for (let n = 0; n < 3; n++) {
      await fake.command(PEOPLE.supervisor.id, CHANNELS.general.id, `新建 ${MEETING_DECISION}`);
      await waitFor(() => (fake.openModal(PEOPLE.supervisor.id)?.id ?? previous) !== previous, 10_000);
      const modal = fake.openModal(PEOPLE.supervisor.id);
      previous = modal?.id;
      if (!modal) throw new Error("no decision modal");
      await fake.submit(PEOPLE.supervisor.id, modal.id, { d_ref: `纪要〔2026〕${20 + n}号` });
    }
    // Killed while sending.
    await waitFor(
      () => count(dbFile, `SELECT count(*) AS n FROM "OutboxMessage" WHERE "state" = 'sending'`) > 0,
      20_000,
    );
    first.child.kill("SIGKILL");
    await first.exited;
    const leftSending = count(dbFile, `SELECT count(*) AS n FROM "OutboxMessage" WHERE "state" = 'sending'`);
    fake.answerLatencyMs["chat.postMessage"] = 0;
    const second = start(dbFile, secret, fake);
    fake.connectHttp(`http://127.0.0.1:${await portOf(second)}/slack/events`, secret);

    await waitFor(
      () =>
        count(dbFile, `SELECT count(*) AS n FROM "OutboxMessage" WHERE "state" IN ('pending', 'sending')`) ===
        0,
      90_000,
    );
    const cardKeys = [...fake.channels.values()].flatMap((c) =>
      c.messages
        .filter((m) => m.botId)
        .map((m) => (m.metadata?.event_payload as { key?: string } | undefined)?.key ?? "")
        .filter((key) => key.startsWith("card:")),
    );
    expect(cardKeys).toHaveLength(15);
    expect(new Set(cardKeys).size).toBe(15);
    const everyKey = [...fake.channels.values()].flatMap((c) =>
      c.messages
        .filter((m) => m.botId)
        .map((m) => (m.metadata?.event_payload as { key?: string } | undefined)?.key),
    );
    const keyed = everyKey.filter((k): k is string => Boolean(k));
    expect(keyed.length - new Set(keyed).size).toBe(0);
    expect(count(dbFile, `SELECT count(*) AS n FROM "OutboxMessage" WHERE "state" = 'dead'`)).toBe(0);
    expect(leftSending).toBeGreaterThan(0);
  });
});

describe("a damaged database file", () => {
  it("is found at start (PRAGMA quick_check), logged, and reported by /healthz until it is sound", async () => {
    const { slack: fake, dbFile } = await preparedOffice({ dispatch: true });
    // Enough rows that the file has pages in the middle to damage.
    const db = new Database(dbFile);
    const insert = db.prepare(
      `INSERT INTO "Event" ("at", "actor", "type", "before", "after") VALUES (CURRENT_TIMESTAMP, 'U0TEST', 'setting.changed', '{}', '{}')`,
    );
    for (let i = 0; i < 3_000; i++) insert.run();
    db.pragma("wal_checkpoint(TRUNCATE)");
    db.close();
    const size = fs.statSync(dbFile).size;
    const fd = fs.openSync(dbFile, "r+");
    fs.writeSync(fd, Buffer.alloc(64, 0xff), 0, 64, Math.floor(size / 4096 / 2) * 4096);
    fs.closeSync(fd);

    const run = start(dbFile, crypto.randomBytes(16).toString("hex"), fake);
    const port = await portOf(run);
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ status: "error", db: "corrupt" });
    expect(run.stdout).toMatch(/"level":50.*the database file is damaged/);
  });
});

describe("kill -9 while replies stream in", () => {
  it("loses no reply and doubles none: Slack's resends, and the threads read at restart, fill the gap", async () => {
    const { slack: fake, dbFile } = await preparedOffice({ dispatch: true });
    const secret = crypto.randomBytes(16).toString("hex");
    const first = start(dbFile, secret, fake);
    fake.connectHttp(`http://127.0.0.1:${await portOf(first)}/slack/events`, secret);
    const reply = replier(fake);
    const REPLIES = 120;
    const sent: Promise<unknown>[] = [];
    for (let i = 0; i < REPLIES; i++) {
      sent.push(reply(i));
      if (i % 6 === 5) await Promise.all(sent.splice(0));
      if (i === 40) {
        // The machine loses the process mid-stream; it is started again at once.
        first.child.kill("SIGKILL");
        await first.exited;
        const second = start(dbFile, secret, fake);
        fake.connectHttp(`http://127.0.0.1:${await portOf(second)}/slack/events`, secret);
      }
    }
    await Promise.all(sent);
    await fake.idle();
    const reportsNow = () => count(dbFile, 'SELECT count(*) AS n FROM "Report" WHERE "ts" IS NOT NULL');
    // What Slack gave up on while nothing listened was read from the threads by the restart.
    expect(fake.eventsGivenUp.length).toBeGreaterThan(0);
    await waitFor(() => reportsNow() === REPLIES, 60_000).catch(() => undefined);
    // Each reply in the threads is a report: none missing (the list says which, if any).
    const db = new Database(dbFile, { readonly: true });
    const stored = new Set(
      (db.prepare('SELECT "ts" FROM "Report"').all() as { ts: string }[]).map((r) => r.ts),
    );
    db.close();
    const missing = [...fake.channels.values()].flatMap((c) =>
      c.messages.filter((m) => !m.botId && m.threadTs && !stored.has(m.ts)).map((m) => m.text),
    );
    expect(missing).toEqual([]);
    expect(reportsNow()).toBe(REPLIES);
    expect(count(dbFile, 'SELECT count(DISTINCT "ts") AS n FROM "Report" WHERE "ts" IS NOT NULL')).toBe(
      REPLIES,
    );
    expect(count(dbFile, `SELECT count(*) AS n FROM "InboxEvent" WHERE "state" = 'failed'`)).toBe(0);
    const check = new Database(dbFile, { readonly: true });
    try {
      expect(check.pragma("integrity_check", { simple: true })).toBe("ok");
    } finally {
      check.close();
    }
  });
});

describe("Slack answering 500, then 429, for a while", () => {
  it("gets everything owed delivered once Slack recovers, each channel in order, none twice", async () => {
    const { slack: fake, dbFile } = await preparedOffice({ dispatch: false });
    const secret = crypto.randomBytes(16).toString("hex");
    const run = start(dbFile, secret, fake);
    fake.connectHttp(`http://127.0.0.1:${await portOf(run)}/slack/events`, secret);
    // Posts fail: twenty 500s, then ten 429s asking to wait a second.
    fake.failNext({ method: "chat.postMessage", status: 500, times: 20 });
    fake.failNext({ method: "chat.postMessage", status: 429, retryAfter: 1, times: 10 });
    let previous: string | undefined;
    for (let n = 0; n < 2; n++) {
      await fake.command(PEOPLE.supervisor.id, CHANNELS.general.id, `新建 ${MEETING_DECISION}`);
      await waitFor(() => (fake.openModal(PEOPLE.supervisor.id)?.id ?? previous) !== previous, 10_000);
      const modal = fake.openModal(PEOPLE.supervisor.id);
      previous = modal?.id;
      if (!modal) throw new Error("no decision modal");
      await fake.submit(PEOPLE.supervisor.id, modal.id, { d_ref: `纪要〔2026〕${30 + n}号` });
    }
    await waitFor(
      () =>
        count(dbFile, `SELECT count(*) AS n FROM "OutboxMessage" WHERE "state" IN ('pending', 'sending')`) ===
        0,
      90_000,
    );
    expect(fake.calls.filter((c) => c.status === 500).length).toBe(20);
    expect(fake.calls.filter((c) => c.status === 429).length).toBe(10);
    const keyOf = (m: { metadata?: Record<string, unknown> }) =>
      (m.metadata?.event_payload as { key?: string } | undefined)?.key ?? "";
    const cards = [...fake.channels.values()].flatMap((c) =>
      c.messages
        .filter((m) => m.botId && keyOf(m).startsWith("card:"))
        .map((m) => ({ channel: c.id, key: keyOf(m) })),
    );
    expect(cards).toHaveLength(10);
    expect(new Set(cards.map((c) => c.key)).size).toBe(10);
    // In each channel, the cards are in the order of their tasks.
    for (const channel of new Set(cards.map((c) => c.channel))) {
      const ids = cards.filter((c) => c.channel === channel).map((c) => Number(c.key.split(":")[1]));
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
    }
    expect(count(dbFile, `SELECT count(*) AS n FROM "OutboxMessage" WHERE "state" = 'dead'`)).toBe(0);
  });
});

import crypto from "node:crypto";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { FakeSlack } from "../fake-slack/fake-slack.js";
import { MEETING_DECISION } from "../fake-slack/scenario.js";
import { populate } from "../fake-slack/workspace.js";
import { CHANNELS, PEOPLE, startTestBot, textOf } from "../support/harness.js";
import { cardOf, dispatchMeeting, officeReady } from "../support/office.js";
import { adminQuery, type OwnPostgres, pgCount, startOwnCluster, withDatabase } from "../support/postgres.js";
import { portOf, type Run, runMain, waitFor } from "../support/process.js";

/**
 * Three bot processes (`npm start`'s entry point) on one PostgreSQL database behind one Slack
 * app, Slack's requests spread across them in turn as a load balancer spreads them.
 */
let server: OwnPostgres;
let databases = 0;
const runs: Run[] = [];
let fake: FakeSlack | undefined;
beforeAll(async () => {
  server = await startOwnCluster();
});
afterEach(async () => {
  for (const run of runs.splice(0)) run.child.kill("SIGKILL");
  await fake?.stop();
  fake = undefined;
});
afterAll(async () => {
  await server?.stop();
});

const count = pgCount;

/** The office set up (by the in-process bot, then stopped) on a database of its own. */
async function preparedOffice(options: { dispatch: boolean }) {
  const name = `office${++databases}`;
  await adminQuery(server.adminUrl, `CREATE DATABASE "${name}"`);
  const url = withDatabase(server.adminUrl, name);
  fake = new FakeSlack();
  await fake.start();
  populate(fake);
  const t = await startTestBot({ slack: fake, ownSlack: false, databaseUrl: url });
  await officeReady(t);
  if (options.dispatch) await dispatchMeeting(t);
  // The urgent-task check every minute: its slots turn while the replicas work.
  await t.slack.command(PEOPLE.admin.id, CHANNELS.general.id, "设置 计划 急件 * * * * *");
  await t.settle();
  await t.stop({ keepSlack: true });
  return { slack: fake, url };
}

/** Three replicas, each with its own port, Slack's requests to each in turn. */
async function replicas(slack: FakeSlack, url: string, n = 3): Promise<Run[]> {
  const secret = crypto.randomBytes(16).toString("hex");
  const started = Array.from({ length: n }, () => {
    const run = runMain({
      SLACK_BOT_TOKEN: slack.botToken,
      SLACK_SIGNING_SECRET: secret,
      SLACK_API_URL: slack.apiUrl,
      DATABASE_URL: url,
      PORT: "0",
      LOG_LEVEL: "info",
      DUCHA_ADMINS: PEOPLE.admin.id,
    });
    runs.push(run);
    return run;
  });
  const ports = await Promise.all(started.map(portOf));
  slack.connectHttp(`http://127.0.0.1:${ports[0]}/slack/events`, secret);
  for (const port of ports.slice(1)) slack.addHttpReplica(`http://127.0.0.1:${port}/slack/events`);
  return started;
}

/** Opens the decision modal for each person, then submits them all at the same moment. */
async function decideTogether(slack: FakeSlack, people: readonly { id: string }[], first: number) {
  const views: { person: string; id: string }[] = [];
  for (const person of people) {
    const before = slack.openModal(person.id)?.id;
    await slack.command(person.id, CHANNELS.general.id, `新建 ${MEETING_DECISION}`);
    await waitFor(() => (slack.openModal(person.id)?.id ?? before) !== before, 10_000);
    views.push({ person: person.id, id: slack.openModal(person.id)?.id ?? "" });
  }
  const results = await Promise.all(
    views.map((v, i) => slack.submit(v.person, v.id, { d_ref: `纪要〔2026〕${first + i}号` })),
  );
  for (const result of results) expect(result.outcome).toBe("updated");
}

/** Every bot message in the workspace that carries an outbox key, by key. */
function deliveredKeys(slack: FakeSlack): string[] {
  return [...slack.channels.values()].flatMap((c) =>
    c.messages
      .filter((m) => m.botId)
      .map((m) => (m.metadata?.event_payload as { key?: string } | undefined)?.key)
      .filter((k): k is string => Boolean(k)),
  );
}

const owed = (url: string) =>
  count(url, `SELECT count(*) AS n FROM "OutboxMessage" WHERE "state" IN ('pending', 'sending')`);

describe("three replicas on one PostgreSQL", () => {
  it("number concurrent decisions without gaps, store each event once, deliver each message once", async () => {
    const { slack, url } = await preparedOffice({ dispatch: true });
    const started = await replicas(slack, url);
    const sentBefore = slack.sentRequests.length;

    // Three decisions submitted at the same moment, to three replicas.
    await decideTogether(slack, [PEOPLE.supervisor, PEOPLE.admin, PEOPLE.leader], 40);
    // A stream of replies, each delivered twice (Slack resends): the copies reach different replicas.
    const cards = [1, 2, 3, 4, 5].map((seq) => cardOf({ slack } as never, seq));
    const reporters = [PEOPLE.finance1, PEOPLE.housing1, PEOPLE.transport1, PEOPLE.finance2, PEOPLE.housing1];
    const REPLIES = 60;
    let clicks = 0;
    for (let i = 0; i < REPLIES; i += 6) {
      await Promise.all(
        Array.from({ length: 6 }, (_, j) => {
          const card = cards[(i + j) % 5] as (typeof cards)[number];
          const who = reporters[(i + j) % 5] as { id: string };
          return slack.say(who.id, card.channel, `进度${((i + j) % 9) + 1}0%，第${i + j + 1}次报送`, {
            threadTs: card.ts,
            deliveries: 2,
          });
        }),
      );
      const card = cards[i % 5] as (typeof cards)[number];
      await slack.clickInMessage(PEOPLE.leader.id, card.channel, card.ts, "task_urge");
      clicks++;
    }
    await slack.idle();
    await waitFor(
      async () =>
        (await count(
          url,
          `SELECT count(*) AS n FROM "InboxEvent" WHERE "state" IN ('pending', 'processing')`,
        )) === 0 && (await owed(url)) === 0,
      90_000,
    );

    // Numbers: 1–5 from before, then 6–20 for the three decisions, none shared, none skipped.
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const seqs = (await client.query<{ seq: number }>(`SELECT "seq" FROM "Task" ORDER BY "seq"`)).rows.map(
      (r) => r.seq,
    );
    const reports = (await client.query<{ ts: string }>(`SELECT "ts" FROM "Report" WHERE "ts" IS NOT NULL`))
      .rows;
    const slots = (
      await client.query<{ n: string; d: string }>(
        `SELECT count(*) AS n, count(DISTINCT ("job", "slot")) AS d FROM "JobRun"`,
      )
    ).rows[0];
    await client.end();
    expect(seqs).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    // Every reply stored once, though each reached two replicas.
    expect(reports).toHaveLength(REPLIES);
    expect(new Set(reports.map((r) => r.ts)).size).toBe(REPLIES);
    expect(await count(url, `SELECT count(*) AS n FROM "InboxEvent" WHERE "state" = 'failed'`)).toBe(0);
    // A click is acknowledged before its work is done: wait for the last ones to be written.
    const urged = () => count(url, `SELECT count(*) AS n FROM "Event" WHERE "type" = 'task.urged'`);
    await waitFor(async () => (await urged()) === clicks, 30_000).catch(() => undefined);
    expect(await urged()).toBe(clicks);
    // Each scheduled slot ran once for the three of them.
    expect(Number(slots?.n)).toBe(Number(slots?.d));
    // Every message owed was delivered once: 20 cards, no key twice.
    const keys = deliveredKeys(slack);
    expect(keys.filter((k) => k.startsWith("card:"))).toHaveLength(20);
    expect(keys.length - new Set(keys).size).toBe(0);
    expect(await count(url, `SELECT count(*) AS n FROM "OutboxMessage" WHERE "state" = 'dead'`)).toBe(0);
    // All three served, and none was told "处理时出错了" or logged an error.
    const served = new Set(slack.sentRequests.slice(sentBefore).map((r) => new URL(r.url).port));
    expect(served.size).toBe(3);
    expect(slack.lateAcks).toEqual([]);
    expect(slack.ephemerals.map((e) => textOf(e)).filter((t) => /出错|稍后再试/.test(t))).toEqual([]);
    for (const run of started) expect(run.stdout).not.toMatch(/"level":50/);
  });

  it("leave what a killed replica was sending to the others, which deliver it once", async () => {
    const { slack, url } = await preparedOffice({ dispatch: false });
    const [, b, c] = (await replicas(slack, url)) as [Run, Run, Run];
    // Each post lands at once but its answer takes half a second: a kill catches posts under way.
    slack.answerLatencyMs["chat.postMessage"] = 500;
    await decideTogether(slack, [PEOPLE.supervisor, PEOPLE.admin], 50);
    await waitFor(
      async () =>
        (await count(url, `SELECT count(*) AS n FROM "OutboxMessage" WHERE "state" = 'sending'`)) > 0,
      20_000,
    );
    // Two of the three are lost at once; the survivor takes over their leases when they lapse.
    for (const run of [b, c]) run.child.kill("SIGKILL");
    await Promise.all([b.exited, c.exited]);
    slack.answerLatencyMs["chat.postMessage"] = 0;
    await waitFor(async () => (await owed(url)) === 0, 120_000);
    const keys = deliveredKeys(slack);
    expect(keys.filter((k) => k.startsWith("card:"))).toHaveLength(10);
    expect(keys.length - new Set(keys).size).toBe(0);
    expect(await count(url, `SELECT count(*) AS n FROM "OutboxMessage" WHERE "state" = 'dead'`)).toBe(0);
  });
});

import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { PEOPLE, startTestBot, type TestBot } from "./support/harness.js";
import { cardOf, dispatchMeeting, officeReady, taskBySeq, threadNotices } from "./support/office.js";
import { Outsider } from "./support/outside.js";

/**
 * Acknowledged means stored: Slack does not send again what was answered 200. A reply is
 * answered only once it is in the inbox; what fails after that is retried from there.
 */

let t: TestBot;

afterEach(async () => {
  await t.stop();
});

async function reportsOf(seq: number) {
  const task = await taskBySeq(t, seq);
  return t.store.read((r) => r.reports.listForTask(task.id));
}

/** Someone moves a table away under the running bot (a restore gone wrong), then puts it back. */
async function moveTableAway(file: string, table: string): Promise<() => Promise<void>> {
  const other = new Outsider(file);
  await other.exec(`ALTER TABLE "${table}" RENAME TO "${table}_away"`);
  return async () => {
    await other.exec(`ALTER TABLE "${table}_away" RENAME TO "${table}"`);
    other.close();
  };
}

describe("a thread reply", () => {
  it("is answered 503 while the inbox cannot take it, and kept when Slack sends it again", async () => {
    t = await startTestBot();
    await officeReady(t);
    await dispatchMeeting(t);
    const card = cardOf(t, 1);
    const restore = await moveTableAway(t.dbFile, "InboxEvent");
    const sent = t.slack.sentRequests.length;
    // Slack retries at once, then (shortened here) after 200 ms and 1 s; the table is back in 500 ms.
    setTimeout(() => void restore(), 500);
    await t.slack.say(PEOPLE.finance1.id, card.channel, "进度40%，资金已到位", { threadTs: card.ts });
    await t.settle();
    const attempts = t.slack.sentRequests.slice(sent).filter((r) => r.type === "events_api");
    expect(attempts.length).toBeGreaterThan(1);
    expect(t.slack.eventsGivenUp).toEqual([]);
    expect(t.logs.some((l) => l.msg === "intake: the inbox cannot take an event now")).toBe(true);
    const reports = await reportsOf(1);
    expect(reports.map((r) => r.progress)).toEqual([40]);
  });

  it("acknowledged, then failing to be recorded, is recorded once the database takes it", async () => {
    t = await startTestBot({ inbox: { retryMs: 20, maxRetryMs: 100 } });
    await officeReady(t);
    await dispatchMeeting(t);
    const card = cardOf(t, 1);
    const restore = await moveTableAway(t.dbFile, "Report");
    const delivered = await t.slack.say(PEOPLE.finance1.id, card.channel, "进度60%，已完成招标", {
      threadTs: card.ts,
    });
    expect(delivered).toBeDefined();
    // Slack was answered 200: it will not send this again.
    expect(t.slack.eventsGivenUp).toEqual([]);
    await expect
      .poll(() => t.logs.some((l) => l.msg === "inbox: an event will be tried again"), { timeout: 5_000 })
      .toBe(true);
    await restore();
    await expect.poll(async () => (await reportsOf(1)).length, { timeout: 10_000, interval: 50 }).toBe(1);
    await t.settle();
    expect((await reportsOf(1))[0]).toMatchObject({ progress: 60, userId: PEOPLE.finance1.id });
    expect((await taskBySeq(t, 1)).progress).toBe(60);
    expect(await t.store.read((r) => r.inbox.backlog())).toMatchObject({ waiting: 0, failed: 0 });
  });
});

describe("an acknowledgement, with work queued for the database", () => {
  it("waits for the transaction running, not for the queue behind it", async () => {
    t = await startTestBot();
    await officeReady(t);
    await dispatchMeeting(t);
    const card = cardOf(t, 1);
    // Thirty transactions queued at once, each of forty statements, as a burst of replies and
    // lists would queue them on the one connection.
    const QUEUED = 30;
    let done = 0;
    const queued = Array.from({ length: QUEUED }, () =>
      t.store
        .transaction(async (tx) => {
          for (let i = 0; i < 40; i++) await tx.departments.listActive();
        })
        .then(() => {
          done++;
        }),
    );
    await t.slack.say(PEOPLE.finance1.id, card.channel, "进度60%，已完成招标", { threadTs: card.ts });
    // The reply was stored and answered while most of the queue still waited: the loop turns
    // between statements, and the inbox's write goes first in line.
    const doneAtAck = done;
    await Promise.all(queued);
    expect(t.slack.lateAcks).toEqual([]);
    expect(doneAtAck).toBeLessThan(QUEUED / 3);
    await t.settle();
    expect((await reportsOf(1)).map((r) => r.progress)).toContain(60);
  });
});

describe("a request signed as Slack signs it", () => {
  it("is refused when dated ten minutes in the future", async () => {
    t = await startTestBot();
    await officeReady(t);
    const body = new URLSearchParams({
      command: "/ducha",
      text: "单位 列表",
      user_id: PEOPLE.admin.id,
      channel_id: "C0GENERAL",
      trigger_id: "future.1",
      response_url: `${t.slack.baseUrl}/response/nowhere`,
    }).toString();
    const future = Math.floor(Date.now() / 1000) + 10 * 60;
    const result = await t.slack.sendRaw(body, {
      "Content-Type": "application/x-www-form-urlencoded",
      ...t.slack.sign(body, future),
    });
    expect(result.status).toBe(401);
  });

  it("replayed within five minutes changes nothing: a 催办 is recorded once", async () => {
    t = await startTestBot();
    await officeReady(t);
    await dispatchMeeting(t);
    const card = cardOf(t, 1);
    await t.slack.clickInMessage(PEOPLE.leader.id, card.channel, card.ts, "task_urge");
    await t.settle();
    const urges = () => threadNotices(t, cardOf(t, 1)).filter((text) => text.includes("催办"));
    expect(urges()).toHaveLength(1);
    const click = t.slack.sentRequests.filter((r) => r.type === "interactive").at(-1);
    if (!click) throw new Error("no click was sent");
    const again = await t.slack.sendRaw(click.body, click.headers);
    expect(again.status).toBe(200);
    await t.settle();
    expect(urges()).toHaveLength(1);
    const task = await taskBySeq(t, 1);
    const events = await t.store.read((r) => r.events.forTask(task.id));
    expect(events.filter((e) => e.type === "task.urged")).toHaveLength(1);
  });

  it("replayed, a report modal's submission records the report once", async () => {
    t = await startTestBot();
    await officeReady(t);
    await dispatchMeeting(t);
    const card = cardOf(t, 1);
    await t.slack.clickInMessage(PEOPLE.finance1.id, card.channel, card.ts, "task_report");
    await t.settle();
    const modal = t.slack.openModal(PEOPLE.finance1.id);
    if (!modal) throw new Error("no report modal");
    await t.slack.submit(PEOPLE.finance1.id, modal.id, { a_text: "完成一半，资金已拨付", a_progress: "50" });
    await t.settle();
    expect(await reportsOf(1)).toHaveLength(1);
    const submission = t.slack.sentRequests.filter((r) => r.type === "interactive").at(-1);
    if (!submission) throw new Error("no submission was sent");
    const again = await t.slack.sendRaw(submission.body, submission.headers);
    expect(again.status).toBe(200);
    await t.settle();
    expect(await reportsOf(1)).toHaveLength(1);
  });

  it("refused while the database was away longer than Slack's retries, are read from their threads once it is back", async () => {
    t = await startTestBot();
    await officeReady(t);
    await dispatchMeeting(t);
    const card = cardOf(t, 1);
    const other = cardOf(t, 2);
    await t.slack.say(PEOPLE.finance1.id, card.channel, "进度20%，已启动", { threadTs: card.ts });
    await t.settle();
    const restore = await moveTableAway(t.dbFile, "InboxEvent");
    // The bot runs on; each reply is refused (503), resent twice, then given up by Slack.
    await t.slack.say(PEOPLE.finance1.id, card.channel, "进度40%，资金已到位", { threadTs: card.ts });
    await t.slack.say(PEOPLE.finance2.id, card.channel, "进度50%，完成招标", { threadTs: card.ts });
    await t.slack.say(PEOPLE.housing1.id, other.channel, "遇到困难：拆迁户不配合", { threadTs: other.ts });
    expect(t.slack.eventsGivenUp).toHaveLength(3);
    // Reading the threads again meets a rate limit: it waits and reads on, skipping none.
    t.slack.failNext({ method: "conversations.replies", status: 429, retryAfter: 1 });
    await restore();
    await expect
      .poll(async () => (await reportsOf(1)).map((r) => r.progress), { timeout: 15_000, interval: 100 })
      .toEqual([20, 40, 50]);
    await expect
      .poll(async () => (await reportsOf(2)).map((r) => r.blocker), { timeout: 15_000, interval: 100 })
      .toEqual([true]);
    expect(t.slack.callsTo("conversations.replies").map((c) => c.error ?? "ok")).toEqual([
      "http_429",
      "ok",
      "ok",
    ]);
    // Only the threads it refused were read, and nothing twice.
    await t.settle();
    expect(await reportsOf(1)).toHaveLength(3);
  });

  it("sent while Slack's side was away longer than its retries, are read from the threads once a send works again", async () => {
    t = await startTestBot({ outbox: { slackOutageRereadMs: 500, backoffMs: 100, maxBackoffMs: 200 } });
    await officeReady(t);
    await dispatchMeeting(t);
    const card = cardOf(t, 1);
    t.slack.goAway();
    await t.slack.say(PEOPLE.finance1.id, card.channel, "进度40%，资金已到位", { threadTs: card.ts });
    expect(t.slack.eventsGivenUp).toHaveLength(1);
    // Something is owed meanwhile (a run's digest, a card): Slack answers 503 for a while.
    await t.store.transaction((tx) =>
      tx.outbox.enqueue({
        key: "text:during-outage",
        lane: card.channel,
        message: { kind: "text", channel: card.channel, text: "停机期间的消息" },
      }),
    );
    t.bot.settleOutbox().catch(() => {});
    await new Promise((resolve) => setTimeout(resolve, 800));
    t.slack.comeBack();
    await expect
      .poll(async () => (await reportsOf(1)).map((r) => r.progress), { timeout: 15_000, interval: 100 })
      .toEqual([40]);
    expect(t.slack.messages(card.channel).filter((m) => m.text === "停机期间的消息")).toHaveLength(1);
  });

  it("sent while ducha was down (Slack gave up on them), are read from the threads at start, once", async () => {
    t = await startTestBot();
    await officeReady(t);
    await dispatchMeeting(t);
    const card = cardOf(t, 1);
    await t.slack.say(PEOPLE.finance1.id, card.channel, "进度20%，已启动", { threadTs: card.ts });
    await t.settle();
    const slack = t.slack;
    const databaseUrl = t.databaseUrl;
    await t.stop({ keepSlack: true });
    // While ducha is down: two replies, and a file. Slack retries each event, then gives up.
    await slack.say(PEOPLE.finance1.id, card.channel, "进度40%，资金已到位", { threadTs: card.ts });
    await slack.say(PEOPLE.finance2.id, card.channel, "进度50%，完成招标", { threadTs: card.ts });
    const other = cardOf({ slack } as TestBot, 2);
    await slack.say(PEOPLE.housing1.id, other.channel, "遇到困难：拆迁户不配合", { threadTs: other.ts });
    expect(slack.eventsGivenUp).toHaveLength(3);
    t = await startTestBot({ slack, ownSlack: true, databaseUrl });
    await t.settle();
    expect((await reportsOf(1)).map((r) => r.progress)).toEqual([20, 40, 50]);
    expect((await reportsOf(2)).map((r) => r.blocker)).toEqual([true]);
    // Started again: nothing read twice, nor queued again — the replies found in the threads are
    // stored already, and the inbox takes no new row for them.
    const stillSlack = t.slack;
    const countInbox = async () => {
      const db = new Database(t.dbFile, { readonly: true });
      try {
        return (db.prepare('SELECT count(*) AS n FROM "InboxEvent"').get() as { n: number }).n;
      } finally {
        db.close();
      }
    };
    // A reply received live just before the stop is in the threads re-read at the next start.
    await stillSlack.say(PEOPLE.finance1.id, card.channel, "进度60%，主体完工", { threadTs: card.ts });
    await t.settle();
    const before = await countInbox();
    await t.stop({ keepSlack: true });
    t = await startTestBot({ slack: stillSlack, ownSlack: true, databaseUrl });
    await t.settle();
    expect(await reportsOf(1)).toHaveLength(4);
    expect(await reportsOf(2)).toHaveLength(1);
    expect(await countInbox()).toBe(before);
    const reread = t.logs.find(
      (l) => l.msg === "read the threads of open tasks for replies missed while down",
    );
    expect((reread as { skipped?: number } | undefined)?.skipped).toBeGreaterThanOrEqual(3);
  });
});

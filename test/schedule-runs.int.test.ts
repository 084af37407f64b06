import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startOfDay } from "../src/domain/time.js";
import { CHANNELS, PEOPLE, startTestBot, type TestBot, textOf } from "./support/harness.js";
import { cardOf, dispatchMeeting, officeReady, taskBySeq, threadNotices } from "./support/office.js";

let t: TestBot;

/** Beijing time on a day. */
const at = (date: string, time = "09:00") => {
  const [h, m] = time.split(":").map(Number);
  return new Date(startOfDay(date, "Asia/Shanghai").getTime() + ((h ?? 0) * 60 + (m ?? 0)) * 60_000);
};

/** The clock reaches a moment and the scheduler's minute tick fires. */
async function tickAt(date: string, time = "09:00") {
  t.clock.set(at(date, time));
  await t.bot.scheduler.tick(t.clock.now());
  await t.settle();
}

const digests = (channelId: string) => t.slack.messages(channelId).filter((m) => m.text.includes("督查提醒"));

beforeEach(async () => {
  t = await startTestBot();
  await officeReady(t);
});
afterEach(async () => {
  await t.stop();
});

describe("the daily run", () => {
  it("posts one digest per department with something to say, on working days only", async () => {
    await dispatchMeeting(t); // Tuesday 12-01 09:00
    // Everyone but 市交通运输局 acknowledges their tasks.
    for (const [person, seqs] of [
      [PEOPLE.finance1, [1, 4]],
      [PEOPLE.housing1, [2, 5]],
    ] as const) {
      for (const seq of seqs) {
        const card = cardOf(t, seq);
        await t.slack.clickInMessage(person.id, card.channel, card.ts, "task_ack");
      }
    }
    await t.settle();
    await tickAt("2026-12-02"); // Wednesday: 交通局 has not acknowledged for a working day
    expect(digests(CHANNELS.transport.id)).toHaveLength(1);
    const digest = textOf(digests(CHANNELS.transport.id)[0]);
    expect(digest).toContain("督查提醒 · 市交通运输局（12月2日）");
    expect(digest).toContain("尚未签收");
    expect(digest).toMatch(/<https:[^|]+\|督〔2026〕3号> 完成全市公交站台安全隐患排查整改/);
    expect(digests(CHANNELS.finance.id)).toHaveLength(0);
    expect(digests(CHANNELS.housing.id)).toHaveLength(0);
    await tickAt("2026-12-05"); // Saturday
    await tickAt("2026-12-06"); // Sunday
    expect(digests(CHANNELS.transport.id)).toHaveLength(1);
    await tickAt("2026-12-07"); // Monday
    expect(digests(CHANNELS.transport.id)).toHaveLength(2);
  });

  it("stays quiet over the National Day holiday and runs on the make-up Saturday", async () => {
    t.clock.set(at("2026-09-28"));
    await dispatchMeeting(t, "一、交通局负责，10个工作日内完成重点路段隐患排查。");
    const ran = new Set<string>();
    for (const day of [
      "2026-09-29",
      "2026-10-01",
      "2026-10-03",
      "2026-10-07",
      "2026-10-08",
      "2026-10-10",
      "2026-10-11",
    ]) {
      const before = digests(CHANNELS.transport.id).length;
      await tickAt(day);
      if (digests(CHANNELS.transport.id).length > before) ran.add(day);
    }
    expect([...ran]).toEqual(["2026-09-29", "2026-10-08", "2026-10-10"]);
  });

  it("asks for the cadence report in the card's thread once per period", async () => {
    await dispatchMeeting(t); // task 2 reports weekly
    const card = cardOf(t, 2);
    await t.slack.clickInMessage(PEOPLE.housing1.id, card.channel, card.ts, "task_ack");
    await t.settle();
    await tickAt("2026-12-07");
    expect(threadNotices(t, cardOf(t, 2)).filter((n) => n.includes("反馈本期进展"))).toHaveLength(0);
    await tickAt("2026-12-08"); // a week after dispatch
    await tickAt("2026-12-09");
    const requests = threadNotices(t, cardOf(t, 2)).filter((n) => n.includes("反馈本期进展"));
    expect(requests).toEqual([
      `:spiral_calendar_pad: 请 <@${PEOPLE.housing1.id}> 在本线程反馈本期进展（每周反馈）。`,
    ]);
    expect(textOf(digests(CHANNELS.housing.id).at(-1))).toContain("应反馈未反馈");
  });

  it("climbs the escalation ladder once per episode, and a substantive report ends the episode", async () => {
    await dispatchMeeting(t);
    const card = () => cardOf(t, 4); // 市财政局, due 12-31, no cadence: stalls 7 working days after dispatch
    await t.slack.clickInMessage(PEOPLE.finance1.id, card().channel, card().ts, "task_ack");
    await t.settle();
    await tickAt("2026-12-09");
    expect((await taskBySeq(t, 4)).escalationStep).toBe(0);
    await tickAt("2026-12-10"); // step 1: a reminder
    expect(threadNotices(t, card()).at(-1)).toContain("提醒：本事项长期无实质进展");
    expect(textOf(card())).toContain("已列为停滞事项");
    expect(textOf(card())).toContain("红灯");
    // A 走过场 reply does not end the episode.
    await t.slack.say(PEOPLE.finance1.id, card().channel, "正在推进", { threadTs: card().ts });
    await t.settle();
    await tickAt("2026-12-11"); // step 2: an urge naming the members
    expect(threadNotices(t, card()).at(-1)).toContain(
      `催办：本事项长期无实质进展，请 <@${PEOPLE.finance1.id}>、<@${PEOPLE.finance2.id}>`,
    );
    await tickAt("2026-12-12"); // Saturday: no step
    await tickAt("2026-12-14"); // step 3: the supervision channel and the leader
    const escalationsOf4 = () =>
      t.slack
        .messages(CHANNELS.supervision.id)
        .filter((m) => m.text.includes("提级督办") && m.text.includes("督〔2026〕4号"));
    const escalations = escalationsOf4();
    expect(escalations).toHaveLength(1);
    expect(escalations[0]?.text).toContain("督〔2026〕4号");
    expect(
      t.slack.directMessages(PEOPLE.leader.id).filter((m) => m.text.includes("督〔2026〕4号")),
    ).toHaveLength(1);
    await tickAt("2026-12-15");
    await tickAt("2026-12-16");
    expect(escalationsOf4()).toHaveLength(1);
    const ladder = threadNotices(t, card()).filter((n) => n.includes("提醒：") || n.includes("催办："));
    expect(ladder).toHaveLength(2);
    // A substantive report ends the episode: the light recovers and the ladder starts from the bottom again.
    await t.slack.say(PEOPLE.finance1.id, card().channel, "进度70%，已下达5个区的资金", {
      threadTs: card().ts,
    });
    await t.settle();
    expect((await taskBySeq(t, 4)).escalationStep).toBe(0);
    await tickAt("2026-12-17");
    expect(textOf(card())).not.toContain("已列为停滞事项");
    const events = await t.store.read((r) => r.events.forTask(4));
    expect(events.filter((e) => e.actor === "system").map((e) => e.type)).toEqual([
      "task.reminded",
      "task.urged",
      "task.escalated",
    ]);
  });

  it("works in DUCHA_TZ whatever the server's own time zone", async () => {
    const saved = process.env.TZ;
    process.env.TZ = "America/Los_Angeles";
    try {
      await dispatchMeeting(t);
      await tickAt("2026-12-02");
      const digest = textOf(digests(CHANNELS.transport.id)[0]);
      expect(digest).toContain("（12月2日）");
      expect(textOf(cardOf(t, 1))).toContain("12月15日");
    } finally {
      process.env.TZ = saved;
    }
  });
});

describe("two app instances on one database", () => {
  it("post each slot's digests once", async () => {
    await dispatchMeeting(t);
    const twin = await startTestBot({ slack: t.slack, databaseUrl: t.databaseUrl, receive: false });
    try {
      t.clock.set(at("2026-12-02"));
      twin.clock.set(at("2026-12-02"));
      await Promise.all([t.bot.scheduler.tick(t.clock.now()), twin.bot.scheduler.tick(twin.clock.now())]);
      await Promise.all([t.settle(), twin.settle()]);
      for (const channel of [CHANNELS.finance, CHANNELS.housing, CHANNELS.transport]) {
        expect(digests(channel.id)).toHaveLength(1);
      }
      const runs = await t.store.read((r) => r.jobRuns.list("daily"));
      expect(runs).toHaveLength(1);
    } finally {
      await twin.stop();
    }
  });
});

describe("a restart", () => {
  it("runs the daily slot missed while the bot was down, once", async () => {
    await dispatchMeeting(t);
    await t.stop({ keepSlack: true });
    // Down from Tuesday evening until Wednesday 10:30: Wednesday's 09:00 run was missed.
    t = await startTestBot({
      slack: t.slack,
      ownSlack: true,
      databaseUrl: t.databaseUrl,
      now: at("2026-12-02", "10:30"),
    });
    await t.bot.scheduler.catchUp();
    await t.settle();
    expect(digests(CHANNELS.transport.id)).toHaveLength(1);
    await t.bot.scheduler.catchUp();
    await t.settle();
    expect(digests(CHANNELS.transport.id)).toHaveLength(1);
  });
});

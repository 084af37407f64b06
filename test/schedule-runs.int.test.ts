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

  it("asks for the cadence report in the department's digest, naming its members, not in the thread", async () => {
    await dispatchMeeting(t); // task 2 reports weekly
    const card = cardOf(t, 2);
    await t.slack.clickInMessage(PEOPLE.housing1.id, card.channel, card.ts, "task_ack");
    await t.settle();
    await tickAt("2026-12-07");
    expect(digests(CHANNELS.housing.id).map(textOf).join("\n")).not.toContain("应反馈未反馈");
    await tickAt("2026-12-08"); // a week after dispatch
    const digest = textOf(digests(CHANNELS.housing.id).at(-1));
    expect(digest).toContain("*应反馈未反馈*（1 项）");
    expect(digest).toMatch(/<https:[^|]+\|督〔2026〕2号> 制定城中村改造实施方案/);
    expect(digest).toContain(`请 <@${PEOPLE.housing1.id}> 在各事项的消息列中反馈实质进展。`);
    expect(threadNotices(t, cardOf(t, 2)).filter((n) => n.includes("反馈"))).toEqual([]);
  });

  it("climbs the escalation ladder once per episode in the run's messages, and a substantive report ends the episode", async () => {
    await dispatchMeeting(t);
    const card = () => cardOf(t, 4); // 市财政局, due 12-31, no cadence: stalls 7 working days after dispatch
    await t.slack.clickInMessage(PEOPLE.finance1.id, card().channel, card().ts, "task_ack");
    await t.settle();
    const financeDigest = () => textOf(digests(CHANNELS.finance.id).at(-1));
    const line4 = /<https:[^|]+\|督〔2026〕4号> 足额下达冬季供暖补贴资金 — 长期无实质进展/;
    await tickAt("2026-12-09");
    expect((await taskBySeq(t, 4)).escalationStep).toBe(0);
    await tickAt("2026-12-10"); // step 1: a reminder
    expect(financeDigest()).toContain("*提醒：请尽快反馈实质进展*（2 项）"); // with task 1, not acknowledged
    expect(financeDigest()).toMatch(line4);
    expect(textOf(card())).toContain("已列为停滞事项");
    expect(textOf(card())).toContain("红灯");
    // A 走过场 reply does not end the episode.
    await t.slack.say(PEOPLE.finance1.id, card().channel, "正在推进", { threadTs: card().ts });
    await t.settle();
    await tickAt("2026-12-11"); // step 2: an urge naming the members
    expect(financeDigest()).toContain("*催办：仍无实质进展的，将报督查室和交办领导*（2 项）");
    expect(financeDigest()).not.toContain("*提醒：");
    expect(financeDigest()).toMatch(line4);
    expect(financeDigest()).toContain(
      `请 <@${PEOPLE.finance1.id}>、<@${PEOPLE.finance2.id}> 在各事项的消息列中反馈实质进展。`,
    );
    await tickAt("2026-12-12"); // Saturday: no step
    await tickAt("2026-12-14"); // step 3: the supervision channel and the leader
    const escalations = () =>
      t.slack.messages(CHANNELS.supervision.id).filter((m) => m.text.includes("提级督办"));
    expect(escalations()).toHaveLength(1);
    const escalation = textOf(escalations()[0]);
    expect(escalation).toContain("以下 4 项经提醒、催办仍无实质进展");
    expect(escalation).toContain(`*市财政局*（承办人：<@${PEOPLE.finance1.id}>、<@${PEOPLE.finance2.id}>）`);
    expect(escalation).toMatch(line4);
    const reports = () => t.slack.directMessages(PEOPLE.leader.id).filter((m) => m.text.includes("督办报告"));
    expect(reports()).toHaveLength(1);
    expect(textOf(reports()[0])).toMatch(line4);
    await tickAt("2026-12-15");
    await tickAt("2026-12-16");
    expect(escalations()).toHaveLength(1);
    expect(reports()).toHaveLength(1);
    expect(digests(CHANNELS.finance.id).filter((m) => textOf(m).includes("催办："))).toHaveLength(1);
    // The thread keeps people's replies: the ladder is in the digests, not one post per task.
    expect(threadNotices(t, card()).filter((n) => n.includes("提醒") || n.includes("催办"))).toEqual([]);
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

  it("says as much in one message per channel and person however many tasks stall", async () => {
    const items = Array.from({ length: 30 }, (_, i) => {
      const dept = ["财政局", "住建局", "交通局"][i % 3];
      return `${i + 1}、${dept}负责，年底前完成第${i + 1}项专项整治工作。`;
    });
    await dispatchMeeting(t, `市政府第16次常务会议研究决定：\n${items.join("\n")}`);
    // Nobody acknowledges or reports: the digests, then the stall's reminders, urges and escalations.
    const days = ["2026-12-02", "2026-12-10", "2026-12-11", "2026-12-14"];
    const posts: { channel: string; thread: boolean }[][] = [];
    for (const day of days) {
      const seen = t.slack.callsTo("chat.postMessage").length;
      await tickAt(day);
      posts.push(
        t.slack
          .callsTo("chat.postMessage")
          .slice(seen)
          .filter((c) => c.ok)
          .map((c) => ({ channel: String(c.args.channel), thread: c.args.thread_ts !== undefined })),
      );
    }
    // Each run: one message per department, none in a thread; on the third step one to the
    // supervision channel and one to the leader, listing all 30.
    for (const run of posts) {
      expect(run.filter((p) => p.thread)).toEqual([]);
      for (const channel of [CHANNELS.finance, CHANNELS.housing, CHANNELS.transport])
        expect(run.filter((p) => p.channel === channel.id)).toHaveLength(1);
    }
    // (Monday 12-14 also brings the weekly summary to the leaders' channel.)
    const ladderTargets: string[] = [CHANNELS.supervision.id, PEOPLE.leader.id];
    expect(posts.map((run) => run.filter((p) => ladderTargets.includes(p.channel)).length)).toEqual([
      0, 0, 0, 2,
    ]);
    const supervision = t.slack.messages(CHANNELS.supervision.id).filter((m) => m.text.includes("提级督办"));
    expect(supervision).toHaveLength(1);
    expect(textOf(supervision[0])).toContain("以下 30 项");
    expect(textOf(supervision[0]).match(/督〔2026〕\d+号/g)).toHaveLength(30);
    const reports = t.slack.directMessages(PEOPLE.leader.id).filter((m) => m.text.includes("督办报告"));
    expect(reports).toHaveLength(1);
    expect(textOf(reports[0]).match(/督〔2026〕\d+号/g)).toHaveLength(30);
    const digest = textOf(digests(CHANNELS.housing.id).at(-1));
    expect(digest.match(/督〔2026〕\d+号/g)?.length).toBeGreaterThanOrEqual(10);
  });

  it("climbs an urgent task's ladder by the hour, in one urgent message per department and run", async () => {
    await dispatchMeeting(t, "一、交通局立即组织力量，24小时内完成中山路塌陷路段抢修。"); // Tue 09:00
    const card = cardOf(t, 1);
    await t.slack.clickInMessage(PEOPLE.transport1.id, card.channel, card.ts, "task_ack");
    await t.settle();
    expect((await taskBySeq(t, 1)).urgent).toBe(true);
    const urgentPosts = () =>
      t.slack.messages(CHANNELS.transport.id).filter((m) => m.text.includes("紧急事项督查提醒"));
    for (const time of ["10:00", "16:00"]) await tickAt("2026-12-01", time);
    expect(urgentPosts()).toHaveLength(0);
    await tickAt("2026-12-01", "17:00"); // 8 hours without a substantive report: stalled
    expect(urgentPosts()).toHaveLength(1);
    expect(textOf(urgentPosts()[0])).toContain("紧急事项督查提醒 · 市交通运输局（12月1日 17:00）");
    expect(textOf(urgentPosts()[0])).toContain("*提醒：请尽快反馈实质进展*（1 项）");
    expect(textOf(urgentPosts()[0])).toContain(
      `请 <@${PEOPLE.transport1.id}> 在各事项的消息列中反馈实质进展。`,
    );
    await tickAt("2026-12-01", "18:00");
    expect(textOf(urgentPosts().at(-1))).toContain("*催办：");
    await tickAt("2026-12-01", "19:00");
    const escalations = t.slack.messages(CHANNELS.supervision.id).filter((m) => m.text.includes("提级督办"));
    expect(escalations).toHaveLength(1);
    expect(textOf(escalations[0])).toMatch(/督〔2026〕1号> 组织力量，完成中山路塌陷路段抢修/);
    await tickAt("2026-12-01", "20:00");
    expect(urgentPosts()).toHaveLength(2);
    expect(threadNotices(t, cardOf(t, 1)).filter((n) => n.includes("提醒") || n.includes("催办"))).toEqual(
      [],
    );
    // The next morning's daily message lists it under its light, not as a ladder step.
    await tickAt("2026-12-02");
    const daily = textOf(digests(CHANNELS.transport.id).at(-1));
    expect(daily).toMatch(/督〔2026〕1号> 组织力量，完成中山路塌陷路段抢修/);
    expect(daily).not.toContain("*催办：");
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
    // Two instances in one test process share its event loop, and better-sqlite3 waits out a
    // busy file synchronously: one instance waiting would stop the other from ever releasing
    // the lock (two processes, as in the field, wait independently). Here a busy file is
    // answered at once and the store's own retry waits asynchronously.
    await t.stop({ keepSlack: true });
    const shared = { slack: t.slack, databaseUrl: t.databaseUrl, busyTimeoutMs: 0 };
    t = await startTestBot({ ...shared, ownSlack: true });
    // Its start's own writes (the search index catching up) done: the twin's migration check,
    // which waits for no lock here, does not meet them.
    await t.settle();
    const twin = await startTestBot({ ...shared, receive: false });
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
    // It says which run it stands for.
    expect(digests(CHANNELS.transport.id)[0]?.text).toContain("补发：12月2日 09:00应发的提醒");
    await t.bot.scheduler.catchUp();
    await t.settle();
    expect(digests(CHANNELS.transport.id)).toHaveLength(1);
  });

  it("started at 08:59 after a pause of days, leaves yesterday's missed run to today's: one digest", async () => {
    await dispatchMeeting(t); // Tuesday 12-01
    await t.stop({ keepSlack: true });
    // Down from Tuesday until Friday 08:59: Thursday's 09:00 run was missed, Friday's is a minute away.
    t = await startTestBot({
      slack: t.slack,
      ownSlack: true,
      databaseUrl: t.databaseUrl,
      now: at("2026-12-04", "08:59"),
    });
    await t.bot.scheduler.catchUp();
    await t.settle();
    expect(digests(CHANNELS.transport.id)).toHaveLength(0);
    await tickAt("2026-12-04", "09:00");
    expect(digests(CHANNELS.transport.id)).toHaveLength(1);
    expect(digests(CHANNELS.transport.id)[0]?.text).not.toContain("补发");
  });

  it("posts at most one digest per department and working day, however many daily runs there are", async () => {
    await dispatchMeeting(t);
    // An office that set the daily run twice a day (or a run made up, then the day's own).
    await t.slack.command(PEOPLE.admin.id, CHANNELS.general.id, "设置 计划 每日 0 9,15 * * *");
    await t.settle();
    await tickAt("2026-12-02", "09:00");
    await tickAt("2026-12-02", "15:00");
    expect(digests(CHANNELS.transport.id)).toHaveLength(1);
    await tickAt("2026-12-03", "09:00");
    expect(digests(CHANNELS.transport.id)).toHaveLength(2);
  });
});

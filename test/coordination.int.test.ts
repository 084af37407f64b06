import ExcelJS from "exceljs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startOfDay } from "../src/domain/time.js";
import { MEETING_DECISION } from "../test/fake-slack/scenario.js";
import { CHANNELS, PEOPLE, startTestBot, type TestBot, textOf } from "./support/harness.js";
import {
  buttonsOf,
  cardOf,
  dispatchMeeting,
  officeReady,
  openNewDecision,
  threadNotices,
} from "./support/office.js";

let t: TestBot;

beforeEach(async () => {
  t = await startTestBot();
  await officeReady(t);
});
afterEach(async () => {
  await t.stop();
});

/** 市交通运输局's task 3 (住建局 not among its departments), acknowledged. */
async function transportTask() {
  await dispatchMeeting(t);
  const card = cardOf(t, 3);
  await t.slack.clickInMessage(PEOPLE.transport1.id, card.channel, card.ts, "task_ack");
  await t.settle();
  return card;
}

const noticesIn = (channelId: string) =>
  t.slack.messages(channelId).filter((m) => m.botId && m.text.includes("协调事项"));
const requests = () =>
  t.store.read((r) => r.coordinations.list(["open", "accepted", "answered", "resolved", "declined"]));

describe("协调: a blocker that needs another department", () => {
  it("opens a request, tells the department once in its channel and in the thread, and its reply answers it", async () => {
    const card = await transportTask();
    await t.slack.say(
      PEOPLE.transport1.id,
      card.channel,
      "进度40%。站台改造清单迟迟未定，需住建局协调提供改造清单。其余按计划推进",
      { threadTs: card.ts, deliveries: 2 },
    );
    await t.settle();
    const [request] = await requests();
    expect(request).toMatchObject({
      state: "open",
      fromDept: { name: "市交通运输局" },
      toDept: { name: "市住房和城乡建设局" },
      need: "站台改造清单迟迟未定，需住建局协调提供改造清单。",
      openedBy: PEOPLE.transport1.id,
    });
    // Dispatched Tuesday 12-01; two working days: by the end of Thursday 12-03.
    expect(request?.replyBy.toISOString()).toBe("2026-12-03T16:00:00.000Z");
    const notices = noticesIn(CHANNELS.housing.id);
    expect(notices).toHaveLength(1);
    const notice = textOf(notices[0]);
    expect(notice).toContain("*协调事项* <https:");
    expect(notice).toContain(
      "督〔2026〕3号>“完成全市公交站台安全隐患排查整改”（牵头：市交通运输局）需要贵单位协调：站台改造清单迟迟未定，需住建局协调提供改造清单。",
    );
    expect(notice).toContain("请于 *12月3日* 前答复");
    expect(textOf(cardOf(t, 3))).toContain(":handshake: 协调中：市住房和城乡建设局（今日提请，待答复）");
    const thread = threadNotices(t, cardOf(t, 3)).filter((n) => n.includes("协调事项"));
    expect(thread).toEqual([
      `:handshake: 协调事项：已请 *市住房和城乡建设局*（<@${PEOPLE.housing1.id}>）协调：站台改造清单迟迟未定，需住建局协调提供改造清单。\n请于 *12月3日* 前在本消息列中答复。`,
    ]);

    // The office sees it: 列表 协调 and the supervisors' App Home, oldest first.
    const line =
      /:handshake: <https:[^|]+\|督〔2026〕3号> 完成全市公交站台安全隐患排查整改 — 市交通运输局 → \*市住房和城乡建设局\*，今日提请，应于 12月3日 前答复/;
    const before = t.slack.ephemeralsFor(PEOPLE.supervisor.id).length;
    await t.slack.command(PEOPLE.supervisor.id, CHANNELS.general.id, "列表 协调");
    await t.settle();
    const listed = textOf(t.slack.ephemeralsFor(PEOPLE.supervisor.id).slice(before)[0]);
    expect(listed).toContain("协调事项（未办结 1 项，最久的在前）");
    expect(listed).toMatch(line);
    await t.slack.openHome(PEOPLE.supervisor.id);
    await t.settle();
    const home = textOf({
      text: "",
      blocks: t.slack.homeView(PEOPLE.supervisor.id)?.view.blocks as unknown[],
    });
    expect(home).toContain("*协调事项*（未办结 1 项，最久的在前）");
    expect(home).toMatch(line);

    // 住建局's member answers in the thread: the request is answered, the reply confirmed.
    const answer = await t.slack.say(PEOPLE.housing1.id, card.channel, "已安排专人对接，改造清单周五前提供", {
      threadTs: card.ts,
    });
    await t.settle();
    expect((await requests())[0]).toMatchObject({
      state: "answered",
      answeredBy: PEOPLE.housing1.id,
      answer: "已安排专人对接，改造清单周五前提供",
    });
    expect([...(t.slack.message(card.channel, answer.ts)?.reactions.keys() ?? [])]).toEqual([
      "white_check_mark",
    ]);
    // The lead reports the blocker gone: the request is resolved.
    await t.slack.say(PEOPLE.transport1.id, card.channel, "进度60%，改造清单已收到，已整改隐患22处", {
      threadTs: card.ts,
    });
    await t.settle();
    expect((await requests())[0]?.state).toBe("resolved");
    expect(textOf(cardOf(t, 3))).not.toContain("协调中");
    const events = await t.store.read((r) => r.events.forTask(request?.taskId ?? 0));
    expect(events.map((e) => e.type).filter((type) => type.startsWith("coordination."))).toEqual([
      "coordination.opened",
      "coordination.answered",
      "coordination.resolved",
    ]);
  });

  it("opens nothing for a name under a negation, the lead itself or an unknown department", async () => {
    const card = await transportTask();
    for (const text of [
      "无需住建局配合，但人手不足，推进困难",
      "交通局内部协调不畅，推进困难",
      "需省交通厅协调审批，推进困难",
    ]) {
      await t.slack.say(PEOPLE.transport1.id, card.channel, text, { threadTs: card.ts });
    }
    await t.settle();
    expect(await requests()).toEqual([]);
    expect(noticesIn(CHANNELS.housing.id)).toEqual([]);
  });

  it("adds a second report naming the department to the open request instead of opening another", async () => {
    const card = await transportTask();
    await t.slack.say(PEOPLE.transport1.id, card.channel, "遇到困难：需住建局提供改造清单", {
      threadTs: card.ts,
    });
    await t.settle();
    await t.slack.say(
      PEOPLE.transport1.id,
      card.channel,
      "仍有困难：住建局尚未反馈，另需住建局出具验收意见",
      {
        threadTs: card.ts,
      },
    );
    await t.settle();
    const all = await requests();
    expect(all).toHaveLength(1);
    expect(all[0]?.need).toBe(
      "遇到困难：需住建局提供改造清单\n仍有困难：住建局尚未反馈，另需住建局出具验收意见",
    );
    expect(noticesIn(CHANNELS.housing.id)).toHaveLength(1);
  });

  it("is taken on and answered with the notice's buttons, or declined with a reason the supervision channel is told", async () => {
    const card = await transportTask();
    await t.slack.say(
      PEOPLE.transport1.id,
      card.channel,
      "遇到困难：需住建局提供站台改造清单；另需财政局协调资金",
      {
        threadTs: card.ts,
      },
    );
    await t.settle();
    const [toHousing] = noticesIn(CHANNELS.housing.id);
    const [toFinance] = noticesIn(CHANNELS.finance.id);
    if (!toHousing || !toFinance) throw new Error("no notices");
    // Only the requested department's members may press them.
    await t.slack.clickInMessage(
      PEOPLE.finance1.id,
      CHANNELS.housing.id,
      toHousing.ts,
      "coordination_accept",
    );
    await t.settle();
    expect(t.slack.lastEphemeral(PEOPLE.finance1.id)?.text).toContain("只有该单位的承办人可以接办或答复");
    await t.slack.clickInMessage(
      PEOPLE.housing1.id,
      CHANNELS.housing.id,
      toHousing.ts,
      "coordination_accept",
    );
    await t.settle();
    expect(t.slack.lastEphemeral(PEOPLE.housing1.id)?.text).toContain("已代表市住房和城乡建设局接办");
    await t.slack.clickInMessage(
      PEOPLE.housing1.id,
      CHANNELS.housing.id,
      toHousing.ts,
      "coordination_answer",
    );
    await t.settle();
    const modal = t.slack.openModal(PEOPLE.housing1.id);
    if (!modal) throw new Error("no modal");
    const empty = await t.slack.submit(PEOPLE.housing1.id, modal.id, { c_text: "  " });
    expect(empty.outcome).toBe("errors");
    await t.slack.submit(PEOPLE.housing1.id, modal.id, { c_text: "清单已整理好，明天上午送交通局" });
    await t.settle();
    await t.slack.clickInMessage(
      PEOPLE.finance1.id,
      CHANNELS.finance.id,
      toFinance.ts,
      "coordination_answer",
    );
    await t.settle();
    const declineModal = t.slack.openModal(PEOPLE.finance1.id);
    if (!declineModal) throw new Error("no modal");
    await t.slack.submit(PEOPLE.finance1.id, declineModal.id, {
      c_text: "站台改造不在今年预算内，需市政府常务会议研究",
      c_decline: ["decline"],
    });
    await t.settle();
    const byDept = new Map((await requests()).map((r) => [r.toDept.name, r]));
    expect(byDept.get("市住房和城乡建设局")).toMatchObject({
      state: "answered",
      acceptedBy: PEOPLE.housing1.id,
      answer: "清单已整理好，明天上午送交通局",
    });
    expect(byDept.get("市财政局")).toMatchObject({
      state: "declined",
      declineReason: "站台改造不在今年预算内，需市政府常务会议研究",
    });
    const thread = threadNotices(t, cardOf(t, 3)).join("\n");
    expect(thread).toContain(
      `:handshake: 市住房和城乡建设局 <@${PEOPLE.housing1.id}> 答复协调事项：清单已整理好，明天上午送交通局`,
    );
    expect(thread).toContain(`市财政局 <@${PEOPLE.finance1.id}> 答复无法协调：站台改造不在今年预算内`);
    const supervision = t.slack.messages(CHANNELS.supervision.id).map(textOf).join("\n");
    expect(supervision).toMatch(
      /\*协调事项无法办理\* <https:[^|]+\|督〔2026〕3号>：市交通运输局 请 市财政局 协调，<@U0FIN0001> 答复无法协调，理由：站台改造不在今年预算内，需市政府常务会议研究/,
    );
    // The ledger's sheet of requests.
    await t.slack.command(PEOPLE.supervisor.id, CHANNELS.general.id, "导出");
    await t.settle();
    const file = t.slack
      .directMessages(PEOPLE.supervisor.id)
      .flatMap((m) => m.files)
      .at(-1);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(file?.bytes as unknown as ArrayBuffer);
    const sheet = book.getWorksheet("协调事项") as ExcelJS.Worksheet;
    const row = (n: number) => (sheet.getRow(n).values as unknown[]).slice(1);
    expect(row(1)).toEqual([
      "督办编号",
      "事项",
      "请求单位",
      "被请求单位",
      "需协调内容",
      "提出时间",
      "答复时限",
      "状态",
      "答复时间",
      "答复内容或无法协调的理由",
    ]);
    expect(sheet.rowCount).toBe(3);
    expect([row(2), row(3)].map((r) => [r[0], r[2], r[3], r[7], r[9]])).toEqual([
      ["督〔2026〕3号", "市交通运输局", "市住房和城乡建设局", "已答复", "清单已整理好，明天上午送交通局"],
      [
        "督〔2026〕3号",
        "市交通运输局",
        "市财政局",
        "无法协调",
        "站台改造不在今年预算内，需市政府常务会议研究",
      ],
    ]);
    // Times as the office reads them, in Beijing time like the other sheets, shown to the minute.
    const beijing = (d: Date | null | undefined) =>
      d ? new Date(Math.floor(d.getTime() / 1000) * 1000 + 8 * 3_600_000) : undefined;
    const housing = byDept.get("市住房和城乡建设局");
    expect([row(2)[5], row(2)[6], row(2)[8]]).toEqual([
      beijing(housing?.openedAt),
      beijing(housing?.replyBy),
      beijing(housing?.answeredAt),
    ]);
    expect([6, 7, 9].map((c) => sheet.getRow(2).getCell(c).numFmt)).toEqual(
      Array(3).fill("yyyy-mm-dd hh:mm"),
    );
    // Answered already: the button says so.
    await t.slack.clickInMessage(
      PEOPLE.housing1.id,
      CHANNELS.housing.id,
      toHousing.ts,
      "coordination_answer",
    );
    await t.settle();
    expect(t.slack.lastEphemeral(PEOPLE.housing1.id)?.text).toContain("已答复，无需再操作");
  });

  it("is asked through the report modal's 需协调单位, the report's words being what is needed", async () => {
    const card = await transportTask();
    await t.slack.clickInMessage(PEOPLE.transport1.id, card.channel, card.ts, "task_report");
    await t.settle();
    const modal = t.slack.openModal(PEOPLE.transport1.id);
    if (!modal) throw new Error("no modal");
    const housing = await t.store.read((r) => r.departments.findByNameOrAlias("住建局"));
    await t.slack.submit(PEOPLE.transport1.id, modal.id, {
      a_text: "进度50%，站台改造清单待住建局提供",
      a_coordinate: [String(housing?.id)],
    });
    await t.settle();
    const [request] = await requests();
    expect(request).toMatchObject({
      state: "open",
      toDept: { name: "市住房和城乡建设局" },
      need: "进度50%，站台改造清单待住建局提供",
    });
    expect(noticesIn(CHANNELS.housing.id)).toHaveLength(1);
  });

  it("is asked by a supervisor with the card's 协调 button, on the lead department's behalf", async () => {
    const card = await transportTask();
    await t.slack.clickInMessage(PEOPLE.transport1.id, card.channel, card.ts, "task_coordinate");
    await t.settle();
    expect(t.slack.lastEphemeral(PEOPLE.transport1.id)?.text).toContain("督查员");
    await t.slack.clickInMessage(PEOPLE.supervisor.id, card.channel, card.ts, "task_coordinate");
    await t.settle();
    const modal = t.slack.openModal(PEOPLE.supervisor.id);
    if (!modal) throw new Error("no modal");
    const empty = await t.slack.submit(PEOPLE.supervisor.id, modal.id, { a_need: "  " });
    // Both are required: Slack itself keeps the modal open (whitespace alone reaches the bot).
    expect(empty).toMatchObject({ outcome: "blocked", missing: ["a_coordinate"] });
    const blank = await t.slack.submit(PEOPLE.supervisor.id, modal.id, {
      a_coordinate: [String((await t.store.read((r) => r.departments.findByNameOrAlias("住建局")))?.id)],
      a_need: "  ",
    });
    expect(blank.errors).toEqual({ a_need: "请写明需协调的内容" });
    const housing = await t.store.read((r) => r.departments.findByNameOrAlias("住建局"));
    await t.slack.submit(PEOPLE.supervisor.id, modal.id, {
      a_coordinate: [String(housing?.id)],
      a_need: "请住建局12月4日前向交通局提供站台改造清单",
    });
    await t.settle();
    const [request] = await requests();
    expect(request).toMatchObject({
      state: "open",
      openedBy: PEOPLE.supervisor.id,
      fromDept: { name: "市交通运输局" },
      toDept: { name: "市住房和城乡建设局" },
      need: "请住建局12月4日前向交通局提供站台改造清单",
    });
    expect(textOf(noticesIn(CHANNELS.housing.id)[0])).toContain(
      "需要贵单位协调：请住建局12月4日前向交通局提供站台改造清单",
    );
  });

  it("is marked resolved from the card by the lead department or a supervisor, and by no one else", async () => {
    const card = await transportTask();
    await t.slack.say(PEOPLE.transport1.id, card.channel, "遇到困难：需住建局提供站台改造清单", {
      threadTs: card.ts,
    });
    await t.settle();
    expect(buttonsOf(cardOf(t, 3))).toContain("coordination_resolve");
    await t.slack.clickInMessage(PEOPLE.housing1.id, card.channel, card.ts, "coordination_resolve");
    await t.settle();
    expect(t.slack.lastEphemeral(PEOPLE.housing1.id)?.text).toContain(
      "只有牵头单位的承办人或督查员可以确认协调事项已解决",
    );
    expect((await requests())[0]?.state).toBe("open");
    await t.slack.clickInMessage(PEOPLE.supervisor.id, card.channel, card.ts, "coordination_resolve");
    await t.settle();
    expect((await requests())[0]).toMatchObject({ state: "resolved", closedBy: PEOPLE.supervisor.id });
    expect(textOf(cardOf(t, 3))).not.toContain("协调中");
    expect(buttonsOf(cardOf(t, 3))).not.toContain("coordination_resolve");
  });

  it("tells the requested department of a confidential task only its number; the details go by DM", async () => {
    const modal = await openNewDecision(t, MEETING_DECISION);
    await t.slack.submit(PEOPLE.supervisor.id, modal.id, { d_conf: "secret", d_leader: PEOPLE.leader.id });
    await t.settle();
    const card = cardOf(t, 3);
    await t.slack.say(PEOPLE.transport1.id, card.channel, "遇到困难：需住建局提供站台改造清单", {
      threadTs: card.ts,
    });
    await t.settle();
    const notice = textOf(noticesIn(CHANNELS.housing.id)[0]);
    expect(notice).toContain("督〔2026〕3号（不公开事项，牵头：市交通运输局）");
    expect(notice).not.toContain("站台");
    expect(threadNotices(t, cardOf(t, 3)).join("\n")).not.toContain("改造清单");
    const dms = t.slack.directMessages(PEOPLE.housing1.id).map(textOf).join("\n");
    expect(dms).toContain("督〔2026〕3号");
  });
});

/** Beijing time on a day. */
const at = (date: string, time = "09:00") => {
  const [h, m] = time.split(":").map(Number);
  return new Date(startOfDay(date, "Asia/Shanghai").getTime() + ((h ?? 0) * 60 + (m ?? 0)) * 60_000);
};

async function tickAt(date: string, time = "09:00") {
  t.clock.set(at(date, time));
  await t.bot.scheduler.tick(t.clock.now());
  await t.settle();
}

describe("an unanswered coordination request", () => {
  it("climbs one step per working day past its reply-by time: the department, 协调督办, the leader", async () => {
    const card = await transportTask(); // Tuesday 12-01
    await t.slack.say(PEOPLE.transport1.id, card.channel, "遇到困难：需住建局提供站台改造清单", {
      threadTs: card.ts,
    });
    await t.settle();
    const overdueIn = (channelId: string) =>
      t.slack
        .messages(channelId)
        .map(textOf)
        .filter((text) => text.includes("协调事项：已过答复时限"));
    const supervision = () =>
      t.slack
        .messages(CHANNELS.supervision.id)
        .map(textOf)
        .filter((text) => text.includes("协调督办"));
    const leader = () =>
      t.slack
        .directMessages(PEOPLE.leader.id)
        .map(textOf)
        .filter((text) => text.includes("需领导协调"));
    await tickAt("2026-12-02");
    await tickAt("2026-12-03"); // the last day to answer
    expect(overdueIn(CHANNELS.housing.id)).toEqual([]);
    await tickAt("2026-12-04"); // Friday: past it, a reminder in 住建局's message
    expect(overdueIn(CHANNELS.housing.id)).toHaveLength(1);
    const reminder = overdueIn(CHANNELS.housing.id)[0] ?? "";
    expect(reminder).toContain(`请 <@${PEOPLE.housing1.id}> 在各事项的消息列中反馈实质进展。`);
    expect(reminder).toMatch(
      /:handshake: <https:[^|]+\|督〔2026〕3号> 完成全市公交站台安全隐患排查整改 — 牵头：市交通运输局，需：遇到困难：需住建局提供站台改造清单（应于 12月3日 前答复）/,
    );
    // 协调不力: the week's score of 住建局 carries the lapse against 交通局's task.
    const before = t.slack.ephemeralsFor(PEOPLE.supervisor.id).length;
    await t.slack.command(PEOPLE.supervisor.id, CHANNELS.general.id, "得分 住建局 本周");
    await t.settle();
    const score = textOf(t.slack.ephemeralsFor(PEOPLE.supervisor.id).slice(before)[0]);
    expect(score).toContain("• 督〔2026〕3号“完成全市公交站台安全隐患排查整改”协调不力　-2");
    await tickAt("2026-12-05"); // the weekend: no step
    await tickAt("2026-12-06");
    expect(supervision()).toEqual([]);
    await tickAt("2026-12-07"); // Monday: 协调督办
    expect(supervision()).toHaveLength(1);
    // Monday's weekly summary lists it under 难点.
    const summary = t.slack.messages(CHANNELS.leadership.id).map(textOf).join("\n");
    expect(summary).toContain(":handshake: *协调事项*（未办结 1 项）");
    expect(summary).toMatch(
      /• <https:[^|]+\|督〔2026〕3号>“完成全市公交站台安全隐患排查整改”：市交通运输局 请 \*市住房和城乡建设局\* 协调，已提请4个工作日/,
    );
    expect(supervision()[0]).toContain("以下 1 项协调事项已过答复时限");
    expect(supervision()[0]).toContain(`*市住房和城乡建设局* 待答复（承办人：<@${PEOPLE.housing1.id}>）`);
    expect(leader()).toEqual([]);
    await tickAt("2026-12-08"); // Tuesday: the task's leader
    expect(leader()).toHaveLength(1);
    expect(leader()[0]).toContain("您交办的事项有以下 1 项需其他单位协调");
    await tickAt("2026-12-09");
    await tickAt("2026-12-10");
    expect([overdueIn(CHANNELS.housing.id), supervision(), leader()].map((m) => m.length)).toEqual([1, 1, 1]);
    const events = await t.store.read((r) => r.events.forTask(3));
    expect(events.filter((e) => e.type.startsWith("coordination.")).map((e) => e.type)).toEqual([
      "coordination.opened",
      "coordination.reminded",
      "coordination.escalated",
      "coordination.escalated",
    ]);
  });
});

describe("an unanswered coordination request over the National Day holiday", () => {
  it("waits out the holiday: no step on a day off, the next on each working day, the make-up Saturday included", async () => {
    t.clock.set(at("2026-09-28")); // Monday
    await dispatchMeeting(t, "一、交通局负责，10个工作日内完成重点路段隐患排查。");
    const card = cardOf(t, 1);
    await t.slack.say(PEOPLE.transport1.id, card.channel, "遇到困难：需住建局提供路段改造图纸", {
      threadTs: card.ts,
    });
    await t.settle();
    // Two working days: by the end of Wednesday 30 September.
    expect((await requests())[0]?.replyBy.toISOString()).toBe("2026-09-30T16:00:00.000Z");
    const steps = async () =>
      (await t.store.read((r) => r.events.forTask(1)))
        .filter((e) => e.type === "coordination.reminded" || e.type === "coordination.escalated")
        .map((e) => e.at.toISOString().slice(0, 10));
    for (const day of ["2026-09-29", "2026-09-30", "2026-10-01", "2026-10-03", "2026-10-05", "2026-10-07"])
      await tickAt(day);
    expect(await steps()).toEqual([]);
    await tickAt("2026-10-08"); // back at work: the reminder
    await tickAt("2026-10-09"); // 协调督办
    await tickAt("2026-10-10"); // the make-up Saturday: 需领导协调
    await tickAt("2026-10-11"); // Sunday
    await tickAt("2026-10-12");
    // Stored in UTC: 09:00 in Beijing is 01:00 the same day.
    expect(await steps()).toEqual(["2026-10-08", "2026-10-09", "2026-10-10"]);
  });
});

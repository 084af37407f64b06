import ExcelJS from "exceljs";
import mammoth from "mammoth";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startOfDay } from "../src/domain/time.js";
import type { FakeMessage } from "./fake-slack/types.js";
import { CHANNELS, channelRef, PEOPLE, startTestBot, type TestBot, textOf } from "./support/harness.js";
import { ducha, fillModal, officeReady } from "./support/office.js";

/**
 * 信息报送 on the real app over HTTP (DESIGN: 信息报送): a unit reports an event (初报) within its
 * limit or late (迟报, in real hours: 4 h 1 min is late, 3 h 59 min is not); the office's card and
 * the unit's copy; 续报 by button or thread reply, 终报; 要求续报 and the ladder when it is owed;
 * 精选 (采用 → 要情 at once for 紧急, at 17:00 for the rest, its .docx read back; 不采用, 退回补充);
 * a leader's 批示 on a 要情 item becoming a task; 漏报 and the 信息工作 ranking; who may press what.
 * The office's clock starts Tuesday 1 December 2026, 09:00 in Beijing.
 */

let t: TestBot;
const at = (date: string, time = "09:00") => {
  const [h, m] = time.split(":").map(Number);
  return new Date(startOfDay(date, "Asia/Shanghai").getTime() + ((h ?? 0) * 60 + (m ?? 0)) * 60_000);
};

/** A person reports through `/ducha 报送`; returns the modal's outcome and what it says now. */
async function report(
  person: { id: string },
  fields: {
    title: string;
    time: string;
    date?: string;
    urgency?: "urgent" | "normal";
    text?: string;
    unit?: string;
  },
) {
  await t.slack.command(person.id, CHANNELS.general.id, "报送");
  await t.settle();
  const result = await fillModal(t, person, {
    ...(fields.unit ? { i_unit: fields.unit } : {}),
    i_title: fields.title,
    i_date: fields.date ?? "2026-12-01",
    i_time: fields.time,
    i_place: "城东区",
    i_category: "incident",
    i_urgency: fields.urgency ?? "urgent",
    i_text: fields.text ?? `${fields.title}，目前无人员伤亡，正在处置。`,
    i_conf: "internal",
  });
  return result;
}

const cards = (channelId: string) =>
  t.slack
    .messages(channelId)
    .filter((m) => m.botId && (!m.threadTs || m.threadTs === m.ts) && textOf(m).includes("信〔2026〕"));
const card = (channelId: string, seq: number): FakeMessage => {
  const found = cards(channelId).find((m) => textOf(m).includes(`信〔2026〕${seq}号`));
  if (!found) throw new Error(`no card 信〔2026〕${seq}号 in ${channelId}`);
  return found;
};
const thread = (m: FakeMessage) =>
  t.slack
    .replies(m.channel, m.ts)
    .filter((r) => r.botId && r.ts !== m.ts)
    .map((r) => textOf(r));

async function click(person: { id: string }, message: FakeMessage, actionId: string): Promise<string> {
  const before = t.slack.ephemeralsFor(person.id).length;
  await t.slack.clickInMessage(person.id, message.channel, message.ts, actionId);
  await t.settle();
  return t.slack
    .ephemeralsFor(person.id)
    .slice(before)
    .map((e) => textOf(e))
    .join("\n");
}

async function tickAt(date: string, time: string) {
  t.clock.set(at(date, time));
  await t.bot.scheduler.tick(t.clock.now());
  await t.settle();
}

beforeEach(async () => {
  t = await startTestBot();
  await officeReady(t);
  expect(await ducha(t, PEOPLE.supervisor, `设置 信息频道 ${channelRef(CHANNELS.general)}`)).toContain(
    "只有管理员",
  );
  expect(await ducha(t, PEOPLE.admin, `设置 信息频道 ${channelRef(CHANNELS.general)}`)).toContain("信息频道");
});
afterEach(async () => {
  await t.stop();
});

describe("初报 and its clock", () => {
  it("is late (迟报) at 4 h 1 min and not at 3 h 59 min, in real hours; bad input is refused", async () => {
    // 09:00 now: an event at 05:01 is reported in 3 h 59 min, one at 04:59 in 4 h 1 min.
    expect(
      (await report(PEOPLE.finance1, { title: "城东区主干道燃气管道破裂", time: "05:01" })).outcome,
    ).toBe("updated");
    expect(textOf(t.slack.openModal(PEOPLE.finance1.id)?.view as never)).toContain("报送用时 3小时59分");
    await report(PEOPLE.finance1, { title: "城西区一在建工地塔吊倾斜", time: "04:59" });
    expect(textOf(t.slack.openModal(PEOPLE.finance1.id)?.view as never)).toContain("记为迟报");

    const onTime = card(CHANNELS.general.id, 1);
    expect(textOf(onTime)).toContain("报送用时 3小时59分（时限 4小时）");
    expect(textOf(onTime)).toContain("报送单位：市财政局");
    const late = card(CHANNELS.general.id, 2);
    expect(textOf(late)).toContain("迟报* 1分钟");
    // The unit's own copy, with 续报 and 终报.
    const copy = card(CHANNELS.finance.id, 1);
    expect(JSON.stringify(copy.blocks)).toContain("info_follow");
    expect(JSON.stringify(copy.blocks)).toContain("info_final");
    expect(JSON.stringify(onTime.blocks)).toContain("info_adopt");

    // The event in the future, or over a year back, or nothing said: refused, nothing stored.
    const future = await report(PEOPLE.finance1, { title: "未来的事", time: "10:30" });
    expect(future.outcome).toBe("errors");
    expect(JSON.stringify(future)).toContain("事发时间不能晚于现在");
    const old = await report(PEOPLE.finance1, { title: "很久以前", time: "09:00", date: "2025-11-01" });
    expect(JSON.stringify(old)).toContain("不能早于一年以前");
    expect(cards(CHANNELS.general.id)).toHaveLength(2);
    // Someone in no unit may not report.
    expect(await ducha(t, PEOPLE.outsider, "报送")).toContain("只有各单位的联络员");
    // 列表 信息 迟报: the late one only.
    const lateList = await ducha(t, PEOPLE.supervisor, "列表 信息 迟报");
    expect(lateList).toContain("信〔2026〕2号");
    expect(lateList).not.toContain("信〔2026〕1号");
  });
});

describe("续报, 终报 and an owed 续报", () => {
  it("chains follow-ups onto the report, and climbs the ladder once per step when one is owed", async () => {
    await report(PEOPLE.finance1, { title: "城东区主干道燃气管道破裂", time: "08:00" });
    const office = card(CHANNELS.general.id, 1);
    const copy = card(CHANNELS.finance.id, 1);
    // Only the office asks for a 续报; only the unit follows up.
    expect(await click(PEOPLE.finance1, office, "info_ask")).toContain("只有督查室");
    expect(await click(PEOPLE.housing1, copy, "info_follow")).toContain("只有报送单位的成员");
    await click(PEOPLE.supervisor, office, "info_ask");
    await fillModal(t, PEOPLE.supervisor, { i_date: "2026-12-01", i_time: "11:00" });
    expect(thread(copy).join("\n")).toContain("要求 12月1日 11:00 前续报");

    // Owed: the hourly run from 11:00 reminds on the copy, at 12:00 names the contacts, at 13:00
    // tells the supervision channel; each once.
    await tickAt("2026-12-01", "10:00");
    expect(thread(copy).filter((n) => n.includes("提醒"))).toHaveLength(0);
    await tickAt("2026-12-01", "11:00");
    expect(thread(copy).filter((n) => n.includes("提醒"))).toHaveLength(1);
    await tickAt("2026-12-01", "12:00");
    expect(thread(copy).filter((n) => n.includes("催报"))).toHaveLength(1);
    expect(thread(copy).find((n) => n.includes("催报"))).toContain(`<@${PEOPLE.finance1.id}>`);
    await tickAt("2026-12-01", "13:00");
    await tickAt("2026-12-01", "14:00");
    const overdue = t.slack.messages(CHANNELS.supervision.id).filter((m) => m.text.includes("续报逾期"));
    expect(overdue).toHaveLength(1);

    // The unit replies in its copy's thread: a 续报, told in the office card's thread too.
    await t.slack.say(PEOPLE.finance1.id, copy.channel, "已关阀断气，抢修队伍到场，预计16时恢复供气", {
      threadTs: copy.ts,
    });
    await t.settle();
    expect(thread(office).join("\n")).toContain("续报（<@U0FIN0001>）：已关阀断气");
    expect(textOf(card(CHANNELS.general.id, 1))).toContain("续报 1 次");
    expect(textOf(card(CHANNELS.general.id, 1))).not.toContain("前续报");
    // 终报 by button: the report is closed; no more buttons on the copy.
    await click(PEOPLE.finance1, card(CHANNELS.finance.id, 1), "info_final");
    await fillModal(t, PEOPLE.finance1, { i_text: "16时恢复供气，事件处置完毕" });
    expect(textOf(card(CHANNELS.general.id, 1))).toContain("已终报");
    expect(JSON.stringify(card(CHANNELS.finance.id, 1).blocks)).not.toContain("info_follow");
    expect(thread(office).join("\n")).toContain("终报（<@U0FIN0001>）：16时恢复供气");
  });
});

describe("精选 → 要情 → 批示", () => {
  it("puts what the office adopts into the 要情 (紧急 at once, the rest at 17:00), and a leader's 批示 becomes a task", async () => {
    expect(await ducha(t, PEOPLE.admin, "设置 报送 报 市委、市政府领导")).toContain("市委、市政府领导");
    await report(PEOPLE.finance1, { title: "城东区主干道燃气管道破裂", time: "08:00" });
    await report(PEOPLE.housing1, {
      title: "幸福小区居民反映物业费上涨",
      time: "08:30",
      urgency: "normal",
      text: "30余户居民联名反映物业费上涨三成",
    });
    const urgent = card(CHANNELS.general.id, 1);
    const normal = card(CHANNELS.general.id, 2);
    expect(await click(PEOPLE.finance1, urgent, "info_adopt")).toContain("只有督查室");
    expect(await click(PEOPLE.supervisor, urgent, "info_adopt")).toContain("《要情》第1期");
    const digests = () =>
      t.slack
        .messages(CHANNELS.leadership.id)
        .filter((m) => m.files.length === 0 && m.text.includes("《要情》"));
    expect(digests()).toHaveLength(1);
    expect(textOf(digests()[0])).toContain("城东区主干道燃气管道破裂");
    expect(textOf(digests()[0])).toContain("市财政局");
    const word = t.slack
      .messages(CHANNELS.leadership.id)
      .flatMap((m) => m.files)
      .find((f) => f.name === "要情第1期.docx");
    const { value } = await mammoth.extractRawText({ buffer: word?.bytes ?? Buffer.alloc(0) });
    expect(value).toContain("要情");
    expect(value).toContain("第1期");
    expect(value).toContain("城东区主干道燃气管道破裂");
    expect(value).toContain("（市财政局 12月1日 09:00报送）");
    expect(value).toContain("报：市委、市政府领导");

    // 一般: adopted, it waits for the day's 要情 at 17:00.
    await click(PEOPLE.supervisor, normal, "info_adopt");
    expect(digests()).toHaveLength(1);
    await tickAt("2026-12-01", "17:00");
    expect(digests()).toHaveLength(2);
    expect(textOf(digests()[1])).toContain("《要情》第2期");
    expect(textOf(digests()[1])).toContain("幸福小区居民反映物业费上涨");
    // Nothing new: no 要情 the next day.
    await tickAt("2026-12-02", "17:00");
    expect(digests()).toHaveLength(2);

    // 不采用 and 退回补充 need a reason, told to the unit on its copy.
    await report(PEOPLE.housing1, { title: "传言某桥梁封闭", time: "08:40", urgency: "normal" });
    await click(PEOPLE.supervisor, card(CHANNELS.general.id, 3), "info_return");
    await fillModal(t, PEOPLE.supervisor, { i_reason: "请核实消息来源并补充现场照片" });
    expect(thread(card(CHANNELS.housing.id, 3)).join("\n")).toContain(
      "退回补充：请核实消息来源并补充现场照片",
    );

    // The leader's 批示 on the first item: the decision modal, pre-filled, dispatches a task.
    await click(PEOPLE.leader, digests()[0] as FakeMessage, "info_instruct");
    const result = await fillModal(t, PEOPLE.leader, {
      i_text: "请住建局牵头，12月5日前完成全市燃气管道隐患排查",
    });
    expect(result.outcome).toBe("updated");
    const decisionModal = t.slack.openModal(PEOPLE.leader.id);
    expect(JSON.stringify(decisionModal?.view)).toContain("请住建局牵头，12月5日前完成全市燃气管道隐患排查");
    expect(JSON.stringify(decisionModal?.view)).toContain("《要情》第1期批示：城东区主干道燃气管道破裂");
    expect((await fillModal(t, PEOPLE.leader, { d_leader: PEOPLE.leader.id })).outcome).not.toBe("errors");
    const task = await t.store.read((r) => r.tasks.byNumber(2026, 1));
    expect(task?.leadDept.name).toBe("市住房和城乡建设局");
    expect(task?.decision.source).toBe("instruction");
  });
});

describe("漏报 and the 信息工作 ranking", () => {
  it("counts 迟报 and 漏报 against the unit, 采用 for it, 抓两头带中间", async () => {
    await report(PEOPLE.finance1, { title: "城东区主干道燃气管道破裂", time: "08:00" });
    await report(PEOPLE.finance1, { title: "一处积水点", time: "03:00" }); // 6 h: late
    await report(PEOPLE.housing1, { title: "幸福小区停电", time: "08:30" });
    await report(PEOPLE.transport1, { title: "公交线路临时改道", time: "08:45" });
    await click(PEOPLE.supervisor, card(CHANNELS.general.id, 1), "info_adopt");
    await click(PEOPLE.supervisor, card(CHANNELS.general.id, 3), "info_adopt");
    expect(await ducha(t, PEOPLE.finance1, "报送 漏报 住建局 某小区燃气泄漏")).toContain("只有督查室");
    expect(await ducha(t, PEOPLE.supervisor, "报送 漏报 住建局")).toContain("/ducha 报送 漏报");
    expect(await ducha(t, PEOPLE.supervisor, "报送 漏报 住建局 某小区燃气泄漏未报")).toContain(
      "已登记市住房和城乡建设局漏报一次",
    );
    const ranking = await ducha(t, PEOPLE.supervisor, "汇总 信息 本月");
    // 财政局 100 +2 −3 = 99; 住建局 100 +2 −5 = 97; 交通局 100.
    expect(ranking).toContain("1. *市交通运输局* 100 分 — 报送 1 条，采用 0，迟报 0，漏报 0");
    expect(ranking).toContain("*市财政局* 99 分 — 报送 2 条，采用 1，迟报 1，漏报 0");
    expect(ranking).toContain("3. *市住房和城乡建设局* 97 分 — 报送 1 条，采用 1，迟报 0，漏报 1");
    expect(ranking.indexOf("迟报漏报较多的单位")).toBeLessThan(ranking.indexOf("3. *市住房和城乡建设局*"));
    expect(await ducha(t, PEOPLE.finance1, "汇总 信息 本月")).toContain("只有");
    // The monthly 督查通报 carries it: a line in the post, the units ranked in the .docx.
    await tickAt("2027-01-04", "09:30");
    const post = t.slack.messages(CHANNELS.leadership.id).find((m) => m.text.includes("督查通报 第1期"));
    expect(textOf(post)).toContain("信息工作：各单位报送 4 条，采用 2 条，迟报 1 条，漏报 1 条。");
    const word = t.slack
      .messages(CHANNELS.leadership.id)
      .flatMap((m) => m.files)
      .find((f) => f.name === "督查通报第1期（2026年12月）.docx");
    const { value } = await mammoth.extractRawText({ buffer: word?.bytes ?? Buffer.alloc(0) });
    expect(value).toContain("附：信息工作情况");
    expect(value).toContain("3. 市住房和城乡建设局 97 分 — 报送 1 条，采用 1，迟报 0，漏报 1");
    // The ledger that goes with it has a sheet of the month's reports.
    const ledger = t.slack
      .messages(CHANNELS.leadership.id)
      .flatMap((m) => m.files)
      .find((f) => f.name === "督查台账_2026-12-1.xlsx");
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(ledger?.bytes as unknown as ArrayBuffer);
    const sheet = book.getWorksheet("信息报送");
    const rows = (sheet?.getSheetValues() ?? []).filter(Boolean).map((r) => (r as unknown[]).slice(1));
    expect(rows[0]?.slice(0, 3)).toEqual(["编号", "报送单位", "标题"]);
    expect(rows).toHaveLength(5);
    const late = rows.find((r) => r[2] === "一处积水点");
    expect(late?.slice(7, 10)).toEqual([360, "是", "待精选"]);
  });
});

describe("报送信息 from a message, who sees what, and the day's boundary", () => {
  it("reports a message with its files; keeps a 不公开 title from the leaders; counts a report after midnight on its day", async () => {
    // A member's message with a photo, reported through the shortcut: its text in the form, its file along.
    const said = await t.slack.say(
      PEOPLE.housing1.id,
      CHANNELS.housing.id,
      "幸福小区3号楼外墙脱落，已拉警戒线",
      {
        files: [{ name: "现场照片.jpg", bytes: "jpeg", mimetype: "image/jpeg" }],
      },
    );
    await t.settle();
    await t.slack.messageShortcut(
      PEOPLE.housing1.id,
      CHANNELS.housing.id,
      said.ts,
      "ducha_info_from_message",
    );
    await t.settle();
    const modal = t.slack.openModal(PEOPLE.housing1.id);
    expect(JSON.stringify(modal?.view)).toContain("幸福小区3号楼外墙脱落，已拉警戒线");
    expect(JSON.stringify(modal?.view)).toContain("随附原消息中的 1 个文件");
    await fillModal(t, PEOPLE.housing1, {
      i_title: "幸福小区3号楼外墙脱落",
      i_date: "2026-12-01",
      i_time: "08:30",
      i_category: "incident",
      i_urgency: "urgent",
      i_text: "幸福小区3号楼外墙脱落，已拉警戒线",
      i_conf: "secret",
    });
    const office = card(CHANNELS.general.id, 1);
    expect(textOf(office)).toContain("现场照片.jpg");
    // The office adopts it: the leaders' 要情 names the unit, not the 不公开 title or text.
    await click(PEOPLE.supervisor, office, "info_adopt");
    const digest = t.slack
      .messages(CHANNELS.leadership.id)
      .find((m) => m.files.length === 0 && m.text.includes("《要情》"));
    expect(textOf(digest)).toContain("不公开信息");
    expect(textOf(digest)).not.toContain("外墙脱落");
    // The office's and the unit's App Home.
    await t.slack.openHome(PEOPLE.supervisor.id);
    await t.settle();
    const home = (id: string) => textOf({ text: "", blocks: t.slack.homeView(id)?.view.blocks as unknown[] });
    expect(home(PEOPLE.supervisor.id)).toContain("*信息报送*：今天 1 条，待精选 0 条，待续报 0 条");
    await t.slack.openHome(PEOPLE.housing1.id);
    await t.settle();
    expect(home(PEOPLE.housing1.id)).toContain("*本单位报送的信息*：续报中 1 条");
    // Another unit's member sees only their unit's reports.
    expect(await ducha(t, PEOPLE.finance1, "列表 信息")).toContain("没有符合条件的信息");

    // 00:30 in Beijing is the new day there (16:30 UTC the day before): counted today.
    t.clock.set(at("2026-12-02", "00:30"));
    await report(PEOPLE.finance1, { title: "夜间一处路灯故障", date: "2026-12-02", time: "00:10" });
    const today = await ducha(t, PEOPLE.supervisor, "列表 信息 今天");
    expect(today).toContain("夜间一处路灯故障");
    expect(today).not.toContain("信〔2026〕1号");
  });
});

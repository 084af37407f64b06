import ExcelJS from "exceljs";
import mammoth from "mammoth";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startOfDay } from "../src/domain/time.js";
import type { FakeFile, FakeMessage } from "./fake-slack/fake-slack.js";
import { CHANNELS, channelRef, PEOPLE, startTestBot, type TestBot, textOf } from "./support/harness.js";
import {
  dispatchMeeting,
  ducha,
  fillModal,
  officeReady,
  openNewDecision,
  pressOn,
  replyOn,
} from "./support/office.js";

let t: TestBot;

/** Beijing time on a day. */
const at = (date: string, time = "09:00") => {
  const [h, m] = time.split(":").map(Number);
  return new Date(startOfDay(date, "Asia/Shanghai").getTime() + ((h ?? 0) * 60 + (m ?? 0)) * 60_000);
};
/** The same wall-clock time as an Excel date (what the ledger writes for DUCHA_TZ). */
const excelAt = (date: string, time: string) => new Date(`${date}T${time}:00.000Z`);

async function moveTo(date: string, time: string) {
  t.clock.set(at(date, time));
}

/** The clock reaches a moment and the scheduler's minute tick fires. */
async function tickAt(date: string, time: string) {
  t.clock.set(at(date, time));
  await t.bot.scheduler.tick(t.clock.now());
  await t.settle();
}

const summaries = () =>
  t.slack.messages(CHANNELS.leadership.id).filter((m) => /督查周报|督查通报|月度汇总/.test(m.text));

function fileIn(messages: FakeMessage[]): FakeFile {
  const file = messages.flatMap((m) => m.files.filter((f) => f.name.endsWith(".xlsx"))).at(-1);
  if (!file) throw new Error("no file shared");
  return file;
}

async function workbook(file: FakeFile): Promise<ExcelJS.Workbook> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(file.bytes as unknown as ArrayBuffer);
  return book;
}

function rowValues(sheet: ExcelJS.Worksheet, n: number): unknown[] {
  return (sheet.getRow(n).values as unknown[]).slice(1);
}

/**
 * Six tasks across three bureaus through the week of 7 December, each moved by the people
 * concerned through Slack:
 * - 市财政局 (tasks 1, 4): task 1 claimed on 8 Dec and verified (on time, +1); a report on
 *   task 4 starred (+1) → 102, the best.
 * - 市住房和城乡建设局 (tasks 2, 5): task 2's weekly report owed on 8 Dec not given (−2);
 *   a blocker on task 5 (部门协调) → 98, the middle.
 * - 市交通运输局 (tasks 3, 6): task 6, confidential, due 10 Dec and not done (−5) → 95, the worst.
 */
async function theWeek() {
  await dispatchMeeting(t); // Tuesday 1 Dec 09:00
  const modal = await openNewDecision(t, "一、交通局负责，12月10日前完成重点单位安保排查。");
  await t.slack.submit(PEOPLE.supervisor.id, modal.id, {
    d_ref: "市政府专题会议纪要〔2026〕3号",
    d_conf: "secret",
  });
  await t.settle();
  await moveTo("2026-12-01", "10:00");
  for (const [person, seqs] of [
    [PEOPLE.finance1, [1, 4]],
    [PEOPLE.housing1, [2, 5]],
    [PEOPLE.transport1, [3, 6]],
  ] as const) {
    for (const seq of seqs) await pressOn(t, person, seq, "task_ack");
  }
  await moveTo("2026-12-08", "10:00");
  await pressOn(t, PEOPLE.finance1, 1, "task_claim");
  await fillModal(t, PEOPLE.finance1, { a_text: "资金已全部拨付，见拨款凭证" });
  await moveTo("2026-12-08", "15:00");
  await pressOn(t, PEOPLE.supervisor, 1, "task_verify");
  await fillModal(t, PEOPLE.supervisor, { l_note: "拨款凭证齐全" });
  await moveTo("2026-12-09", "10:00");
  await replyOn(t, PEOPLE.finance1, 4, "进度60%，提前与各区对接测算，补贴资金已下达第一批");
  await pressOn(t, PEOPLE.supervisor, 4, "report_star");
  await replyOn(t, PEOPLE.housing1, 5, "进度30%，遇到困难：涉及交警、城管多部门，需要市里协调");
}

beforeEach(async () => {
  t = await startTestBot();
  await officeReady(t);
});
afterEach(async () => {
  await t.stop();
});

describe("the weekly summary", () => {
  it("is posted once per slot in the leadership channel, best and worst as scored", async () => {
    await theWeek();
    await tickAt("2026-12-14", "09:00");
    await tickAt("2026-12-14", "09:00");
    await tickAt("2026-12-14", "09:01");
    expect(summaries()).toHaveLength(1);
    const post = textOf(summaries()[0]);
    expect(post).toContain("督查周报（12月7日—13日）");
    expect(post).toContain("*6 项*：办结 1 项 17%，办理中 5 项，超期 1 项");
    // 抓两头: the best with its starred report, the worst with its red item and deductions.
    expect(post).toMatch(/推广先进经验\*（前1名）\n\*1\. 市财政局\*　102 分 · 按期办结 1 项/);
    expect(post).toContain("提前与各区对接测算");
    expect(post).toMatch(/排名靠后单位\*（后1名，帮助分析原因）\n\*3\. 市交通运输局\*　95 分 · 红灯 2 项/);
    expect(post).toContain("扣分：超期 −5");
    expect(post).toMatch(/督〔2026〕6号>?“不公开事项”（市交通运输局） · 已超期/);
    // 带中间, 难点, 热点.
    expect(post).toContain("中间单位*：市住房和城乡建设局 98 分");
    expect(post).toMatch(/难点\*（未解决的困难 1 项）　部门协调 1/);
    expect(post).toMatch(
      /热点\*（民生，2 项）\n• :red_circle: <[^>]+督〔2026〕3号>[^\n]+\n• :large_green_circle: <[^>]+督〔2026〕4号>/,
    );
    // A confidential title never appears.
    expect(post).not.toContain("安保排查");
    // The picture comes right after it: each department's score on a bar, a PNG for a phone.
    const all = t.slack.messages(CHANNELS.leadership.id);
    const chartPost = all[all.indexOf(summaries()[0] as FakeMessage) + 1];
    expect(chartPost?.text).toBe("各单位得分图：12月7日—13日");
    const [chart] = chartPost?.files ?? [];
    expect(chart?.name).toBe("各单位得分_2026-W50.png");
    const png = chart?.bytes ?? Buffer.alloc(0);
    expect(png.subarray(1, 4).toString()).toBe("PNG");
    // 1080 wide; three departments, one row each.
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1080, 150 + 3 * 56 + 70]);
    expect(png.length).toBeGreaterThan(10_000);
    // The first summary has nothing to compare with; the next week's has.
    expect(post).not.toContain("较上周");
    await tickAt("2026-12-21", "09:00");
    expect(summaries()).toHaveLength(2);
    const next = textOf(summaries()[1]);
    expect(next).toContain("督查周报（12月14日—20日）");
    expect(next).toMatch(/较上周：总数 [−+0-9]+，办结 [−+0-9]+，超期 [−+0-9]+/);
  });

  it("reaches the units when the office says so (通报范围), once per channel per slot", async () => {
    await theWeek();
    // Only admins set where it goes; a wrong word says how.
    expect(await ducha(t, PEOPLE.supervisor, "设置 通报范围 各单位")).toContain("只有管理员");
    expect(await ducha(t, PEOPLE.admin, "设置 通报范围 到处")).toContain("/ducha 设置 通报范围");
    expect(await ducha(t, PEOPLE.admin, "设置 通报范围 各单位")).toContain("领导频道和各单位频道");
    expect(await ducha(t, PEOPLE.admin, "设置")).toContain("*通报范围*：领导频道和各单位频道");
    await tickAt("2026-12-14", "09:00");
    await tickAt("2026-12-14", "09:00");
    const weekly = (channelId: string) =>
      t.slack.messages(channelId).filter((m) => m.botId && m.text.includes("督查周报（12月7日—13日）"));
    expect(weekly(CHANNELS.leadership.id)).toHaveLength(1);
    for (const unit of [CHANNELS.finance, CHANNELS.housing, CHANNELS.transport]) {
      expect(weekly(unit.id)).toHaveLength(1);
      // The two ends and the middle, as the leaders read them; a confidential title stays out.
      expect(textOf(weekly(unit.id)[0])).toContain("推广先进经验");
      expect(textOf(weekly(unit.id)[0])).not.toContain("重点单位安保排查");
    }
    // Or one 通报 channel.
    expect(await ducha(t, PEOPLE.admin, `设置 通报范围 通报频道 ${channelRef(CHANNELS.general)}`)).toContain(
      `通报频道 <#${CHANNELS.general.id}>`,
    );
    await tickAt("2026-12-21", "09:00");
    expect(
      t.slack
        .messages(CHANNELS.general.id)
        .filter((m) => m.botId && m.text.includes("督查周报（12月14日—20日）")),
    ).toHaveLength(1);
    expect(
      t.slack
        .messages(CHANNELS.finance.id)
        .filter((m) => m.botId && m.text.includes("督查周报（12月14日—20日）")),
    ).toHaveLength(0);
    // The monthly 督查通报 reaches that channel as the office prints it: the Word document, read
    // back, without the ledger (every unit's tasks stay with the leaders).
    await tickAt("2027-01-04", "09:30");
    const files = t.slack.messages(CHANNELS.general.id).flatMap((m) => m.files);
    const word = files.find((f) => f.name === "督查通报第1期（2026年12月）.docx");
    expect(word).toBeDefined();
    expect(files.some((f) => f.name.endsWith(".xlsx"))).toBe(false);
    const { value } = await mammoth.extractRawText({ buffer: word?.bytes ?? Buffer.alloc(0) });
    expect(value).toContain("关于2026年12月督办事项落实情况的通报");
    expect(value).not.toContain("重点单位安保排查");
  });

  it("goes to the supervision channel when no leadership channel is set", async () => {
    await t.store.transaction((r) => r.settings.set("channel.leadership", null, "test"));
    await theWeek();
    await tickAt("2026-12-14", "09:00");
    expect(summaries()).toHaveLength(0);
    const inSupervision = t.slack
      .messages(CHANNELS.supervision.id)
      .filter((m) => m.text.includes("督查周报"));
    expect(inSupervision).toHaveLength(1);
  });
});

describe("the monthly bulletin", () => {
  it("is numbered 督查通报 第N期, never reused, and carries the ledger as XLSX", async () => {
    await theWeek();
    // The office that issues the bulletin is a setting; a name too long for a masthead is refused.
    await t.slack.command(PEOPLE.admin.id, CHANNELS.general.id, `设置 发文机关 ${"很长".repeat(21)}`);
    await t.settle();
    expect(t.slack.lastEphemeral(PEOPLE.admin.id)?.text).toContain("40 字以内");
    await t.slack.command(PEOPLE.admin.id, CHANNELS.general.id, "设置 发文机关 市政府督查室");
    await t.settle();
    expect(t.slack.lastEphemeral(PEOPLE.admin.id)?.text).toContain("市政府督查室");
    // The 报/送/发 lines printed at its foot; 送 set, then cleared.
    expect(await ducha(t, PEOPLE.admin, "设置 报送 报 市委、市政府领导")).toContain("市委、市政府领导");
    expect(await ducha(t, PEOPLE.admin, "设置 报送 送 市人大常委会办公室")).toContain("市人大常委会办公室");
    expect(await ducha(t, PEOPLE.admin, "设置 报送 送")).toContain("未设置");
    expect(await ducha(t, PEOPLE.admin, "设置 报送 发 各区县政府，市直各单位")).toContain("各区县政府");
    expect(await ducha(t, PEOPLE.admin, "设置 报送 抄 某某")).toContain("/ducha 设置 报送");
    expect(await ducha(t, PEOPLE.supervisor, "设置 报送 报 某某")).toContain("只有管理员");
    const bulletins = () =>
      t.slack.messages(CHANNELS.leadership.id).filter((m) => m.text.includes("督查通报"));
    // Due on 1 January, a holiday: it waits for the next working day, Monday 4 January.
    await tickAt("2027-01-01", "09:30");
    expect(bulletins()).toHaveLength(0);
    await tickAt("2027-01-04", "09:30");
    expect(bulletins()).toHaveLength(1);
    expect(textOf(bulletins()[0])).toContain("督查通报 第1期 · 2026年12月");
    expect(textOf(bulletins()[0])).toContain("本期台账见附件");
    const all = t.slack.messages(CHANNELS.leadership.id);
    const file = fileIn(all);
    expect(file.name).toBe("督查台账_2026-12-1.xlsx");
    // The chart comes right after the bulletin, then the ledger with the bulletin as Word.
    const bulletinAt = all.indexOf(bulletins()[0] as FakeMessage);
    expect(all[bulletinAt + 1]?.files.map((f) => f.name)).toEqual(["各单位得分_2026-12-1.png"]);
    // While they were built, a message said so; once shared, that they are ready.
    expect(all[bulletinAt + 2]?.text).toMatch(/^:white_check_mark: 第1期通报的 Word 文件和台账已生成/);
    expect(all[bulletinAt + 3]?.files.map((f) => f.name)).toEqual([
      "督查台账_2026-12-1.xlsx",
      "督查通报第1期（2026年12月）.docx",
    ]);

    const book = await workbook(file);
    expect(book.worksheets.map((w) => w.name)).toEqual([
      "督办事项",
      "反馈记录",
      "单位得分",
      "协调事项",
      "信息报送",
    ]);
    const tasks = book.getWorksheet("督办事项") as ExcelJS.Worksheet;
    expect(rowValues(tasks, 1)).toEqual([
      "序号",
      "督办编号",
      "事项来源",
      "交办领导",
      "督办事项",
      "工作要求",
      "牵头单位",
      "配合单位",
      "责任人",
      "交办时间",
      "办理时限",
      "紧急程度",
      "最新进展",
      "最近反馈日期",
      "亮灯",
      "办理状态",
      "延期次数",
      "实际办结时间",
      "备注",
    ]);
    expect(tasks.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
    expect(tasks.getColumn(5).width).toBe(40);
    expect(tasks.rowCount).toBe(7);
    const first = tasks.getRow(2);
    expect(first.getCell(1).value).toBe(1);
    expect(first.getCell(2).value).toBe("督〔2026〕1号");
    expect(first.getCell(3).value).toBe("会议 市政府常务会议纪要〔2026〕15号");
    expect(first.getCell(4).value).toBe("赵市长");
    expect(first.getCell(5).value).toBe("完成老旧小区改造资金拨付");
    expect(first.getCell(7).value).toBe("市财政局");
    expect(first.getCell(8).value).toBe("市住房和城乡建设局、市交通运输局");
    expect(first.getCell(9).value).toBe("张财");
    expect(first.getCell(10).value).toEqual(excelAt("2026-12-01", "09:00"));
    expect(first.getCell(11).value).toEqual(excelAt("2026-12-15", "00:00"));
    expect(first.getCell(12).value).toBe("一般");
    expect(first.getCell(15).value).toBe("按期办结");
    expect(first.getCell(16).value).toBe("已办结");
    expect(first.getCell(18).value).toEqual(excelAt("2026-12-08", "15:00"));
    // Dates shown as dates, a day's deadline without its midnight.
    expect([10, 11, 14, 18].map((c) => first.getCell(c).numFmt)).toEqual([
      "yyyy-mm-dd hh:mm",
      "yyyy-mm-dd",
      "yyyy-mm-dd",
      "yyyy-mm-dd hh:mm",
    ]);
    expect(first.getCell(5).alignment).toMatchObject({ wrapText: true, vertical: "top" });
    // The bulletin goes to a channel: the confidential task's title stays out of it.
    const secret = tasks.getRow(7);
    expect(secret.getCell(2).value).toBe("督〔2026〕6号");
    expect(secret.getCell(5).value).toBe("（不公开事项）");
    expect(secret.getCell(15).value).toBe("红灯");

    const reports = book.getWorksheet("反馈记录") as ExcelJS.Worksheet;
    const reportRows = Array.from({ length: reports.rowCount - 1 }, (_, i) => rowValues(reports, i + 2));
    expect(reportRows.map((r) => r[0])).toEqual(["督〔2026〕1号", "督〔2026〕4号", "督〔2026〕5号"]);
    const starred = reportRows[1] ?? [];
    expect(starred.slice(2, 4)).toEqual(["市财政局", "张财"]);
    expect(starred[4]).toEqual(excelAt("2026-12-09", "10:00"));
    expect(starred[7]).toBe(0.6);
    // Progress shown as a percentage.
    expect(reports.getRow(3).getCell(8).numFmt).toBe("0%");
    expect(reports.getRow(3).getCell(5).numFmt).toBe("yyyy-mm-dd hh:mm");
    expect(starred[12]).toBe("是");
    expect(reportRows[2]?.[10]).toBe("部门协调");

    const scores = book.getWorksheet("单位得分") as ExcelJS.Worksheet;
    expect(rowValues(scores, 1)).toEqual([
      "排名",
      "单位",
      "得分",
      "计分事项",
      "按期办结",
      "超期",
      "扣分",
      "加分",
      "明细",
    ]);
    // December as a whole: 财政局 +1 +1, and task 4 (due at the year's end) overdue −5;
    // 交通局 two tasks overdue −10; 住建局 four weekly reports missed −8, two tasks overdue −10.
    expect(rowValues(scores, 2).slice(0, 3)).toEqual([1, "市财政局", 97]);
    expect(rowValues(scores, 3).slice(0, 3)).toEqual([2, "市交通运输局", 90]);
    expect(rowValues(scores, 4).slice(0, 3)).toEqual([3, "市住房和城乡建设局", 82]);
    expect(String(rowValues(scores, 4)[8])).toContain("督〔2026〕2号 漏报×4 -8");

    // The 督查通报 as a Word document, in the same post as the ledger, read back.
    const shared = all[bulletinAt + 3]?.files ?? [];
    expect(shared.map((f) => f.name)).toEqual([
      "督查台账_2026-12-1.xlsx",
      "督查通报第1期（2026年12月）.docx",
    ]);
    const docx = shared[1] as FakeFile;
    expect(docx.bytes.subarray(0, 2).toString()).toBe("PK");
    const { value: bulletin } = await mammoth.extractRawText({ buffer: docx.bytes });
    const lines = bulletin.split("\n").filter(Boolean);
    // The foot, after the scores table, as offices print it.
    expect(lines.slice(-2)).toEqual(["报：市委、市政府领导", "发：各区县政府，市直各单位"]);
    expect(bulletin).not.toContain("送：");
    expect(lines.slice(0, 5)).toEqual([
      "督查通报",
      "第1期",
      "市政府督查室\t2027年1月4日",
      "关于2026年12月督办事项落实情况的通报",
      "一、总体情况",
    ]);
    const sections = ["二、先进典型", "三、存在问题", "四、难点与协调事项", "五、下步工作", "附：各单位得分"];
    expect(sections.map((s) => lines.indexOf(s))).toEqual(
      [...sections.map((s) => lines.indexOf(s))].sort((a, b) => a - b),
    );
    expect(sections.every((s) => lines.includes(s))).toBe(true);
    expect(bulletin).toContain("纳入督办的事项共6项，已办结1项（17%）");
    // Office Chinese: no spaces around numbers, 截至发文时.
    expect(bulletin).toContain("截至发文时，红灯5项");
    expect(bulletin).not.toMatch(/[\u4e00-\u9fff] \d|\d [\u4e00-\u9fff]/);
    expect(bulletin).toContain("（一）市财政局（得分97，第1名）按期办结1项。");
    expect(bulletin).toContain("督〔2026〕4号“足额下达冬季供暖补贴资金”：进度60%");
    expect(bulletin).toContain(
      "（一）市住房和城乡建设局（得分82，第3名）红灯2项，其中停滞2项；超期扣10分、漏报扣8分。",
    );
    expect(bulletin).toContain(
      "市住房和城乡建设局反映督〔2026〕5号“拿出主干道施工围挡整治方案”存在部门协调困难，自12月9日起尚未解决。",
    );
    expect(bulletin).toContain("请市住房和城乡建设局对照红灯事项逐项分析原因");
    // The scores table, row by row: rank, department, score, change.
    const table = lines.slice(lines.indexOf("附：各单位得分") + 1, lines.indexOf("报：市委、市政府领导"));
    expect(table).toEqual([
      "名次",
      "单位",
      "得分",
      "名次变化",
      "1",
      "市财政局",
      "97",
      "—",
      "2",
      "市交通运输局",
      "90",
      "—",
      "3",
      "市住房和城乡建设局",
      "82",
      "—",
    ]);
    // A confidential task's title never reaches the bulletin, as it never reaches the post.
    expect(bulletin).not.toContain("安保排查");

    // 整改: the unit the bulletin names among the worst gets a task, due in 5 working days.
    const rectifications = (issueNo: number) =>
      t.slack
        .messages(CHANNELS.housing.id)
        .filter((m) => m.botId && textOf(m).includes(`落实《督查通报》第${issueNo}期整改要求`));
    expect(rectifications(1)).toHaveLength(1);
    expect(textOf(rectifications(1)[0])).toContain("1月11日");
    for (const channel of [CHANNELS.finance.id, CHANNELS.transport.id])
      expect(t.slack.messages(channel).some((m) => textOf(m).includes("整改要求"))).toBe(false);

    await tickAt("2027-02-01", "09:30");
    expect(bulletins()).toHaveLength(2);
    expect(textOf(bulletins()[1])).toContain("督查通报 第2期 · 2027年1月");
    // The next bulletin says who has not answered, and the unit owes −2 for it.
    expect(textOf(bulletins()[1])).toContain("第1期通报点名单位整改情况：尚未整改 市住房和城乡建设局");
    expect(rectifications(1)).toHaveLength(1);
    expect(rectifications(2)).toHaveLength(1);
    const january = await ducha(t, PEOPLE.supervisor, "得分 住建局 上月");
    expect(january).toMatch(/整改逾期未报[^\n]*-2/);
    expect(t.slack.messages(CHANNELS.leadership.id).flatMap((m) => m.files.map((f) => f.name))).toEqual([
      "各单位得分_2026-12-1.png",
      "督查台账_2026-12-1.xlsx",
      "督查通报第1期（2026年12月）.docx",
      "各单位得分_2027-01-2.png",
      "督查台账_2027-01-2.xlsx",
      "督查通报第2期（2027年1月）.docx",
    ]);
  });
});

describe("/ducha summary, score and export", () => {
  it("shows the week so far to those who oversee; a supervisor posts it with the button", async () => {
    await theWeek();
    await moveTo("2026-12-12", "10:00");
    expect(await ducha(t, PEOPLE.finance1, "汇总")).toContain("只有督查员、领导、管理员可以查看汇总");
    const leaderView = await ducha(t, PEOPLE.leader, "汇总 本周");
    expect(leaderView).toContain("12月7日—13日，截至12月12日 10:00");
    expect(leaderView).not.toContain("发布到领导频道");
    await ducha(t, PEOPLE.supervisor, "汇总");
    const preview = t.slack.lastEphemeral(PEOPLE.supervisor.id);
    expect(textOf(preview)).toContain("1. 市财政局*　102 分");
    expect(summaries()).toHaveLength(0);
    if (!preview) throw new Error("no preview");
    await t.slack.clickInEphemeral(PEOPLE.supervisor.id, preview, "summary_post");
    await t.settle();
    expect(textOf(t.slack.lastEphemeral(PEOPLE.supervisor.id))).toContain(
      `已发布到 <#${CHANNELS.leadership.id}>`,
    );
    expect(summaries()).toHaveLength(1);
    expect(textOf(summaries()[0])).toContain("3. 市交通运输局*　95 分");
    expect(textOf(summaries()[0])).not.toContain("发布到领导频道");
    // A second click on the same preview posts nothing more.
    await t.slack.clickInEphemeral(PEOPLE.supervisor.id, preview, "summary_post");
    await t.settle();
    expect(summaries()).toHaveLength(1);
    // Posted on demand, it also goes as a 督查通报 in Word (no issue number) with its ledger, once.
    const shared = t.slack.messages(CHANNELS.leadership.id).flatMap((m) => m.files);
    expect(shared.map((f) => f.name)).toEqual([
      "各单位得分_2026-W50.png",
      expect.stringMatching(/^督查台账_2026-W50.*\.xlsx$/),
      "督查通报_2026-W50.docx",
    ]);
    const { value: word } = await mammoth.extractRawText({ buffer: shared[2]?.bytes ?? Buffer.alloc(0) });
    expect(word.split("\n").filter(Boolean).slice(0, 2)).toEqual(["督查通报", "督查室\t2026年12月12日"]);
    expect(word).toContain("关于12月7日—12日督办事项落实情况的通报");
    // The button is checked when clicked: a supervisor whose role was taken away cannot post.
    await ducha(t, PEOPLE.supervisor, "汇总");
    const later = t.slack.lastEphemeral(PEOPLE.supervisor.id);
    if (!later) throw new Error("no preview");
    await ducha(t, PEOPLE.admin, `角色 删除 <@${PEOPLE.supervisor.id}|${PEOPLE.supervisor.name}> 督查员`);
    await t.slack.clickInEphemeral(PEOPLE.supervisor.id, later, "summary_post");
    await t.settle();
    expect(textOf(t.slack.lastEphemeral(PEOPLE.supervisor.id))).toContain("只有督查员、管理员可以发布汇总");
    expect(summaries()).toHaveLength(1);
    await ducha(t, PEOPLE.admin, `角色 添加 <@${PEOPLE.supervisor.id}|${PEOPLE.supervisor.name}> 督查员`);
    expect(await ducha(t, PEOPLE.supervisor, "汇总 下周")).toContain(
      "/ducha 汇总 [本周|本月|本年|上周|上月|去年]",
    );
    await moveTo("2026-12-15", "10:00");
    expect(await ducha(t, PEOPLE.leader, "汇总 上周")).toContain("督查周报（12月7日—13日）\n");
  });

  it("lists the items behind a department's score", async () => {
    await theWeek();
    await moveTo("2026-12-12", "10:00");
    const shown = await ducha(t, PEOPLE.supervisor, "得分 交通局 本周");
    expect(shown).toContain(
      "*市交通运输局* · 本周（12月7日—13日，截至12月12日 10:00）得分 *95*（第 3 名，共 3 个单位参与排名）",
    );
    expect(shown).toContain("督〔2026〕6号“不公开事项”超期　-5");
    expect(await ducha(t, PEOPLE.supervisor, "得分 不存在的局")).toContain("没有找到单位“不存在的局”");
    expect(await ducha(t, PEOPLE.supervisor, "得分")).toContain("/ducha 得分 单位名称");
  });

  it("answers a unit's member with their own unit's score and items (得分 本单位), and no other unit's", async () => {
    await theWeek();
    await moveTo("2026-12-12", "10:00");
    const own = await ducha(t, PEOPLE.transport1, "得分 本单位 本周");
    expect(own).toContain(
      "*市交通运输局* · 本周（12月7日—13日，截至12月12日 10:00）得分 *95*（第 3 名，共 3 个单位参与排名）",
    );
    // Their own unit's items, the confidential one included (it is theirs).
    expect(own).toContain("超期");
    // Named, their own unit is theirs too; another unit's items stay with the office.
    expect(await ducha(t, PEOPLE.transport1, "得分 交通局 本周")).toContain("*市交通运输局*");
    const other = await ducha(t, PEOPLE.transport1, "得分 财政局 本周");
    expect(other).toContain("只有");
    expect(other).not.toContain("*市财政局*");
    // The office asks by name; 本单位 is for a unit's members.
    expect(await ducha(t, PEOPLE.supervisor, "得分 本单位")).toContain("您还不是任何单位的成员");
    expect(await ducha(t, PEOPLE.outsider, "得分 本单位")).toContain("您还不是任何单位的成员");
  });

  it("exports the ledger by DM, with a progress message, to those who oversee", async () => {
    await theWeek();
    expect(await ducha(t, PEOPLE.finance1, "导出")).toContain("只有督查员、领导、管理员可以导出台账");
    expect(await ducha(t, PEOPLE.supervisor, "导出 乱写")).toContain(
      "/ducha 导出 [本周|本月|本年|上周|上月]",
    );
    const started = await ducha(t, PEOPLE.supervisor, "导出");
    expect(started).toContain("正在生成台账（全部事项，6 项事项），完成后私信发给您");
    const dms = t.slack.directMessages(PEOPLE.supervisor.id);
    const file = fileIn(dms);
    expect(dms.find((m) => m.files.length)?.text).toBe("督查台账：全部事项，共 6 项。");
    const book = await workbook(file);
    const tasks = book.getWorksheet("督办事项") as ExcelJS.Worksheet;
    expect(tasks.rowCount).toBe(7);
    // By DM to a supervisor the confidential title is shown.
    expect(tasks.getRow(7).getCell(5).value).toBe("完成重点单位安保排查");
    expect((book.getWorksheet("反馈记录") as ExcelJS.Worksheet).rowCount).toBe(4);
    // A message in the DM said 正在生成 with the share done as the pages were written, then ready.
    const progress = dms.find((m) => m.text.includes("台账（全部事项）"));
    expect(progress?.text).toMatch(
      /^:white_check_mark: 台账（全部事项）已生成（用时 \d+ 秒），见下方文件。$/,
    );
    expect(dms.indexOf(progress as FakeMessage)).toBeLessThan(dms.findIndex((m) => m.files.length > 0));
    const steps = t.slack
      .callsTo("chat.update")
      .filter((c) => c.args.ts === progress?.ts)
      .map((c) => String(c.args.text));
    // 6 tasks and 3 reports: 6 of 9 rows after the tasks sheet, then the reports, then ready.
    expect(steps).toEqual([
      ":hourglass_flowing_sand: 正在生成台账（全部事项）……已完成 66%",
      ":hourglass_flowing_sand: 正在生成台账（全部事项）……已完成 99%",
      progress?.text,
    ]);

    await moveTo("2026-12-12", "10:00");
    expect(await ducha(t, PEOPLE.supervisor, "导出 红灯 单位 交通局")).toContain("红灯、市交通运输局");
    const red = await workbook(fileIn(t.slack.directMessages(PEOPLE.supervisor.id)));
    const redTasks = red.getWorksheet("督办事项") as ExcelJS.Worksheet;
    // Red now, led or co-operated on by 交通局: its tasks 3 and 6, and 住建局's task 5.
    expect([2, 3, 4].map((n) => redTasks.getRow(n).getCell(2).value)).toEqual([
      "督〔2026〕3号",
      "督〔2026〕5号",
      "督〔2026〕6号",
    ]);
    expect(redTasks.rowCount).toBe(4);
    expect(await ducha(t, PEOPLE.supervisor, "导出 单位 没有这个局")).toContain("没有找到单位“没有这个局”");
  });
});

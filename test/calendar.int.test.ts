import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadCalendar } from "../src/services/calendar.js";
import { PEOPLE, startTestBot, type TestBot, textOf } from "./support/harness.js";
import { ducha, officeReady } from "./support/office.js";

const notice2026 = fs.readFileSync(
  path.resolve(import.meta.dirname, "fixtures/calendar/notice-2026.txt"),
  "utf8",
);
/**
 * A notice for 2027 made up for this test (the real one is not out yet): its dates and
 * weekdays agree, which is all the reader checks.
 */
const MADE_UP_2027 = `国务院办公厅关于2027年部分节假日安排的通知
一、元旦：1月1日（周五）至3日（周日）放假，共3天。
二、春节：2月6日（周六）至12日（周五）放假调休，共7天。2月14日（周日）上班。`;

let t: TestBot;
beforeEach(async () => {
  t = await startTestBot(); // 1 December 2026: the 2027 arrangement is due and unknown
  await officeReady(t);
});
afterEach(async () => {
  await t.stop();
});

const calendar = () => t.store.read((tx) => loadCalendar(tx));

describe("a calendar that knows it does not know", () => {
  it("tells the admins once that 2027's holidays are unknown, and says so in /ducha 设置", async () => {
    const warnings = t.slack
      .directMessages(PEOPLE.admin.id)
      .filter((m) => m.text.includes("2027 年的法定节假日"));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.text).toContain("/ducha 设置 日历 导入");
    expect(
      t.logs.some((l) => l.msg.includes("does not know these years' holidays") && String(l.years) === "2027"),
    ).toBe(true);
    const shown = await ducha(t, PEOPLE.admin, "设置");
    expect(shown).toContain("节假日数据：内置至 2026 年");
    expect(shown).toContain("督查助手不知道 2027 年的法定节假日");
    // The daily housekeeping run checks again: no second DM for the same year.
    const housekeeping = t.bot.scheduler.jobs.find((j) => j.id === "housekeeping");
    if (!housekeeping) throw new Error("no housekeeping job");
    await t.bot.scheduler.trigger(housekeeping, new Date("2026-12-02T19:30:00Z"));
    await t.settle();
    expect(t.slack.directMessages(PEOPLE.admin.id).filter((m) => m.text.includes("2027 年"))).toHaveLength(1);
  });

  it("imports the State Council's notice pasted after 日历 导入", async () => {
    const reply = await ducha(t, PEOPLE.admin, `设置 日历 导入 ${MADE_UP_2027}`);
    expect(reply).toContain("已导入 2027 年节假日安排");
    expect(reply).toContain("春节：2027-02-06至2027-02-12，共 7 天");
    expect(reply).toContain("调休上班：2027-02-14");
    const cal = await calendar();
    expect(cal.knowsYear?.(2027)).toBe(true);
    expect(cal.isWorkday("2027-02-08")).toBe(false); // a Monday in 春节
    expect(cal.isWorkday("2027-02-14")).toBe(true); // the make-up Sunday
    expect(cal.isWorkday("2027-03-01")).toBe(true);
    expect(await ducha(t, PEOPLE.admin, "设置")).not.toContain("督查助手不知道 2027 年");
    // Imported again (corrected): the year's days are replaced, not added to.
    await ducha(t, PEOPLE.admin, `设置 日历 导入 ${MADE_UP_2027.replace(/二、春节[^\n]*/, "")}`);
    expect((await calendar()).isWorkday("2027-02-08")).toBe(true);
  });

  it("refuses a notice with a line it cannot read, naming the line, and stores nothing", async () => {
    const wrong = notice2026.replace("5月9日（周六）上班", "5月9日（周日）上班");
    const reply = await ducha(t, PEOPLE.admin, `设置 日历 导入 ${wrong}`);
    expect(reply).toContain("以下 1 行读不准");
    expect(reply).toContain("四、劳动节：5月1日（周五）至5日（周二）放假调休，共5天。5月9日（周日）上班。");
    expect(reply).toContain("日历未作改动");
    const shown = await ducha(t, PEOPLE.admin, "设置");
    expect(shown).toContain("日历调整：0 天");
  });

  it("takes the notice in a modal when nothing is pasted with the command, and refuses non-admins", async () => {
    expect(await ducha(t, PEOPLE.supervisor, `设置 日历 导入 ${MADE_UP_2027}`)).toContain("管理员");
    await t.slack.command(PEOPLE.admin.id, "C0GENERAL", "设置 日历 导入");
    await t.settle();
    const modal = t.slack.openModal(PEOPLE.admin.id);
    if (!modal) throw new Error("no import modal");
    const refused = await t.slack.submit(PEOPLE.admin.id, modal.id, { c_notice: "一、元旦：放假。" });
    expect(refused.outcome).toBe("errors");
    expect(refused.errors.c_notice).toContain("没有读到年份");
    const done = await t.slack.submit(PEOPLE.admin.id, modal.id, { c_notice: MADE_UP_2027 });
    expect(done.outcome).toBe("updated");
    expect(textOf({ text: "", blocks: t.slack.views.get(modal.id)?.view.blocks as unknown[] })).toContain(
      "已导入 2027 年节假日安排",
    );
    expect((await calendar()).knowsYear?.(2027)).toBe(true);
  });
});

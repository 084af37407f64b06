import fs from "node:fs";
import path from "node:path";
import chineseDays from "chinese-days";
import { describe, expect, it } from "vitest";
import { readHolidayNotice } from "./holiday-notice.js";
import { weekday } from "./time.js";

const NOTICES = path.resolve(import.meta.dirname, "../../test/fixtures/calendar");
const notice = (year: number) => fs.readFileSync(path.join(NOTICES, `notice-${year}.txt`), "utf8");

describe("the State Council's holiday notice", () => {
  for (const year of [2025, 2026]) {
    it(`reads ${year}'s notice as the holiday package knows that year, day for day`, () => {
      const read = readHolidayNotice(notice(year));
      if (!read.ok) throw new Error(`unreadable: ${JSON.stringify(read)}`);
      expect(read.notice.year).toBe(year);
      const holidays = read.notice.holidays.flatMap((h) => h.days);
      for (const day of holidays) expect(chineseDays.isHoliday(day), day).toBe(true);
      for (const day of read.notice.workdays) {
        expect(chineseDays.isWorkday(day), day).toBe(true);
        expect(weekday(day), day).toBeGreaterThanOrEqual(6);
      }
      // Every weekday off and every weekend worked in the package's year is in the notice.
      const weekdayHolidays = chineseDays
        .getHolidaysInRange(`${year}-01-01`, `${year}-12-31`, false)
        .filter((d) => weekday(d) <= 5);
      expect(weekdayHolidays.every((d) => holidays.includes(d))).toBe(true);
      const weekendWorkdays = chineseDays
        .getWorkdaysInRange(`${year}-01-01`, `${year}-12-31`, true)
        .filter((d) => weekday(d) >= 6);
      expect([...read.notice.workdays].sort()).toEqual(weekendWorkdays.sort());
    });
  }

  it("names each holiday and counts its days", () => {
    const read = readHolidayNotice(notice(2025));
    if (!read.ok) throw new Error("unreadable");
    expect(read.notice.holidays.map((h) => [h.name, h.days.length])).toEqual([
      ["元旦", 1],
      ["春节", 8],
      ["清明节", 3],
      ["劳动节", 5],
      ["端午节", 3],
      ["国庆节、中秋节", 8],
    ]);
    expect(read.notice.holidays[1]?.days.at(-1)).toBe("2025-02-04");
  });

  it("refuses a line whose weekday does not match its date, and says which", () => {
    const wrong = notice(2026).replace("1月4日（周日）上班", "1月4日（周六）上班");
    expect(readHolidayNotice(wrong)).toEqual({
      ok: false,
      problem: "unreadable",
      lines: ["一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周六）上班。"],
    });
  });

  it("refuses a range whose length is not the number of days it gives", () => {
    const wrong = notice(2026).replace("共9天", "共10天");
    const read = readHolidayNotice(wrong);
    expect(read.ok).toBe(false);
    expect(read.ok ? [] : read.lines).toEqual([expect.stringContaining("二、春节")]);
  });

  it("refuses dates that do not exist and lines it cannot read at all", () => {
    const read = readHolidayNotice(
      "国务院办公厅关于2027年部分节假日安排的通知\n一、春节：2月30日（周二）放假1天。\n二、劳动节：五一放假。",
    );
    expect(read).toEqual({
      ok: false,
      problem: "unreadable",
      lines: ["一、春节：2月30日（周二）放假1天。", "二、劳动节：五一放假。"],
    });
  });

  it("asks for the title when the year is missing, and for the arrangement when there is none", () => {
    expect(readHolidayNotice("一、元旦：1月1日（周五）放假1天。")).toMatchObject({ problem: "no_year" });
    expect(
      readHolidayNotice("国务院办公厅关于2027年部分节假日安排的通知\n各部门：请遵照执行。"),
    ).toMatchObject({
      problem: "no_holidays",
    });
  });

  it("reads a range into the next year (元旦 beginning in December)", () => {
    const read = readHolidayNotice(
      "关于2027年部分节假日安排的通知\n一、元旦：2026年12月31日（周四）至2027年1月2日（周六）放假调休，共3天。",
    );
    expect(read.ok && read.notice.holidays[0]?.days).toEqual(["2026-12-31", "2027-01-01", "2027-01-02"]);
  });
});

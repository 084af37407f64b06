import { addDays, isLocalDate, type LocalDate, weekday } from "./time.js";

/**
 * Reads the State Council's yearly notice (国务院办公厅关于YYYY年部分节假日安排的通知) as an
 * office pastes it: one numbered line per holiday, "一、元旦：1月1日（周四）至3日（周六）放假调休，
 * 共3天。1月4日（周日）上班。". Every date is checked against the weekday the notice gives and
 * every range against its day count, so a line read wrongly is refused, never guessed.
 */
export interface HolidayNotice {
  year: number;
  holidays: { name: string; days: LocalDate[] }[];
  /** Make-up working days (调休上班), usually weekends. */
  workdays: LocalDate[];
}

export type NoticeReading =
  | { ok: true; notice: HolidayNotice }
  | { ok: false; problem: "no_year" | "no_holidays" | "unreadable"; lines: string[] };

const WEEKDAYS: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 日: 7, 天: 7 };
const ORDINAL = /^[一二三四五六七八九十]+、/;
/** "（周四）", "（农历腊月二十八、周日）": the weekday the notice gives for a date. */
const NOTE = "(?:（([^）]*)）|\\(([^)]*)\\))?";
const DATE = `(?:(\\d{4})年)?(\\d{1,2})月(\\d{1,2})日${NOTE}`;
const END = `(?:(\\d{4})年)?(?:(\\d{1,2})月)?(\\d{1,2})日${NOTE}`;
const RANGE = new RegExp(`^${DATE}(?:至${END})?`);
const ONE_DATE = new RegExp(`^${DATE}$`);

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

function localDate(year: number, month: number, day: number): LocalDate | undefined {
  const date = `${year}-${pad(month)}-${pad(day)}`;
  if (!isLocalDate(date)) return undefined;
  // 2月30日 is no date: a round trip through Date catches it.
  return new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10) === date ? date : undefined;
}

/** The weekday a note names, if it names one ("农历除夕、周二" → 2). */
function noteWeekday(note: string | undefined): number | undefined {
  const match = note ? /(?:周|星期)([一二三四五六日天])/.exec(note) : null;
  return match?.[1] ? WEEKDAYS[match[1]] : undefined;
}

function agrees(date: LocalDate, note: string | undefined): boolean {
  const named = noteWeekday(note);
  return named === undefined || named === weekday(date);
}

/** A holiday sentence: "1月28日（…）至2月4日（…）放假调休，共8天" or "1月1日（周三）放假1天". */
function readHolidays(sentence: string, year: number): LocalDate[] | undefined {
  const match = RANGE.exec(sentence);
  if (!match) return undefined;
  const [, y1, m1, d1, n1a, n1b, y2, m2, d2, n2a, n2b] = match;
  const startYear = y1 ? Number(y1) : year;
  const start = localDate(startYear, Number(m1), Number(d1));
  if (!start || !agrees(start, n1a ?? n1b)) return undefined;
  let end = start;
  if (d2 !== undefined) {
    let month = m2 ? Number(m2) : Number(m1);
    let endYear = y2 ? Number(y2) : startYear;
    // "12月31日至1月2日": the range runs into the next month, or the next year.
    if (!m2 && Number(d2) < Number(d1)) month += 1;
    if (!y2 && month < Number(m1)) endYear += 1;
    if (month > 12) {
      month = 1;
      endYear += 1;
    }
    const found = localDate(endYear, month, Number(d2));
    if (!found || found < start || !agrees(found, n2a ?? n2b)) return undefined;
    end = found;
  }
  const days: LocalDate[] = [];
  for (let day = start; day <= end; day = addDays(day, 1)) days.push(day);
  // "共8天" / "放假1天": the count must match the range.
  const count = /(?:共|放假)(\d+)天/.exec(sentence.slice(match[0].length));
  if (count && Number(count[1]) !== days.length) return undefined;
  if (days.length > 15) return undefined;
  return days;
}

/** A make-up workday sentence: "1月26日（周日）、2月8日（周六）上班". */
function readWorkdays(sentence: string, year: number): LocalDate[] | undefined {
  const list = sentence.replace(/上班$/, "");
  const days: LocalDate[] = [];
  for (const part of list.split("、").map((p) => p.trim())) {
    const match = ONE_DATE.exec(part);
    if (!match) return undefined;
    const [, y, m, d, na, nb] = match;
    const day = localDate(y ? Number(y) : year, Number(m), Number(d));
    if (!day || !agrees(day, na ?? nb)) return undefined;
    days.push(day);
  }
  return days.length ? days : undefined;
}

/** Reads one numbered line; undefined when any part of it cannot be read for sure. */
function readLine(
  line: string,
  year: number,
): { name: string; days: LocalDate[]; workdays: LocalDate[] } | undefined {
  const body = line.replace(ORDINAL, "");
  const colon = body.search(/[：:]/);
  if (colon <= 0) return undefined;
  const name = body.slice(0, colon).trim();
  // Sentences end at "。"; a holiday sentence may go on after "，" ("放假调休，共3天").
  const sentences = body
    .slice(colon + 1)
    .split(/[。.]/)
    .map((s) => s.trim())
    .filter(Boolean);
  let days: LocalDate[] | undefined;
  const workdays: LocalDate[] = [];
  for (const sentence of sentences) {
    if (/放假/.test(sentence)) {
      if (days) return undefined;
      days = readHolidays(sentence, year);
      if (!days) return undefined;
    } else if (/上班$/.test(sentence)) {
      const found = readWorkdays(sentence, year);
      if (!found) return undefined;
      workdays.push(...found);
    } else if (!/^不调休$/.test(sentence)) {
      return undefined;
    }
  }
  if (!days) return undefined;
  return { name, days, workdays };
}

/** The year a notice is for: from its title, or from "现将2027年元旦…". */
function noticeYear(text: string): number | undefined {
  const match = /关于(\d{4})年[^\n]*节假日安排/.exec(text) ?? /现将(\d{4})年/.exec(text);
  const year = match?.[1] ? Number(match[1]) : undefined;
  return year !== undefined && year >= 2000 && year <= 2200 ? year : undefined;
}

export function readHolidayNotice(text: string): NoticeReading {
  const normalised = text.replace(/\r\n?/g, "\n").replace(/\u3000/g, " ");
  const year = noticeYear(normalised);
  if (year === undefined) return { ok: false, problem: "no_year", lines: [] };
  const lines = normalised
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => ORDINAL.test(l));
  if (lines.length === 0) return { ok: false, problem: "no_holidays", lines: [] };
  const holidays: HolidayNotice["holidays"] = [];
  const workdays: LocalDate[] = [];
  const unreadable: string[] = [];
  for (const line of lines) {
    const read = readLine(line, year);
    if (!read) {
      unreadable.push(line);
      continue;
    }
    holidays.push({ name: read.name, days: read.days });
    workdays.push(...read.workdays);
  }
  if (unreadable.length) return { ok: false, problem: "unreadable", lines: unreadable };
  return { ok: true, notice: { year, holidays, workdays } };
}

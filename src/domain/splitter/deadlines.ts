import * as chrono from "chrono-node";
import { addWorkdays, type WorkCalendar } from "../calendar.js";
import {
  addDays,
  addMonths,
  type Deadline,
  endOfMonth,
  endOfYear,
  type LocalDate,
  localDateOf,
  weekday,
  yearOf,
} from "../time.js";
import { CN, parseNumber } from "./numerals.js";

export interface DeadlineContext {
  /** The decision's date, in DUCHA_TZ: relative deadlines count from here. */
  decisionDate: LocalDate;
  /** The instant the text is read: hour deadlines ("24小时内") count from here. */
  reference: Date;
  tz: string;
  calendar: WorkCalendar;
}

export interface FoundDeadline {
  deadline: Deadline;
  /** "立即", "24小时内": counted in hours. */
  urgent: boolean;
  /** Worked out from a relative phrase or an assumed year: the person should confirm it. */
  guessed: boolean;
  /** The words it was read from. */
  text: string;
  index: number;
}

/** Hours given to an urgent task ("立即") that names no deadline of its own. */
export const DEFAULT_URGENT_HOURS = 24;

const N = `(\\d{1,3}|[${CN}]{1,3})`;

type Rule = {
  pattern: RegExp;
  read: (match: RegExpMatchArray, ctx: DeadlineContext) => Omit<FoundDeadline, "text" | "index"> | undefined;
};

const day = (date: LocalDate, guessed = true): Omit<FoundDeadline, "text" | "index"> => ({
  deadline: { kind: "day", date },
  urgent: false,
  guessed,
});

const count = (text: string | undefined) => (text === undefined ? undefined : parseNumber(text));

/** The forms chrono-node does not read; each is relative to the decision date. */
const RULES: Rule[] = [
  {
    pattern: new RegExp(`${N}个?小时内`, "g"),
    read: (m, ctx) => {
      const hours = count(m[1]);
      if (!hours) return undefined;
      return {
        deadline: { kind: "instant", at: new Date(ctx.reference.getTime() + hours * 3_600_000) },
        urgent: true,
        guessed: true,
      };
    },
  },
  {
    pattern: new RegExp(`${N}个工作日内`, "g"),
    read: (m, ctx) => {
      const n = count(m[1]);
      return n ? day(addWorkdays(ctx.calendar, ctx.decisionDate, n)) : undefined;
    },
  },
  {
    pattern: new RegExp(`(?<![月\\d${CN}])${N}(?:天|日)内`, "g"),
    read: (m, ctx) => {
      const n = count(m[1]);
      return n ? day(addDays(ctx.decisionDate, n)) : undefined;
    },
  },
  {
    pattern: new RegExp(`${N}(?:周|个星期|星期)内`, "g"),
    read: (m, ctx) => {
      const n = count(m[1]);
      return n ? day(addDays(ctx.decisionDate, 7 * n)) : undefined;
    },
  },
  {
    pattern: new RegExp(`${N}个月内`, "g"),
    read: (m, ctx) => {
      const n = count(m[1]);
      return n ? day(addMonths(ctx.decisionDate, n)) : undefined;
    },
  },
  {
    pattern: /(?:本月底|本月末|月底前|月末前|本月内)/g,
    read: (_m, ctx) => day(endOfMonth(ctx.decisionDate)),
  },
  {
    pattern: /(?:下月底|下个月底|下月末|下个月末|下月内)/g,
    read: (_m, ctx) => day(endOfMonth(addMonths(ctx.decisionDate, 1))),
  },
  {
    pattern: new RegExp(`明年${N}月(?:底|末)`, "g"),
    read: (m, ctx) => {
      const month = count(m[1]);
      if (!month || month > 12) return undefined;
      const first = `${yearOf(ctx.decisionDate) + 1}-${String(month).padStart(2, "0")}-01`;
      return day(endOfMonth(first));
    },
  },
  {
    pattern: new RegExp(`(?<![年\\d${CN}])${N}月(?:底|末)`, "g"),
    read: (m, ctx) => {
      const month = count(m[1]);
      if (!month || month > 12) return undefined;
      let year = yearOf(ctx.decisionDate);
      let last = endOfMonth(`${year}-${String(month).padStart(2, "0")}-01`);
      if (last < ctx.decisionDate) {
        year++;
        last = endOfMonth(`${year}-${String(month).padStart(2, "0")}-01`);
      }
      return day(last);
    },
  },
  {
    pattern: /明年(?:年)?(?:底|末)/g,
    read: (_m, ctx) => day(endOfYear(`${yearOf(ctx.decisionDate) + 1}-01-01`)),
  },
  {
    pattern: /(?<!明)(?<!明年)(?:今年底|今年年底|本年底|年底前|年末前|年内|今年内|本年度内|年底)/g,
    read: (_m, ctx) => day(endOfYear(ctx.decisionDate)),
  },
  {
    // "本周内": offices mean by Friday.
    pattern: /本周内/g,
    read: (_m, ctx) => day(addDays(ctx.decisionDate, Math.max(0, 5 - weekday(ctx.decisionDate)))),
  },
];

const URGENT = /立即|立刻|即刻|马上|火速|迅速办理|第一时间/g;

/** Explicit dates and weekdays, read by chrono-node: "12月15日", "2027年1月10日", "下周五". */
function chronoDeadlines(text: string, ctx: DeadlineContext): FoundDeadline[] {
  const results = chrono.zh.parse(text, { instant: ctx.reference, timezone: ctx.tz }, { forwardDate: true });
  const found: FoundDeadline[] = [];
  for (const result of results) {
    // Day precision only: "3月" alone is not a deadline (and "明年3月底" is a rule above).
    if (!result.start.isCertain("day") && !result.start.isCertain("weekday")) continue;
    if (!/[日号周]|星期|礼拜/.test(result.text)) continue;
    const date = localDateOf(result.start.date(), ctx.tz);
    const explicitYear = result.start.isCertain("year") && /年/.test(result.text);
    const words = result.text.replace(/^[\s，,、]+/, "");
    found.push({
      ...day(date, !explicitYear),
      text: words,
      index: result.index + (result.text.length - words.length),
    });
  }
  return found;
}

/** The first deadline the text states, or undefined; `urgent` also when it only says "立即". */
export function readDeadline(text: string, ctx: DeadlineContext): FoundDeadline | undefined {
  const found: FoundDeadline[] = [...chronoDeadlines(text, ctx)];
  for (const rule of RULES) {
    for (const match of text.matchAll(rule.pattern)) {
      const read = rule.read(match, ctx);
      if (read) found.push({ ...read, text: match[0], index: match.index });
    }
  }
  found.sort((a, b) => a.index - b.index);
  const first = found[0];
  const urgentWord = [...text.matchAll(URGENT)][0];
  if (first) {
    return urgentWord && !first.urgent ? { ...first, urgent: true } : first;
  }
  if (urgentWord) {
    return {
      deadline: { kind: "instant", at: new Date(ctx.reference.getTime() + DEFAULT_URGENT_HOURS * 3_600_000) },
      urgent: true,
      guessed: true,
      text: urgentWord[0],
      index: urgentWord.index,
    };
  }
  return undefined;
}

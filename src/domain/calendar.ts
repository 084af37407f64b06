import chineseDays from "chinese-days";
import { addDays, type LocalDate, weekday, yearOf } from "./time.js";

/** A day an admin marked by hand, beyond what the built-in calendar knows. */
export type DayOverride = "holiday" | "workday";

/**
 * The working-day calendar: China's statutory holidays and make-up workdays (chinese-days)
 * for the years it knows; for later years, weekends plus the fixed-date holidays, until an
 * admin adds the year's official arrangement. Admin overrides win over both.
 */
export interface WorkCalendar {
  isWorkday(date: LocalDate): boolean;
  /** Whether the year's official arrangement is known (built in, or imported from the notice). */
  knowsYear?(year: number): boolean;
  /** Working days after `from` up to and including `to` (see workdaysBetween), when the calendar counts them faster. */
  countWorkdays?(from: LocalDate, to: LocalDate): number;
  /** The n-th working day after `date` (see addWorkdays), when the calendar remembers them. */
  addWorkdays?(date: LocalDate, n: number): LocalDate;
}

/** Holidays on fixed dates, used for years chinese-days does not cover yet (MM-DD). */
const FIXED_HOLIDAYS = new Set(["01-01", "05-01", "10-01", "10-02", "10-03"]);

/** The last year chinese-days has the State Council's arrangement for. */
export const LAST_KNOWN_YEAR: number = (() => {
  // Its data starts in 2004 and has no gaps: the first year without holidays is past its end.
  let year = 2004;
  while (year < 2200 && chineseDays.getHolidaysInRange(`${year}-01-01`, `${year}-12-31`, false).length > 0) {
    year++;
  }
  return year - 1;
})();

/**
 * The built-in answer: the package's data for the years it knows; for a year whose notice an
 * admin imported, weekends (the notice's holidays and make-up days come as overrides); for a
 * year nobody told us about, weekends and the fixed-date holidays, a guess that misses 春节.
 */
function builtInIsWorkday(date: LocalDate, imported: ReadonlySet<number>): boolean {
  const year = yearOf(date);
  if (year <= LAST_KNOWN_YEAR) return chineseDays.isWorkday(date);
  if (weekday(date) >= 6) return false;
  return imported.has(year) || !FIXED_HOLIDAYS.has(date.slice(5));
}

/** Years whose holidays ducha does not know: the current year, and from November the next. */
export function unknownYears(
  today: LocalDate,
  knows: (year: number) => boolean,
  /** The month from which next year's arrangement is expected (the notice comes out in Nov–Dec). */
  lookAheadFromMonth = 11,
): number[] {
  const year = yearOf(today);
  const month = Number(today.slice(5, 7));
  const years = month >= lookAheadFromMonth ? [year, year + 1] : [year];
  return years.filter((y) => !knows(y));
}

const DAY_MS = 86_400_000;
const dayNumber = (date: LocalDate) => Math.round(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
const dateOf = (day: number): LocalDate => new Date(day * DAY_MS).toISOString().slice(0, 10);

export function createWorkCalendar(
  overrides: ReadonlyMap<LocalDate, DayOverride> = new Map(),
  /** Years whose State Council notice an admin imported. */
  importedYears: Iterable<number> = [],
): WorkCalendar {
  const imported = new Set(importedYears);
  // Lights are computed for thousands of tasks at a time: each day is looked up once.
  const known = new Map<LocalDate, boolean>();
  const isWorkday = (date: LocalDate): boolean => {
    let answer = known.get(date);
    if (answer === undefined) {
      const override = overrides.get(date);
      answer = override ? override === "workday" : builtInIsWorkday(date, imported);
      known.set(date, answer);
    }
    return answer;
  };
  // Working days counted once from the earliest day asked about: cumulative[i] is the number
  // of working days in (base, base + i]. A count is then one subtraction, not a walk.
  let base = 0;
  let cumulative: number[] = [];
  const countUpTo = (day: number): number => {
    if (cumulative.length === 0 || day < base) {
      base = day - 31;
      cumulative = [0];
    }
    while (base + cumulative.length - 1 < day) {
      const next = base + cumulative.length;
      cumulative.push((cumulative.at(-1) ?? 0) + (isWorkday(dateOf(next)) ? 1 : 0));
    }
    return cumulative[day - base] ?? 0;
  };
  // Scoring asks for each task's acknowledgement deadline: thousands of tasks, a few hundred days.
  const later = new Map<string, LocalDate>();
  return {
    isWorkday,
    addWorkdays(date, n) {
      const key = `${date}|${n}`;
      let answer = later.get(key);
      if (answer === undefined) {
        answer = walkWorkdays(isWorkday, date, n);
        later.set(key, answer);
      }
      return answer;
    },
    knowsYear: (year) => year <= LAST_KNOWN_YEAR || imported.has(year),
    countWorkdays(from, to) {
      const a = dayNumber(from);
      const b = dayNumber(to);
      if (!(b > a)) return 0;
      // A span of decades is walked once; guard against nonsense dates all the same.
      if (b - a > 40_000) return 0;
      // The earlier day first: asking about a day before the base starts the counts afresh.
      const before = countUpTo(a);
      return countUpTo(b) - before;
    },
  };
}

/** The n-th working day after `date` (n ≥ 1); `date` itself is not counted. */
export function addWorkdays(calendar: WorkCalendar, date: LocalDate, n: number): LocalDate {
  return calendar.addWorkdays ? calendar.addWorkdays(date, n) : walkWorkdays(calendar.isWorkday, date, n);
}

function walkWorkdays(isWorkday: (date: LocalDate) => boolean, date: LocalDate, n: number): LocalDate {
  let current = date;
  let left = n;
  while (left > 0) {
    current = addDays(current, 1);
    if (isWorkday(current)) left--;
  }
  return current;
}

/** Working days after `from` up to and including `to`; 0 when `to` is not after `from`. */
export function workdaysBetween(calendar: WorkCalendar, from: LocalDate, to: LocalDate): number {
  if (calendar.countWorkdays) return calendar.countWorkdays(from, to);
  let count = 0;
  for (let day = addDays(from, 1); day <= to; day = addDays(day, 1)) {
    if (calendar.isWorkday(day)) count++;
  }
  return count;
}

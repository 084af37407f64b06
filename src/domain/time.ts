import { DateTime } from "luxon";

/**
 * Dates as the office means them: a "local date" is a day in DUCHA_TZ written YYYY-MM-DD;
 * instants are Dates. Nothing here reads the clock: callers pass the instant they mean.
 */
export type LocalDate = string;

const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/;

export function isLocalDate(value: string): value is LocalDate {
  return LOCAL_DATE.test(value) && DateTime.fromISO(value, { zone: "UTC" }).isValid;
}

/** The day an instant falls on in the time zone. */
export function localDateOf(instant: Date, tz: string): LocalDate {
  return DateTime.fromJSDate(instant, { zone: tz }).toISODate() ?? "";
}

/** Midnight at the start of a local day, as an instant. */
export function startOfDay(date: LocalDate, tz: string): Date {
  return DateTime.fromISO(date, { zone: tz }).startOf("day").toJSDate();
}

/** Calendar arithmetic on local dates (no time zone involved: days are days). */
export function addDays(date: LocalDate, days: number): LocalDate {
  return DateTime.fromISO(date, { zone: "UTC" }).plus({ days }).toISODate() ?? date;
}

export function addMonths(date: LocalDate, months: number): LocalDate {
  return DateTime.fromISO(date, { zone: "UTC" }).plus({ months }).toISODate() ?? date;
}

/** 1 = Monday … 7 = Sunday. */
export function weekday(date: LocalDate): number {
  return DateTime.fromISO(date, { zone: "UTC" }).weekday;
}

export function endOfMonth(date: LocalDate): LocalDate {
  return DateTime.fromISO(date, { zone: "UTC" }).endOf("month").toISODate() ?? date;
}

export function endOfYear(date: LocalDate): LocalDate {
  return DateTime.fromISO(date, { zone: "UTC" }).endOf("year").toISODate() ?? date;
}

/** Whole calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: LocalDate, to: LocalDate): number {
  return Math.round(
    DateTime.fromISO(to, { zone: "UTC" }).diff(DateTime.fromISO(from, { zone: "UTC" }), "days").days,
  );
}

export function yearOf(date: LocalDate): number {
  return Number(date.slice(0, 4));
}

/**
 * A task's deadline. A day deadline ("12月15日前") ends when that day ends in the time zone;
 * an urgent deadline ("24小时内") is an instant. `dueAt` is the first overdue instant.
 */
export type Deadline = { kind: "day"; date: LocalDate } | { kind: "instant"; at: Date };

export function deadlineInstant(deadline: Deadline, tz: string): Date {
  return deadline.kind === "day" ? startOfDay(addDays(deadline.date, 1), tz) : deadline.at;
}

/** The last day a task with this due instant is on time (the day shown as its deadline). */
export function dueDateShown(dueAt: Date, tz: string): LocalDate {
  return localDateOf(new Date(dueAt.getTime() - 1), tz);
}

/** True when the due instant is a local midnight, i.e. a day deadline rather than an hour. */
export function isDayDeadline(dueAt: Date, tz: string): boolean {
  const local = DateTime.fromJSDate(dueAt, { zone: tz });
  return local.hour === 0 && local.minute === 0 && local.second === 0 && local.millisecond === 0;
}

/** "12月15日" (this year), "2027年1月10日", with the time for hour deadlines: "12月1日 17:00". */
export function formatDate(
  instant: Date,
  tz: string,
  locale: string,
  reference?: Date,
  withTime = false,
): string {
  const local = DateTime.fromJSDate(instant, { zone: tz });
  const sameYear = reference ? DateTime.fromJSDate(reference, { zone: tz }).year === local.year : false;
  if (locale === "en") {
    const day = local.setLocale("en").toFormat(sameYear ? "LLL d" : "LLL d, yyyy");
    return withTime ? `${day} ${local.toFormat("HH:mm")}` : day;
  }
  const day = sameYear ? `${local.month}月${local.day}日` : `${local.year}年${local.month}月${local.day}日`;
  return withTime ? `${day} ${local.toFormat("HH:mm")}` : day;
}

/** How a due instant is shown: the last on-time day, or the hour for urgent deadlines. */
export function formatDue(dueAt: Date, tz: string, locale: string, reference?: Date): string {
  if (isDayDeadline(dueAt, tz)) {
    return formatDate(startOfDay(dueDateShown(dueAt, tz), tz), tz, locale, reference);
  }
  return formatDate(dueAt, tz, locale, reference, true);
}

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

/**
 * Lights, scores and the ledger ask these questions hundreds of thousands of times for a large
 * office, and a luxon DateTime costs tens of microseconds: the answers are memoised. A zone's
 * offset is looked up once per quarter hour (every offset change in the tz database falls on
 * one); a day's midnight once per day. The caches are bounded.
 */
const QUARTER_HOUR = 15 * 60_000;
const CACHE_LIMIT = 50_000;
const offsets = new Map<string, number>();
const midnights = new Map<string, number>();

function remember<V>(cache: Map<string, V>, key: string, compute: () => V): V {
  const known = cache.get(key);
  if (known !== undefined) return known;
  if (cache.size >= CACHE_LIMIT) cache.clear();
  const value = compute();
  cache.set(key, value);
  return value;
}

/** The zone's offset from UTC at an instant, in minutes. */
function offsetAt(ms: number, tz: string): number {
  const bucket = Math.floor(ms / QUARTER_HOUR);
  return remember(
    offsets,
    `${tz}|${bucket}`,
    () => DateTime.fromMillis(bucket * QUARTER_HOUR, { zone: tz }).offset,
  );
}

/** The day an instant falls on in the time zone. */
export function localDateOf(instant: Date, tz: string): LocalDate {
  const ms = instant.getTime();
  if (Number.isNaN(ms)) return "";
  return new Date(ms + offsetAt(ms, tz) * 60_000).toISOString().slice(0, 10);
}

/** Midnight at the start of a local day, as an instant. */
export function startOfDay(date: LocalDate, tz: string): Date {
  return new Date(
    remember(midnights, `${tz}|${date}`, () =>
      DateTime.fromISO(date, { zone: tz }).startOf("day").toMillis(),
    ),
  );
}

const DAY_MS = 86_400_000;

/** Calendar arithmetic on local dates (no time zone involved: days are days). */
export function addDays(date: LocalDate, days: number): LocalDate {
  const ms = Date.parse(`${date}T00:00:00Z`);
  if (Number.isNaN(ms)) return date;
  return new Date(ms + days * DAY_MS).toISOString().slice(0, 10);
}

export function addMonths(date: LocalDate, months: number): LocalDate {
  return DateTime.fromISO(date, { zone: "UTC" }).plus({ months }).toISODate() ?? date;
}

/** 1 = Monday … 7 = Sunday. */
export function weekday(date: LocalDate): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay() || 7;
}

export function endOfMonth(date: LocalDate): LocalDate {
  return DateTime.fromISO(date, { zone: "UTC" }).endOf("month").toISODate() ?? date;
}

export function endOfYear(date: LocalDate): LocalDate {
  return DateTime.fromISO(date, { zone: "UTC" }).endOf("year").toISODate() ?? date;
}

/** Whole calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: LocalDate, to: LocalDate): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
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
  return startOfDay(localDateOf(dueAt, tz), tz).getTime() === dueAt.getTime();
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

/** Whether the runtime knows the IANA time zone (Asia/Shanghai), as settings and DUCHA_TZ need. */
export function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

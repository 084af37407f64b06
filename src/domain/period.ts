import { DateTime } from "luxon";

/** A summary's period: a week (Monday to Monday), a month or a year, in DUCHA_TZ. */
export type PeriodKind = "week" | "month" | "year";

export interface Period {
  kind: PeriodKind;
  /** 2026-W49, 2026-12, 2026 */
  key: string;
  start: Date;
  /** Exclusive. For a period still running, the moment it is looked at. */
  end: Date;
  /** Whether the period has ended. */
  complete: boolean;
}

function bounds(kind: PeriodKind, at: DateTime): { start: DateTime; next: DateTime; key: string } {
  if (kind === "week") {
    const start = at.startOf("week"); // ISO weeks start on Monday
    return {
      start,
      next: start.plus({ weeks: 1 }),
      key: `${start.weekYear}-W${String(start.weekNumber).padStart(2, "0")}`,
    };
  }
  if (kind === "month") {
    const start = at.startOf("month");
    return { start, next: start.plus({ months: 1 }), key: start.toFormat("yyyy-MM") };
  }
  const start = at.startOf("year");
  return { start, next: start.plus({ years: 1 }), key: start.toFormat("yyyy") };
}

/** The period containing `now`, up to `now`. */
export function currentPeriod(kind: PeriodKind, now: Date, tz: string): Period {
  const { start, key } = bounds(kind, DateTime.fromJSDate(now, { zone: tz }));
  return { kind, key, start: start.toJSDate(), end: now, complete: false };
}

/** The last whole period before the one containing `now` (what a scheduled summary reports). */
export function previousPeriod(kind: PeriodKind, now: Date, tz: string): Period {
  const current = bounds(kind, DateTime.fromJSDate(now, { zone: tz }));
  const { start, next, key } = bounds(kind, current.start.minus({ days: 1 }));
  return { kind, key, start: start.toJSDate(), end: next.toJSDate(), complete: true };
}

/** The whole period before `period`, for comparison. */
export function periodBefore(period: Period, tz: string): Period {
  return previousPeriod(period.kind, period.start, tz);
}

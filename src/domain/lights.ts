import { addWorkdays, type WorkCalendar, workdaysBetween } from "./calendar.js";
import type { Cadence } from "./splitter/splitter.js";
import type { TaskState } from "./task-state.js";
import { addDays, addMonths, dueDateShown, type LocalDate, localDateOf, startOfDay } from "./time.js";

/** 红黄绿灯 for open tasks; closed tasks show whether they were done on time. */
export const LIGHTS = ["red", "yellow", "green", "on_time", "late", "cancelled"] as const;
export type Light = (typeof LIGHTS)[number];

/** Why a task has its light, most serious first; each is a rule of the README (The rules: lights). */
export const LIGHT_REASONS = [
  "overdue", // red: open and past due
  "stalled", // red: no substantive report for 2 cadences (7 working days without cadence)
  "blocker_long", // red: a blocker open for more than 5 working days
  "far_behind", // red: progress more than 30 points behind the time elapsed
  "due_soon", // yellow: due within 3 working days
  "ack_late", // yellow: not acknowledged 1 working day after dispatch (领办逾期)
  "report_owed", // yellow: no substantive report within its cadence
  "blocker_open", // yellow: an open blocker
  "behind", // yellow: progress 10–30 points behind the time elapsed
] as const;
export type LightReason = (typeof LIGHT_REASONS)[number];

export const RED_REASONS: readonly LightReason[] = ["overdue", "stalled", "blocker_long", "far_behind"];

/** Every threshold of the lights; all are settings (`/ducha 设置`). Day counts are working days. */
export interface LightThresholds {
  /** Yellow when the due date is within this many working days. */
  dueSoonWorkdays: number;
  /** Yellow when not acknowledged this many working days after dispatch. */
  ackWorkdays: number;
  /** Red after this many cadence periods without a substantive report. */
  stallCadences: number;
  /** Red after this many working days without a substantive report, for tasks without a cadence. */
  stallWorkdaysWithoutCadence: number;
  /** Red when a blocker has been open for more than this many working days. */
  blockerRedWorkdays: number;
  /** Red when progress is more than this many points behind the time elapsed. */
  farBehindPoints: number;
  /** Yellow when progress is at least this many points behind. */
  behindPoints: number;
  /** Urgent tasks count in hours: yellow when due within this many hours. */
  urgentDueSoonHours: number;
  /** Urgent: yellow when not acknowledged within this many hours. */
  urgentAckHours: number;
  /** Urgent: red after this many hours without a substantive report, when the task has no cadence. */
  urgentStallHours: number;
  /** Urgent: red when a blocker has been open for more than this many hours. */
  urgentBlockerRedHours: number;
  /** A 协调事项 is to be answered within this many working days… */
  coordinationReplyWorkdays: number;
  /** …or, for an urgent task, hours. */
  urgentCoordinationReplyHours: number;
}

export const DEFAULT_THRESHOLDS: LightThresholds = {
  dueSoonWorkdays: 3,
  ackWorkdays: 1,
  stallCadences: 2,
  stallWorkdaysWithoutCadence: 7,
  blockerRedWorkdays: 5,
  farBehindPoints: 30,
  behindPoints: 10,
  urgentDueSoonHours: 4,
  urgentAckHours: 1,
  urgentStallHours: 8,
  urgentBlockerRedHours: 24,
  coordinationReplyWorkdays: 2,
  urgentCoordinationReplyHours: 4,
};

/** The facts of a task the light depends on. */
export interface LightFacts {
  state: TaskState;
  urgent: boolean;
  cadence: Cadence;
  dispatchedAt: Date;
  dueAt: Date;
  ackAt: Date | null;
  /** When completion was claimed (pending_review, closed). */
  claimedAt: Date | null;
  closedAt: Date | null;
  /** The last substantive report; the stall clock runs from here, or from dispatch. */
  lastSubstantiveAt: Date | null;
  progress: number | null;
  /** When the currently open blocker was reported, if one is open. */
  blockerSince: Date | null;
}

/** A task as the store gives it (with its open blocker, if any), as the facts of its light. */
export function lightFactsOf(
  task: Omit<LightFacts, "blockerSince"> & { openBlocker: { since: Date } | null },
): LightFacts {
  return {
    state: task.state,
    urgent: task.urgent,
    cadence: task.cadence,
    dispatchedAt: task.dispatchedAt,
    dueAt: task.dueAt,
    ackAt: task.ackAt,
    claimedAt: task.claimedAt,
    closedAt: task.closedAt,
    lastSubstantiveAt: task.lastSubstantiveAt,
    progress: task.progress,
    blockerSince: task.openBlocker?.since ?? null,
  };
}

export interface LightContext {
  now: Date;
  tz: string;
  calendar: WorkCalendar;
  thresholds: LightThresholds;
}

export interface LightResult {
  light: Light;
  reasons: LightReason[];
}

const HOUR = 3_600_000;

/** The same clock time, `n` working days later. */
function workdaysAfter(instant: Date, n: number, ctx: LightContext): Date {
  const day = localDateOf(instant, ctx.tz);
  const offset = instant.getTime() - startOfDay(day, ctx.tz).getTime();
  return new Date(startOfDay(addWorkdays(ctx.calendar, day, n), ctx.tz).getTime() + offset);
}

/** When a task that reported at `from` is owed its next cadence report, or undefined without a cadence. */
export function cadenceDue(from: Date, cadence: Cadence, periods: number, tz: string): Date | undefined {
  switch (cadence.kind) {
    case "none":
      return undefined;
    case "hours":
      return new Date(from.getTime() + periods * cadence.hours * HOUR);
    case "weekly":
      return new Date(from.getTime() + periods * 7 * 24 * HOUR);
    case "fortnightly":
      return new Date(from.getTime() + periods * 14 * 24 * HOUR);
    case "monthly": {
      const day: LocalDate = localDateOf(from, tz);
      const offset = from.getTime() - startOfDay(day, tz).getTime();
      return new Date(startOfDay(addMonths(day, periods), tz).getTime() + offset);
    }
  }
}

/** When an unacknowledged task becomes 领办逾期. */
export function ackDueAt(facts: Pick<LightFacts, "dispatchedAt" | "urgent">, ctx: LightContext): Date {
  return facts.urgent
    ? new Date(facts.dispatchedAt.getTime() + ctx.thresholds.urgentAckHours * HOUR)
    : workdaysAfter(facts.dispatchedAt, ctx.thresholds.ackWorkdays, ctx);
}

/** When a task without a substantive report since `since` turns red for being stalled. */
export function stallRedAt(
  facts: Pick<LightFacts, "cadence" | "urgent">,
  since: Date,
  ctx: LightContext,
): Date {
  const byCadence = cadenceDue(since, facts.cadence, ctx.thresholds.stallCadences, ctx.tz);
  if (byCadence) return byCadence;
  return facts.urgent
    ? new Date(since.getTime() + ctx.thresholds.urgentStallHours * HOUR)
    : workdaysAfter(since, ctx.thresholds.stallWorkdaysWithoutCadence, ctx);
}

/** Points by which reported progress trails the share of time elapsed (negative when ahead). */
export function progressGap(
  facts: Pick<LightFacts, "dispatchedAt" | "dueAt" | "progress">,
  now: Date,
): number | null {
  if (facts.progress === null) return null;
  const span = facts.dueAt.getTime() - facts.dispatchedAt.getTime();
  if (span <= 0) return null;
  const elapsed = Math.min(1, Math.max(0, (now.getTime() - facts.dispatchedAt.getTime()) / span));
  return elapsed * 100 - facts.progress;
}

/**
 * The light of a task at `now`, with every reason for it (README: The rules, lights). A task
 * awaiting verification is judged by its claim: on time if claimed before the due date, and
 * it does not turn red while the office holds it.
 */
export function computeLight(facts: LightFacts, ctx: LightContext): LightResult {
  if (facts.state === "cancelled") return { light: "cancelled", reasons: [] };
  if (facts.state === "closed") {
    const doneAt = facts.claimedAt ?? facts.closedAt ?? ctx.now;
    return { light: doneAt < facts.dueAt ? "on_time" : "late", reasons: [] };
  }
  if (facts.state === "pending_review") {
    const claimedAt = facts.claimedAt ?? ctx.now;
    return claimedAt < facts.dueAt ? { light: "green", reasons: [] } : { light: "red", reasons: ["overdue"] };
  }
  const { now, thresholds: t } = ctx;
  const reasons: LightReason[] = [];
  if (now >= facts.dueAt) reasons.push("overdue");

  const since = facts.lastSubstantiveAt ?? facts.dispatchedAt;
  if (now >= stallRedAt(facts, since, ctx)) reasons.push("stalled");

  if (facts.blockerSince) {
    const redAt = facts.urgent
      ? new Date(facts.blockerSince.getTime() + t.urgentBlockerRedHours * HOUR)
      : workdaysAfter(facts.blockerSince, t.blockerRedWorkdays, ctx);
    reasons.push(now > redAt ? "blocker_long" : "blocker_open");
  }

  const gap = progressGap(facts, now);
  if (gap !== null && gap > t.farBehindPoints) reasons.push("far_behind");
  else if (gap !== null && gap >= t.behindPoints) reasons.push("behind");

  if (now < facts.dueAt) {
    const dueSoon = facts.urgent
      ? facts.dueAt.getTime() - now.getTime() <= t.urgentDueSoonHours * HOUR
      : workdaysBetween(ctx.calendar, localDateOf(now, ctx.tz), dueDateShown(facts.dueAt, ctx.tz)) <=
        t.dueSoonWorkdays;
    if (dueSoon) reasons.push("due_soon");
  }
  if (facts.state === "dispatched" && facts.ackAt === null && now >= ackDueAt(facts, ctx))
    reasons.push("ack_late");
  if (!reasons.includes("stalled")) {
    const owed = cadenceDue(since, facts.cadence, 1, ctx.tz);
    if (owed && now >= owed) reasons.push("report_owed");
  }

  const ordered = ORDER.filter((reason) => reasons.includes(reason));
  const light: Light = ordered.some((r) => RED_REASONS.includes(r))
    ? "red"
    : ordered.length > 0
      ? "yellow"
      : "green";
  return { light, reasons: ordered };
}

/** A light that no passing of time changes: it holds until the task's facts do. */
export const HOLDS_UNTIL_CHANGED = new Date("9999-12-31T00:00:00.000Z");

/**
 * Until when the light worked out at `ctx.now` holds by time alone, the facts unchanged: the
 * first instant after `now` at which a rule's threshold is crossed (the due date, the stall
 * clock, a blocker's limit, progress falling 10 or 30 points behind, the acknowledgement and
 * cadence deadlines) or the next local midnight, when counts of working days move on. A task's
 * stored light stays true until then, unless its facts, the settings or the calendar change.
 */
export function lightHoldsUntil(facts: LightFacts, ctx: LightContext): Date {
  if (facts.state === "cancelled" || facts.state === "closed" || facts.state === "pending_review") {
    return HOLDS_UNTIL_CHANGED;
  }
  const { now, thresholds: t, tz } = ctx;
  let first = startOfDay(addDays(localDateOf(now, tz), 1), tz).getTime();
  const consider = (at: Date | number | undefined) => {
    const ms = at instanceof Date ? at.getTime() : at;
    if (ms !== undefined && ms > now.getTime() && ms < first) first = ms;
  };
  consider(facts.dueAt);
  const since = facts.lastSubstantiveAt ?? facts.dispatchedAt;
  consider(stallRedAt(facts, since, ctx));
  consider(cadenceDue(since, facts.cadence, 1, tz));
  if (facts.blockerSince) {
    const redAt = facts.urgent
      ? new Date(facts.blockerSince.getTime() + t.urgentBlockerRedHours * HOUR)
      : workdaysAfter(facts.blockerSince, t.blockerRedWorkdays, ctx);
    // Red once the limit is passed, not at it.
    consider(redAt.getTime() + 1);
  }
  if (facts.progress !== null) {
    const span = facts.dueAt.getTime() - facts.dispatchedAt.getTime();
    for (const points of [t.behindPoints, t.farBehindPoints]) {
      const at = facts.dispatchedAt.getTime() + ((facts.progress + points) / 100) * span;
      // The gap grows continuously: the rule flips at the instant itself or just after it.
      consider(Math.floor(at));
      consider(Math.floor(at) + 1);
      consider(Math.ceil(at) + 1);
    }
  }
  if (facts.urgent) consider(facts.dueAt.getTime() - t.urgentDueSoonHours * HOUR);
  if (facts.state === "dispatched" && facts.ackAt === null) consider(ackDueAt(facts, ctx));
  return new Date(first);
}

const ORDER: readonly LightReason[] = [
  "overdue",
  "stalled",
  "blocker_long",
  "far_behind",
  "due_soon",
  "ack_late",
  "report_owed",
  "blocker_open",
  "behind",
];

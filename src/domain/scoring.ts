import type { WorkCalendar } from "./calendar.js";
import { ackDueAt, cadenceDue, type LightThresholds } from "./lights.js";
import type { Period } from "./period.js";
import type { Cadence } from "./splitter/splitter.js";
import type { TaskState } from "./task-state.js";

/**
 * How a department's score is made, as offices score: 100 points, minus itemised deductions,
 * plus itemised credits, on the tasks it leads in the period. One table; the README shows it.
 */
export const SCORING_WEIGHTS = {
  /** A task overdue at the period's end, or closed late within it. */
  overdue: -5,
  /** A cadence report owed in the period and not given. */
  reportMissed: -2,
  /** A task acknowledged late (领办逾期). */
  lateAck: -1,
  /** A completion claim returned (退回). */
  returned: -3,
  /** A report flagged 走过场. */
  perfunctory: -2,
  /** A task closed on time within the period. */
  closedOnTime: 1,
  /** A report a supervisor starred as exemplary. */
  starred: 1,
  /**
   * 协调不力: a coordination request asked of the department (for another's task) that passed
   * its reply-by time unanswered in the period; counted against the requested department.
   */
  coordinationLapsed: -2,
  /** 回头看 found the problem back (问题反弹): the task reopened; counted when the office marks it. */
  relapsed: -5,
  /** 虚报: an on-site check (实地核查) found a completion claim 不属实. */
  falseClaim: -10,
  /** 整改 owed: a 整改 task a 督查通报 asked for, past its due date in the period with no answer. */
  rectificationOwed: -2,
} as const;

export type ScoreRule = keyof typeof SCORING_WEIGHTS;

/** Every score starts here. */
export const BASE_SCORE = 100;
/** Departments with fewer scored tasks are 样本不足, never ranked at either end. */
export const DEFAULT_MIN_SAMPLE = 2;
/** How many departments each end of the summary names at most. */
export const DEFAULT_ENDS = 3;

/** What scoring needs of a task; reports are the lead department's. */
export interface ScoringTask {
  id: number;
  leadDeptId: number;
  state: TaskState;
  urgent: boolean;
  cadence: Cadence;
  dispatchedAt: Date;
  dueAt: Date;
  ackAt: Date | null;
  claimedAt: Date | null;
  closedAt: Date | null;
  cancelledAt: Date | null;
  /*
   * The lead department's standing reports, as times in epoch milliseconds: a year of an office
   * holds ~200,000 of them, and an object apiece cost more than the scoring itself.
   */
  /** When its substantive reports came, ascending: at least those since the period began. */
  given: readonly number[];
  /** When its reports flagged 走过场 came: those in the period at least. */
  perfunctory: readonly number[];
  /** When its reports were starred as exemplary: those in the period at least. */
  starred: readonly number[];
  /** The last substantive report before the earliest of `given`, when they are not all of them. */
  lastSubstantiveBefore?: Date | null;
  /** When its completion claims were returned (those in the period at least). */
  returns: readonly Date[];
  /**
   * When it was opened again after closing or cancelling (重新督办, 回头看反弹, 再批示): the claim
   * standing before no longer stands, as a return ends it, but costs no 退回.
   */
  reopened?: readonly Date[];
  /**
   * When its completion was claimed (申请办结), up to the period's end. Without them, the
   * claim standing now (`claimedAt`) is taken for the one standing at the period's end.
   */
  claims?: readonly Date[];
  /**
   * When the task waited on another department: each coordination request's span from its
   * reply-by time, unanswered, until it was answered or closed (null: still waiting). A task
   * overdue at the period's end while it waits is not the lead department's fault.
   */
  waitedOn?: readonly { from: Date; until: Date | null }[];
}

/** The rules scored on a department for something other than the tasks it leads in the period. */
export type MarkRule = "coordinationLapsed" | "relapsed" | "falseClaim" | "rectificationOwed";

/**
 * Something in a period that costs a department points, found outside its tasks' own history:
 * a coordination request it let lapse (协调不力, on another department's task), a 回头看 it failed
 * (反弹), an on-site check that found its claim false (虚报), a 整改 it owes.
 */
export interface DepartmentMark {
  /** The department it costs. */
  departmentId: number;
  /** The task it is about. */
  taskId: number;
  rule: MarkRule;
}

export interface ScoreItem {
  taskId: number;
  rule: ScoreRule;
  /** How many times the rule applied to this task (two 走过场 reports: 2). */
  count: number;
  points: number;
}

export interface DepartmentScore {
  departmentId: number;
  score: number;
  items: ScoreItem[];
  /** Tasks it led in the period. */
  scoredTasks: number;
  /** Enough scored tasks to be ranked. */
  eligible: boolean;
  closedOnTime: number;
  overdue: number;
}

export interface ScoringContext {
  tz: string;
  calendar: WorkCalendar;
  /** The light thresholds: an acknowledgement is late when the light says 领办逾期. */
  thresholds: LightThresholds;
  minSample: number;
}

const within = (at: Date, period: Period) => at >= period.start && at < period.end;

/** How many of the times (epoch milliseconds) fall in the period. */
function countWithin(times: readonly number[], period: Period): number {
  const start = period.start.getTime();
  const end = period.end.getTime();
  let n = 0;
  for (const at of times) if (at >= start && at < end) n++;
  return n;
}

/** A task counts in a period when it was dispatched before its end and neither finished before it began nor was cancelled. */
export function inPeriod(task: ScoringTask, period: Period): boolean {
  if (task.dispatchedAt >= period.end) return false;
  if (task.cancelledAt && task.cancelledAt < period.end) return false;
  if (task.closedAt && task.closedAt < period.start) return false;
  return true;
}

/**
 * The completion claim standing at a moment: the last claim made before it and not returned
 * before it. Whatever became of the task afterwards (verified, returned, cancelled) does not
 * change what stood then. A claim decides on-time, not the office's verification.
 */
export function claimStandingAt(
  task: Pick<ScoringTask, "claims" | "claimedAt" | "returns" | "reopened">,
  at: Date,
): Date | null {
  const claims = task.claims ?? (task.claimedAt ? [task.claimedAt] : []);
  let last: Date | null = null;
  for (const claim of claims) if (claim < at && (last === null || claim > last)) last = claim;
  if (last === null) return null;
  const claimed = last;
  const ended = (r: Date) => r > claimed && r < at;
  return task.returns.some(ended) || (task.reopened ?? []).some(ended) ? null : claimed;
}

/** When a closed task was finished: the claim its closure verified (its closure, without one). */
export function finishedAt(
  task: Pick<ScoringTask, "claims" | "claimedAt" | "returns" | "reopened" | "closedAt">,
): Date | null {
  if (!task.closedAt) return null;
  return claimStandingAt(task, new Date(task.closedAt.getTime() + 1)) ?? task.closedAt;
}

/** Closed within the period (verified in it). */
export function closedWithin(task: ScoringTask, period: Period): boolean {
  return task.state === "closed" && task.closedAt !== null && within(task.closedAt, period);
}

/**
 * 超期 at the period's end: not closed by then, due by then, and no completion claimed before
 * the due date standing then. The one rule behind the −5 and the summary's overdue count.
 */
export function overdueAtEnd(task: ScoringTask, period: Period): boolean {
  if (task.state === "closed" && task.closedAt !== null && task.closedAt < period.end) return false;
  if (task.dueAt > period.end) return false;
  const claim = claimStandingAt(task, period.end);
  return claim === null || claim >= task.dueAt;
}

/** The last moment the task could be worked on in the period: its standing claim, its cancellation, or the end. */
function workedUntil(task: ScoringTask, period: Period): number {
  const claim = claimStandingAt(task, period.end);
  return Math.min(
    period.end.getTime(),
    claim?.getTime() ?? Infinity,
    task.cancelledAt?.getTime() ?? Infinity,
  );
}

function ackDue(task: ScoringTask, period: Period, ctx: ScoringContext): Date {
  return ackDueAt(task, { now: period.end, tz: ctx.tz, calendar: ctx.calendar, thresholds: ctx.thresholds });
}

/** Cadence reports owed within the period and not given: each owed moment with no substantive report since the last. */
export function missedReports(task: ScoringTask, period: Period, tz: string): number {
  if (task.cadence.kind === "none") return 0;
  const given = task.given;
  const stop = workedUntil(task, period);
  let anchor = Math.max(task.dispatchedAt.getTime(), task.lastSubstantiveBefore?.getTime() ?? 0);
  let missed = 0;
  // The anchor only moves forward: the first report after it is found by moving on, not searching.
  let next = 0;
  for (let guard = 0; guard < 1_000; guard++) {
    const due = cadenceDue(new Date(anchor), task.cadence, 1, tz)?.getTime();
    if (due === undefined || due >= stop) break;
    while (next < given.length && (given[next] as number) <= anchor) next++;
    const first = given[next];
    if (first !== undefined && first <= due) {
      anchor = first;
      continue;
    }
    if (due >= period.start.getTime()) missed++;
    anchor = due;
  }
  return missed;
}

/** The items of one task in the period. */
export function scoreTask(task: ScoringTask, period: Period, ctx: ScoringContext): ScoreItem[] {
  const items: ScoreItem[] = [];
  const add = (rule: ScoreRule, count = 1) => {
    if (count > 0) items.push({ taskId: task.id, rule, count, points: SCORING_WEIGHTS[rule] * count });
  };
  const finished = finishedAt(task);
  if (closedWithin(task, period) && finished) {
    // Closed in the period: on time or late by the claim.
    add(finished < task.dueAt ? "closedOnTime" : "overdue");
  } else if (overdueAtEnd(task, period) && !waitingAt(task, period.end)) {
    add("overdue");
  }
  add("reportMissed", missedReports(task, period, ctx.tz));
  const due = ackDue(task, period, ctx);
  if (
    task.ackAt
      ? task.ackAt > due && within(task.ackAt, period)
      : task.state === "dispatched" && within(due, period)
  ) {
    add("lateAck");
  }
  add("returned", task.returns.filter((at) => within(at, period)).length);
  add("perfunctory", countWithin(task.perfunctory, period));
  add("starred", countWithin(task.starred, period));
  return items;
}

/** The task was waiting on another department's late answer at that moment. */
function waitingAt(task: ScoringTask, at: Date): boolean {
  return (task.waitedOn ?? []).some((w) => w.from < at && (w.until === null || w.until >= at));
}

/** Each department's marks as items: one per task and rule, counting how often it applied. */
function markItems(marks: readonly DepartmentMark[]): Map<number, ScoreItem[]> {
  const counts = new Map<number, Map<string, { taskId: number; rule: MarkRule; count: number }>>();
  for (const mark of marks) {
    const byTask = counts.get(mark.departmentId) ?? new Map();
    const key = `${mark.taskId}:${mark.rule}`;
    const item = byTask.get(key) ?? { taskId: mark.taskId, rule: mark.rule, count: 0 };
    item.count++;
    byTask.set(key, item);
    counts.set(mark.departmentId, byTask);
  }
  const items = new Map<number, ScoreItem[]>();
  for (const [departmentId, byTask] of counts) {
    items.set(
      departmentId,
      [...byTask.values()].map((i) => ({ ...i, points: SCORING_WEIGHTS[i.rule] * i.count })),
    );
  }
  return items;
}

/**
 * Each department's score over the tasks it leads in the period, with the items behind it,
 * and its marks (协调不力, 反弹, 虚报, 整改 owed).
 */
export function scoreDepartments(
  tasks: readonly ScoringTask[],
  departmentIds: readonly number[],
  period: Period,
  ctx: ScoringContext,
  marks: readonly DepartmentMark[] = [],
): DepartmentScore[] {
  const byDepartment = new Map<number, ScoringTask[]>(departmentIds.map((id) => [id, []]));
  for (const task of tasks) {
    if (inPeriod(task, period)) byDepartment.get(task.leadDeptId)?.push(task);
  }
  const marked = markItems(marks);
  return departmentIds.map((departmentId) => {
    const led = byDepartment.get(departmentId) ?? [];
    const items = [
      ...led.flatMap((task) => scoreTask(task, period, ctx)),
      ...(marked.get(departmentId) ?? []),
    ];
    return {
      departmentId,
      score: BASE_SCORE + items.reduce((sum, item) => sum + item.points, 0),
      items,
      scoredTasks: led.length,
      eligible: led.length >= ctx.minSample,
      closedOnTime: items.filter((i) => i.rule === "closedOnTime").length,
      overdue: items.filter((i) => i.rule === "overdue").length,
    };
  });
}

/**
 * The order of departments, best first. Ties are broken the same way every time: the higher
 * score, then more tasks closed on time, then fewer overdue, then more tasks scored, then the
 * lower department id (the earlier registered).
 */
export function compareScores(a: DepartmentScore, b: DepartmentScore): number {
  return (
    b.score - a.score ||
    b.closedOnTime - a.closedOnTime ||
    a.overdue - b.overdue ||
    b.scoredTasks - a.scoredTasks ||
    a.departmentId - b.departmentId
  );
}

export interface Ranking {
  /** Every eligible department, best first. */
  order: DepartmentScore[];
  best: DepartmentScore[];
  /** Worst first. */
  worst: DepartmentScore[];
  middle: DepartmentScore[];
  /** 样本不足: too few tasks to rank. */
  insufficient: DepartmentScore[];
}

/**
 * 抓两头带中间: the best few and the worst few of the eligible departments, the rest in the
 * middle. The ends never overlap: each takes at most half the eligible departments (a lone
 * department is in the middle).
 */
export function rankDepartments(scores: readonly DepartmentScore[], ends = DEFAULT_ENDS): Ranking {
  const order = scores.filter((s) => s.eligible).sort(compareScores);
  const perEnd = Math.min(ends, Math.floor(order.length / 2));
  return {
    order,
    best: order.slice(0, perEnd),
    worst: order.slice(order.length - perEnd).reverse(),
    middle: order.slice(perEnd, order.length - perEnd),
    insufficient: scores.filter((s) => !s.eligible),
  };
}

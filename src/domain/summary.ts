import { z } from "zod";
import type { Confidentiality } from "./decision.js";
import type { Light, LightReason } from "./lights.js";
import type { Period } from "./period.js";
import { CAUSES, type Cause } from "./report-reading.js";
import {
  DEFAULT_MIN_SAMPLE,
  type DepartmentScore,
  finishedAt,
  inPeriod,
  overdueAtEnd,
  type Ranking,
  rankDepartments,
  type ScoreRule,
  type ScoringTask,
} from "./scoring.js";
import { dueDateShown } from "./time.js";

/**
 * 抓两头带中间: what a summary says, composed here from figures the store aggregates and
 * rendered in src/slack. It is plain data (stored with a posted summary, compared with the
 * next one), so it is described by a schema. Lists are capped so that the message always fits
 * Slack's limits; what a cap leaves out is counted (`more`), and the ledger holds it.
 */

/** How many items each list shows at most; the rest are counted and left to the ledger. */
export const SUMMARY_CAPS = {
  /** Red items named under each of the worst departments. */
  redPerDepartment: 5,
  /** Starred reports quoted under each of the best departments. */
  starredPerDepartment: 2,
  /** 难点: open blockers named. */
  difficulties: 6,
  /** 热点: hot-tagged tasks named. */
  hotspots: 6,
  /** The middle departments named in its one line; more are summed up by their range. */
  middleNamed: 8,
  /** A title is shortened to this many characters (the ledger has it whole). */
  title: 40,
  /** A quoted report is shortened to this many characters. */
  quote: 120,
} as const;

const ZLightReason = z.string() as z.ZodType<LightReason>;

const ZTaskLine = z.object({
  id: z.number().int(),
  year: z.number().int(),
  seq: z.number().int(),
  /** Null when the task is confidential: its title never appears. */
  title: z.string().nullable(),
  department: z.string(),
  light: z.string() as z.ZodType<Light>,
  reasons: z.array(ZLightReason),
  /** The due date shown (YYYY-MM-DD in DUCHA_TZ). */
  due: z.string(),
  url: z.string().nullable(),
});
export type TaskLine = z.infer<typeof ZTaskLine>;

const ZCauseCounts = z.record(z.string(), z.number().int());

const ZDepartmentLine = z.object({
  id: z.number().int(),
  name: z.string(),
  score: z.number(),
  /** 1 is the best; null for 样本不足. */
  rank: z.number().int().nullable(),
  /** Places gained since the previous period (negative: lost); null when it was not ranked then. */
  rankChange: z.number().int().nullable(),
  scoredTasks: z.number().int(),
  closedOnTime: z.number().int(),
  overdue: z.number().int(),
  /** Points by rule: { overdue: -15, reportMissed: -2 }. */
  points: z.record(z.string(), z.number()),
});
export type DepartmentLine = z.infer<typeof ZDepartmentLine>;

const ZStarredLine = z.object({
  task: ZTaskLine,
  /** Null when the task is confidential. */
  text: z.string().nullable(),
  userId: z.string(),
});
export type StarredLine = z.infer<typeof ZStarredLine>;

const ZTotals = z.object({
  total: z.number().int(),
  closed: z.number().int(),
  /** Closed within the period, as a whole percentage of the total. */
  closedPct: z.number().int(),
  open: z.number().int(),
  /** Open at the period's end and past due. */
  overdue: z.number().int(),
  /** Closed in the period, but late. */
  closedLate: z.number().int(),
  /** Open tasks red and yellow as the summary is made. */
  red: z.number().int(),
  yellow: z.number().int(),
});
export type Totals = z.infer<typeof ZTotals>;

export const ZSummary = z.object({
  kind: z.enum(["week", "month", "year"]),
  key: z.string(),
  start: z.coerce.date(),
  end: z.coerce.date(),
  complete: z.boolean(),
  generatedAt: z.coerce.date(),
  /** 督查通报 第N期, for monthly bulletins. */
  issueNo: z.number().int().nullable(),
  previousKey: z.string().nullable(),
  /** Scored tasks a department needed to be ranked. */
  minSample: z.number().int().default(DEFAULT_MIN_SAMPLE),
  totals: ZTotals,
  /** Since the previous period's summary; null when there was none. */
  totalsChange: z.object({ total: z.number(), closed: z.number(), overdue: z.number() }).nullable(),
  best: z.array(ZDepartmentLine.extend({ starred: z.array(ZStarredLine), starredMore: z.number().int() })),
  worst: z.array(
    ZDepartmentLine.extend({
      red: z.array(ZTaskLine),
      redMore: z.number().int(),
      redCount: z.number().int(),
      stalled: z.number().int(),
      causes: ZCauseCounts,
    }),
  ),
  middle: z.object({
    count: z.number().int(),
    min: z.number().nullable(),
    max: z.number().nullable(),
    average: z.number().nullable(),
    named: z.array(ZDepartmentLine),
  }),
  /** 样本不足: department names. */
  insufficient: z.array(z.string()),
  difficulties: z.object({
    items: z.array(ZTaskLine.extend({ cause: z.string().nullable(), since: z.coerce.date() })),
    more: z.number().int(),
    causes: ZCauseCounts,
    /** 协调事项 not yet closed, oldest first: the parties and how long it has waited. */
    coordinations: z
      .array(
        z.object({
          id: z.number().int(),
          year: z.number().int(),
          seq: z.number().int(),
          title: z.string().nullable(),
          url: z.string().nullable(),
          from: z.string(),
          to: z.string(),
          workdays: z.number().int(),
          answered: z.boolean(),
        }),
      )
      .default([]),
    coordinationsMore: z.number().int().default(0),
  }),
  hotspots: z.object({ tags: z.array(z.string()), items: z.array(ZTaskLine), more: z.number().int() }),
  /** Every department that led a task in the period, best first, then 样本不足. */
  bars: z.array(
    ZDepartmentLine.pick({ id: true, name: true, score: true, rank: true, rankChange: true }).extend({
      /** Its open tasks' lights as the summary is made (summaries stored before had none). */
      lights: z
        .object({ red: z.number().int(), yellow: z.number().int(), green: z.number().int() })
        .default({ red: 0, yellow: 0, green: 0 }),
    }),
  ),
  /** Something was left out of a list: the post says so and the ledger is attached. */
  overflow: z.boolean(),
  /** 回头看 found back (反弹) and 虚报 in the period, each named with its unit and task. */
  flagged: z
    .array(
      z.object({
        department: z.string(),
        rule: z.enum(["relapsed", "falseClaim"]),
        year: z.number().int(),
        seq: z.number().int(),
        title: z.string().nullable(),
        url: z.string().nullable(),
      }),
    )
    .default([]),
  /** 信息工作 of the period, unit by unit, ranked (信息报送): the monthly 通报 carries it. */
  information: z
    .array(
      z.object({
        name: z.string(),
        score: z.number(),
        rank: z.number().int().nullable(),
        sent: z.number().int(),
        adopted: z.number().int(),
        late: z.number().int(),
        missed: z.number().int(),
      }),
    )
    .default([]),
  /** The 整改 the previous 督查通报 asked for, and whether each unit has answered (claimed or closed). */
  rectifications: z
    .array(
      z.object({
        issueNo: z.number().int(),
        department: z.string(),
        year: z.number().int(),
        seq: z.number().int(),
        done: z.boolean(),
      }),
    )
    .default([]),
});
export type Summary = z.infer<typeof ZSummary>;

/** What the next summary compares itself with: kept with each posted summary. */
export const ZSnapshotData = z.object({
  totals: z.object({ total: z.number(), closed: z.number(), overdue: z.number() }),
  ranks: z.record(z.string(), z.number().int()),
});
export type SnapshotData = z.infer<typeof ZSnapshotData>;

export function snapshotOf(summary: Summary): SnapshotData {
  const ranks: Record<string, number> = {};
  for (const bar of summary.bars) if (bar.rank !== null) ranks[String(bar.id)] = bar.rank;
  const { total, closed, overdue } = summary.totals;
  return { totals: { total, closed, overdue }, ranks };
}

/** An open task as the summary sees it now: its light and any open blocker. */
export interface OpenTaskFacts {
  id: number;
  year: number;
  seq: number;
  title: string;
  confidentiality: Confidentiality;
  leadDeptId: number;
  dueAt: Date;
  tags: readonly string[];
  light: Light;
  reasons: readonly LightReason[];
  blocker: { since: Date; cause: string | null } | null;
  url: string | null;
}

export interface StarredReportFacts {
  taskId: number;
  text: string;
  userId: string;
  starredAt: Date;
}

export interface SummaryInput {
  period: Period;
  generatedAt: Date;
  tz: string;
  departments: readonly { id: number; name: string }[];
  /** Every task counted in the period (see inPeriod), with its scoring facts. */
  tasks: readonly ScoringTask[];
  scores: readonly DepartmentScore[];
  /** Open tasks now, with their lights. */
  open: readonly OpenTaskFacts[];
  /** Reports starred in the period. */
  starred: readonly StarredReportFacts[];
  /** Titles of the tasks starred reports belong to, when not open (closed ones). */
  taskInfo: ReadonlyMap<number, Omit<OpenTaskFacts, "light" | "reasons" | "blocker">>;
  previous: { key: string; data: SnapshotData } | null;
  hotTags: readonly string[];
  ends: number;
  minSample: number;
  issueNo?: number | null;
  /** 反弹 and 虚报 of the period, named (see Summary.flagged). */
  flagged?: Summary["flagged"];
  /** 信息工作 of the period (see Summary.information). */
  information?: Summary["information"];
  /** The previous bulletin's 整改 and where they stand. */
  rectifications?: Summary["rectifications"];
  /** 协调事项 not yet closed, oldest first, with the working days each has waited. */
  coordinations?: readonly {
    taskId: number;
    year: number;
    seq: number;
    title: string;
    confidentiality: string;
    url: string | null;
    from: string;
    to: string;
    workdays: number;
    answered: boolean;
  }[];
}

function shorten(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return [...flat].length > max ? `${[...flat].slice(0, max - 1).join("")}…` : flat;
}

/** Totals at the period's end, from the tasks counted in it. */
export function totalsOf(
  tasks: readonly ScoringTask[],
  period: Period,
  open: readonly OpenTaskFacts[],
): Totals {
  let total = 0;
  let closed = 0;
  let overdue = 0;
  let closedLate = 0;
  for (const task of tasks) {
    if (!inPeriod(task, period)) continue;
    total++;
    if (task.state === "closed" && task.closedAt !== null && task.closedAt < period.end) {
      closed++;
      const finished = finishedAt(task);
      if (finished && finished >= task.dueAt) closedLate++;
    } else if (overdueAtEnd(task, period)) {
      overdue++;
    }
  }
  return {
    total,
    closed,
    closedPct: total === 0 ? 0 : Math.round((closed * 100) / total),
    open: total - closed,
    overdue,
    closedLate,
    red: open.filter((t) => t.light === "red").length,
    yellow: open.filter((t) => t.light === "yellow").length,
  };
}

function countCauses(blockers: readonly { cause: string | null }[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const b of blockers) {
    const cause: Cause = CAUSES.includes(b.cause as Cause) ? (b.cause as Cause) : "other";
    counts[cause] = (counts[cause] ?? 0) + 1;
  }
  return counts;
}

/** Red first, then by how late, then by number. */
function byUrgency(a: OpenTaskFacts, b: OpenTaskFacts): number {
  const weight = (t: OpenTaskFacts) => (t.light === "red" ? 0 : t.light === "yellow" ? 1 : 2);
  return weight(a) - weight(b) || a.dueAt.getTime() - b.dueAt.getTime() || a.id - b.id;
}

/** Composes the summary of a period. Pure: every figure comes in through `input`. */
export function composeSummary(input: SummaryInput): Summary {
  const { period, tz } = input;
  const names = new Map(input.departments.map((d) => [d.id, d.name]));
  const nameOf = (id: number) => names.get(id) ?? `#${id}`;
  const ranking: Ranking = rankDepartments(input.scores, input.ends);
  const rankOf = new Map(ranking.order.map((s, i) => [s.departmentId, i + 1]));
  let overflow = false;

  const line = (
    t: Omit<OpenTaskFacts, "light" | "reasons" | "blocker">,
    light: Light,
    reasons: readonly LightReason[],
  ): TaskLine => ({
    id: t.id,
    year: t.year,
    seq: t.seq,
    title: t.confidentiality === "secret" ? null : shorten(t.title, SUMMARY_CAPS.title),
    department: nameOf(t.leadDeptId),
    light,
    reasons: [...reasons],
    due: dueDateShown(t.dueAt, tz),
    url: t.url,
  });
  const openLine = (t: OpenTaskFacts) => line(t, t.light, t.reasons);

  const departmentLine = (s: DepartmentScore): DepartmentLine => {
    const rank = rankOf.get(s.departmentId) ?? null;
    const before = input.previous?.data.ranks[String(s.departmentId)];
    const points: Partial<Record<ScoreRule, number>> = {};
    for (const item of s.items) points[item.rule] = (points[item.rule] ?? 0) + item.points;
    return {
      id: s.departmentId,
      name: nameOf(s.departmentId),
      score: s.score,
      rank,
      rankChange: rank !== null && before !== undefined ? before - rank : null,
      scoredTasks: s.scoredTasks,
      closedOnTime: s.closedOnTime,
      overdue: s.overdue,
      points,
    };
  };

  const openByDept = new Map<number, OpenTaskFacts[]>();
  for (const task of [...input.open].sort(byUrgency)) {
    const list = openByDept.get(task.leadDeptId) ?? [];
    list.push(task);
    openByDept.set(task.leadDeptId, list);
  }
  const taskFacts = new Map<number, Omit<OpenTaskFacts, "light" | "reasons" | "blocker">>(input.taskInfo);
  for (const t of input.open) taskFacts.set(t.id, t);
  const lightOfTask = new Map(input.open.map((t) => [t.id, t]));
  const starredByDept = new Map<number, StarredLine[]>();
  for (const report of [...input.starred].sort((a, b) => a.starredAt.getTime() - b.starredAt.getTime())) {
    const task = taskFacts.get(report.taskId);
    if (!task) continue;
    const now = lightOfTask.get(report.taskId);
    const list = starredByDept.get(task.leadDeptId) ?? [];
    list.push({
      task: line(task, now?.light ?? "on_time", now?.reasons ?? []),
      text: task.confidentiality === "secret" ? null : shorten(report.text, SUMMARY_CAPS.quote),
      userId: report.userId,
    });
    starredByDept.set(task.leadDeptId, list);
  }

  const best = ranking.best.map((s) => {
    const starred = starredByDept.get(s.departmentId) ?? [];
    const shown = starred.slice(0, SUMMARY_CAPS.starredPerDepartment);
    if (starred.length > shown.length) overflow = true;
    return { ...departmentLine(s), starred: shown, starredMore: starred.length - shown.length };
  });

  const worst = ranking.worst.map((s) => {
    const open = openByDept.get(s.departmentId) ?? [];
    const red = open.filter((t) => t.light === "red");
    const shown = red.slice(0, SUMMARY_CAPS.redPerDepartment);
    if (red.length > shown.length) overflow = true;
    return {
      ...departmentLine(s),
      red: shown.map(openLine),
      redMore: red.length - shown.length,
      redCount: red.length,
      stalled: open.filter((t) => t.reasons.includes("stalled")).length,
      causes: countCauses(open.flatMap((t) => (t.blocker ? [t.blocker] : []))),
    };
  });

  const middleScores = ranking.middle.map((s) => s.score);
  const middleNamed =
    ranking.middle.length <= SUMMARY_CAPS.middleNamed ? ranking.middle.map(departmentLine) : [];
  const middle = {
    count: ranking.middle.length,
    min: middleScores.length ? Math.min(...middleScores) : null,
    max: middleScores.length ? Math.max(...middleScores) : null,
    average: middleScores.length
      ? Math.round((middleScores.reduce((a, b) => a + b, 0) / middleScores.length) * 10) / 10
      : null,
    named: middleNamed,
  };

  const blocked = [...input.open]
    .filter((t) => t.blocker !== null)
    .sort((a, b) => (a.blocker?.since.getTime() ?? 0) - (b.blocker?.since.getTime() ?? 0) || a.id - b.id);
  const difficulties = {
    items: blocked.slice(0, SUMMARY_CAPS.difficulties).map((t) => ({
      ...openLine(t),
      cause: t.blocker?.cause ?? null,
      since: t.blocker?.since ?? t.dueAt,
    })),
    more: Math.max(0, blocked.length - SUMMARY_CAPS.difficulties),
    causes: countCauses(blocked.flatMap((t) => (t.blocker ? [t.blocker] : []))),
    coordinations: (input.coordinations ?? []).slice(0, SUMMARY_CAPS.difficulties).map((c) => ({
      id: c.taskId,
      year: c.year,
      seq: c.seq,
      title: c.confidentiality === "secret" ? null : shorten(c.title, SUMMARY_CAPS.title),
      url: c.url,
      from: c.from,
      to: c.to,
      workdays: c.workdays,
      answered: c.answered,
    })),
    coordinationsMore: Math.max(0, (input.coordinations ?? []).length - SUMMARY_CAPS.difficulties),
  };
  if (difficulties.more > 0 || difficulties.coordinationsMore > 0) overflow = true;

  const hot = [...input.open]
    .filter((t) => t.tags.some((tag) => input.hotTags.includes(tag)))
    .sort(byUrgency);
  const hotspots = {
    tags: [...input.hotTags],
    items: hot.slice(0, SUMMARY_CAPS.hotspots).map(openLine),
    more: Math.max(0, hot.length - SUMMARY_CAPS.hotspots),
  };
  if (hotspots.more > 0) overflow = true;

  const leading = input.scores.filter((s) => s.scoredTasks > 0);
  const lightsOf = new Map<number, { red: number; yellow: number; green: number }>();
  for (const task of input.open) {
    const counts = lightsOf.get(task.leadDeptId) ?? { red: 0, yellow: 0, green: 0 };
    if (task.light === "red" || task.light === "yellow" || task.light === "green") counts[task.light]++;
    lightsOf.set(task.leadDeptId, counts);
  }
  const bars = [...ranking.order, ...ranking.insufficient.filter((s) => s.scoredTasks > 0)].map((s) => {
    const { id, name, score, rank, rankChange } = departmentLine(s);
    return { id, name, score, rank, rankChange, lights: lightsOf.get(id) ?? { red: 0, yellow: 0, green: 0 } };
  });

  const totals = totalsOf(input.tasks, period, input.open);
  const previous = input.previous?.data.totals;
  return {
    kind: period.kind,
    key: period.key,
    start: period.start,
    end: period.end,
    complete: period.complete,
    generatedAt: input.generatedAt,
    issueNo: input.issueNo ?? null,
    previousKey: input.previous?.key ?? null,
    minSample: input.minSample,
    totals,
    totalsChange: previous
      ? {
          total: totals.total - previous.total,
          closed: totals.closed - previous.closed,
          overdue: totals.overdue - previous.overdue,
        }
      : null,
    best,
    worst,
    middle,
    insufficient: ranking.insufficient.filter((s) => leading.includes(s)).map((s) => nameOf(s.departmentId)),
    difficulties,
    hotspots,
    bars,
    overflow,
    flagged: [...(input.flagged ?? [])],
    information: [...(input.information ?? [])],
    rectifications: [...(input.rectifications ?? [])],
  };
}

/**
 * The top of the scale scores are drawn on: 100, or above it when credits took the best past
 * 100 (rounded up to a ten), so that 104 and 102 do not both fill the bar and look alike.
 */
export function scoreScaleTop(scores: readonly number[]): number {
  const top = Math.max(100, ...scores);
  return Math.ceil(top / 10) * 10;
}

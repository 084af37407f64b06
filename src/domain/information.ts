import type { Confidentiality } from "./decision.js";
import type { DepartmentScore } from "./scoring.js";

/**
 * 信息报送 (DESIGN: 信息报送): units report events up within hours (初报), follow them up (续报)
 * to the end (终报); the office 精选s (采用 into the day's 要情, 不采用, 退回补充); 迟报 and 漏报 are
 * counted. The rules that need no database.
 */

/** 突发事件 / 重要情况 / 社情民意 / 预警信息 */
export const INFO_CATEGORIES = ["incident", "important", "opinion", "warning"] as const;
export type InfoCategory = (typeof INFO_CATEGORIES)[number];

/** 紧急 / 一般 */
export const INFO_URGENCIES = ["urgent", "normal"] as const;
export type InfoUrgency = (typeof INFO_URGENCIES)[number];

export type InfoVerdict = "pending" | "adopted" | "rejected" | "returned";

/** Hours from 事发时间 within which the 初报 is due, by category and urgency: 紧急 4, 一般 24. */
export const DEFAULT_INFO_LIMIT_HOURS: Record<InfoUrgency, number> = { urgent: 4, normal: 24 };

/** The limit in force for a category and urgency (a setting may change any), in minutes. */
export function infoLimitMinutes(
  category: InfoCategory,
  urgency: InfoUrgency,
  limits: Readonly<Record<string, number>>,
): number {
  return Math.round((limits[`${category}:${urgency}`] ?? DEFAULT_INFO_LIMIT_HOURS[urgency]) * 60);
}

/** 迟报: the 初报 reached the office more than the limit after the event. Real hours, not working days. */
export function isLate(occurredAt: Date, reportedAt: Date, limitMinutes: number): boolean {
  return reportedAt.getTime() - occurredAt.getTime() > limitMinutes * 60_000;
}

/** Minutes from the event to the 初报 (never below 0). */
export function minutesTaken(occurredAt: Date, reportedAt: Date): number {
  return Math.max(0, Math.floor((reportedAt.getTime() - occurredAt.getTime()) / 60_000));
}

/** 事发时间 is refused in the future (a minute of clock skew allowed) or more than a year back. */
export function occurredProblem(occurredAt: Date, now: Date): "future" | "too_old" | null {
  if (occurredAt.getTime() > now.getTime() + 60_000) return "future";
  if (now.getTime() - occurredAt.getTime() > 366 * 86_400_000) return "too_old";
  return null;
}

/** An information report as the store returns it. */
export interface InfoReportView {
  id: number;
  year: number;
  seq: number;
  department: { id: number; name: string; channelId: string; members: string[] };
  reportedBy: string;
  title: string;
  occurredAt: Date;
  place: string;
  category: InfoCategory;
  urgency: InfoUrgency;
  text: string;
  confidentiality: Confidentiality;
  reportedAt: Date;
  limitMinutes: number;
  late: boolean;
  state: "open" | "final";
  verdict: InfoVerdict;
  verdictBy: string | null;
  verdictAt: Date | null;
  verdictNote: string;
  followUpBy: Date | null;
  followUpAskedAt: Date | null;
  followUpStep: number;
  digestNo: number | null;
  files: { name: string; permalink: string | null }[];
  card: { channelId: string; ts: string; url: string | null } | null;
  unitCopy: { channelId: string; ts: string } | null;
  followUps: { id: number; kind: "follow" | "final"; text: string; userId: string; createdAt: Date }[];
}

/** A 续报 asked for is owed while none came since it was asked. */
export function followUpOwed(
  report: Pick<InfoReportView, "followUpBy" | "followUpAskedAt" | "followUps" | "state">,
): boolean {
  if (!report.followUpBy || !report.followUpAskedAt || report.state === "final") return false;
  const asked = report.followUpAskedAt;
  return !report.followUps.some((f) => f.createdAt >= asked);
}

/** 信息工作 is scored as offices score it: 100, plus each 采用, minus each 迟报 and 漏报. */
export const INFO_WEIGHTS = {
  /** A report the office 采用 (went into the 要情). */
  adopted: 2,
  /** A 初报 later than its limit (迟报). */
  late: -3,
  /** An event the unit did not report, registered by the office (漏报). */
  missed: -5,
} as const;
export type InfoRule = keyof typeof INFO_WEIGHTS;

/** One unit's information work in a period. */
export interface InfoCounts {
  departmentId: number;
  sent: number;
  adopted: number;
  late: number;
  missed: number;
}

/**
 * The period's information score of each unit, in the shape rankDepartments reads (抓两头带中间):
 * a unit that sent nothing and missed nothing is not ranked.
 */
export function scoreInformation(counts: readonly InfoCounts[]): DepartmentScore[] {
  return counts.map((c) => {
    const items = (["adopted", "late", "missed"] as const)
      .filter((rule) => c[rule] > 0)
      .map((rule) => ({
        taskId: 0,
        rule: rule as never,
        count: c[rule],
        points: INFO_WEIGHTS[rule] * c[rule],
      }));
    return {
      departmentId: c.departmentId,
      score: 100 + items.reduce((sum, i) => sum + i.points, 0),
      items,
      scoredTasks: c.sent,
      eligible: c.sent + c.missed > 0,
      closedOnTime: c.adopted,
      overdue: c.late + c.missed,
    };
  });
}

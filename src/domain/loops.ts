import type { LoopSettings } from "./settings.js";

/**
 * Closing the loops (DESIGN: 批示件 报结 · 整改 · 回头看 · 实地核查): the shapes the store returns
 * and the rules that need no database.
 */

/** scheduled → asked (on its day) → answered (the unit replied) → held (巩固) | relapsed (反弹); dropped when the task reopened first. */
export type RecheckState = "scheduled" | "asked" | "answered" | "held" | "relapsed" | "dropped";

export interface RecheckRow {
  id: number;
  taskId: number;
  departmentId: number;
  dueOn: Date;
  state: RecheckState;
  setBy: string;
  setAt: Date;
  askedAt: Date | null;
  replyBy: Date | null;
  answeredAt: Date | null;
  answeredBy: string | null;
  answerReportId: number | null;
  decidedAt: Date | null;
  decidedBy: string | null;
  note: string;
  task: {
    id: number;
    year: number;
    seq: number;
    title: string;
    secret: boolean;
    cardUrl: string | null;
    cardChannelId: string | null;
    leadDept: { id: number; name: string };
  };
}

/** 属实 / 部分属实 / 不属实 */
export const SITE_FINDINGS = ["true", "partly", "false"] as const;
export type SiteFinding = (typeof SITE_FINDINGS)[number];

export interface SiteCheckRow {
  id: number;
  taskId: number;
  departmentId: number;
  checkers: string;
  checkedOn: Date;
  place: string;
  finding: SiteFinding;
  note: string;
  covert: boolean;
  files: { name: string; permalink: string | null }[];
  falseClaim: boolean;
  recordedBy: string;
  recordedAt: Date;
}

export interface ClosureRow {
  id: number;
  decisionId: number;
  round: number;
  leaderUserId: string;
  createdAt: Date;
  readAt: Date | null;
  readBy: string | null;
  reply: string;
  replyAction: string | null;
  repliedAt: Date | null;
  repliedBy: string | null;
}

/** What a 再批示 asks for: only recorded, or the tasks of the decision reopened. */
export const REINSTRUCT_ACTIONS = ["record", "reopen"] as const;
export type ReinstructAction = (typeof REINSTRUCT_ACTIONS)[number];

/**
 * The 回头看 date offered at 验收: the shortest default that applies to the task (by its source,
 * by any of its tags), counted in days from the day of 验收. Null when none applies.
 */
export function defaultRecheckDays(
  task: { source: string; tags: readonly string[] },
  loops: Pick<LoopSettings, "recheckAfterDays">,
): number | null {
  const keys = [`source:${task.source}`, ...task.tags.map((t) => `tag:${t}`)];
  const days = keys.map((k) => loops.recheckAfterDays[k]).filter((d): d is number => typeof d === "number");
  return days.length ? Math.min(...days) : null;
}

/** A task whose tags need an on-site check record (实地核查) before 验收. */
export function needsSiteCheck(tags: readonly string[], loops: Pick<LoopSettings, "siteCheckTags">): boolean {
  return tags.some((t) => loops.siteCheckTags.includes(t));
}

/**
 * Whether a check found the claim standing: the last check recorded since the claim, if it was
 * 属实 or 部分属实. 验收 of a task needing a check waits for one.
 */
export function siteCheckDone(
  checks: readonly Pick<SiteCheckRow, "finding" | "recordedAt">[],
  claimedAt: Date | null,
): boolean {
  const since = claimedAt ?? new Date(0);
  const last = [...checks].reverse().find((c) => c.recordedAt >= since);
  return last !== undefined && last.finding !== "false";
}

import { z } from "zod";
import { TASK_STATES } from "./task-state.js";

/**
 * The audit trail: every change is one of these events (who, when, what, before → after),
 * checked with zod when it is written and read back typed, so the history and every figure
 * built on it never guess a shape. Add a new kind of event here first.
 */

const ZState = z.enum(TASK_STATES);
/** An instant as stored (ISO 8601); read back as a Date. */
const ZInstant = z.coerce.date();
const ZFiles = z.array(z.object({ name: z.string(), permalink: z.string().nullable() })).optional();
const ZStateChange = z.object({ state: ZState });
const ZReasoned = z.object({ state: ZState, reason: z.string() });
const ZRecord = z.record(z.string(), z.unknown());
/** A report recorded: the progress before, what it said after. */
const ZReported = {
  before: z.object({ progress: z.number().nullable() }),
  after: z.object({
    progress: z.number().nullable(),
    blocker: z.boolean(),
    cause: z.string().nullable(),
    doneClaim: z.boolean().optional(),
    files: ZFiles,
  }),
};

const base = {
  at: z.coerce.date(),
  /** A Slack user ID, or "system" for the scheduler. */
  actor: z.string(),
  taskId: z.number().int().nullish(),
  decisionId: z.number().int().nullish(),
  note: z.string().optional(),
};

function event<T extends string, S extends z.ZodRawShape>(type: T, shape: S) {
  return z.object({ ...base, type: z.literal(type), ...shape });
}

export const ZAuditEvent = z.discriminatedUnion("type", [
  event("decision.created", {
    after: z.object({ source: z.string(), sourceRef: z.string(), tasks: z.number().int() }),
  }),
  event("task.dispatched", {
    after: z.object({
      number: z.string(),
      lead: z.string(),
      co: z.array(z.string().nullish()),
      dueAt: ZInstant,
      state: ZState,
    }),
  }),
  event("task.acknowledged", { before: ZStateChange, after: ZStateChange }),
  event("report.added", ZReported),
  event("report.perfunctory", ZReported),
  event("report.edited", {
    before: z.object({ text: z.string(), progress: z.number().nullable() }),
    after: z.object({ text: z.string() }),
  }),
  event("report.retracted", { before: z.object({ text: z.string(), progress: z.number().nullable() }) }),
  event("report.starred", { after: z.object({ reportId: z.number().int() }) }),
  event("report.unstarred", { after: z.object({ reportId: z.number().int() }) }),
  /** 推广先进经验: a starred report posted to every unit's channel. */
  event("report.spread", { after: z.object({ reportId: z.number().int(), units: z.number().int() }) }),
  event("comment.added", { after: z.object({ text: z.string(), files: ZFiles }) }),
  event("task.claimed", {
    before: ZStateChange,
    after: z.object({ state: ZState, evidence: z.string(), files: ZFiles }),
  }),
  /** 验收: with the 验收意见 and the 回头看 day (YYYY-MM-DD) when given. */
  event("task.verified", {
    before: ZStateChange,
    after: z.object({ state: ZState, note: z.string().optional(), recheckOn: z.string().optional() }),
  }),
  /** 回头看: asked on its day, answered in the thread, marked 巩固 (held) or 反弹 (relapsed). */
  ...(["recheck.asked", "recheck.answered", "recheck.held", "recheck.relapsed"] as const).map((type) =>
    event(type, {
      after: z.object({
        recheckId: z.number().int(),
        note: z.string().optional(),
        replyBy: ZInstant.optional(),
      }),
    }),
  ),
  /** 实地核查 (or 暗访) recorded; falseClaim when 不属实 returned a completion claim (虚报). */
  event("sitecheck.recorded", {
    after: z.object({
      checkId: z.number().int(),
      finding: z.string(),
      covert: z.boolean(),
      falseClaim: z.boolean(),
      place: z.string(),
    }),
  }),
  /** 报结 to the leader; 阅; 再批示 (its text, and whether it reopened the tasks). */
  event("closure.reported", {
    after: z.object({ closureId: z.number().int(), leader: z.string(), round: z.number().int() }),
  }),
  event("closure.read", { after: z.object({ closureId: z.number().int() }) }),
  event("closure.reinstructed", {
    after: z.object({
      closureId: z.number().int(),
      text: z.string(),
      action: z.string(),
      reopened: z.array(z.number().int()),
    }),
  }),
  /** 信息报送: 初报, 精选, 续报/终报, 要求续报 and its ladder, 要情, 漏报. */
  event("info.reported", {
    after: z.object({
      reportId: z.number().int(),
      department: z.string(),
      category: z.string(),
      urgency: z.string(),
      late: z.boolean(),
    }),
  }),
  event("info.decided", {
    after: z.object({ reportId: z.number().int(), verdict: z.string(), note: z.string() }),
  }),
  ...(["info.followed", "info.final"] as const).map((type) =>
    event(type, { after: z.object({ reportId: z.number().int(), followUpId: z.number().int() }) }),
  ),
  event("info.followup_asked", { after: z.object({ reportId: z.number().int(), by: ZInstant }) }),
  event("info.followup_owed", { after: z.object({ reportId: z.number().int(), step: z.number().int() }) }),
  event("info.digest", { after: z.object({ digestNo: z.number().int(), reports: z.number().int() }) }),
  event("info.missed", { after: z.object({ department: z.string(), title: z.string() }) }),
  /** 立卷归档 asked for a year. */
  event("archive.requested", { after: z.object({ year: z.number().int(), tasks: z.number().int() }) }),
  /** 整改 asked of a unit a 督查通报 named among the worst. */
  event("rectification.created", { after: z.object({ issueNo: z.number().int(), department: z.string() }) }),
  event("task.returned", { before: ZStateChange, after: ZReasoned }),
  event("task.cancelled", { before: ZStateChange, after: ZReasoned }),
  event("task.reopened", { before: ZStateChange, after: ZReasoned }),
  event("extension.requested", {
    after: z.object({ newDueAt: ZInstant, reason: z.string(), late: z.boolean() }),
  }),
  event("extension.approved", {
    before: z.object({ dueAt: ZInstant }),
    after: z.object({ dueAt: ZInstant, note: z.string() }),
  }),
  event("extension.rejected", {
    before: z.object({ dueAt: ZInstant }),
    after: z.object({ dueAt: ZInstant, note: z.string() }),
  }),
  /** 催办 by a person (no details), or the ladder's second step (reasons, step). */
  event("task.urged", {
    after: z.object({ reasons: z.array(z.string()), step: z.number().int() }).optional(),
  }),
  /** The ladder's first step: 提醒. */
  event("task.reminded", { after: z.object({ reasons: z.array(z.string()), step: z.number().int() }) }),
  /** The ladder's third step: 提级督办 to the supervision channel and the leader. */
  event("task.escalated", { after: z.object({ reasons: z.array(z.string()), step: z.number().int() }) }),
  /**
   * 协调事项: asked of a department (opened, or a later report adding to one open), 接办,
   * answered, resolved, declined with a reason, and the steps of its ladder.
   */
  ...(
    [
      "coordination.opened",
      "coordination.added",
      "coordination.accepted",
      "coordination.answered",
      "coordination.resolved",
      "coordination.declined",
      "coordination.reminded",
      "coordination.escalated",
    ] as const
  ).map((type) =>
    event(type, {
      after: z.object({
        coordinationId: z.number().int(),
        department: z.string(),
        text: z.string().optional(),
        replyBy: ZInstant.optional(),
        step: z.number().int().optional(),
      }),
    }),
  ),
  event("department.added", {
    after: z.object({
      name: z.string(),
      channelId: z.string(),
      aliases: z.array(z.string()),
      members: z.array(z.string()),
    }),
  }),
  event("department.reactivated", {
    after: z.object({
      name: z.string(),
      channelId: z.string(),
      aliases: z.array(z.string()),
      members: z.array(z.string()),
    }),
  }),
  event("department.removed", {
    before: z.object({ name: z.string(), channelId: z.string(), aliases: z.array(z.string()) }),
  }),
  event("department.members", {
    before: z.object({ name: z.string(), members: z.array(z.string()) }),
    after: z.object({ name: z.string(), members: z.array(z.string()) }),
  }),
  event("role.granted", { after: z.object({ userId: z.string(), role: z.string() }) }),
  event("role.revoked", { before: z.object({ userId: z.string(), role: z.string() }) }),
  event("setting.changed", { before: ZRecord, after: ZRecord }),
  event("calendar.imported", {
    after: z.object({
      year: z.number().int(),
      holidays: z.array(z.object({ name: z.string(), days: z.array(z.string()) })),
      workdays: z.array(z.string()),
    }),
  }),
  event("summary.posted", {
    after: z.object({
      period: z.string(),
      key: z.string(),
      channel: z.string(),
      issueNo: z.number().int().nullish(),
    }),
  }),
  event("ledger.exported", { after: z.object({ filter: ZRecord, count: z.number().int() }) }),
]);

export type AuditEvent = z.infer<typeof ZAuditEvent>;
/** An event as written: the same shape, with instants as Dates or ISO strings. */
export type NewAuditEvent = z.input<typeof ZAuditEvent>;
export type AuditEventType = AuditEvent["type"];

/**
 * An event read back from the trail that this build cannot read as one of its kinds (written
 * by another version): kept, shown by its type, never guessed at.
 */
export interface UnreadableEvent {
  type: "unreadable";
  storedType: string;
  at: Date;
  actor: string;
  taskId?: number | null;
}

export type StoredEvent = AuditEvent | UnreadableEvent;

/** Checks an event before it is written: a wrong shape is a bug, found here rather than in the history. */
export function auditEvent(event: NewAuditEvent): AuditEvent {
  return ZAuditEvent.parse(event);
}

/** Reads a stored event back. */
export function readAuditEvent(raw: {
  at: Date;
  actor: string;
  type: string;
  taskId: number | null;
  decisionId: number | null;
  before: unknown;
  after: unknown;
  note: string;
}): StoredEvent {
  const parsed = ZAuditEvent.safeParse({
    ...raw,
    ...(raw.before === undefined || raw.before === null ? { before: undefined } : {}),
    ...(raw.after === undefined || raw.after === null ? { after: undefined } : {}),
  });
  if (parsed.success) return parsed.data;
  return { type: "unreadable", storedType: raw.type, at: raw.at, actor: raw.actor, taskId: raw.taskId };
}

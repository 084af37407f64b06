import { z } from "zod";
import { ZLedgerFilter } from "./ledger.js";
import { INFO_MESSAGES, oweInfo } from "./outbox-info.js";
import { ZSummary } from "./summary.js";

/** Something that happened to a task, told in its card's thread (words chosen when sent). */
export const ZTaskNotice = z.discriminatedUnion("type", [
  z.object({ type: z.literal("acked"), by: z.string() }),
  z.object({ type: z.literal("reported"), by: z.string(), reportId: z.number().int() }),
  z.object({ type: z.literal("claimed"), by: z.string(), reportId: z.number().int() }),
  z.object({ type: z.literal("urged"), by: z.string() }),
  /** 验收, with the 验收意见 and the 回头看 day (YYYY-MM-DD) when given. */
  z.object({
    type: z.literal("verified"),
    by: z.string(),
    note: z.string().optional(),
    recheckOn: z.string().optional(),
  }),
  /** 回头看: the unit asked to confirm the result holds, by a time (ISO). */
  z.object({ type: z.literal("recheck_asked"), recheckId: z.number().int(), replyBy: z.string() }),
  z.object({ type: z.literal("recheck_decided"), by: z.string(), held: z.boolean(), note: z.string() }),
  /** 再批示 that reopened the task. */
  z.object({ type: z.literal("reinstructed"), by: z.string(), text: z.string() }),
  /** 实地核查 (暗访) recorded; a 不属实 on a claim returned it. */
  z.object({
    type: z.literal("site_checked"),
    by: z.string(),
    checkId: z.number().int(),
    finding: z.string(),
    covert: z.boolean(),
    falseClaim: z.boolean(),
  }),
  z.object({ type: z.literal("returned"), by: z.string(), reason: z.string() }),
  z.object({
    type: z.literal("extension_requested"),
    by: z.string(),
    newDueAt: z.coerce.date(),
    reason: z.string(),
    late: z.boolean(),
  }),
  z.object({
    type: z.literal("extension_decided"),
    by: z.string(),
    approved: z.boolean(),
    newDueAt: z.coerce.date(),
    note: z.string(),
  }),
  z.object({ type: z.literal("cancelled"), by: z.string(), reason: z.string() }),
  z.object({ type: z.literal("reopened"), by: z.string(), reason: z.string() }),
  z.object({ type: z.literal("starred"), by: z.string(), reportId: z.number().int() }),
  /** The cadence report is owed: asked once per period. */
  z.object({ type: z.literal("report_requested") }),
  /** Escalation step 1: a reminder that the task is stalled or overdue. */
  z.object({ type: z.literal("reminded"), reasons: z.array(z.string()) }),
  /** Escalation step 2: the department's members are urged by name. */
  z.object({ type: z.literal("escalation_urge"), reasons: z.array(z.string()) }),
  /** 协调事项: who was asked to help, and by when (the request's current words, when sent). */
  z.object({ type: z.literal("coordination_asked"), coordinationId: z.number().int() }),
  /** 协调事项 answered through 答复 (the answer's words), or declined with a reason. */
  z.object({ type: z.literal("coordination_answered"), coordinationId: z.number().int() }),
  /** Shown only to the person whose reply said "已完成": the button to claim completion. */
  z.object({ type: z.literal("offer_claim") }),
]);
export type TaskNotice = z.infer<typeof ZTaskNotice>;

/**
 * A Slack message the bot owes, as stored in the outbox. Task cards and rollups are stored
 * by reference and rendered when sent, so what reaches Slack is always the current state;
 * one-off notices carry their words.
 */
export const ZOwedMessage = z.discriminatedUnion("kind", [
  /** Post a task's card in its lead department's channel. */
  z.object({ kind: z.literal("card.post"), taskId: z.number().int() }),
  /**
   * Bring a posted card up to date (coalesced: many changes, one update). `prompt` when a
   * person's own click caused it: it goes at once instead of waiting for more changes.
   */
  z.object({ kind: z.literal("card.update"), taskId: z.number().int(), prompt: z.boolean().optional() }),
  /** Tell a co-operating department about a task, with a link to its card. */
  z.object({ kind: z.literal("notice.co"), taskId: z.number().int(), departmentId: z.number().int() }),
  /** A confidential task's details, by DM to a member of its lead department. */
  z.object({ kind: z.literal("secret.dm"), taskId: z.number().int(), userId: z.string() }),
  /** Post a decision's rollup (its tasks with links and lights). */
  z.object({ kind: z.literal("rollup.post"), decisionId: z.number().int() }),
  /** Bring a decision's rollup up to date (coalesced). */
  z.object({ kind: z.literal("rollup.update"), decisionId: z.number().int() }),
  /** 推广先进经验: a starred report, posted in a unit's channel for every unit to learn from. */
  z.object({
    kind: z.literal("experience"),
    taskId: z.number().int(),
    reportId: z.number().int(),
    channel: z.string(),
  }),
  /** 报结: one task of a leader's decision closed while others remain; the counts then. */
  z.object({
    kind: z.literal("closure.line"),
    channel: z.string(),
    taskId: z.number().int(),
    closed: z.number().int(),
    total: z.number().int(),
  }),
  ...INFO_MESSAGES,
  /** 立卷归档: the year's archive, written on the server, its progress and end told by DM. */
  z.object({
    kind: z.literal("archive"),
    year: z.number().int(),
    userId: z.string(),
    requestedAt: z.string(),
  }),
  /** The monthly 督查通报 as Word, alone (without the ledger), to a unit's or the 通报 channel. */
  z.object({ kind: z.literal("bulletin.docx"), channel: z.string(), summary: ZSummary }),
  /** 报结: the draft 《关于……批示件办理情况的报告》 (.docx) to the leader. */
  z.object({ kind: z.literal("closure.report"), channel: z.string(), closureId: z.number().int() }),
  /** 报结: the leader's message with 阅 and 再批示, after the report. */
  z.object({ kind: z.literal("closure.notice"), channel: z.string(), closureId: z.number().int() }),
  /** A task notice in the card's thread; ephemeral when `visibleTo` is set. */
  z.object({
    kind: z.literal("task.notice"),
    taskId: z.number().int(),
    notice: ZTaskNotice,
    visibleTo: z.string().optional(),
  }),
  /**
   * A department's message from one supervision run: its tasks due soon, overdue, not
   * acknowledged, owing a report, and the ladder's steps (提醒, 催办) of this run, each line
   * linking to its task's card. `urgent`: the hourly run's, for urgent tasks (no day groups).
   * (Entries stored before the ladder joined the digest have no reminded or urged.)
   */
  z.object({
    kind: z.literal("digest"),
    departmentId: z.number().int(),
    day: z.string(),
    urgent: z.boolean().optional(),
    /** The daily slot (ISO) a run made up for, missed while the bot was down. */
    madeUpFor: z.string().optional(),
    groups: z.object({
      overdue: z.array(z.number().int()),
      dueSoon: z.array(z.number().int()),
      ackLate: z.array(z.number().int()),
      reportOwed: z.array(z.number().int()),
      reminded: z.array(z.number().int()).default([]),
      urged: z.array(z.number().int()).default([]),
      /** 协调事项 asked of this department, past their reply-by time (request ids). */
      coordinations: z.array(z.number().int()).default([]),
    }),
  }),
  /**
   * Escalation step 3 of one run: every task that reached it, in one message to the supervision
   * channel, or by DM to one leader (their tasks only).
   */
  z.object({
    kind: z.literal("escalations"),
    to: z.enum(["supervision", "leader"]),
    entries: z.array(z.object({ taskId: z.number().int(), reasons: z.array(z.string()) })),
    /** 协调事项 unanswered a working day past their reminder (协调督办), or past that (需领导协调). */
    coordinations: z.array(z.number().int()).default([]),
  }),
  /** Escalation step 3 of one task (entries stored before escalations were listed per run). */
  z.object({
    kind: z.literal("escalation"),
    taskId: z.number().int(),
    reasons: z.array(z.string()),
    to: z.enum(["supervision", "leader"]),
  }),
  /**
   * 协调事项: the requested department told in its channel (or, without one, the supervision
   * channel, saying so) what is needed, for which task, by when.
   */
  z.object({
    kind: z.literal("coordination.notice"),
    coordinationId: z.number().int(),
    channel: z.string(),
    /** asked: the request (with 接办 / 答复); declined: the supervision channel told why not. */
    purpose: z.enum(["asked", "declined"]).default("asked"),
  }),
  /** Confirms a thread reply with an emoji (✅ recorded, ⚠️ 走过场, 🚧 blocker); `remove` takes one back. */
  z.object({
    kind: z.literal("reaction"),
    channel: z.string(),
    ts: z.string(),
    name: z.string(),
    remove: z.boolean().optional(),
  }),
  /** Words only one person sees, in a channel or a card's thread. */
  z.object({
    kind: z.literal("ephemeral"),
    channel: z.string(),
    user: z.string(),
    text: z.string(),
    blocks: z.array(z.record(z.string(), z.unknown())).optional(),
    threadOfTask: z.number().int().optional(),
  }),
  /** A 抓两头带中间 summary or a bulletin, composed when it was due and rendered when sent. */
  z.object({ kind: z.literal("summary.post"), channel: z.string(), summary: ZSummary }),
  /**
   * The ledger as an XLSX file, built when sent: to a channel with a summary, or by DM (`channel`
   * is then the user) for /ducha export. Secret titles only go by DM to whoever may see them.
   */
  z.object({
    kind: z.literal("ledger.upload"),
    channel: z.string(),
    filter: ZLedgerFilter,
    issueNo: z.number().int().nullable().optional(),
    reason: z.enum(["bulletin", "overflow", "export"]),
    label: z.string().optional(),
    revealSecret: z.boolean().optional(),
    /** A bulletin's summary: its 督查通报 .docx is attached to the same post as the ledger. */
    summary: ZSummary.optional(),
  }),
  /**
   * Slack refused a message for good (a scope the install lacks, an archived channel, a
   * message Slack will not take): the supervision channel or an admin is told once what to do.
   */
  z.object({
    kind: z.literal("delivery.problem"),
    channel: z.string(),
    code: z.string(),
    /** The scope Slack said was needed, for missing_scope. */
    needed: z.string().optional(),
    /** The channel the refused message was for. */
    target: z.string().optional(),
    /** What kind of message was refused. */
    failedKind: z.string(),
    /** Messages to that channel are held until ducha is invited (not_in_channel), not dropped. */
    held: z.boolean().optional(),
    /** An outage that ended (Slack refused the token): when delivery paused and when it resumed (ISO). */
    since: z.string().optional(),
    until: z.string().optional(),
  }),
  /** A summary's picture (each department's score on a bar), shared in its channel after it. */
  z.object({ kind: z.literal("chart.upload"), channel: z.string(), summary: ZSummary }),
  /** An admin is told that the calendar does not know a year's holidays (once per year). */
  z.object({ kind: z.literal("calendar.unknown"), channel: z.string(), year: z.number().int() }),
  /** Words already chosen: a DM, a notice in a channel, or a reply in a task card's thread. */
  z.object({
    kind: z.literal("text"),
    channel: z.string(),
    text: z.string(),
    blocks: z.array(z.record(z.string(), z.unknown())).optional(),
    threadOfTask: z.number().int().optional(),
  }),
]);
export type OwedMessage = z.infer<typeof ZOwedMessage>;
export type OwedKind = OwedMessage["kind"];

/** What the last attempt at a message came to (see OutboxMessage.status). */
export const DELIVERY_STATUSES = [
  "ambiguous",
  "blocked",
  "waiting",
  "ratelimited",
  "retrying",
  "refused",
  "paused",
] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** A message owed, as the outbox holds it. */
export interface OutboxEntry {
  id: number;
  key: string;
  lane: string;
  message: OwedMessage;
  state: "pending" | "sending" | "sent" | "dead";
  status: DeliveryStatus | null;
  attempts: number;
  nextAttemptAt: Date;
  lastAttemptAt: Date | null;
  lastError: string | null;
  requestedBy: string | null;
  resultTs: string | null;
  createdAt: Date;
}

/** Kinds where a newer request replaces a pending one: the message shows the state when sent. */
export const COALESCING_KINDS: ReadonlySet<OwedKind> = new Set([
  "card.update",
  "rollup.update",
  "info.update",
]);

/**
 * Kinds that must arrive however long it takes (a card, a notice, a rollup): a channel the
 * bot cannot post in holds them until someone invites it. Others are dropped on such errors.
 */
export const DURABLE_KINDS: ReadonlySet<OwedKind> = new Set([
  "info.card",
  "info.copy",
  "info.update",
  "info.notice",
  "info.escalation",
  "info.digest",
  "bulletin.docx",
  "closure.line",
  "closure.report",
  "closure.notice",
  "task.notice",
  "coordination.notice",
  "card.post",
  "card.update",
  "notice.co",
  "secret.dm",
  "rollup.post",
  "rollup.update",
  "summary.post",
  "ledger.upload",
  "chart.upload",
]);

/** One owed message with where it goes: the lane keeps messages to one channel in order. */
export interface OutboxRequest {
  /** Writing the same key twice owes the message once. */
  key: string;
  lane: string;
  message: OwedMessage;
  /** Who to tell when the bot cannot reach the channel. */
  requestedBy?: string;
}

type Message<K extends OwedKind> = Extract<OwedMessage, { kind: K }>;

/**
 * Every owed message is built here, with its key and lane: the same message owed twice gets
 * the same key (owed once), and coalescing depends on keys matching, so no key is written by
 * hand anywhere else. Card and rollup updates each have a lane of their own (chat.update is not
 * held to a channel's posting pace, and a person's click shows at once); so do each channel's
 * reactions (one that cannot be added never holds a card back).
 */
/** The key a task's card post is owed under. */
export const cardPostKey = (taskId: number) => `card:${taskId}`;

export const owe = {
  cardPost(taskId: number, channel: string, requestedBy?: string): OutboxRequest {
    return {
      key: cardPostKey(taskId),
      lane: channel,
      message: { kind: "card.post", taskId },
      ...(requestedBy ? { requestedBy } : {}),
    };
  },
  cardUpdate(taskId: number, options: { prompt?: boolean } = {}): OutboxRequest {
    return {
      key: `card.update:${taskId}`,
      lane: `card:${taskId}`,
      message: { kind: "card.update", taskId, ...(options.prompt ? { prompt: true } : {}) },
    };
  },
  coNotice(taskId: number, departmentId: number, channel: string, requestedBy?: string): OutboxRequest {
    return {
      key: `notice:${taskId}:${departmentId}`,
      lane: channel,
      message: { kind: "notice.co", taskId, departmentId },
      ...(requestedBy ? { requestedBy } : {}),
    };
  },
  secretDm(taskId: number, userId: string): OutboxRequest {
    return {
      key: `secret:${taskId}:${userId}`,
      lane: userId,
      message: { kind: "secret.dm", taskId, userId },
    };
  },
  rollupPost(decisionId: number, channel: string, requestedBy?: string): OutboxRequest {
    return {
      key: `rollup:${decisionId}`,
      lane: channel,
      message: { kind: "rollup.post", decisionId },
      ...(requestedBy ? { requestedBy } : {}),
    };
  },
  rollupUpdate(decisionId: number): OutboxRequest {
    return {
      key: `rollup.update:${decisionId}`,
      lane: `rollup:${decisionId}`,
      message: { kind: "rollup.update", decisionId },
    };
  },
  /**
   * A notice in a task card's thread. `occasion` makes it once: an event's id, a report's, the
   * period a cadence report was owed for, a ladder step of an episode.
   */
  taskNotice(
    task: { id: number; lane: string },
    occasion: string,
    notice: TaskNotice,
    visibleTo?: string,
  ): OutboxRequest {
    return {
      key: `notice:${task.id}:${occasion}`,
      lane: task.lane,
      message: { kind: "task.notice", taskId: task.id, notice, ...(visibleTo ? { visibleTo } : {}) },
    };
  },
  /**
   * A department's message from a supervision run: the daily one once per department and
   * working day (a run made up after an outage and the day's own run say it once); the hourly
   * urgent one once per run.
   */
  digest(channel: string, run: Date, digest: Omit<Message<"digest">, "kind">): OutboxRequest {
    return {
      key: digest.urgent
        ? `digest:${digest.departmentId}:${run.toISOString()}`
        : `digest:${digest.departmentId}:day:${digest.day}`,
      lane: channel,
      message: { kind: "digest", ...digest },
    };
  },
  /** The run's escalations to the supervision channel or to one leader: once per run and recipient. */
  escalations(
    run: Date,
    to: { kind: "supervision" | "leader"; channel: string },
    entries: Message<"escalations">["entries"],
    coordinations: number[] = [],
  ): OutboxRequest {
    return {
      key: `escalations:${run.toISOString()}:${to.kind}:${to.channel}`,
      lane: to.channel,
      message: { kind: "escalations", to: to.kind, entries, coordinations },
    };
  },
  /** The requested department told of a 协调事项: once per request and occasion (opened, asked again). */
  coordinationNotice(
    coordinationId: number,
    channel: string,
    occasion: string,
    purpose: "asked" | "declined" = "asked",
  ): OutboxRequest {
    return {
      key: `coordination:${coordinationId}:${occasion}`,
      lane: channel,
      message: { kind: "coordination.notice", coordinationId, channel, purpose },
    };
  },
  /** A reaction added (or, with `remove`, taken back); `at` tells apart the changes of an edited reply. */
  reaction(
    channel: string,
    ts: string,
    name: string,
    options: { remove?: boolean; at?: Date } = {},
  ): OutboxRequest {
    const suffix = `${options.remove ? ":remove" : ""}${options.at ? `:${options.at.getTime()}` : ""}`;
    return {
      key: `reaction:${channel}:${ts}:${name}${suffix}`,
      lane: `reaction:${channel}`,
      message: { kind: "reaction", channel, ts, name, ...(options.remove ? { remove: true } : {}) },
    };
  },
  /** A summary or bulletin; `occasion` is its period (scheduled) or the click that asked for it. */
  summaryPost(
    occasion: string,
    channel: string,
    summary: Message<"summary.post">["summary"],
    requestedBy?: string,
  ): OutboxRequest {
    return {
      key: `summary.post:${occasion}`,
      lane: channel,
      message: { kind: "summary.post", channel, summary },
      ...(requestedBy ? { requestedBy } : {}),
    };
  },
  /** The ledger that goes with a summary (same occasion), to the same channel, after it. */
  ledgerWithSummary(occasion: string, upload: Omit<Message<"ledger.upload">, "kind">): OutboxRequest {
    return {
      key: `ledger.upload:${occasion}`,
      lane: upload.channel,
      message: { kind: "ledger.upload", ...upload },
    };
  },
  /** /ducha export: the ledger by DM; `request` makes one click one export. */
  ledgerExport(
    userId: string,
    request: string,
    upload: Omit<Message<"ledger.upload">, "kind" | "channel">,
  ): OutboxRequest {
    return {
      key: `ledger.export:${userId}:${request}`,
      lane: userId,
      message: { kind: "ledger.upload", channel: userId, ...upload },
      requestedBy: userId,
    };
  },
  /** An admin told that the calendar does not know a year's holidays: once per year and admin. */
  /** A summary's score chart, after the summary in the same channel (its lane). */
  chartUpload(occasion: string, channel: string, summary: Message<"chart.upload">["summary"]): OutboxRequest {
    return { key: `chart:${occasion}`, lane: channel, message: { kind: "chart.upload", channel, summary } };
  },
  ...oweInfo,
  /** One archive per request (`request` tells requests apart; a retried command is the same one). */
  archive(year: number, userId: string, at: Date, request: string): OutboxRequest {
    return {
      key: `archive:${year}:${userId}:${request}`,
      lane: `archive:${year}`,
      message: { kind: "archive", year, userId, requestedAt: at.toISOString() },
    };
  },
  /** 通报范围: the bulletin's Word document for a unit's (or the 通报) channel, after its post there. */
  bulletinDocx(
    occasion: string,
    channel: string,
    summary: Message<"bulletin.docx">["summary"],
  ): OutboxRequest {
    return {
      key: `bulletin.docx:${occasion}`,
      lane: channel,
      message: { kind: "bulletin.docx", channel, summary },
    };
  },
  /** 报结 of one task while others of the decision remain: once per task and round of closing. */
  closureLine(
    leader: string,
    taskId: number,
    counts: { closed: number; total: number },
    occasion: string,
  ): OutboxRequest {
    return {
      key: `closure.line:${taskId}:${occasion}`,
      lane: leader,
      message: { kind: "closure.line", channel: leader, taskId, ...counts },
    };
  },
  /** 报结 of a decision: the .docx, then the message with 阅 and 再批示, in the leader's lane. */
  closure(leader: string, closureId: number): OutboxRequest[] {
    return [
      {
        key: `closure.report:${closureId}`,
        lane: leader,
        message: { kind: "closure.report", channel: leader, closureId },
      },
      {
        key: `closure.notice:${closureId}`,
        lane: leader,
        message: { kind: "closure.notice", channel: leader, closureId },
      },
    ];
  },
  /** 推广先进经验 of one report to one unit's channel: once per report and channel. */
  experience(reportId: number, channel: string, ids: { taskId: number; reportId: number }): OutboxRequest {
    return {
      key: `experience:${reportId}:${channel}`,
      lane: channel,
      message: { kind: "experience", channel, ...ids },
    };
  },
  /** Words already chosen, owed once per occasion (a file shared in a DM is answered once). */
  text(
    occasion: string,
    channel: string,
    reply: { text: string; blocks?: Record<string, unknown>[] },
  ): OutboxRequest {
    return {
      key: `text:${occasion}`,
      lane: channel,
      message: { kind: "text", channel, text: reply.text, ...(reply.blocks ? { blocks: reply.blocks } : {}) },
    };
  },
  calendarUnknown(year: number, admin: string): OutboxRequest {
    return {
      key: `calendar.unknown:${year}:${admin}`,
      lane: admin,
      message: { kind: "calendar.unknown", channel: admin, year },
    };
  },
  /** A notice about a refused message: `cause` (see services/delivery.ts) makes it once per cause and recipient. */
  deliveryProblem(
    cause: string,
    to: string,
    problem: Omit<Message<"delivery.problem">, "kind" | "channel">,
  ): OutboxRequest {
    return {
      key: problemKeys.notice(cause, to),
      lane: to,
      message: { kind: "delivery.problem", channel: to, ...problem },
    };
  },
};

/** The two kinds of delivery-problem notices, by the start of their keys. */
const PROBLEM_KINDS = ["blocked:", "problem:"] as const;

/**
 * The keys of the notices about delivery problems, in one place: a notice's key is its cause
 * (a prefix ending in ":") followed by its recipient, so that each cause is told once to each
 * recipient, and forgetting the cause's notices (it was mended) lets a new occurrence be told.
 */
export const problemKeys = {
  /** The bot is not in this channel: its messages are held. */
  blocked: (channel: string): string => `blocked:${channel}:`,
  /** Slack refused with `code`, about `detail` (a scope, a channel, a kind of message, an outage's start). */
  refused: (code: string, detail: string): string => `problem:${code}:${detail}:`,
  /** The notice of a cause to one recipient. */
  notice: (cause: string, to: string): string => `${cause}${to}`,
  /** The starts of every notice's key, for reading them all back. */
  kinds: PROBLEM_KINDS as readonly string[],
  /** Whether an owed message is a notice about a delivery problem. */
  isNotice: (key: string): boolean => PROBLEM_KINDS.some((kind) => key.startsWith(kind)),
  /** A notice's cause: its key without the recipient (which has no ":"). */
  causeOf: (key: string): string => key.slice(0, key.lastIndexOf(":") + 1),
};

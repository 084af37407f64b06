import { type Confidentiality, cadenceFromColumns } from "../domain/decision.js";
import type { LightReason } from "../domain/lights.js";
import type { ReportSummary, TaskView } from "../domain/model.js";
import { type OpenBlocker, openBlockerOf } from "../domain/report-reading.js";
import type { TaskState } from "../domain/task-state.js";
import { OPEN_STATES } from "../domain/task-state.js";
import type { Prisma } from "../generated/prisma/client.js";
import { confidentiality, decisionSource, taskState } from "./columns.js";
import type { Tx } from "./database.js";
import { openBlockers } from "./reports.js";

const deptSelect = {
  id: true,
  name: true,
  channelId: true,
  members: { select: { userId: true }, orderBy: { addedAt: "asc" } },
} as const;

/** How many recent reports are read to find the latest and an open blocker. */
const RECENT_REPORTS = 20;

export const taskViewSelect = {
  id: true,
  year: true,
  seq: true,
  title: true,
  requirement: true,
  state: true,
  urgent: true,
  confidentiality: true,
  cadence: true,
  cadenceHours: true,
  dispatchedAt: true,
  dispatchedBy: true,
  dueAt: true,
  originalDueAt: true,
  ackAt: true,
  ackBy: true,
  claimedAt: true,
  closedAt: true,
  extensionCount: true,
  returnCount: true,
  progress: true,
  lastSubstantiveAt: true,
  escalationStep: true,
  episodeStartedAt: true,
  escalatedAt: true,
  version: true,
  cardChannelId: true,
  cardTs: true,
  cardUrl: true,
  leadDept: { select: deptSelect },
  coDepts: { select: { department: { select: deptSelect } }, orderBy: { departmentId: "asc" } },
  tags: { select: { tag: true }, orderBy: { tag: "asc" } },
  decision: {
    select: {
      id: true,
      source: true,
      sourceRef: true,
      sourceUrl: true,
      sourceFileName: true,
      sourceFileUrl: true,
      leaderUserId: true,
      decidedOn: true,
      createdBy: true,
    },
  },
  reports: {
    where: { kind: { in: ["report", "claim"] }, retractedAt: null },
    orderBy: { createdAt: "desc" },
    take: RECENT_REPORTS,
    select: {
      id: true,
      userId: true,
      text: true,
      progress: true,
      blocker: true,
      cause: true,
      perfunctory: true,
      doneClaim: true,
      starredAt: true,
      starredBy: true,
      createdAt: true,
      files: { select: { name: true, permalink: true }, orderBy: { id: "asc" } },
    },
  },
  extensions: {
    where: { state: "pending" },
    orderBy: { requestedAt: "desc" },
    take: 1,
    select: { id: true, newDueAt: true, reason: true, requestedBy: true, requestedAt: true, late: true },
  },
  coordinations: {
    where: { state: { in: ["open", "accepted", "answered"] } },
    orderBy: { id: "asc" },
    select: {
      id: true,
      state: true,
      openedAt: true,
      replyBy: true,
      answeredAt: true,
      toDept: { select: { id: true, name: true } },
    },
  },
} satisfies Prisma.TaskSelect;

type TaskRow = Prisma.TaskGetPayload<{ select: typeof taskViewSelect }>;

const dept = (d: TaskRow["leadDept"]) => ({
  id: d.id,
  name: d.name,
  channelId: d.channelId,
  members: d.members.map((m) => m.userId),
});

/**
 * Every stored light is to be worked out again (the settings or the calendar changed, or a new
 * build may judge differently): one statement, the work itself is done lazily.
 */
export async function forgetLights(db: Tx): Promise<void> {
  await db.task.updateMany({ where: { lightUntil: { not: null } }, data: { lightUntil: null } });
}

/** A light as stored: the light, its reasons, until when it holds. */
export interface StoredLight {
  light: string;
  reasons: readonly string[];
  until: Date;
}

/**
 * Task views from rows, each with its open blocker by the one rule (openBlockerOf). The 20
 * reports a row carries decide it unless all of them are blockers: then the run may be longer,
 * and the task's reports are read whole.
 */
export async function taskViews(db: Tx, rows: readonly TaskRow[]): Promise<TaskView[]> {
  const longRuns = rows.filter(
    (r) => r.reports.length === RECENT_REPORTS && r.reports.every((report) => report.blocker),
  );
  const full = longRuns.length
    ? await openBlockers(
        db,
        longRuns.flatMap((r) => (r.reports[0] ? [r.reports[0].id] : [])),
      )
    : new Map<number, OpenBlocker>();
  return rows.map((row) => toTaskView(row, full.get(row.id)));
}

function toTaskView(row: TaskRow, longBlocker?: OpenBlocker): TaskView {
  const reports: ReportSummary[] = row.reports.map((r) => ({
    id: r.id,
    userId: r.userId,
    text: r.text,
    progress: r.progress,
    blocker: r.blocker,
    cause: r.cause,
    perfunctory: r.perfunctory,
    doneClaim: r.doneClaim,
    starred: r.starredAt !== null,
    starredBy: r.starredBy,
    at: r.createdAt,
    files: r.files,
  }));
  const openBlocker = longBlocker ?? openBlockerOf(reports);
  const extension = row.extensions[0];
  return {
    id: row.id,
    year: row.year,
    seq: row.seq,
    title: row.title,
    requirement: row.requirement,
    state: taskState(row.state),
    urgent: row.urgent,
    confidentiality: confidentiality(row.confidentiality),
    cadence: cadenceFromColumns(row.cadence, row.cadenceHours),
    dispatchedAt: row.dispatchedAt,
    dispatchedBy: row.dispatchedBy,
    dueAt: row.dueAt,
    originalDueAt: row.originalDueAt,
    ackAt: row.ackAt,
    ackBy: row.ackBy,
    claimedAt: row.claimedAt,
    closedAt: row.closedAt,
    extensionCount: row.extensionCount,
    returnCount: row.returnCount,
    progress: row.progress,
    lastSubstantiveAt: row.lastSubstantiveAt,
    escalationStep: row.escalationStep,
    episodeStartedAt: row.episodeStartedAt,
    escalatedAt: row.escalatedAt,
    version: row.version,
    leadDept: dept(row.leadDept),
    coDepts: row.coDepts.map((c) => dept(c.department)),
    tags: row.tags.map((t) => t.tag),
    decision: { ...row.decision, source: decisionSource(row.decision.source) },
    card:
      row.cardChannelId && row.cardTs
        ? { channelId: row.cardChannelId, ts: row.cardTs, url: row.cardUrl }
        : null,
    lastReport: reports[0] ?? null,
    openBlocker,
    pendingExtension: extension ?? null,
    coordinations: row.coordinations.map((c) => ({
      id: c.id,
      answered: c.state === "answered",
      openedAt: c.openedAt,
      replyBy: c.replyBy,
      department: c.toDept,
    })),
  };
}

/** Which tasks a list shows. */
export interface TaskFilter {
  /** Only these states (open ones by default). */
  states?: readonly TaskState[];
  /** Only tasks whose stored light is this (refresh stale lights first: services/lights.ts). */
  light?: "red" | "yellow" | "green";
  /** Only tasks whose stored light has this reason. */
  reason?: LightReason;
  /** Led by, or co-operated on by, one of these departments. */
  departmentIds?: readonly number[];
  /** Only the ones these departments lead. */
  leadDepartmentIds?: readonly number[];
  ids?: readonly number[];
}

function whereOf(filter: TaskFilter): Prisma.TaskWhereInput {
  const where: Prisma.TaskWhereInput = { state: { in: [...(filter.states ?? OPEN_STATES)] } };
  if (filter.ids) where.id = { in: [...filter.ids] };
  if (filter.light) where.light = filter.light;
  if (filter.reason) where.lightReasons = { contains: `,${filter.reason},` };
  if (filter.leadDepartmentIds) where.leadDeptId = { in: [...filter.leadDepartmentIds] };
  if (filter.departmentIds) {
    const ids = [...filter.departmentIds];
    where.OR = [{ leadDeptId: { in: ids } }, { coDepts: { some: { departmentId: { in: ids } } } }];
  }
  return where;
}

export interface NewTask {
  year: number;
  seq: number;
  title: string;
  requirement: string;
  leadDeptId: number;
  coDeptIds: readonly number[];
  dueAt: Date;
  cadence: string;
  cadenceHours: number | null;
  urgent: boolean;
  confidentiality: Confidentiality;
  tags: readonly string[];
  dispatchedAt: Date;
  dispatchedBy: string;
}

/**
 * What whole-board work reads of every open task (the scheduled run, summaries, lists by light):
 * its light's facts and open blocker, its ladder, where its card is. Slim on purpose: thousands of
 * tasks are read at once, and a full TaskView carries its recent reports.
 */
export interface OpenTask
  extends Pick<
    TaskView,
    | "id"
    | "year"
    | "seq"
    | "title"
    | "confidentiality"
    | "state"
    | "urgent"
    | "cadence"
    | "dispatchedAt"
    | "dueAt"
    | "ackAt"
    | "claimedAt"
    | "closedAt"
    | "lastSubstantiveAt"
    | "progress"
    | "episodeStartedAt"
    | "escalationStep"
    | "escalatedAt"
    | "card"
  > {
  /** The light its card last showed. */
  cardLight: string | null;
  leadDept: { id: number; channelId: string };
  decision: { id: number; leaderUserId: string | null };
  /** Of its tags, only those asked for (the hot ones). */
  tags: string[];
  openBlocker: { since: Date; cause: string | null } | null;
}

/** The fields the lifecycle changes. */
export interface TaskChange {
  state?: TaskState;
  ackAt?: Date | null;
  ackBy?: string | null;
  claimedAt?: Date | null;
  closedAt?: Date | null;
  cancelledAt?: Date | null;
  dueAt?: Date;
  extensionCount?: number;
  returnCount?: number;
  progress?: number | null;
  lastSubstantiveAt?: Date | null;
  lastReportId?: number | null;
  episodeStartedAt?: Date | null;
  escalationStep?: number;
  escalatedAt?: Date | null;
}

export class TaskRepository {
  constructor(private readonly db: Tx) {}

  /** The next numbers of a year, counted in the database so concurrent decisions never share or skip one. */
  async takeNumbers(year: number, count: number): Promise<number[]> {
    const name = `task:${year}`;
    const counter = await this.db.counter.upsert({
      where: { name },
      create: { name, value: count },
      update: { value: { increment: count } },
    });
    return Array.from({ length: count }, (_, i) => counter.value - count + 1 + i);
  }

  async create(decisionId: number, task: NewTask): Promise<number> {
    const row = await this.db.task.create({
      data: {
        decisionId,
        year: task.year,
        seq: task.seq,
        title: task.title,
        requirement: task.requirement,
        leadDeptId: task.leadDeptId,
        dueAt: task.dueAt,
        originalDueAt: task.dueAt,
        cadence: task.cadence,
        cadenceHours: task.cadenceHours,
        urgent: task.urgent,
        confidentiality: task.confidentiality,
        dispatchedAt: task.dispatchedAt,
        dispatchedBy: task.dispatchedBy,
        coDepts: { create: task.coDeptIds.map((departmentId) => ({ departmentId })) },
        tags: { create: [...new Set(task.tags)].map((tag) => ({ tag })) },
      },
      select: { id: true },
    });
    return row.id;
  }

  async view(id: number): Promise<TaskView | null> {
    const row = await this.db.task.findUnique({ where: { id }, select: taskViewSelect });
    return row ? ((await taskViews(this.db, [row]))[0] ?? null) : null;
  }

  async byNumber(year: number, seq: number): Promise<TaskView | null> {
    const row = await this.db.task.findUnique({ where: { year_seq: { year, seq } }, select: taskViewSelect });
    return row ? ((await taskViews(this.db, [row]))[0] ?? null) : null;
  }

  /** The most recent year that has a task with this number (for "12" typed without a year). */
  async latestYearWithSeq(seq: number): Promise<number | null> {
    const row = await this.db.task.findFirst({
      where: { seq },
      orderBy: { year: "desc" },
      select: { year: true },
    });
    return row?.year ?? null;
  }

  async list(filter: TaskFilter, page: { skip: number; take: number }): Promise<TaskView[]> {
    const rows = await this.db.task.findMany({
      where: whereOf(filter),
      select: taskViewSelect,
      orderBy: [{ dueAt: "asc" }, { id: "asc" }],
      skip: page.skip,
      take: page.take,
    });
    return taskViews(this.db, rows);
  }

  async count(filter: TaskFilter): Promise<number> {
    return this.db.task.count({ where: whereOf(filter) });
  }

  /** The task whose card is this message (a thread reply's parent). */
  async byCard(channelId: string, ts: string): Promise<TaskView | null> {
    const row = await this.db.task.findFirst({
      where: { cardChannelId: channelId, cardTs: ts },
      select: taskViewSelect,
    });
    return row ? ((await taskViews(this.db, [row]))[0] ?? null) : null;
  }

  /** Changes a task's lifecycle fields; every change bumps its version (and its light is worked out again). */
  async update(id: number, fields: TaskChange): Promise<void> {
    await this.db.task.update({
      where: { id },
      data: { ...fields, version: { increment: 1 }, lightUntil: null },
    });
  }

  /** The same change to many tasks (a scheduled run's ladder steps); each one's version is bumped. */
  async updateMany(ids: readonly number[], fields: TaskChange): Promise<void> {
    for (let i = 0; i < ids.length; i += 900) {
      await this.db.task.updateMany({
        where: { id: { in: ids.slice(i, i + 900) } },
        data: { ...fields, version: { increment: 1 }, lightUntil: null },
      });
    }
  }

  /** Open tasks counted by lead department, state and stored light (the App Home's board). */
  async lightCounts(): Promise<{ leadDeptId: number; state: string; light: string | null; count: number }[]> {
    const rows = await this.db.task.groupBy({
      by: ["leadDeptId", "state", "light"],
      where: { state: { in: [...OPEN_STATES] } },
      _count: { _all: true },
    });
    return rows.map((r) => ({
      leadDeptId: r.leadDeptId,
      state: r.state,
      light: r.light,
      count: r._count._all,
    }));
  }

  /** Every stored light is to be worked out again (at start: a new build may judge differently). */
  async forgetLights(): Promise<void> {
    await forgetLights(this.db);
  }

  /** Stores lights worked out now: tasks sharing one light, reasons and horizon in one statement. */
  async storeLights(lights: ReadonlyMap<number, StoredLight>): Promise<void> {
    const groups = new Map<string, { light: StoredLight; ids: number[] }>();
    for (const [id, light] of lights) {
      const key = `${light.light}|${light.reasons.join(",")}|${light.until.getTime()}`;
      const group = groups.get(key) ?? { light, ids: [] };
      group.ids.push(id);
      groups.set(key, group);
    }
    for (const { light, ids } of groups.values()) {
      for (let i = 0; i < ids.length; i += 900) {
        await this.db.task.updateMany({
          where: { id: { in: ids.slice(i, i + 900) } },
          data: {
            light: light.light,
            lightReasons: light.reasons.length ? `,${light.reasons.join(",")},` : "",
            lightUntil: light.until,
          },
        });
      }
    }
  }

  /** What the card shows now, so a later change of light can be noticed. */
  async setCardLight(id: number, signature: string): Promise<void> {
    await this.db.task.update({ where: { id }, data: { cardLight: signature } });
  }

  /**
   * Open tasks with what their cards last showed, for the scheduled runs; `staleAt`: only those
   * whose stored light does not hold at that moment.
   */
  async openSlim(
    filter: { urgent?: boolean; tags?: readonly string[]; staleAt?: Date } = {},
  ): Promise<OpenTask[]> {
    const where: Prisma.TaskWhereInput = {
      state: { in: [...OPEN_STATES] },
      ...(filter.urgent === undefined ? {} : { urgent: filter.urgent }),
      ...(filter.staleAt ? { OR: [{ lightUntil: null }, { lightUntil: { lte: filter.staleAt } }] } : {}),
    };
    const rows = await this.db.task.findMany({
      where,
      select: {
        id: true,
        year: true,
        seq: true,
        title: true,
        confidentiality: true,
        state: true,
        urgent: true,
        cadence: true,
        cadenceHours: true,
        dispatchedAt: true,
        dueAt: true,
        ackAt: true,
        claimedAt: true,
        closedAt: true,
        lastSubstantiveAt: true,
        progress: true,
        lastReportId: true,
        episodeStartedAt: true,
        escalationStep: true,
        escalatedAt: true,
        cardChannelId: true,
        cardTs: true,
        cardUrl: true,
        cardLight: true,
        leadDept: { select: { id: true, channelId: true } },
        decision: { select: { id: true, leaderUserId: true } },
      },
      orderBy: { id: "asc" },
    });
    const tags = new Map<number, string[]>();
    if (filter.tags?.length) {
      for (const t of await this.db.taskTag.findMany({
        where: { tag: { in: [...filter.tags] }, task: where },
        select: { taskId: true, tag: true },
      })) {
        tags.set(t.taskId, [...(tags.get(t.taskId) ?? []), t.tag]);
      }
    }
    const blockers = await openBlockers(
      this.db,
      rows.flatMap((r) => (r.lastReportId === null ? [] : [r.lastReportId])),
    );
    return rows.map((row) => ({
      id: row.id,
      year: row.year,
      seq: row.seq,
      title: row.title,
      confidentiality: confidentiality(row.confidentiality),
      state: taskState(row.state),
      urgent: row.urgent,
      cadence: cadenceFromColumns(row.cadence, row.cadenceHours),
      dispatchedAt: row.dispatchedAt,
      dueAt: row.dueAt,
      ackAt: row.ackAt,
      claimedAt: row.claimedAt,
      closedAt: row.closedAt,
      lastSubstantiveAt: row.lastSubstantiveAt,
      progress: row.progress,
      episodeStartedAt: row.episodeStartedAt,
      escalationStep: row.escalationStep,
      escalatedAt: row.escalatedAt,
      card:
        row.cardChannelId && row.cardTs
          ? { channelId: row.cardChannelId, ts: row.cardTs, url: row.cardUrl }
          : null,
      cardLight: row.cardLight,
      leadDept: row.leadDept,
      decision: row.decision,
      tags: tags.get(row.id) ?? [],
      openBlocker: blockers.get(row.id) ?? null,
    }));
  }

  /** The threads of open tasks' cards: where replies sent while ducha was away would be. */
  async openThreads(): Promise<{ taskId: number; channelId: string; cardTs: string }[]> {
    const rows = await this.db.task.findMany({
      where: {
        state: { in: ["dispatched", "in_progress", "pending_review"] },
        cardChannelId: { not: null },
        cardTs: { not: null },
      },
      select: { id: true, cardChannelId: true, cardTs: true },
      orderBy: { id: "asc" },
    });
    return rows.flatMap((r) =>
      r.cardChannelId && r.cardTs ? [{ taskId: r.id, channelId: r.cardChannelId, cardTs: r.cardTs }] : [],
    );
  }

  async setCard(id: number, card: { channelId: string; ts: string; url: string | null }): Promise<void> {
    await this.db.task.update({
      where: { id },
      data: { cardChannelId: card.channelId, cardTs: card.ts, cardUrl: card.url },
    });
  }

  async idsOfDecision(decisionId: number): Promise<number[]> {
    const rows = await this.db.task.findMany({
      where: { decisionId },
      select: { id: true },
      orderBy: { seq: "asc" },
    });
    return rows.map((r) => r.id);
  }
}

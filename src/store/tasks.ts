import { type Confidentiality, cadenceFromColumns } from "../domain/decision.js";
import { LIGHT_REASONS, LIGHTS, type Light, type LightReason } from "../domain/lights.js";
import type { ReportSummary, TaskView } from "../domain/model.js";
import { type OpenBlocker, openBlockerOf } from "../domain/report-reading.js";
import type { TaskState } from "../domain/task-state.js";
import { OPEN_STATES } from "../domain/task-state.js";
import { Prisma } from "../generated/prisma/client.js";
import { confidentiality, decisionSource, taskState } from "./columns.js";
import { UNRESOLVED as UNRESOLVED_COORDINATION } from "./coordinations.js";
import type { Tx } from "./database.js";
import { inTurn } from "./in-turn.js";
import { openBlockers, STANDING_REPORT } from "./reports.js";

const deptSelect = {
  id: true,
  name: true,
  channelId: true,
  members: { select: { userId: true }, orderBy: { addedAt: "asc" } },
} as const;

/**
 * How many recent reports are read to find the latest and an open blocker: a run of blockers
 * as long (rare) is read whole (taskViews). Five, not twenty: a list's page read 400 reports
 * with their text to show 20 tasks (list 13.1 → 11.9 ms at 20,000 tasks).
 */
const RECENT_REPORTS = 5;
const STANDING_KINDS = STANDING_REPORT.kind.in;

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
  cancelledAt: true,
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
    // Reports of one instant: the one stored last first, as the raw read (readTaskRows) has them.
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
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
    where: { state: { in: [...UNRESOLVED_COORDINATION] } },
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

export type TaskRow = Prisma.TaskGetPayload<{ select: typeof taskViewSelect }>;

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
 * Task views from rows, each with its open blocker by the one rule (openBlockerOf). The recent
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
        longRuns.map((r) => r.id),
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

/** A list of ids bound in one statement, in parts below the database's limit on bound values. */
const ID_CHUNK = 500;

/**
 * Tasks as taskViewSelect shapes them, read with raw SQL: nine statements whatever the number of
 * tasks (Prisma issues one per relation, 13 here, each compiled afresh: ~0.5 ms a statement
 * against ~0.13 ms raw, measured at 20,000 tasks). In the order of `ids`; ids not found are left
 * out. Reports are each task's `recent` latest standing ones (RECENT_REPORTS unless told), newest first (of
 * equal times, the one stored last first).
 */
export async function readTaskRows(
  db: Tx,
  ids: readonly number[],
  recent: number = RECENT_REPORTS,
): Promise<TaskRow[]> {
  if (ids.length === 0) return [];
  if (ids.length > ID_CHUNK) {
    const rows: TaskRow[] = [];
    for (let i = 0; i < ids.length; i += ID_CHUNK)
      rows.push(...(await readTaskRows(db, ids.slice(i, i + ID_CHUNK), recent)));
    return rows;
  }
  const list = Prisma.join([...ids]);
  type Base = Omit<
    TaskRow,
    "leadDept" | "coDepts" | "tags" | "decision" | "reports" | "extensions" | "coordinations"
  > & {
    leadDeptId: number;
    decisionId: number;
    dSource: string;
    dSourceRef: string;
    dSourceUrl: string | null;
    dSourceFileName: string | null;
    dSourceFileUrl: string | null;
    dLeaderUserId: string | null;
    dDecidedOn: Date;
    dCreatedBy: string;
  };
  const tasks = await db.$queryRaw<Base[]>`
    SELECT t."id", t."year", t."seq", t."title", t."requirement", t."state", t."urgent",
           t."confidentiality", t."cadence", t."cadenceHours", t."dispatchedAt", t."dispatchedBy",
           t."dueAt", t."originalDueAt", t."ackAt", t."ackBy", t."claimedAt", t."closedAt",
           t."cancelledAt", t."extensionCount", t."returnCount", t."progress", t."lastSubstantiveAt",
           t."escalationStep", t."episodeStartedAt", t."escalatedAt", t."version",
           t."cardChannelId", t."cardTs", t."cardUrl", t."leadDeptId", t."decisionId",
           d."source" AS "dSource", d."sourceRef" AS "dSourceRef", d."sourceUrl" AS "dSourceUrl",
           d."sourceFileName" AS "dSourceFileName", d."sourceFileUrl" AS "dSourceFileUrl",
           d."leaderUserId" AS "dLeaderUserId", d."decidedOn" AS "dDecidedOn", d."createdBy" AS "dCreatedBy"
      FROM "Task" t JOIN "Decision" d ON d."id" = t."decisionId"
     WHERE t."id" IN (${list})`;
  if (tasks.length === 0) return [];
  const [coDepts, tags, reports, extensions, coordinations] = await inTurn([
    () =>
      db.$queryRaw<{ taskId: number; departmentId: number }[]>`
        SELECT "taskId", "departmentId" FROM "TaskCoDept" WHERE "taskId" IN (${list}) ORDER BY "departmentId" ASC`,
    () =>
      db.$queryRaw<{ taskId: number; tag: string }[]>`
        SELECT "taskId", "tag" FROM "TaskTag" WHERE "taskId" IN (${list}) ORDER BY "tag" ASC`,
    () =>
      db.$queryRaw<(TaskRow["reports"][number] & { taskId: number })[]>`
        SELECT x."id", x."taskId", x."userId", x."text", x."progress", x."blocker", x."cause",
               x."perfunctory", x."doneClaim", x."starredAt", x."starredBy", x."createdAt"
          -- Numbered from the index alone (ids and times), then only the few kept are read whole:
          -- numbering whole rows read every report's text (a list: 1.7 → 0.9 ms).
          FROM (SELECT r."id", ROW_NUMBER() OVER (PARTITION BY r."taskId" ORDER BY r."createdAt" DESC, r."id" DESC) AS "rowNo"
                  FROM "Report" r
                 WHERE r."taskId" IN (${list}) AND r."kind" IN (${Prisma.join(STANDING_KINDS)})
                   AND r."retractedAt" IS NULL) k
          JOIN "Report" x ON x."id" = k."id"
         WHERE k."rowNo" <= ${recent}
         ORDER BY x."createdAt" DESC, x."id" DESC`,
    () =>
      db.$queryRaw<(TaskRow["extensions"][number] & { taskId: number })[]>`
        SELECT "id", "taskId", "newDueAt", "reason", "requestedBy", "requestedAt", "late" FROM "Extension"
         WHERE "state" = 'pending' AND "taskId" IN (${list}) ORDER BY "requestedAt" DESC`,
    () =>
      db.$queryRaw<
        {
          id: number;
          taskId: number;
          state: string;
          openedAt: Date;
          replyBy: Date;
          answeredAt: Date | null;
          toId: number;
          toName: string;
        }[]
      >`
        SELECT c."id", c."taskId", c."state", c."openedAt", c."replyBy", c."answeredAt",
               d."id" AS "toId", d."name" AS "toName"
          FROM "Coordination" c JOIN "Department" d ON d."id" = c."toDeptId"
         WHERE c."state" IN (${Prisma.join(UNRESOLVED_COORDINATION)}) AND c."taskId" IN (${list})
         ORDER BY c."id" ASC`,
  ]);
  const departmentIds = [
    ...new Set([...tasks.map((t) => t.leadDeptId), ...coDepts.map((c) => c.departmentId)]),
  ];
  const reportIds = reports.map((r) => r.id);
  const [departments, members, files] = await inTurn([
    () =>
      db.$queryRaw<{ id: number; name: string; channelId: string }[]>`
        SELECT "id", "name", "channelId" FROM "Department" WHERE "id" IN (${Prisma.join(departmentIds)})`,
    () =>
      db.$queryRaw<{ departmentId: number; userId: string }[]>`
        SELECT "departmentId", "userId" FROM "Member" WHERE "departmentId" IN (${Prisma.join(departmentIds)})
         ORDER BY "addedAt" ASC`,
    () =>
      reportIds.length === 0
        ? Promise.resolve([])
        : db.$queryRaw<{ reportId: number; name: string; permalink: string | null }[]>`
            SELECT "reportId", "name", "permalink" FROM "ReportFile" WHERE "reportId" IN (${Prisma.join(reportIds)})
             ORDER BY "id" ASC`,
  ]);
  const group = <T, K>(rows: readonly T[], key: (row: T) => K): Map<K, T[]> => {
    const map = new Map<K, T[]>();
    for (const row of rows) {
      const list = map.get(key(row));
      if (list) list.push(row);
      else map.set(key(row), [row]);
    }
    return map;
  };
  const membersOf = group(members, (m) => m.departmentId);
  const departmentOf = new Map(
    departments.map((d) => [
      d.id,
      { ...d, members: (membersOf.get(d.id) ?? []).map((m) => ({ userId: m.userId })) },
    ]),
  );
  const filesOf = group(files, (f) => f.reportId);
  const coDeptsOf = group(coDepts, (c) => c.taskId);
  const tagsOf = group(tags, (t) => t.taskId);
  const reportsOf = group(reports, (r) => r.taskId);
  const extensionsOf = group(extensions, (e) => e.taskId);
  const coordinationsOf = group(coordinations, (c) => c.taskId);
  const byId = new Map<number, TaskRow>();
  for (const t of tasks) {
    const lead = departmentOf.get(t.leadDeptId);
    if (!lead) continue;
    byId.set(t.id, {
      id: t.id,
      year: t.year,
      seq: t.seq,
      title: t.title,
      requirement: t.requirement,
      state: t.state,
      urgent: t.urgent,
      confidentiality: t.confidentiality,
      cadence: t.cadence,
      cadenceHours: t.cadenceHours,
      dispatchedAt: t.dispatchedAt,
      dispatchedBy: t.dispatchedBy,
      dueAt: t.dueAt,
      originalDueAt: t.originalDueAt,
      ackAt: t.ackAt,
      ackBy: t.ackBy,
      claimedAt: t.claimedAt,
      closedAt: t.closedAt,
      cancelledAt: t.cancelledAt,
      extensionCount: t.extensionCount,
      returnCount: t.returnCount,
      progress: t.progress,
      lastSubstantiveAt: t.lastSubstantiveAt,
      escalationStep: t.escalationStep,
      episodeStartedAt: t.episodeStartedAt,
      escalatedAt: t.escalatedAt,
      version: t.version,
      cardChannelId: t.cardChannelId,
      cardTs: t.cardTs,
      cardUrl: t.cardUrl,
      leadDept: lead,
      coDepts: (coDeptsOf.get(t.id) ?? []).flatMap((c) => {
        const department = departmentOf.get(c.departmentId);
        return department ? [{ department }] : [];
      }),
      tags: (tagsOf.get(t.id) ?? []).map((x) => ({ tag: x.tag })),
      decision: {
        id: t.decisionId,
        source: t.dSource,
        sourceRef: t.dSourceRef,
        sourceUrl: t.dSourceUrl,
        sourceFileName: t.dSourceFileName,
        sourceFileUrl: t.dSourceFileUrl,
        leaderUserId: t.dLeaderUserId,
        decidedOn: t.dDecidedOn,
        createdBy: t.dCreatedBy,
      },
      reports: (reportsOf.get(t.id) ?? []).map(({ taskId: _, ...r }) => ({
        ...r,
        files: (filesOf.get(r.id) ?? []).map((f) => ({ name: f.name, permalink: f.permalink })),
      })),
      extensions: (extensionsOf.get(t.id) ?? []).slice(0, 1).map(({ taskId: _, ...e }) => e),
      coordinations: (coordinationsOf.get(t.id) ?? []).map((c) => ({
        id: c.id,
        state: c.state,
        openedAt: c.openedAt,
        replyBy: c.replyBy,
        answeredAt: c.answeredAt,
        toDept: { id: c.toId, name: c.toName },
      })),
    });
  }
  return ids.flatMap((id) => {
    const row = byId.get(id);
    return row ? [row] : [];
  });
}

/** Task views by id, in the order given. */
export async function taskViewsById(db: Tx, ids: readonly number[]): Promise<TaskView[]> {
  return taskViews(db, await readTaskRows(db, ids));
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

const KNOWN_REASONS: ReadonlySet<string> = new Set(LIGHT_REASONS);

/**
 * An open task's stored light holds at `at` (on "Task" t): worked out, not run out, and a light
 * this build knows. Seeks on Task(state, light, lightUntil).
 */
function storedLightHolds(at: Date): Prisma.Sql {
  return Prisma.sql`(t."state" IN (${Prisma.join([...OPEN_STATES])}) AND t."light" IN (${Prisma.join([...LIGHTS])})
    AND t."lightUntil" > ${at})`;
}

/**
 * The open tasks whose stored light does not hold at `at`: exactly the other open tasks (a test
 * holds the two to every open task once). Written as seeks on Task(state, light, lightUntil), one
 * for each way a light fails (run out, never worked out or forgotten, none, a light this build
 * does not know: below, between and above the known ones, compared by the database itself; the
 * known lights are lowercase ASCII words, which every collation orders alike),
 * because SQLite, which keeps no statistics here, walks every open task's index entry for the
 * NOT of storedLightHolds (1.6 ms before every list by light at 5,000 open tasks, 0.3 ms so).
 */
function storedLightFails(at: Date): Prisma.Sql {
  const open = Prisma.sql`t."state" IN (${Prisma.join([...OPEN_STATES])})`;
  const known = [...LIGHTS].sort();
  const unknown = [
    Prisma.sql`t."light" IS NULL`,
    Prisma.sql`t."light" < ${known[0]}`,
    ...known.slice(1).map((light, i) => Prisma.sql`t."light" > ${known[i]} AND t."light" < ${light}`),
    Prisma.sql`t."light" > ${known[known.length - 1]}`,
  ];
  const knownIn = Prisma.sql`t."light" IN (${Prisma.join(known)})`;
  const ways = [
    Prisma.sql`${knownIn} AND t."lightUntil" <= ${at}`,
    Prisma.sql`${knownIn} AND t."lightUntil" IS NULL`,
    ...unknown,
  ];
  return Prisma.sql`(${Prisma.join(
    ways.map((way) => Prisma.sql`(${open} AND ${way})`),
    " OR ",
  )})`;
}

/** An open task as a summary lists it, with its stored light. */
export interface OpenTaskLine {
  id: number;
  year: number;
  seq: number;
  title: string;
  confidentiality: Confidentiality;
  leadDeptId: number;
  dueAt: Date;
  url: string | null;
  /** Of its tags, only those asked for (the hot ones). */
  tags: string[];
  blocker: { since: Date; cause: string | null } | null;
  light: Light;
  reasons: LightReason[];
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
  lastReportBlocker?: boolean;
  episodeStartedAt?: Date | null;
  escalationStep?: number;
  escalatedAt?: Date | null;
}

/** TaskChange's fields, each the column it changes (quoted): nothing else is written by name. */
const TASK_CHANGE_COLUMNS = Object.fromEntries(
  (
    [
      "state",
      "ackAt",
      "ackBy",
      "claimedAt",
      "closedAt",
      "cancelledAt",
      "dueAt",
      "extensionCount",
      "returnCount",
      "progress",
      "lastSubstantiveAt",
      "lastReportId",
      "lastReportBlocker",
      "episodeStartedAt",
      "escalationStep",
      "escalatedAt",
    ] as const satisfies readonly (keyof TaskChange)[]
  ).map((name) => [name, `"${name}"`]),
) as Record<keyof TaskChange, string>;

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
    return (await taskViewsById(this.db, [id]))[0] ?? null;
  }

  async byNumber(year: number, seq: number): Promise<TaskView | null> {
    const row = await this.db.task.findUnique({ where: { year_seq: { year, seq } }, select: { id: true } });
    return row ? this.view(row.id) : null;
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
      select: { id: true },
      orderBy: [{ dueAt: "asc" }, { id: "asc" }],
      skip: page.skip,
      take: page.take,
    });
    return taskViewsById(
      this.db,
      rows.map((r) => r.id),
    );
  }

  async count(filter: TaskFilter): Promise<number> {
    return this.db.task.count({ where: whereOf(filter) });
  }

  /** The task whose card is this message (a thread reply's parent). */
  /** The task whose card is this message, by id (one statement: most messages are not cards). */
  async idByCard(channelId: string, ts: string): Promise<number | null> {
    const [row] = await this.db.$queryRaw<{ id: number }[]>`
      SELECT "id" FROM "Task" WHERE "cardChannelId" = ${channelId} AND "cardTs" = ${ts} LIMIT 1`;
    return row?.id ?? null;
  }

  /** Changes a task's lifecycle fields; every change bumps its version (and its light is worked out again). */
  async update(id: number, fields: TaskChange): Promise<void> {
    // Raw SQL: every report and click changes its task, and Prisma's compiling cost more than the update.
    const set = Object.entries(fields).flatMap(([name, value]) =>
      value === undefined
        ? []
        : [Prisma.sql`${Prisma.raw(TASK_CHANGE_COLUMNS[name as keyof TaskChange])} = ${value}`],
    );
    const changed = await this.db.$executeRaw`
      UPDATE "Task" SET ${Prisma.join([...set, Prisma.sql`"version" = "version" + 1`], ", ")},
             "lightUntil" = NULL, "updatedAt" = ${new Date()}
       WHERE "id" = ${id}`;
    if (changed !== 1) throw new Error(`task ${id} is not in the database`);
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

  /**
   * Sets each open task's `lastReportBlocker` from the report its `lastReportId` names, where
   * they differ, and forgets those tasks' stored lights (a blocker lights the task yellow).
   * Every write of a report keeps them together; this mends what a build older than the flag
   * wrote beside a newer one during a rolling upgrade. One statement; usually it changes
   * nothing. Returns the tasks changed.
   */
  async settleBlockerFlags(): Promise<number> {
    return this.db.$executeRaw`
      UPDATE "Task" SET "lastReportBlocker" = NOT "lastReportBlocker", "lightUntil" = NULL
       WHERE "state" IN (${Prisma.join([...OPEN_STATES])})
         AND "lastReportBlocker" <> EXISTS (
           SELECT 1 FROM "Report" r WHERE r."id" = "Task"."lastReportId" AND r."blocker" = ${true})`;
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
    // Raw SQL: after every card update sent, and Prisma's compiling cost more than the update.
    await this.db.$executeRaw`
      UPDATE "Task" SET "cardLight" = ${signature}, "updatedAt" = ${new Date()} WHERE "id" = ${id}`;
  }

  /**
   * Open tasks with what their cards last showed, for the scheduled runs; `staleAt`: only those
   * whose stored light does not hold at that moment.
   */
  async openSlim(
    filter: { urgent?: boolean; tags?: readonly string[]; staleAt?: Date } = {},
  ): Promise<OpenTask[]> {
    // Raw SQL: the daily run and every summary read all open tasks (5,000 at 20,000 tasks), and
    // Prisma's two relation queries and shaping took ~0.2 s of it.
    // storedLightFails names the open states in each of its seeks: a state condition beside it
    // would have SQLite walk the states instead.
    const conditions = [
      filter.staleAt
        ? storedLightFails(filter.staleAt)
        : Prisma.sql`t."state" IN (${Prisma.join([...OPEN_STATES])})`,
    ];
    if (filter.urgent !== undefined) conditions.push(Prisma.sql`t."urgent" = ${filter.urgent}`);
    const where = Prisma.join(conditions, " AND ");
    const rows = await this.db.$queryRaw<
      {
        id: number;
        year: number;
        seq: number;
        title: string;
        confidentiality: string;
        state: string;
        urgent: boolean;
        cadence: string;
        cadenceHours: number | null;
        dispatchedAt: Date;
        dueAt: Date;
        ackAt: Date | null;
        claimedAt: Date | null;
        closedAt: Date | null;
        lastSubstantiveAt: Date | null;
        progress: number | null;
        lastReportBlocker: boolean | number;
        episodeStartedAt: Date | null;
        escalationStep: number;
        escalatedAt: Date | null;
        cardChannelId: string | null;
        cardTs: string | null;
        cardUrl: string | null;
        cardLight: string | null;
        leadDeptId: number;
        leadChannelId: string;
        decisionId: number;
        leaderUserId: string | null;
      }[]
    >`
      SELECT t."id", t."year", t."seq", t."title", t."confidentiality", t."state", t."urgent",
             t."cadence", t."cadenceHours", t."dispatchedAt", t."dueAt", t."ackAt", t."claimedAt",
             t."closedAt", t."lastSubstantiveAt", t."progress", t."lastReportBlocker",
             t."episodeStartedAt", t."escalationStep", t."escalatedAt", t."cardChannelId",
             t."cardTs", t."cardUrl", t."cardLight", t."leadDeptId", d."channelId" AS "leadChannelId",
             t."decisionId", x."leaderUserId"
        FROM "Task" t JOIN "Department" d ON d."id" = t."leadDeptId" JOIN "Decision" x ON x."id" = t."decisionId"
       WHERE ${where}
       ORDER BY t."id" ASC`;
    const tags = await this.tagsWhere(where, filter.tags);
    const blockers = await openBlockers(
      this.db,
      rows.flatMap((r) => (r.lastReportBlocker ? [r.id] : [])),
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
      leadDept: { id: row.leadDeptId, channelId: row.leadChannelId },
      decision: { id: row.decisionId, leaderUserId: row.leaderUserId },
      tags: tags.get(row.id) ?? [],
      openBlocker: blockers.get(row.id) ?? null,
    }));
  }

  /**
   * Open tasks whose stored light holds at `at`, with that light: what a summary lists of them.
   * The others are `openSlim({ staleAt: at })`, whose lights are worked out afresh. Twelve
   * columns where a summary otherwise read twenty-eight of 5,000 open tasks and worked out
   * every light again.
   */
  async openWithStoredLight(at: Date, filter: { tags?: readonly string[] } = {}): Promise<OpenTaskLine[]> {
    const where = storedLightHolds(at);
    const rows = await this.db.$queryRaw<
      {
        id: number;
        year: number;
        seq: number;
        title: string;
        confidentiality: string;
        leadDeptId: number;
        dueAt: Date;
        cardUrl: string | null;
        light: string;
        lightReasons: string;
        lastReportBlocker: boolean | number;
      }[]
    >`
      SELECT t."id", t."year", t."seq", t."title", t."confidentiality", t."leadDeptId", t."dueAt",
             t."cardUrl", t."light", t."lightReasons", t."lastReportBlocker"
        FROM "Task" t WHERE ${where} ORDER BY t."id" ASC`;
    const tags = await this.tagsWhere(where, filter.tags);
    const blockers = await openBlockers(
      this.db,
      rows.flatMap((r) => (r.lastReportBlocker ? [r.id] : [])),
    );
    return rows.map((row) => ({
      id: row.id,
      year: row.year,
      seq: row.seq,
      title: row.title,
      confidentiality: confidentiality(row.confidentiality),
      leadDeptId: row.leadDeptId,
      dueAt: row.dueAt,
      url: row.cardUrl,
      tags: tags.get(row.id) ?? [],
      blocker: blockers.get(row.id) ?? null,
      // storedLightHolds admits only LIGHTS.
      light: row.light as Light,
      reasons: row.lightReasons.split(",").filter((r): r is LightReason => KNOWN_REASONS.has(r)),
    }));
  }

  /** Of the open tasks matching `where` (on "Task" t), their tags among those asked for. */
  private async tagsWhere(
    where: Prisma.Sql,
    wanted: readonly string[] | undefined,
  ): Promise<Map<number, string[]>> {
    const tags = new Map<number, string[]>();
    if (!wanted?.length) return tags;
    for (const t of await this.db.$queryRaw<{ taskId: number; tag: string }[]>`
      SELECT g."taskId", g."tag" FROM "TaskTag" g JOIN "Task" t ON t."id" = g."taskId"
       WHERE g."tag" IN (${Prisma.join([...wanted])}) AND ${where}
       ORDER BY g."taskId" ASC, g."tag" ASC`) {
      tags.set(t.taskId, [...(tags.get(t.taskId) ?? []), t.tag]);
    }
    return tags;
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

import { cadenceFromColumns } from "../domain/decision.js";
import type { ReportSummary, TaskView } from "../domain/model.js";
import { type OpenBlocker, openBlockerOf } from "../domain/report-reading.js";
import { Prisma } from "../generated/prisma/client.js";
import { confidentiality, decisionSource, taskState } from "./columns.js";
import { UNRESOLVED as UNRESOLVED_COORDINATION } from "./coordinations.js";
import type { Tx } from "./database.js";
import { inTurn } from "./in-turn.js";
import { openBlockers, STANDING_REPORT } from "./reports.js";

/**
 * How many recent reports are read to find the latest and an open blocker: a run of blockers
 * as long (rare) is read whole (taskViews). Five, not twenty: a list's page read 400 reports
 * with their text to show 20 tasks (list 13.1 → 11.9 ms at 20,000 tasks).
 */
export const RECENT_REPORTS = 5;
const STANDING_KINDS = STANDING_REPORT.kind.in;

/**
 * The columns of "Task" as a raw SQL read returns them, written once: each raw read of tasks
 * (a view's row here, the open tasks of the lights, the scored tasks of a period) picks its
 * columns from it. SQLite returns a boolean column as 0 or 1.
 */
export interface RawTask {
  id: number;
  year: number;
  seq: number;
  title: string;
  requirement: string;
  state: string;
  urgent: boolean;
  confidentiality: string;
  cadence: string;
  cadenceHours: number | null;
  dispatchedAt: Date;
  dispatchedBy: string;
  dueAt: Date;
  originalDueAt: Date;
  ackAt: Date | null;
  ackBy: string | null;
  claimedAt: Date | null;
  closedAt: Date | null;
  cancelledAt: Date | null;
  extensionCount: number;
  returnCount: number;
  progress: number | null;
  lastSubstantiveAt: Date | null;
  escalationStep: number;
  episodeStartedAt: Date | null;
  escalatedAt: Date | null;
  version: number;
  cardChannelId: string | null;
  cardTs: string | null;
  cardUrl: string | null;
  cardLight: string | null;
  light: string | null;
  lightReasons: string;
  lastReportBlocker: boolean | number;
  leadDeptId: number;
  decisionId: number;
}

/** The columns a task view is made of (TaskRow's own). */
type ViewColumns = Omit<
  RawTask,
  "cardLight" | "light" | "lightReasons" | "lastReportBlocker" | "leadDeptId" | "decisionId"
>;

/** How a task is named and who may read its title: the same five fields wherever tasks are listed. */
export function identityOf(row: Pick<RawTask, "id" | "year" | "seq" | "title" | "confidentiality">) {
  return {
    id: row.id,
    year: row.year,
    seq: row.seq,
    title: row.title,
    confidentiality: confidentiality(row.confidentiality),
  };
}

/** The columns of a task's lifecycle clock: what lights and scores are judged by. */
export type LifecycleColumns = Pick<
  RawTask,
  | "state"
  | "urgent"
  | "cadence"
  | "cadenceHours"
  | "dispatchedAt"
  | "dueAt"
  | "ackAt"
  | "claimedAt"
  | "closedAt"
>;

/** The clock of a task's lifecycle, mapped from its columns: what lights and scores are judged by. */
export function lifecycleOf(row: LifecycleColumns) {
  return {
    state: taskState(row.state),
    urgent: Boolean(row.urgent),
    cadence: cadenceFromColumns(row.cadence, row.cadenceHours),
    dispatchedAt: row.dispatchedAt,
    dueAt: row.dueAt,
    ackAt: row.ackAt,
    claimedAt: row.claimedAt,
    closedAt: row.closedAt,
  };
}

/** A department as a task row carries it: its members in the order they were added. */
interface DeptRow {
  id: number;
  name: string;
  channelId: string;
  members: { userId: string }[];
}

/**
 * A task as read for its view (readTaskRows), before it is mapped to a TaskView: its columns, its
 * departments, tags and decision, its RECENT_REPORTS latest standing reports (newest first), its
 * pending extension and its unresolved 协调事项. test/task-views.int.test.ts reads the same rows
 * through Prisma's select and holds the two equal.
 */
export interface TaskRow extends ViewColumns {
  leadDept: DeptRow;
  coDepts: { department: DeptRow }[];
  tags: { tag: string }[];
  decision: {
    id: number;
    source: string;
    sourceRef: string;
    sourceUrl: string | null;
    sourceFileName: string | null;
    sourceFileUrl: string | null;
    leaderUserId: string | null;
    decidedOn: Date;
    createdBy: string;
  };
  reports: {
    id: number;
    userId: string;
    text: string;
    progress: number | null;
    blocker: boolean;
    cause: string | null;
    perfunctory: boolean;
    doneClaim: boolean;
    starredAt: Date | null;
    starredBy: string | null;
    createdAt: Date;
    files: { name: string; permalink: string | null }[];
  }[];
  extensions: {
    id: number;
    newDueAt: Date;
    reason: string;
    requestedBy: string;
    requestedAt: Date;
    late: boolean;
  }[];
  coordinations: {
    id: number;
    state: string;
    openedAt: Date;
    replyBy: Date;
    answeredAt: Date | null;
    toDept: { id: number; name: string };
  }[];
}

const dept = (d: TaskRow["leadDept"]) => ({
  id: d.id,
  name: d.name,
  channelId: d.channelId,
  members: d.members.map((m) => m.userId),
});

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
    ...lifecycleOf(row),
    confidentiality: confidentiality(row.confidentiality),
    dispatchedBy: row.dispatchedBy,
    originalDueAt: row.originalDueAt,
    ackBy: row.ackBy,
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
  type Base = ViewColumns &
    Pick<RawTask, "leadDeptId" | "decisionId"> & {
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

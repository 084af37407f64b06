import type { Confidentiality } from "../domain/decision.js";
import type { LightReason } from "../domain/lights.js";
import type { TaskView } from "../domain/model.js";
import type { TaskState } from "../domain/task-state.js";
import { OPEN_STATES } from "../domain/task-state.js";
import { Prisma } from "../generated/prisma/client.js";
import type { Tx } from "./database.js";
import { taskViewsById } from "./task-rows.js";

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
  /** Only tasks of decisions this leader gave (交办领导: 我交办的). */
  leaderUserId?: string;
}

/**
 * Past this many tasks co-operated on, a department's list asks the database for them in the
 * statement itself (EXISTS) rather than as a list of ids.
 */
const CO_TASKS_LISTED = 500;

function whereOf(filter: TaskFilter, coTaskIds?: readonly number[]): Prisma.TaskWhereInput {
  const where: Prisma.TaskWhereInput = { state: { in: [...(filter.states ?? OPEN_STATES)] } };
  if (filter.ids) where.id = { in: [...filter.ids] };
  if (filter.light) where.light = filter.light;
  if (filter.reason) where.lightReasons = { contains: `,${filter.reason},` };
  if (filter.leaderUserId) where.decision = { leaderUserId: filter.leaderUserId };
  if (filter.leadDepartmentIds) where.leadDeptId = { in: [...filter.leadDepartmentIds] };
  if (filter.departmentIds) {
    const ids = [...filter.departmentIds];
    // The tasks co-operated on as ids, when known: SQLite then reads the department's tasks by
    // its indexes (lead, and the ids). With EXISTS in the OR it walked every open task and
    // probed each (16 ms at 6,000 open tasks, on the event loop, at every App Home opened).
    // The ids are of tasks in the filter's states already: the state is asked of the lead arm
    // alone, so each arm is one index's search (with it outside the OR, SQLite scanned the states).
    if (coTaskIds) {
      where.OR = [{ leadDeptId: { in: ids }, state: where.state }, { id: { in: [...coTaskIds] } }];
      delete where.state;
    } else {
      where.OR = [{ leadDeptId: { in: ids } }, { coDepts: { some: { departmentId: { in: ids } } } }];
    }
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
      where: whereOf(filter, await this.coTaskIds(filter)),
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
    return this.db.task.count({ where: whereOf(filter, await this.coTaskIds(filter)) });
  }

  /** The tasks in the filter's states its departments co-operate on, when they are few. */
  private async coTaskIds(filter: TaskFilter): Promise<number[] | undefined> {
    if (!filter.departmentIds) return undefined;
    const rows = await this.db.taskCoDept.findMany({
      where: {
        departmentId: { in: [...filter.departmentIds] },
        task: { state: { in: [...(filter.states ?? OPEN_STATES)] } },
      },
      select: { taskId: true },
      take: CO_TASKS_LISTED + 1,
    });
    return rows.length > CO_TASKS_LISTED ? undefined : [...new Set(rows.map((r) => r.taskId))];
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

  /** 验收意见: the office's words when it verified the task. */
  async verifyNote(id: number): Promise<string> {
    return (await this.db.task.findUnique({ where: { id }, select: { verifyNote: true } }))?.verifyNote ?? "";
  }

  async setVerifyNote(id: number, note: string): Promise<void> {
    await this.db.task.update({ where: { id }, data: { verifyNote: note } });
  }

  /** The year's task ids after one, in number order (立卷归档 reads a year a page at a time). */
  async idsOfYear(year: number, afterId: number, take: number): Promise<number[]> {
    const rows = await this.db.task.findMany({
      where: { year, id: { gt: afterId } },
      select: { id: true },
      orderBy: { id: "asc" },
      take,
    });
    return rows.map((r) => r.id);
  }

  async yearCounts(year: number): Promise<{ tasks: number; open: number }> {
    return {
      tasks: await this.db.task.count({ where: { year } }),
      open: await this.db.task.count({ where: { year, state: { in: [...OPEN_STATES, "pending_review"] } } }),
    };
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

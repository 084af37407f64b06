import type { Confidentiality } from "../domain/decision.js";
import { LIGHT_REASONS, LIGHTS, type Light, type LightReason } from "../domain/lights.js";
import type { TaskView } from "../domain/model.js";
import { OPEN_STATES } from "../domain/task-state.js";
import { Prisma } from "../generated/prisma/client.js";
import type { Tx } from "./database.js";
import { openBlockers } from "./reports.js";
import { identityOf, type LifecycleColumns, lifecycleOf, type RawTask } from "./task-rows.js";

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

/**
 * The stored lights of tasks and what whole-board work reads of open tasks (the scheduled run,
 * summaries, lists by light, the App Home's board): one job of the task table, apart from
 * reading a task whole (task-rows.ts) and changing it (tasks.ts).
 */
export class TaskLightRepository {
  constructor(private readonly db: Tx) {}

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

  /** Whether any open task's stored light no longer holds at `at` (the index alone is read). */
  async anyStale(at: Date): Promise<boolean> {
    const rows = await this.db.$queryRaw<{ id: number }[]>`
      SELECT t."id" FROM "Task" t WHERE ${storedLightFails(at)} LIMIT 1`;
    return rows.length > 0;
  }

  /**
   * Open tasks with what their cards last showed, for the scheduled runs; `staleAt`: only those
   * whose stored light does not hold at that moment.
   */
  async openSlim(
    filter: {
      urgent?: boolean;
      tags?: readonly string[];
      staleAt?: Date;
      /** At most this many, in id order, after `afterId`. */
      limit?: number;
      afterId?: number;
    } = {},
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
    if (filter.afterId !== undefined) conditions.push(Prisma.sql`t."id" > ${filter.afterId}`);
    const where = Prisma.join(conditions, " AND ");
    const rows = await this.db.$queryRaw<
      (LifecycleColumns &
        Pick<
          RawTask,
          | "id"
          | "year"
          | "seq"
          | "title"
          | "confidentiality"
          | "lastSubstantiveAt"
          | "progress"
          | "lastReportBlocker"
          | "episodeStartedAt"
          | "escalationStep"
          | "escalatedAt"
          | "cardChannelId"
          | "cardTs"
          | "cardUrl"
          | "cardLight"
          | "leadDeptId"
          | "decisionId"
        > & { leadChannelId: string; leaderUserId: string | null })[]
    >`
      SELECT t."id", t."year", t."seq", t."title", t."confidentiality", t."state", t."urgent",
             t."cadence", t."cadenceHours", t."dispatchedAt", t."dueAt", t."ackAt", t."claimedAt",
             t."closedAt", t."lastSubstantiveAt", t."progress", t."lastReportBlocker",
             t."episodeStartedAt", t."escalationStep", t."escalatedAt", t."cardChannelId",
             t."cardTs", t."cardUrl", t."cardLight", t."leadDeptId", d."channelId" AS "leadChannelId",
             t."decisionId", x."leaderUserId"
        FROM "Task" t JOIN "Department" d ON d."id" = t."leadDeptId" JOIN "Decision" x ON x."id" = t."decisionId"
       WHERE ${where}
       ORDER BY t."id" ASC ${filter.limit === undefined ? Prisma.empty : Prisma.sql`LIMIT ${filter.limit}`}`;
    const { tags, blockers } = await this.tagsAndBlockers(where, filter.tags, rows);
    return rows.map((row) => ({
      ...identityOf(row),
      ...lifecycleOf(row),
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
      (Pick<
        RawTask,
        | "id"
        | "year"
        | "seq"
        | "title"
        | "confidentiality"
        | "leadDeptId"
        | "dueAt"
        | "cardUrl"
        | "lightReasons"
        | "lastReportBlocker"
      > & { light: string })[]
    >`
      SELECT t."id", t."year", t."seq", t."title", t."confidentiality", t."leadDeptId", t."dueAt",
             t."cardUrl", t."light", t."lightReasons", t."lastReportBlocker"
        FROM "Task" t WHERE ${where} ORDER BY t."id" ASC`;
    const { tags, blockers } = await this.tagsAndBlockers(where, filter.tags, rows);
    return rows.map((row) => ({
      ...identityOf(row),
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

  /** The tags asked for and the open blockers of the open tasks read (those whose latest report is one). */
  private async tagsAndBlockers(
    where: Prisma.Sql,
    wanted: readonly string[] | undefined,
    rows: readonly Pick<RawTask, "id" | "lastReportBlocker">[],
  ) {
    const tags = await this.tagsWhere(where, wanted);
    const blockers = await openBlockers(
      this.db,
      rows.flatMap((r) => (r.lastReportBlocker ? [r.id] : [])),
    );
    return { tags, blockers };
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
}

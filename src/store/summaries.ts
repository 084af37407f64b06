import type { Confidentiality } from "../domain/decision.js";
import type { Period, PeriodKind } from "../domain/period.js";
import type { DepartmentMark, ScoringTask } from "../domain/scoring.js";
import { type SnapshotData, ZSnapshotData } from "../domain/summary.js";
import { Prisma } from "../generated/prisma/client.js";
import { confidentiality } from "./columns.js";
import type { Provider, Tx } from "./database.js";
import { inTurn } from "./in-turn.js";
import { STANDING_REPORT } from "./reports.js";
import { type LifecycleColumns, lifecycleOf, type RawTask } from "./task-rows.js";

/** Where the data stands: the newest audit event's id and the newest report's. */
export interface Watermark {
  event: number;
  report: number;
}

/**
 * Audit events about no one task that move no task's scoring facts: a decision's own event (its
 * tasks each write theirs), 信息 (every "info." event), roles, archiving, summaries posted, ledgers
 * exported. Any other event without a task (a setting, the calendar, a department) may move every
 * score, and so does an event of a kind not named here.
 */
const NO_TASK_UNSCORED = new Set([
  "decision.created",
  "archive.requested",
  "role.granted",
  "role.revoked",
  "summary.posted",
  "ledger.exported",
  "report.spread",
]);

export interface TaskInfoRow {
  id: number;
  year: number;
  seq: number;
  title: string;
  confidentiality: Confidentiality;
  leadDeptId: number;
  dueAt: Date;
  tags: string[];
  url: string | null;
}

/**
 * Calls `each` for the reports `SummaryRepository.joinedReports` gave: "taskId perfunctory time"
 * for each, joined with ";" (the time as SQLite stores it, or PostgreSQL's epoch milliseconds).
 */
function eachJoinedReport(
  text: string | null,
  each: (taskId: number, perfunctory: boolean, at: number) => void,
): void {
  if (!text) return;
  for (let from = 0; from < text.length; ) {
    const semicolon = text.indexOf(";", from);
    const end = semicolon < 0 ? text.length : semicolon;
    const space = text.indexOf(" ", from);
    const time = text.slice(space + 3, end);
    const ms = Number(time);
    each(Number(text.slice(from, space)), text[space + 1] === "1", Number.isNaN(ms) ? Date.parse(time) : ms);
    from = end + 1;
  }
}

/**
 * The tasks counted in a period (domain/scoring.ts, inPeriod), as a condition on "Task" t:
 * dispatched before it ended, not cancelled before it ended, not closed before it began.
 */
export function countedInPeriod(period: { start: Date; end: Date }): Prisma.Sql {
  return Prisma.sql`t."dispatchedAt" < ${period.end}
    AND (t."cancelledAt" IS NULL OR t."cancelledAt" >= ${period.end})
    AND (t."closedAt" IS NULL OR t."closedAt" >= ${period.start})`;
}

/**
 * What summaries and scores read. Figures are aggregated in the database: a period's tasks are
 * read once with only the fields scoring needs, and of the reports only those of the period
 * (the count of 走过场 and starred ones, and when the substantive ones came), never every report.
 */
export class SummaryRepository {
  constructor(
    private readonly db: Tx,
    private readonly provider: Provider,
  ) {}

  /**
   * Each report's task, 走过场 flag and time, all joined into one text: a row apiece through
   * Prisma cost more than the reading (a year has ~210,000), one text for all of them is read
   * and split in a fraction of that.
   */
  private joinedReports(): Prisma.Sql {
    return this.provider === "postgresql"
      ? Prisma.sql`string_agg(r."taskId" || ' ' || (CASE WHEN r."perfunctory" THEN '1' ELSE '0' END) || ' '
                              || (extract(epoch FROM r."createdAt") * 1000)::bigint, ';')`
      : Prisma.sql`group_concat(r."taskId" || ' ' || r."perfunctory" || ' ' || r."createdAt", ';')`;
  }

  /**
   * Every task counted in the period, with the facts scoring needs.
   *
   * `openEnded`: the facts up to now rather than up to the period's end, of every task that may
   * be counted at any end from now on (those not finished before the period began): what the
   * scores' thread keeps for a running period, whose end moves with every ask. Scoring reads
   * each fact against the period it scores (domain/scoring.ts), so the figures are the same.
   * `ids`: only these tasks (those a change touched since the kept facts were read).
   */
  async scoringTasks(
    period: Period,
    options: { openEnded?: boolean; ids?: readonly number[] } = {},
  ): Promise<ScoringTask[]> {
    const { openEnded = false, ids } = options;
    if (ids?.length === 0) return [];
    const only = (column: Prisma.Sql) =>
      ids ? Prisma.sql`AND ${column} IN (${Prisma.join(ids)})` : Prisma.empty;
    const counted = openEnded
      ? Prisma.sql`(t."closedAt" IS NULL OR t."closedAt" >= ${period.start})
          AND (t."cancelledAt" IS NULL OR t."cancelledAt" >= ${period.start})`
      : countedInPeriod(period);
    const before = (column: Prisma.Sql) =>
      openEnded ? Prisma.empty : Prisma.sql`AND ${column} < ${period.end}`;
    // Raw SQL: a year counts ~20,000 tasks, and Prisma's shaping of them took ~0.2 s.
    const rows = await this.db.$queryRaw<
      (LifecycleColumns & Pick<RawTask, "id" | "leadDeptId" | "cancelledAt" | "lastSubstantiveAt">)[]
    >`
      SELECT t."id", t."leadDeptId", t."state", t."urgent", t."cadence", t."cadenceHours",
             t."dispatchedAt", t."dueAt", t."ackAt", t."claimedAt", t."closedAt", t."cancelledAt",
             t."lastSubstantiveAt"
        FROM "Task" t WHERE ${counted} ${only(Prisma.sql`t."id"`)} ORDER BY t."id" ASC`;
    const inPeriod = openEnded ? { gte: period.start } : { gte: period.start, lt: period.end };
    const taskIdIn = ids ? { taskId: { in: [...ids] } } : {};
    // Where each cadence task's clock stood when the period began: its last substantive report,
    // which the task row holds unless it has reported since; only those are looked up.
    const lastBefore = new Map<number, Date | null>();
    let reportedSince = 0;
    for (const row of rows) {
      if (row.cadence === "none") continue;
      if (row.lastSubstantiveAt === null || row.lastSubstantiveAt < period.start)
        lastBefore.set(row.id, row.lastSubstantiveAt);
      else reportedSince++;
    }
    // An aggregate has no declared type: SQLite gives the time as the stored text.
    const time = (v: Date | string) => (v instanceof Date ? v : new Date(v));
    if (reportedSince > 0) {
      // One statement: for each task and each kind of standing report, the newest before the
      // period found by walking Report(taskId, kind, createdAt) back from the period's start
      // (a max() over the group read all of each task's earlier reports).
      const kinds = STANDING_REPORT.kind.in;
      const latest = await this.db.$queryRaw<({ taskId: number } & Record<string, Date | string | null>)[]>`
        SELECT t."id" AS "taskId", ${Prisma.join(
          kinds.map(
            (kind, i) => Prisma.sql`(
              SELECT r."createdAt" FROM "Report" r
               WHERE r."taskId" = t."id" AND r."kind" = ${kind} AND r."createdAt" < ${period.start}
                 AND r."retractedAt" IS NULL AND r."perfunctory" = ${false}
               ORDER BY r."createdAt" DESC LIMIT 1) AS ${Prisma.raw(`"k${i}"`)}`,
          ),
        )}
          FROM "Task" t WHERE ${counted} ${only(Prisma.sql`t."id"`)}
           AND t."cadence" <> 'none' AND t."lastSubstantiveAt" >= ${period.start}`;
      for (const g of latest) {
        let newest: Date | null = null;
        for (let i = 0; i < kinds.length; i++) {
          const at = g[`k${i}`];
          if (at !== null && at !== undefined && (newest === null || time(at) > newest)) newest = time(at);
        }
        if (newest !== null) lastBefore.set(Number(g.taskId), newest);
      }
    }
    // Every claim up to the period's end (which claim stood at the end depends on them and on
    // the returns), of the period's tasks, each task's found on the Report(taskId, kind, …) index
    // (the period's end alone walked every report before it).
    const claims = await this.claimsOf(
      rows.map((r) => r.id),
      period,
      { counted, openEnded, only: ids !== undefined },
    );
    const countedIds = new Set(rows.map((r) => r.id));
    // Requests are few next to tasks: read them all and keep those of the period's tasks (a list
    // of 20,000 task ids would pass the database's limit on bound values).
    const waits = await this.db.coordination.findMany({
      where: { ...(openEnded ? {} : { replyBy: { lt: period.end } }), ...taskIdIn },
      select: { taskId: true, replyBy: true, answeredAt: true, closedAt: true },
    });
    const waitedOn = new Map<number, { from: Date; until: Date | null }[]>();
    for (const w of waits) {
      if (!countedIds.has(w.taskId)) continue;
      const until = w.answeredAt ?? w.closedAt;
      if (until && until <= w.replyBy) continue;
      waitedOn.set(w.taskId, [...(waitedOn.get(w.taskId) ?? []), { from: w.replyBy, until }]);
    }
    const [[joined], starred, returns] = await inTurn([
      // The period's reports that count: the cadence tasks' substantive ones (when they came)
      // and every 走过场 one, on the index that covers them, as one text. Reading them a row
      // apiece cost ~1 s for a year's ~210,000 (Prisma's shaping of each row; SQLite ~0.16 s).
      // The same rule as STANDING_REPORT.
      () =>
        this.db.$queryRaw<{ reports: string | null }[]>`
          SELECT ${this.joinedReports()} AS "reports"
            FROM "Report" r
           WHERE r."createdAt" >= ${period.start} ${before(Prisma.sql`r."createdAt"`)}
             ${only(Prisma.sql`r."taskId"`)} AND r."kind" IN (${Prisma.join(STANDING_REPORT.kind.in)}) AND r."retractedAt" IS NULL
             AND (r."perfunctory" = ${true}
                  OR r."taskId" IN (SELECT t."id" FROM "Task" t WHERE t."cadence" <> 'none'))`,
      () =>
        this.db.report.findMany({
          where: { ...STANDING_REPORT, starredAt: inPeriod, ...taskIdIn },
          select: { taskId: true, starredAt: true },
        }),
      // Every return up to the period's end, and every reopening (重新督办, 反弹, 再批示): each
      // ends the claim standing before it.
      () =>
        this.db.event.findMany({
          where: {
            type: { in: ["task.returned", "task.reopened"] },
            ...(openEnded ? {} : { at: { lt: period.end } }),
            ...taskIdIn,
          },
          select: { taskId: true, at: true, type: true },
        }),
    ]);
    const claimsOf = new Map<number, Date[]>();
    for (const c of claims) claimsOf.set(c.taskId, [...(claimsOf.get(c.taskId) ?? []), c.createdAt]);
    const givenOf = new Map<number, number[]>();
    const perfunctoryOf = new Map<number, number[]>();
    const add = (of: Map<number, number[]>, taskId: number, at: number) => {
      const list = of.get(taskId);
      if (list) list.push(at);
      else of.set(taskId, [at]);
    };
    eachJoinedReport(joined?.reports ?? null, (taskId, perfunctory, at) =>
      add(perfunctory ? perfunctoryOf : givenOf, taskId, at),
    );
    // A report starred in the period may be older than the period: it counts as a star only.
    const starredOf = new Map<number, number[]>();
    for (const r of starred) if (r.starredAt) add(starredOf, r.taskId, r.starredAt.getTime());
    const returnsOf = new Map<number, Date[]>();
    const reopenedOf = new Map<number, Date[]>();
    for (const e of returns) {
      if (e.taskId === null) continue;
      const of = e.type === "task.returned" ? returnsOf : reopenedOf;
      of.set(e.taskId, [...(of.get(e.taskId) ?? []), e.at]);
    }
    return rows.map((row) => ({
      id: row.id,
      leadDeptId: row.leadDeptId,
      ...lifecycleOf(row),
      cancelledAt: row.cancelledAt,
      given: givenOf.get(row.id)?.sort((a, b) => a - b) ?? [],
      perfunctory: perfunctoryOf.get(row.id) ?? [],
      starred: starredOf.get(row.id) ?? [],
      lastSubstantiveBefore: lastBefore.get(row.id) ?? null,
      returns: returnsOf.get(row.id) ?? [],
      ...(reopenedOf.has(row.id) ? { reopened: reopenedOf.get(row.id) ?? [] } : {}),
      // Claims recorded as reports; a task from before they were (seeded, imported) keeps claimedAt.
      ...(claimsOf.has(row.id) ? { claims: claimsOf.get(row.id) ?? [] } : {}),
      ...(waitedOn.has(row.id) ? { waitedOn: waitedOn.get(row.id) ?? [] } : {}),
    }));
  }

  /** The standing claims made before the period's end of the tasks counted in it (`ids`). */
  private async claimsOf(
    ids: readonly number[],
    period: Period,
    how: { counted: Prisma.Sql; openEnded: boolean; only: boolean },
  ): Promise<{ taskId: number; createdAt: Date }[]> {
    if (ids.length === 0) return [];
    const claim = Prisma.sql`r."kind" = 'claim' AND r."retractedAt" IS NULL ${
      how.openEnded ? Prisma.empty : Prisma.sql`AND r."createdAt" < ${period.end}`
    }`;
    if (this.provider === "sqlite") {
      // SQLite probes the index once for each task of the subquery (or of the few given).
      return how.only
        ? this.db.$queryRaw`
            SELECT r."taskId", r."createdAt" FROM "Report" r
             WHERE r."taskId" IN (${Prisma.join(ids)}) AND ${claim}`
        : this.db.$queryRaw`
            SELECT r."taskId", r."createdAt" FROM "Report" r
             WHERE r."taskId" IN (SELECT t."id" FROM "Task" t WHERE ${how.counted}) AND ${claim}`;
    }
    // PostgreSQL planned the same statement as a scan of the whole table (~175 ms for 500,000
    // reports; it expects few claims): given the ids, 5,000 at a time, it probes the index
    // (~10 ms a statement). Past ~20,000 ids it turns to the scan again.
    const out: { taskId: number; createdAt: Date }[] = [];
    for (let i = 0; i < ids.length; i += 5_000) {
      out.push(
        ...(await this.db.$queryRaw<{ taskId: number; createdAt: Date }[]>`
          SELECT r."taskId", r."createdAt" FROM "Report" r
           WHERE r."taskId" = ANY(${ids.slice(i, i + 5_000)}::int[]) AND ${claim}`),
      );
    }
    return out;
  }

  /**
   * What costs departments points in the period beyond their tasks' own history:
   * - 协调不力: 协调事项 whose reply-by time fell in it and passed without an answer (nor were
   *   they closed before it), against the requested department;
   * - 反弹: 回头看 the office marked 反弹 in it;
   * - 虚报: on-site checks in it that found a completion claim 不属实;
   * - 整改 owed: 整改 tasks due in it (by now) and neither claimed by then nor closed.
   */
  async departmentMarks(period: Period, now: Date): Promise<DepartmentMark[]> {
    const end = now < period.end ? now : period.end;
    // A period still running (its end is now) counts what was marked up to this moment.
    const upTo = now <= period.end ? { lte: now } : { lt: period.end };
    const [coordinations, relapses, falseClaims, rectifications] = await inTurn([
      () =>
        this.db.coordination.findMany({
          where: { replyBy: { gte: period.start, lt: end } },
          select: { taskId: true, toDeptId: true, replyBy: true, answeredAt: true, closedAt: true },
          orderBy: { id: "asc" },
        }),
      () =>
        this.db.recheck.findMany({
          where: { state: "relapsed", decidedAt: { gte: period.start, ...upTo } },
          select: { taskId: true, departmentId: true },
          orderBy: { id: "asc" },
        }),
      () =>
        this.db.siteCheck.findMany({
          where: { falseClaim: true, recordedAt: { gte: period.start, ...upTo } },
          select: { taskId: true, departmentId: true },
          orderBy: { id: "asc" },
        }),
      () =>
        this.db.rectification.findMany({
          where: { task: { dueAt: { gte: period.start, lt: end }, state: { not: "cancelled" } } },
          select: {
            taskId: true,
            departmentId: true,
            task: { select: { dueAt: true, claimedAt: true, closedAt: true } },
          },
          orderBy: { id: "asc" },
        }),
    ]);
    return [
      ...coordinations
        .filter((r) => {
          const settled = r.answeredAt ?? r.closedAt;
          return !(settled && settled <= r.replyBy);
        })
        .map((r) => ({ departmentId: r.toDeptId, taskId: r.taskId, rule: "coordinationLapsed" as const })),
      ...relapses.map((r) => ({ ...r, rule: "relapsed" as const })),
      ...falseClaims.map((r) => ({ ...r, rule: "falseClaim" as const })),
      ...rectifications
        .filter((r) => {
          const answered = r.task.claimedAt ?? r.task.closedAt;
          return !(answered && answered < r.task.dueAt);
        })
        .map((r) => ({ departmentId: r.departmentId, taskId: r.taskId, rule: "rectificationOwed" as const })),
    ];
  }

  /**
   * Where the data stands: the newest audit event and the newest report. Every change that can
   * move a score writes one or the other (services/score-cache.ts), so an unchanged watermark
   * means figures worked out before still hold. Two lookups on primary keys.
   */
  async watermark(): Promise<string> {
    const { event, report } = await this.newest();
    return `${event}/${report}`;
  }

  /** The newest audit event's id and the newest report's. */
  async newest(): Promise<Watermark> {
    // Newest first, one row: Prisma's aggregate would count through the whole table.
    const newest = { orderBy: { id: "desc" }, select: { id: true } } as const;
    const [event, report] = await inTurn([
      () => this.db.event.findFirst(newest),
      () => this.db.report.findFirst(newest),
    ]);
    return { event: event?.id ?? 0, report: report?.id ?? 0 };
  }

  /**
   * What moved since `since`, up to `upTo` (both from `newest()`): the tasks a report or an audit
   * event touched, or `wholesale` when an event about no one task may move every score (a
   * setting, the calendar, a department: not in NO_TASK_UNSCORED) or more than `limit` changed.
   * Ids are handed out in commit order only where one writer commits at a time (SQLite): on
   * PostgreSQL a transaction that began earlier may commit a lower id later.
   */
  async changedSince(
    since: Watermark,
    upTo: Watermark,
    limit = 2_000,
  ): Promise<{ taskIds: number[]; wholesale: boolean }> {
    const [events, reports] = await inTurn([
      () =>
        this.db.event.findMany({
          where: { id: { gt: since.event, lte: upTo.event } },
          select: { taskId: true, type: true },
          take: limit + 1,
        }),
      () =>
        this.db.report.findMany({
          where: { id: { gt: since.report, lte: upTo.report } },
          select: { taskId: true },
          take: limit + 1,
        }),
    ]);
    if (events.length > limit || reports.length > limit) return { taskIds: [], wholesale: true };
    const taskIds = new Set(reports.map((r) => r.taskId));
    for (const e of events) {
      if (e.taskId !== null) taskIds.add(e.taskId);
      else if (!NO_TASK_UNSCORED.has(e.type) && !e.type.startsWith("info."))
        return { taskIds: [], wholesale: true };
    }
    return { taskIds: [...taskIds].sort((a, b) => a - b), wholesale: false };
  }

  /** Reports a supervisor starred in the period, of the tasks the departments lead. */
  async starredIn(
    period: Period,
    leadDeptIds: readonly number[],
  ): Promise<{ taskId: number; text: string; userId: string; starredAt: Date }[]> {
    if (leadDeptIds.length === 0) return [];
    const rows = await this.db.report.findMany({
      where: {
        ...STANDING_REPORT,
        starredAt: { gte: period.start, lt: period.end },
        task: { leadDeptId: { in: [...leadDeptIds] } },
      },
      select: { taskId: true, text: true, userId: true, starredAt: true },
      orderBy: { starredAt: "asc" },
    });
    return rows.flatMap((r) => (r.starredAt ? [{ ...r, starredAt: r.starredAt }] : []));
  }

  async taskInfo(ids: readonly number[]): Promise<TaskInfoRow[]> {
    const out: TaskInfoRow[] = [];
    // In chunks: a year's starred reports may name more tasks than a statement may bind.
    for (let i = 0; i < ids.length; i += 500) out.push(...(await this.taskInfoChunk(ids.slice(i, i + 500))));
    return out;
  }

  private async taskInfoChunk(ids: readonly number[]): Promise<TaskInfoRow[]> {
    const rows = await this.db.task.findMany({
      where: { id: { in: [...ids] } },
      select: {
        id: true,
        year: true,
        seq: true,
        title: true,
        confidentiality: true,
        leadDeptId: true,
        dueAt: true,
        cardUrl: true,
        tags: { select: { tag: true } },
      },
    });
    return rows.map((r) => ({
      ...r,
      confidentiality: confidentiality(r.confidentiality),
      tags: r.tags.map((t) => t.tag),
      url: r.cardUrl,
    }));
  }

  /** What the summary of a period said, when one was posted. */
  async snapshot(
    kind: PeriodKind,
    key: string,
  ): Promise<{ data: SnapshotData; issueNo: number | null } | null> {
    const row = await this.db.summarySnapshot.findUnique({
      where: { period_periodKey: { period: kind, periodKey: key } },
    });
    if (!row) return null;
    const parsed = ZSnapshotData.safeParse(JSON.parse(row.data));
    return parsed.success ? { data: parsed.data, issueNo: row.issueNo } : null;
  }

  /** Records a period's summary once; false when it was already recorded. */
  async saveSnapshot(
    kind: PeriodKind,
    key: string,
    data: SnapshotData,
    issueNo: number | null,
  ): Promise<boolean> {
    const existing = await this.db.summarySnapshot.findUnique({
      where: { period_periodKey: { period: kind, periodKey: key } },
      select: { id: true },
    });
    if (existing) return false;
    await this.db.summarySnapshot.create({
      data: { period: kind, periodKey: key, issueNo, data: JSON.stringify(data) },
    });
    return true;
  }

  /** The next 督查通报 number: counted up in the database, never reused. */
  async nextBulletinNo(): Promise<number> {
    const counter = await this.db.counter.upsert({
      where: { name: "bulletin" },
      create: { name: "bulletin", value: 1 },
      update: { value: { increment: 1 } },
    });
    return counter.value;
  }
}

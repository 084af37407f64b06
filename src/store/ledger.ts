import { cadenceFromColumns } from "../domain/decision.js";
import type { LedgerFilter, LedgerReportRow, LedgerTaskRow } from "../domain/ledger.js";
import { OPEN_STATES } from "../domain/task-state.js";
import { Prisma } from "../generated/prisma/client.js";
import { confidentiality, decisionSource, taskState } from "./columns.js";
import type { Tx } from "./database.js";
import { openBlockers } from "./reports.js";
import { countedInPeriod } from "./summaries.js";
import { readTaskRows } from "./task-rows.js";

/**
 * The tasks a filter selects, as a condition on "Task" t: those counted in the period (as
 * domain/scoring's inPeriod counts them), led or co-operated on by the department, still open.
 */
function taskCondition(filter: LedgerFilter): Prisma.Sql {
  const and: Prisma.Sql[] = [];
  if (filter.period) and.push(countedInPeriod(filter.period));
  if (filter.departmentId !== undefined) {
    const id = filter.departmentId;
    and.push(
      Prisma.sql`(t."leadDeptId" = ${id} OR EXISTS (SELECT 1 FROM "TaskCoDept" c WHERE c."taskId" = t."id" AND c."departmentId" = ${id}))`,
    );
  }
  if (filter.open) and.push(Prisma.sql`t."state" IN (${Prisma.join([...OPEN_STATES])})`);
  return and.length ? Prisma.join(and, " AND ") : Prisma.sql`1 = 1`;
}

/** The reports of the period, when the filter has one, as a condition on "Report" r. */
function reportCondition(filter: LedgerFilter): Prisma.Sql {
  if (!filter.period) return Prisma.sql`1 = 1`;
  return Prisma.sql`r."createdAt" >= ${filter.period.start} AND r."createdAt" < ${filter.period.end}`;
}

/** The ledger, read a page at a time in number order so an export of every task stays small in memory. */
export class LedgerRepository {
  constructor(private readonly db: Tx) {}

  async numbers(ids: readonly number[]): Promise<Map<number, { year: number; seq: number }>> {
    const result = new Map<number, { year: number; seq: number }>();
    const unique = [...new Set(ids)];
    for (let i = 0; i < unique.length; i += 500) {
      const rows = await this.db.task.findMany({
        where: { id: { in: unique.slice(i, i + 500) } },
        select: { id: true, year: true, seq: true },
      });
      for (const r of rows) result.set(r.id, { year: r.year, seq: r.seq });
    }
    return result;
  }

  async countTasks(filter: LedgerFilter): Promise<number> {
    const [row] = await this.db.$queryRaw<{ n: number | bigint }[]>`
      SELECT count(*) AS "n" FROM "Task" t WHERE ${taskCondition(filter)}`;
    return Number(row?.n ?? 0);
  }

  /** How many reports the ledger's second sheet will hold (before a light filter narrows it). */
  async countReports(filter: LedgerFilter): Promise<number> {
    const [row] = await this.db.$queryRaw<{ n: number | bigint }[]>`
      SELECT count(*) AS "n" FROM "Report" r JOIN "Task" t ON t."id" = r."taskId"
       WHERE ${taskCondition(filter)} AND ${reportCondition(filter)}`;
    return Number(row?.n ?? 0);
  }

  /**
   * Tasks in number order after `afterId`, with their latest standing report. Read raw
   * (readTaskRows): Prisma read every report of the page's tasks to keep the latest of each
   * (12,500 rows a page at 25 reports a task; 5 s for 20,000 tasks against 0.6 s).
   */
  async tasksPage(filter: LedgerFilter, afterId: number, take: number): Promise<LedgerTaskRow[]> {
    const ids = await this.db.$queryRaw<{ id: number }[]>`
      SELECT t."id" FROM "Task" t WHERE t."id" > ${afterId} AND ${taskCondition(filter)}
       ORDER BY t."id" ASC LIMIT ${take}`;
    const rows = await readTaskRows(
      this.db,
      ids.map((r) => r.id),
      1,
    );
    const blockers = await openBlockers(
      this.db,
      rows.flatMap((r) => (r.reports[0]?.blocker ? [r.id] : [])),
    );
    return rows.map((row) => {
      const last = row.reports[0];
      const extension = row.extensions[0];
      return {
        id: row.id,
        year: row.year,
        seq: row.seq,
        title: row.title,
        requirement: row.requirement,
        confidentiality: confidentiality(row.confidentiality),
        state: taskState(row.state),
        urgent: row.urgent,
        cadence: cadenceFromColumns(row.cadence, row.cadenceHours),
        dispatchedAt: row.dispatchedAt,
        dueAt: row.dueAt,
        originalDueAt: row.originalDueAt,
        ackAt: row.ackAt,
        ackBy: row.ackBy,
        claimedAt: row.claimedAt,
        closedAt: row.closedAt,
        cancelledAt: row.cancelledAt,
        extensionCount: row.extensionCount,
        returnCount: row.returnCount,
        progress: row.progress,
        lastSubstantiveAt: row.lastSubstantiveAt,
        lead: {
          id: row.leadDept.id,
          name: row.leadDept.name,
          members: row.leadDept.members.map((m) => m.userId),
        },
        co: row.coDepts.map((c) => c.department.name),
        tags: row.tags.map((t) => t.tag),
        decision: {
          source: decisionSource(row.decision.source),
          sourceRef: row.decision.sourceRef,
          leaderUserId: row.decision.leaderUserId,
        },
        lastReport: last
          ? { text: last.text, progress: last.progress, at: last.createdAt, userId: last.userId }
          : null,
        openBlocker: blockers.get(row.id) ?? null,
        pendingExtension: extension ? { newDueAt: extension.newDueAt } : null,
      };
    });
  }

  /**
   * Every report (comments and taken-back ones included, marked) of the ledger's tasks; of the
   * period, when it has one. Read raw: Prisma's shaping of 500,000 rows was most of reading them.
   */
  async reportsPage(filter: LedgerFilter, afterId: number, take: number): Promise<LedgerReportRow[]> {
    const rows = await this.db.$queryRaw<
      (Omit<LedgerReportRow, "department" | "task" | "files"> & {
        department: string | null;
        year: number;
        seq: number;
        title: string;
        confidentiality: string;
      })[]
    >`
      SELECT r."id", r."taskId", r."userId", r."kind", r."via", r."text", r."progress", r."blocker",
             r."cause", r."perfunctory", r."starredAt", r."createdAt", r."editedAt", r."retractedAt",
             d."name" AS "department", t."year", t."seq", t."title", t."confidentiality"
        FROM "Report" r JOIN "Task" t ON t."id" = r."taskId"
        LEFT JOIN "Department" d ON d."id" = r."departmentId"
       WHERE r."id" > ${afterId} AND ${taskCondition(filter)} AND ${reportCondition(filter)}
       ORDER BY r."id" ASC LIMIT ${take}`;
    const files = new Map<number, { name: string; permalink: string | null }[]>();
    for (let i = 0; i < rows.length; i += 500) {
      const ids = rows.slice(i, i + 500).map((r) => r.id);
      const found = await this.db.$queryRaw<{ reportId: number; name: string; permalink: string | null }[]>`
        SELECT "reportId", "name", "permalink" FROM "ReportFile"
         WHERE "reportId" IN (${Prisma.join(ids)}) ORDER BY "id" ASC`;
      for (const f of found) {
        const list = files.get(f.reportId);
        const file = { name: f.name, permalink: f.permalink };
        if (list) list.push(file);
        else files.set(f.reportId, [file]);
      }
    }
    // Each property named, and a task's object shared by its reports: the rest-and-spread form
    // this replaces cost ~2.8 µs a row (~1.4 s of a 500,000-report export).
    const tasks = new Map<number, LedgerReportRow["task"]>();
    return rows.map((r) => {
      let task = tasks.get(r.taskId);
      if (!task) {
        task = {
          year: r.year,
          seq: r.seq,
          title: r.title,
          confidentiality: confidentiality(r.confidentiality),
        };
        tasks.set(r.taskId, task);
      }
      return {
        id: r.id,
        taskId: r.taskId,
        task,
        department: r.department,
        userId: r.userId,
        kind: r.kind,
        via: r.via,
        text: r.text,
        progress: r.progress,
        blocker: Boolean(r.blocker),
        cause: r.cause,
        perfunctory: Boolean(r.perfunctory),
        starredAt: r.starredAt,
        createdAt: r.createdAt,
        editedAt: r.editedAt,
        retractedAt: r.retractedAt,
        files: files.get(r.id) ?? [],
      };
    });
  }
}

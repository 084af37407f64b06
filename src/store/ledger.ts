import { cadenceFromColumns } from "../domain/decision.js";
import type { LedgerFilter, LedgerReportRow, LedgerTaskRow } from "../domain/ledger.js";
import { OPEN_STATES } from "../domain/task-state.js";
import type { Prisma } from "../generated/prisma/client.js";
import { confidentiality, decisionSource, taskState } from "./columns.js";
import type { Tx } from "./database.js";
import { openBlockers, STANDING_REPORT } from "./reports.js";

function taskWhere(filter: LedgerFilter): Prisma.TaskWhereInput {
  const and: Prisma.TaskWhereInput[] = [];
  if (filter.period) {
    const { start, end } = filter.period;
    and.push(
      { dispatchedAt: { lt: end } },
      { OR: [{ cancelledAt: null }, { cancelledAt: { gte: end } }] },
      { OR: [{ closedAt: null }, { closedAt: { gte: start } }] },
    );
  }
  if (filter.departmentId !== undefined) {
    const id = filter.departmentId;
    and.push({ OR: [{ leadDeptId: id }, { coDepts: { some: { departmentId: id } } }] });
  }
  if (filter.open) and.push({ state: { in: [...OPEN_STATES] } });
  return and.length ? { AND: and } : {};
}

const ledgerTaskSelect = {
  id: true,
  year: true,
  seq: true,
  title: true,
  requirement: true,
  confidentiality: true,
  state: true,
  urgent: true,
  cadence: true,
  cadenceHours: true,
  dispatchedAt: true,
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
  lastReportId: true,
  leadDept: {
    select: { id: true, name: true, members: { select: { userId: true }, orderBy: { addedAt: "asc" } } },
  },
  coDepts: { select: { department: { select: { name: true } } }, orderBy: { departmentId: "asc" } },
  tags: { select: { tag: true }, orderBy: { tag: "asc" } },
  decision: { select: { source: true, sourceRef: true, leaderUserId: true } },
  reports: {
    where: STANDING_REPORT,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: 1,
    select: { id: true, text: true, progress: true, createdAt: true, userId: true },
  },
  extensions: { where: { state: "pending" }, take: 1, select: { newDueAt: true } },
} satisfies Prisma.TaskSelect;

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
    return this.db.task.count({ where: taskWhere(filter) });
  }

  /** How many reports the ledger's second sheet will hold (before a light filter narrows it). */
  async countReports(filter: LedgerFilter): Promise<number> {
    return this.db.report.count({
      where: {
        task: taskWhere(filter),
        ...(filter.period ? { createdAt: { gte: filter.period.start, lt: filter.period.end } } : {}),
      },
    });
  }

  async tasksPage(filter: LedgerFilter, afterId: number, take: number): Promise<LedgerTaskRow[]> {
    const rows = await this.db.task.findMany({
      where: { AND: [taskWhere(filter), { id: { gt: afterId } }] },
      select: ledgerTaskSelect,
      orderBy: { id: "asc" },
      take,
    });
    const blockers = await openBlockers(
      this.db,
      rows.flatMap((r) => (r.reports[0] ? [r.reports[0].id] : [])),
    );
    return rows.map((row) => {
      const last = row.reports[0];
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
        pendingExtension: row.extensions[0] ?? null,
      };
    });
  }

  /** Every report (comments and taken-back ones included, marked) of the ledger's tasks; of the period, when it has one. */
  async reportsPage(filter: LedgerFilter, afterId: number, take: number): Promise<LedgerReportRow[]> {
    const rows = await this.db.report.findMany({
      where: {
        id: { gt: afterId },
        task: taskWhere(filter),
        ...(filter.period ? { createdAt: { gte: filter.period.start, lt: filter.period.end } } : {}),
      },
      select: {
        id: true,
        taskId: true,
        userId: true,
        kind: true,
        via: true,
        text: true,
        progress: true,
        blocker: true,
        cause: true,
        perfunctory: true,
        starredAt: true,
        createdAt: true,
        editedAt: true,
        retractedAt: true,
        department: { select: { name: true } },
        task: { select: { year: true, seq: true, title: true, confidentiality: true } },
        files: { select: { name: true, permalink: true }, orderBy: { id: "asc" } },
      },
      orderBy: { id: "asc" },
      take,
    });
    return rows.map((r) => ({
      ...r,
      department: r.department?.name ?? null,
      task: { ...r.task, confidentiality: confidentiality(r.task.confidentiality) },
    }));
  }
}

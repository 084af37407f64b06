import type { SharedFile, StoredReport, TaskFile } from "../domain/model.js";
import { type Cause, type OpenBlocker, openBlockerOf } from "../domain/report-reading.js";
import { Prisma } from "../generated/prisma/client.js";
import { cause, reportKind, reportVia } from "./columns.js";
import type { Tx } from "./database.js";

/** Reports that count as a department's word on a task (not comments, not taken back). */
export const STANDING_REPORT = {
  kind: { in: ["report", "claim"] },
  retractedAt: null,
} satisfies Prisma.ReportWhereInput;

/** A report changed the task's facts (its blocker, its progress): its stored light is worked out again. */
async function forgetLight(db: Tx, taskId: number): Promise<void> {
  // Raw SQL: once for every report, and Prisma's compiling cost more than the update.
  await db.$executeRaw`
    UPDATE "Task" SET "lightUntil" = NULL, "updatedAt" = ${new Date()}
     WHERE "id" = ${taskId} AND "lightUntil" IS NOT NULL`;
}

/**
 * Each task's open blocker (src/domain/report-reading.ts, openBlockerOf), read from all its
 * reports. Only a task whose latest report is a blocker can have one: the callers pass those
 * alone (the task row's `lastReportBlocker`, or the latest report a view read with the task).
 */
export async function openBlockers(
  db: Tx,
  blockedTaskIds: readonly number[],
): Promise<Map<number, OpenBlocker>> {
  // Raw SQL: on every view, list and summary, and Prisma's shaping of the blocked tasks' reports
  // cost ~0.1 s over 5,000 open tasks (measured at 20,000 tasks).
  const blockers = new Map<number, OpenBlocker>();
  const blocked = [...new Set(blockedTaskIds)];
  const byTask = new Map<number, { blocker: boolean; cause: string | null; at: Date; text: string }[]>();
  for (let i = 0; i < blocked.length; i += 500) {
    const recent = await db.$queryRaw<
      { taskId: number; blocker: boolean; cause: string | null; createdAt: Date; text: string }[]
    >`
      SELECT "taskId", "blocker", "cause", "createdAt", "text" FROM "Report"
       WHERE "taskId" IN (${Prisma.join(blocked.slice(i, i + 500))})
         AND "kind" IN (${Prisma.join(STANDING_REPORT.kind.in)}) AND "retractedAt" IS NULL
       ORDER BY "taskId" ASC, "createdAt" DESC, "id" DESC`;
    for (const r of recent) {
      const report = { blocker: Boolean(r.blocker), cause: r.cause, at: r.createdAt, text: r.text };
      const list = byTask.get(r.taskId);
      if (list) list.push(report);
      else byTask.set(r.taskId, [report]);
    }
  }
  for (const [taskId, reports] of byTask) {
    const open = openBlockerOf(reports);
    if (open) blockers.set(taskId, open);
  }
  return blockers;
}

export interface NewReport {
  taskId: number;
  departmentId: number | null;
  userId: string;
  kind: StoredReport["kind"];
  via: StoredReport["via"];
  text: string;
  progress: number | null;
  blocker: boolean;
  cause: Cause | null;
  doneClaim: boolean;
  perfunctory: boolean;
  channelId?: string;
  ts?: string;
  eventId?: string;
  createdAt: Date;
}

type Row = Pick<
  Awaited<ReturnType<Tx["report"]["findFirstOrThrow"]>>,
  | "id"
  | "taskId"
  | "departmentId"
  | "userId"
  | "kind"
  | "via"
  | "text"
  | "progress"
  | "blocker"
  | "cause"
  | "doneClaim"
  | "perfunctory"
  | "starredBy"
  | "channelId"
  | "ts"
  | "retractedAt"
  | "createdAt"
>;

/** What toReport reads of a row, for raw statements. */
const REPORT_COLUMNS = Prisma.sql`"id", "taskId", "departmentId", "userId", "kind", "via", "text", "progress",
  "blocker", "cause", "doneClaim", "perfunctory", "starredBy", "channelId", "ts", "retractedAt", "createdAt"`;

function toReport(row: Row): StoredReport {
  return {
    id: row.id,
    taskId: row.taskId,
    departmentId: row.departmentId,
    userId: row.userId,
    kind: reportKind(row.kind),
    via: reportVia(row.via),
    text: row.text,
    progress: row.progress,
    blocker: row.blocker,
    cause: cause(row.cause),
    doneClaim: row.doneClaim,
    perfunctory: row.perfunctory,
    starredBy: row.starredBy,
    channelId: row.channelId,
    ts: row.ts,
    retractedAt: row.retractedAt,
    createdAt: row.createdAt,
  };
}

/**
 * A raw row as Prisma's would be: typed columns come back typed; numbers, flags and times are
 * made sure of all the same (SQLite gives them as it stores them).
 */
function fromRaw(row: Row): StoredReport {
  return toReport({
    ...row,
    id: Number(row.id),
    taskId: Number(row.taskId),
    departmentId: row.departmentId === null ? null : Number(row.departmentId),
    progress: row.progress === null ? null : Number(row.progress),
    blocker: Boolean(row.blocker),
    doneClaim: Boolean(row.doneClaim),
    perfunctory: Boolean(row.perfunctory),
    retractedAt: row.retractedAt === null ? null : new Date(row.retractedAt),
    createdAt: new Date(row.createdAt),
  });
}

/** Where a task stands after its reports: what the card and the lights read. */
export interface ReportStanding {
  progress: number | null;
  lastSubstantiveAt: Date | null;
  lastReportId: number | null;
  /** Whether the report `lastReportId` names is a blocker. */
  lastReportBlocker: boolean;
}

export class ReportRepository {
  constructor(private readonly db: Tx) {}

  /** Keeps files shared with a report (evidence); a file already kept with it is kept once. */
  async addFiles(reportId: number, files: readonly SharedFile[]): Promise<void> {
    for (const file of files) {
      await this.db.reportFile.upsert({
        where: { reportId_fileId: { reportId, fileId: file.fileId } },
        create: { reportId, ...file },
        update: {},
      });
    }
  }

  /** Every file shared with a task's reports still standing (comments included), oldest first. */
  async filesOfTask(taskId: number): Promise<TaskFile[]> {
    const rows = await this.db.reportFile.findMany({
      where: { report: { taskId, retractedAt: null } },
      select: {
        reportId: true,
        fileId: true,
        name: true,
        title: true,
        mimetype: true,
        size: true,
        permalink: true,
        report: { select: { userId: true, createdAt: true } },
      },
      orderBy: [{ report: { createdAt: "asc" } }, { id: "asc" }],
    });
    return rows.map(({ report, ...file }) => ({ ...file, userId: report.userId, at: report.createdAt }));
  }

  async create(report: NewReport): Promise<StoredReport> {
    // Raw SQL: once for every reply, and Prisma's compiling cost more than the insert.
    const r = report;
    const [row] = await this.db.$queryRaw<Row[]>`
      INSERT INTO "Report" ("taskId", "departmentId", "userId", "kind", "via", "text", "progress", "blocker",
             "cause", "doneClaim", "perfunctory", "channelId", "ts", "eventId", "createdAt")
      VALUES (${r.taskId}, ${r.departmentId}, ${r.userId}, ${r.kind}, ${r.via}, ${r.text}, ${r.progress},
             ${r.blocker}, ${r.cause}, ${r.doneClaim}, ${r.perfunctory}, ${r.channelId ?? null}, ${r.ts ?? null},
             ${r.eventId ?? null}, ${r.createdAt})
      RETURNING ${REPORT_COLUMNS}`;
    if (!row) throw new Error("the report was not recorded");
    await forgetLight(this.db, report.taskId);
    return fromRaw(row);
  }

  /**
   * The first report matching a condition, read raw: each thread reply reads two or three
   * (is it a resend, what did the task say last), and Prisma's compiling of each cost three
   * times the reading.
   */
  private async first(condition: Prisma.Sql, order: Prisma.Sql = Prisma.empty): Promise<StoredReport | null> {
    const [row] = await this.db.$queryRaw<Row[]>`
      SELECT ${REPORT_COLUMNS} FROM "Report" WHERE ${condition} ${order} LIMIT 1`;
    return row ? fromRaw(row) : null;
  }

  async byId(id: number): Promise<StoredReport | null> {
    return this.first(Prisma.sql`"id" = ${id}`);
  }

  /** The report a Slack message became, however often Slack delivered it. */
  /** Which of these messages of a channel are stored, as reports (or comments) or as 续报. */
  async storedMessages(channelId: string, ts: readonly string[]): Promise<string[]> {
    const [reports, followUps] = [
      await this.db.report.findMany({ where: { channelId, ts: { in: [...ts] } }, select: { ts: true } }),
      await this.db.infoFollowUp.findMany({
        where: { channelId, ts: { in: [...ts] } },
        select: { ts: true },
      }),
    ];
    return [...reports, ...followUps].flatMap((r) => (r.ts ? [r.ts] : []));
  }

  async byMessage(channelId: string, ts: string): Promise<StoredReport | null> {
    return this.first(Prisma.sql`"channelId" = ${channelId} AND "ts" = ${ts}`);
  }

  /**
   * The latest report (not comment) of a task still standing, other than `exceptId`; with
   * `substantiveOnly`, the latest that said something new (a repeat is compared with that).
   */
  async latest(taskId: number, exceptId?: number, substantiveOnly = false): Promise<StoredReport | null> {
    return this.first(
      Prisma.sql`"taskId" = ${taskId} AND "kind" = 'report' AND "retractedAt" IS NULL
        ${exceptId ? Prisma.sql`AND "id" <> ${exceptId}` : Prisma.empty}
        ${substantiveOnly ? Prisma.sql`AND "perfunctory" = ${false}` : Prisma.empty}`,
      Prisma.sql`ORDER BY "createdAt" DESC, "id" DESC`,
    );
  }

  async update(
    id: number,
    fields: Pick<StoredReport, "text" | "progress" | "blocker" | "cause" | "doneClaim" | "perfunctory">,
    editedAt: Date,
  ): Promise<void> {
    const row = await this.db.report.update({
      where: { id },
      data: { ...fields, editedAt },
      select: { taskId: true },
    });
    await forgetLight(this.db, row.taskId);
  }

  async retract(id: number, at: Date): Promise<void> {
    const row = await this.db.report.update({
      where: { id },
      data: { retractedAt: at },
      select: { taskId: true },
    });
    await forgetLight(this.db, row.taskId);
  }

  async star(id: number, by: string | null, at: Date | null): Promise<void> {
    await this.db.report.update({ where: { id }, data: { starredBy: by, starredAt: at } });
  }

  /**
   * The task's standing progress and stall clock. A completion claim says "100%" only while it
   * stands (not returned, not reopened); as a word from the department with evidence it counts
   * for the stall clock either way.
   */
  async standing(taskId: number, options: { claimWithdrawn?: boolean } = {}): Promise<ReportStanding> {
    // One raw statement (read twice a reply): Prisma's four took ~2 ms, each compiled afresh.
    const latest = (column: Prisma.Sql, where: Prisma.Sql) => Prisma.sql`(
      SELECT r.${column} FROM "Report" r WHERE r."taskId" = t."id" AND r."retractedAt" IS NULL AND ${where}
       ORDER BY r."createdAt" DESC, r."id" DESC LIMIT 1)`;
    const progressed = Prisma.sql`r."kind" = 'report' AND r."progress" IS NOT NULL`;
    const substantive = Prisma.sql`r."kind" IN (${Prisma.join(STANDING_REPORT.kind.in)}) AND r."perfunctory" = ${false}`;
    const [row] = await this.db.$queryRaw<
      {
        claimedAt: Date | null;
        progress: number | bigint | null;
        progressAt: Date | string | null;
        substantiveAt: Date | string | null;
        lastReportId: number | bigint | null;
        lastReportBlocker: boolean | number | bigint | null;
      }[]
    >`
      SELECT t."claimedAt",
             ${latest(Prisma.sql`"progress"`, progressed)} AS "progress",
             ${latest(Prisma.sql`"createdAt"`, progressed)} AS "progressAt",
             ${latest(Prisma.sql`"createdAt"`, substantive)} AS "substantiveAt",
             ${latest(Prisma.sql`"id"`, Prisma.sql`r."kind" = 'report'`)} AS "lastReportId",
             ${latest(Prisma.sql`"blocker"`, Prisma.sql`r."kind" = 'report'`)} AS "lastReportBlocker"
        FROM "Task" t WHERE t."id" = ${taskId}`;
    // A scalar subquery has no declared type: SQLite gives its times as the stored text.
    const time = (v: Date | string | null | undefined) =>
      v === null || v === undefined ? null : v instanceof Date ? v : new Date(v);
    const progressAt = time(row?.progressAt);
    const claimedAt = row?.claimedAt ?? null;
    // A claim being returned or reopened no longer stands, whatever the row says yet.
    const claimStands =
      !options.claimWithdrawn && claimedAt !== null && (progressAt === null || claimedAt >= progressAt);
    return {
      progress: claimStands
        ? 100
        : row?.progress === null || row?.progress === undefined
          ? null
          : Number(row.progress),
      lastSubstantiveAt: time(row?.substantiveAt),
      lastReportId:
        row?.lastReportId === null || row?.lastReportId === undefined ? null : Number(row.lastReportId),
      // SQLite gives the flag as 1 or 0; none when there is no report.
      lastReportBlocker: Number(row?.lastReportBlocker ?? 0) === 1,
    };
  }

  async listForTask(taskId: number): Promise<StoredReport[]> {
    const rows = await this.db.report.findMany({
      where: { taskId },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    });
    return rows.map(toReport);
  }
}

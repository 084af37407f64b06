import type { Writable } from "node:stream";
import type ExcelJS from "exceljs";
import { DateTime } from "luxon";
import type { LedgerReportRow } from "../domain/ledger.js";
import { rankDepartments } from "../domain/scoring.js";
import { formatTaskNumber } from "../domain/task-number.js";
import { dueDateShown, isDayDeadline } from "../domain/time.js";
import type { Messages } from "../i18n/index.js";
import type { LedgerSource, LedgerTask } from "../services/ledger.js";

/**
 * 台账: the ledger as an XLSX workbook, streamed. Rows are committed as they are written, so
 * memory stays flat however many tasks and reports there are. Sheet 1 holds the tasks with the
 * columns of DESIGN.md, sheet 2 every report, sheet 3 the departments' scores of the period with
 * their items. Times are Excel dates in DUCHA_TZ; the header row is frozen.
 */

export interface LedgerWriteOptions {
  out: Writable;
  source: LedgerSource;
  m: Messages;
  locale: string;
  tz: string;
  /** Show confidential titles and texts (a DM to someone entitled); otherwise they are withheld. */
  revealSecret: boolean;
  /** Display names of Slack users, looked up once per page. */
  names(ids: readonly string[]): Promise<ReadonlyMap<string, string>>;
  /** Called after each page, for progress. */
  onProgress?(written: { tasks: number; reports: number }): void;
}

export interface LedgerWritten {
  tasks: number;
  reports: number;
  departments: number;
}

/** At most this much of a sheet waits to be compressed before rows stop being produced. */
const COORDINATION_WIDTHS = [16, 36, 16, 16, 40, 18, 18, 10, 18, 40];
const HIGH_WATER = 4 * 1024 * 1024;

/**
 * Backpressure the streaming writer lacks: exceljs hands rows to the zip without waiting, so a
 * fast producer would queue the whole workbook in memory. After each page we wait until what
 * the zip has not yet taken of this sheet is small. (Reads the writer's stream: exceljs 4.)
 */
/** The zip's entry stream: a readable-stream PassThrough, older than `writableLength`. */
type Pipe = { writableLength?: number; _writableState?: { length: number } };

async function keepUp(ws: ExcelJS.Worksheet): Promise<void> {
  const stream = (ws as unknown as { stream?: { pipes?: Pipe[]; buffers?: unknown[] } }).stream;
  if (!stream) return;
  for (;;) {
    const pipes = stream.pipes ?? [];
    const queued =
      pipes.length > 0
        ? pipes.reduce((n, p) => n + (p.writableLength ?? p._writableState?.length ?? 0), 0)
        : (stream.buffers?.length ?? 0) * 65_536;
    if (queued < HIGH_WATER) return;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

const DATE = "yyyy-mm-dd";
const DATE_TIME = "yyyy-mm-dd hh:mm";

/** An Excel date shows the wall-clock time in DUCHA_TZ (Excel dates have no time zone). */
function excelDate(instant: Date, tz: string): Date {
  const local = DateTime.fromJSDate(instant, { zone: tz });
  return new Date(Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second));
}

function excelDay(localDate: string): Date {
  const [y, mo, d] = localDate.split("-").map(Number);
  return new Date(Date.UTC(y ?? 1970, (mo ?? 1) - 1, d ?? 1));
}

/** Widths in characters: a Chinese character counts as two. Fixed per column so rows can stream. */
const TASK_WIDTHS = [6, 16, 30, 10, 40, 40, 16, 22, 12, 17, 12, 8, 50, 13, 12, 12, 8, 17, 40];
const REPORT_WIDTHS = [16, 40, 16, 12, 17, 12, 10, 8, 60, 6, 12, 8, 8, 12, 50];
const SCORE_WIDTHS = [6, 18, 8, 10, 10, 8, 8, 8, 80];
/** Columns whose text wraps (titles, requirements, progress, remarks, report texts). */
const TASK_WRAP = new Set([5, 6, 13, 19]);
const REPORT_WRAP = new Set([2, 9, 15]);

function sheet(
  workbook: ExcelJS.stream.xlsx.WorkbookWriter,
  name: string,
  headers: readonly string[],
  widths: readonly number[],
  wrap: ReadonlySet<number> = new Set(),
) {
  const ws = workbook.addWorksheet(name, { views: [{ state: "frozen", ySplit: 1 }] });
  ws.columns = headers.map((header, i) => ({
    header,
    width: widths[i] ?? 12,
    style: wrap.has(i + 1)
      ? { alignment: { wrapText: true, vertical: "top" } }
      : { alignment: { vertical: "top" } },
  }));
  const head = ws.getRow(1);
  head.font = { bold: true };
  head.fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFE8E8E8" } };
  head.commit();
  return ws;
}

export async function writeLedger(options: LedgerWriteOptions): Promise<LedgerWritten> {
  const { m, tz, locale, source } = options;
  const L = m.ledger;
  // Loaded when a ledger is first written: exceljs costs start-up ~230 ms and ~10 MB otherwise.
  const { default: Excel } = await import("exceljs");
  const workbook = new Excel.stream.xlsx.WorkbookWriter({
    stream: options.out,
    useStyles: true,
    useSharedStrings: false,
    // Fast compression: a ledger is text that compresses well anyway, and time matters more.
    zip: { zlib: { level: 1 } },
  });
  workbook.creator = "ducha";
  const number = (t: { year: number; seq: number }) => formatTaskNumber(t, locale);
  const hidden = (t: { confidentiality: string }) => t.confidentiality === "secret" && !options.revealSecret;
  const dateText = (d: Date) => DateTime.fromJSDate(d, { zone: tz }).toFormat("yyyy-MM-dd");
  const written: LedgerWritten = { tasks: 0, reports: 0, departments: 0 };
  const taskIds: number[] = [];

  // Sheet 1: the tasks.
  const tasksSheet = sheet(workbook, L.sheetTasks, L.taskHeaders, TASK_WIDTHS, TASK_WRAP);
  for await (const page of source.tasks()) {
    const names = await options.names(
      page.flatMap((t) =>
        [t.decision.leaderUserId, t.ackBy, ...t.lead.members].filter((x): x is string => !!x),
      ),
    );
    for (const task of page) {
      written.tasks++;
      taskIds.push(task.id);
      const row = tasksSheet.addRow(taskRow(task, written.tasks, names));
      row.getCell(10).numFmt = DATE_TIME;
      row.getCell(11).numFmt = isDayDeadline(task.dueAt, tz) ? DATE : DATE_TIME;
      row.getCell(14).numFmt = DATE;
      row.getCell(18).numFmt = DATE_TIME;
      row.commit();
    }
    await keepUp(tasksSheet);
    options.onProgress?.({ ...written });
  }
  function taskRow(task: LedgerTask, index: number, names: ReadonlyMap<string, string>): unknown[] {
    const nameOf = (id: string | null) => (id ? (names.get(id) ?? id) : "");
    const secret = hidden(task);
    const remarks = [
      task.light.reasons.length ? task.light.reasons.map((r) => m.reasonName[r]).join(m.listSeparator) : "",
      task.openBlocker
        ? L.blocker({
            cause: m.causeName[task.openBlocker.cause ?? "other"] ?? "",
            since: dateText(task.openBlocker.since),
          })
        : "",
      task.returnCount ? L.returned({ count: task.returnCount }) : "",
      task.pendingExtension
        ? L.extensionPending({ date: dueDateShown(task.pendingExtension.newDueAt, tz) })
        : "",
      task.extensionCount ? L.originalDue({ date: dueDateShown(task.originalDueAt, tz) }) : "",
    ].filter(Boolean);
    const percent = task.lastReport?.progress;
    const latest = task.lastReport
      ? [
          percent !== null && percent !== undefined ? L.progress({ percent }) : "",
          secret ? "" : task.lastReport.text,
        ]
          .filter(Boolean)
          .join(" ")
      : "";
    const responsible = task.ackBy ? nameOf(task.ackBy) : task.lead.members.map(nameOf).join(m.listSeparator);
    return [
      index,
      number(task),
      `${m.sourceName[task.decision.source]}${task.decision.sourceRef ? ` ${task.decision.sourceRef}` : ""}`,
      nameOf(task.decision.leaderUserId),
      secret ? L.secretTitle : task.title,
      secret ? "" : task.requirement,
      task.lead.name,
      task.co.join(m.listSeparator),
      responsible,
      excelDate(task.dispatchedAt, tz),
      isDayDeadline(task.dueAt, tz) ? excelDay(dueDateShown(task.dueAt, tz)) : excelDate(task.dueAt, tz),
      task.urgent ? L.urgent : L.normal,
      latest,
      task.lastReport ? excelDay(dateText(task.lastReport.at)) : null,
      m.lightName[task.light.light],
      m.stateName[task.state],
      task.extensionCount,
      task.closedAt ? excelDate(task.closedAt, tz) : null,
      remarks.join("；"),
    ];
  }
  tasksSheet.commit();

  // Sheet 2: every report.
  const reportsSheet = sheet(workbook, L.sheetReports, L.reportHeaders, REPORT_WIDTHS, REPORT_WRAP);
  for await (const page of source.reports()) {
    const names = await options.names(page.map((r) => r.userId));
    for (const report of page) {
      written.reports++;
      const row = reportsSheet.addRow(reportRow(report, names));
      row.getCell(5).numFmt = DATE_TIME;
      row.commit();
    }
    await keepUp(reportsSheet);
    options.onProgress?.({ ...written });
  }
  function reportRow(r: LedgerReportRow, names: ReadonlyMap<string, string>): unknown[] {
    const secret = hidden(r.task);
    const notes = [r.retractedAt ? L.retracted : "", r.editedAt ? L.edited : ""].filter(Boolean);
    return [
      number(r.task),
      secret ? L.secretTitle : r.task.title,
      r.department ?? "",
      names.get(r.userId) ?? r.userId,
      excelDate(r.createdAt, tz),
      L.kindName[r.kind] ?? r.kind,
      L.viaName[r.via] ?? r.via,
      r.progress === null ? null : r.progress / 100,
      secret ? "" : r.text,
      r.blocker ? L.yes : "",
      r.cause ? (m.causeName[r.cause] ?? r.cause) : "",
      r.perfunctory ? L.yes : "",
      r.starredAt ? L.yes : "",
      notes.join("；"),
      secret ? "" : r.files.map((f) => (f.permalink ? `${f.name} ${f.permalink}` : f.name)).join("\n"),
    ];
  }
  reportsSheet.getColumn(8).numFmt = "0%";
  reportsSheet.commit();

  // Sheet 3: the scores of the period, best first, then 样本不足, with every item.
  const scored = await source.scores();
  const scoresSheet = sheet(workbook, L.sheetScores, L.scoreHeaders, SCORE_WIDTHS, new Set([9]));
  const ranking = rankDepartments(scored.scores);
  const names = new Map(scored.departments.map((d) => [d.id, d.name]));
  const taskNumbers = await source.taskNumbers(scored.scores.flatMap((s) => s.items.map((i) => i.taskId)));
  const rows = [
    ...ranking.order.map((s, i) => ({ s, rank: (i + 1) as number | string })),
    ...ranking.insufficient.filter((s) => s.scoredTasks > 0).map((s) => ({ s, rank: L.insufficient })),
  ];
  for (const { s, rank } of rows) {
    written.departments++;
    const deducted = s.items.filter((i) => i.points < 0).reduce((sum, i) => sum + i.points, 0);
    const added = s.items.filter((i) => i.points > 0).reduce((sum, i) => sum + i.points, 0);
    const items = s.items.map((i) => {
      const n = taskNumbers.get(i.taskId);
      return L.item({
        number: n ? number(n) : `#${i.taskId}`,
        rule: m.summary.ruleName[i.rule],
        count: i.count,
        points: i.points,
      });
    });
    scoresSheet
      .addRow([
        rank,
        names.get(s.departmentId) ?? `#${s.departmentId}`,
        s.score,
        s.scoredTasks,
        s.closedOnTime,
        s.overdue,
        deducted,
        added,
        items.join("；"),
      ])
      .commit();
  }
  scoresSheet.commit();

  // Sheet 4: the 协调事项 of the tasks above, oldest first.
  const coordinationsSheet = sheet(
    workbook,
    L.sheetCoordinations,
    L.coordinationHeaders,
    COORDINATION_WIDTHS,
    new Set([5, 10]),
  );
  for (const c of await source.coordinations(taskIds)) {
    const secret = hidden(c.task);
    const row = coordinationsSheet.addRow([
      number(c.task),
      secret ? L.secretTitle : c.task.title,
      c.fromDept.name,
      c.toDept.name,
      secret ? "" : c.need,
      c.openedAt,
      c.replyBy,
      L.coordinationState[c.state] ?? c.state,
      c.answeredAt ?? "",
      secret ? "" : c.state === "declined" ? c.declineReason : c.answer,
    ]);
    for (const cell of [6, 7, 9]) row.getCell(cell).numFmt = DATE_TIME;
    row.commit();
  }
  coordinationsSheet.commit();
  await workbook.commit();
  return written;
}

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
const PERCENT = "0%";

/** An Excel date shows the wall-clock time in DUCHA_TZ (Excel dates have no time zone). */
const HOUR = 3_600_000;
/** Per zone, the offset of each hour seen whose offset holds the whole hour (null: it changes within). */
const hourOffsets = new Map<string, Map<number, number | null>>();
const offsetAt = (ms: number, tz: string) => DateTime.fromMillis(ms, { zone: tz }).offset;

/**
 * The instant as Excel shows it: the local wall-clock time (to the second) as a Date in UTC.
 * The zone's offset is looked up once an hour, not for every date: luxon asks Intl each time,
 * and a ledger has a date in every row (profiled: ~15% of an export's time).
 */
export function excelDate(instant: Date, tz: string): Date {
  const ms = instant.getTime();
  const hour = Math.floor(ms / HOUR);
  let offsets = hourOffsets.get(tz);
  if (!offsets) {
    offsets = new Map();
    hourOffsets.set(tz, offsets);
  }
  let offset = offsets.get(hour);
  if (offset === undefined) {
    const first = offsetAt(hour * HOUR, tz);
    offset = first === offsetAt(hour * HOUR + HOUR - 1, tz) ? first : null;
    if (offsets.size > 100_000) offsets.clear();
    offsets.set(hour, offset);
  }
  const minutes = offset ?? offsetAt(ms, tz);
  return new Date(Math.floor(ms / 1000) * 1000 + minutes * 60_000);
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

/**
 * A sheet, and the styles of its cells: one style object per column and number format, shared by
 * every cell that has it. exceljs recognises a style it has already numbered by the object
 * itself; a cell made by addRow gets an object of its own, so each cell's style was rendered to
 * XML again to be found (profiled: a fifth of an export's time). Assigning the shared object to
 * each cell written makes that a lookup.
 */
function sheet(
  workbook: ExcelJS.stream.xlsx.WorkbookWriter,
  name: string,
  headers: readonly string[],
  widths: readonly number[],
  wrap: ReadonlySet<number> = new Set(),
) {
  const styles = new Map<string, Partial<ExcelJS.Style>>();
  const styleOf = (column: number, numFmt?: string): Partial<ExcelJS.Style> => {
    const key = `${column}:${numFmt ?? ""}`;
    let style = styles.get(key);
    if (!style) {
      style = {
        alignment: wrap.has(column) ? { wrapText: true, vertical: "top" } : { vertical: "top" },
        ...(numFmt ? { numFmt } : {}),
      };
      styles.set(key, style);
    }
    return style;
  };
  const ws = workbook.addWorksheet(name, { views: [{ state: "frozen", ySplit: 1 }] });
  ws.columns = headers.map((header, i) => ({ header, width: widths[i] ?? 12, style: styleOf(i + 1) }));
  const head = ws.getRow(1);
  head.font = { bold: true };
  head.fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFE8E8E8" } };
  head.commit();
  return {
    ws,
    /** Adds a row, its cells styled by column and by the number formats given, and writes it. */
    add(values: unknown[], formats: Readonly<Record<number, string>> = {}): void {
      const row = ws.addRow(values);
      row.eachCell((cell, column) => {
        cell.style = styleOf(column, formats[column]);
      });
      row.commit();
    },
  };
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
      tasksSheet.add(taskRow(task, written.tasks, names), {
        10: DATE_TIME,
        11: isDayDeadline(task.dueAt, tz) ? DATE : DATE_TIME,
        14: DATE,
        18: DATE_TIME,
      });
    }
    await keepUp(tasksSheet.ws);
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
  tasksSheet.ws.commit();

  // Sheet 2: every report.
  const reportsSheet = sheet(workbook, L.sheetReports, L.reportHeaders, REPORT_WIDTHS, REPORT_WRAP);
  for await (const page of source.reports()) {
    const names = await options.names(page.map((r) => r.userId));
    for (const report of page) {
      written.reports++;
      // Progress as a percentage (its column's format, set once the rows were written, was
      // never seen: a streamed sheet writes its columns with its first row).
      reportsSheet.add(reportRow(report, names), { 5: DATE_TIME, 8: PERCENT });
    }
    await keepUp(reportsSheet.ws);
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
  reportsSheet.ws.commit();

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
    scoresSheet.add([
      rank,
      names.get(s.departmentId) ?? `#${s.departmentId}`,
      s.score,
      s.scoredTasks,
      s.closedOnTime,
      s.overdue,
      deducted,
      added,
      items.join("；"),
    ]);
  }
  scoresSheet.ws.commit();

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
    coordinationsSheet.add(
      [
        number(c.task),
        secret ? L.secretTitle : c.task.title,
        c.fromDept.name,
        c.toDept.name,
        secret ? "" : c.need,
        // Local time, as on the other sheets (they were written as UTC instants).
        excelDate(c.openedAt, tz),
        excelDate(c.replyBy, tz),
        L.coordinationState[c.state] ?? c.state,
        c.answeredAt ? excelDate(c.answeredAt, tz) : "",
        secret ? "" : c.state === "declined" ? c.declineReason : c.answer,
      ],
      { 6: DATE_TIME, 7: DATE_TIME, 9: DATE_TIME },
    );
  }
  coordinationsSheet.ws.commit();
  await workbook.commit();
  return written;
}

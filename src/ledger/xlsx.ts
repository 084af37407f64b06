import type { Writable } from "node:stream";
import type { Worker } from "node:worker_threads";
import { DateTime } from "luxon";
import { minutesTaken } from "../domain/information.js";
import type { LedgerReportRow } from "../domain/ledger.js";
import { rankDepartments } from "../domain/scoring.js";
import { formatTaskNumber } from "../domain/task-number.js";
import { dueDateShown, isDayDeadline } from "../domain/time.js";
import type { Messages } from "../i18n/index.js";
import type { LedgerSource, LedgerTask } from "../services/ledger.js";
import { startThread } from "../thread.js";
import type { Formats, FromWriter, ToWriter } from "./xlsx-worker.js";

/**
 * 台账: the ledger as an XLSX workbook, streamed. Rows are built here, page by page, and
 * written into the workbook by a thread of its own (./xlsx-worker.ts) while the next page is
 * read, so memory stays flat however many tasks and reports there are, and the main thread
 * (every acknowledgement) is not held by the writing. Sheet 1 holds the tasks with the
 * columns of the README (台账), sheet 2 every report, sheet 3 the departments' scores of the period with
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

const DATE = "yyyy-mm-dd";
const DATE_TIME = "yyyy-mm-dd hh:mm";
const PERCENT = "0%";
/** Number formats by column: a task's deadline shows its time unless it is the end of a day. */
const TASK_FORMATS_DAY: Formats = { 10: DATE_TIME, 11: DATE, 14: DATE, 18: DATE_TIME };
const TASK_FORMATS_TIME: Formats = { 10: DATE_TIME, 11: DATE_TIME, 14: DATE, 18: DATE_TIME };
const REPORT_FORMATS: Formats = { 5: DATE_TIME, 8: PERCENT };
const COORDINATION_FORMATS: Formats = { 6: DATE_TIME, 7: DATE_TIME, 9: DATE_TIME };
const INFORMATION_FORMATS: Formats = { 6: DATE_TIME, 7: DATE_TIME };

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

/** At most this much of the ledger's bytes waits for its destination before rows stop being sent. */
const HIGH_WATER = 4 * 1024 * 1024;

/**
 * The workbook's writer thread (./xlsx-worker.ts), seen from here: sheets and pages of rows go
 * to it, the zip's bytes come back and are written to `out`. Flow is bounded both ways: at most
 * two pages are with the thread (one being written while the next is read), and no page is sent
 * while `out` holds HIGH_WATER unwritten, so a slow disk or upload stops the reading of rows
 * rather than filling memory.
 */
class WorkbookThread {
  readonly #out: Writable;
  readonly #worker: Worker;
  #sent = 0;
  #taken = 0;
  #finished = false;
  #failure: Error | undefined;
  #wake: (() => void) | undefined;
  #done: { resolve(): void; reject(error: Error): void } | undefined;

  constructor(out: Writable) {
    this.#out = out;
    this.#worker = startWriter();
    this.#worker.on("message", (message: FromWriter) => {
      switch (message.type) {
        case "bytes":
          // After a failure nothing more is written: the destination may be gone.
          if (this.#failure || out.destroyed) return;
          out.write(Buffer.from(message.bytes.buffer, message.bytes.byteOffset, message.bytes.byteLength));
          return;
        case "page":
          this.#taken = message.page;
          this.#poke();
          return;
        case "done":
          this.#finished = true;
          this.#done?.resolve();
          return;
        case "failed":
          this.#fail(new Error(`the ledger's workbook could not be written: ${message.message}`));
      }
    });
    this.#worker.on("error", (error) => this.#fail(error));
    this.#worker.on("exit", (code) => {
      if (!this.#finished) this.#fail(new Error(`the ledger's writer thread stopped (exit code ${code})`));
    });
    out.on("drain", this.#poke);
    out.on("error", this.#onOutError);
  }

  readonly #onOutError = (error: Error) => this.#fail(error);

  readonly #poke = () => {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  };

  #fail(error: Error): void {
    this.#failure ??= error;
    this.#done?.reject(this.#failure);
    this.#poke();
  }

  #send(message: ToWriter): void {
    if (this.#failure) throw this.#failure;
    this.#worker.postMessage(message);
  }

  /** Begins a sheet; the one before it is complete. */
  sheet(
    name: string,
    headers: readonly string[],
    widths: readonly number[],
    wrap: ReadonlySet<number>,
  ): void {
    this.#send({ type: "sheet", name, headers, widths, wrap: [...wrap] });
  }

  /** A page of rows for the sheet begun last; resolves once the next page may be sent. */
  async rows(rows: unknown[][], formats: Formats | Formats[]): Promise<void> {
    if (rows.length === 0) return;
    this.#sent++;
    this.#send({ type: "rows", page: this.#sent, rows, formats });
    for (;;) {
      if (this.#failure) throw this.#failure;
      // Waiting on the destination only while it will say when it drains (a destination whose
      // own buffer is larger than HIGH_WATER never does).
      const full = this.#out.writableLength >= HIGH_WATER && this.#out.writableNeedDrain;
      if (this.#sent - this.#taken <= 1 && !full) return;
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
    }
  }

  /** Completes the workbook; resolves once every byte of it is written to `out`, and ends it. */
  async end(): Promise<void> {
    const done = new Promise<void>((resolve, reject) => {
      this.#done = { resolve, reject };
    });
    this.#send({ type: "end" });
    await done;
    this.#out.end();
  }

  async close(): Promise<void> {
    this.#finished = true;
    this.#out.off("drain", this.#poke);
    this.#out.off("error", this.#onOutError);
    await this.#worker.terminate();
  }
}

/**
 * The writer thread's heap: what it holds at once is two pages and what the zip has not yet
 * compressed, so a small heap does (measured: 500,000 reports written with 64 MB); without a
 * limit V8 let the thread's garbage grow to ~100 MB before collecting it.
 */
const WRITER_LIMITS = { maxOldGenerationSizeMb: 96, maxYoungGenerationSizeMb: 8 };

/** The writer thread (src/thread.ts). */
function startWriter(): Worker {
  return startThread(import.meta.url, "xlsx-worker", { resourceLimits: WRITER_LIMITS });
}

/** Widths in characters: a Chinese character counts as two. Fixed per column so rows can stream. */
const TASK_WIDTHS = [6, 16, 30, 10, 40, 40, 16, 22, 12, 17, 12, 8, 50, 13, 12, 12, 8, 17, 40];
const REPORT_WIDTHS = [16, 40, 16, 12, 17, 12, 10, 8, 60, 6, 12, 8, 8, 12, 50];
const SCORE_WIDTHS = [6, 18, 8, 10, 10, 8, 8, 8, 80];
const COORDINATION_WIDTHS = [16, 36, 16, 16, 40, 18, 18, 10, 18, 40];
const INFORMATION_WIDTHS = [16, 16, 40, 10, 8, 18, 18, 10, 6, 10, 8, 8];
/** Columns whose text wraps (titles, requirements, progress, remarks, report texts). */
const TASK_WRAP = new Set([5, 6, 13, 19]);
const REPORT_WRAP = new Set([2, 9, 15]);

export async function writeLedger(options: LedgerWriteOptions): Promise<LedgerWritten> {
  const { m, tz, locale, source } = options;
  const L = m.ledger;
  const book = new WorkbookThread(options.out);
  try {
    return await writeSheets(book);
  } finally {
    await book.close();
  }

  async function writeSheets(workbook: WorkbookThread): Promise<LedgerWritten> {
    const number = (t: { year: number; seq: number }) => formatTaskNumber(t, locale);
    const hidden = (t: { confidentiality: string }) =>
      t.confidentiality === "secret" && !options.revealSecret;
    const dateText = (d: Date) => DateTime.fromJSDate(d, { zone: tz }).toFormat("yyyy-MM-dd");
    const written: LedgerWritten = { tasks: 0, reports: 0, departments: 0 };
    const taskIds: number[] = [];

    // Sheet 1: the tasks.
    workbook.sheet(L.sheetTasks, L.taskHeaders, TASK_WIDTHS, TASK_WRAP);
    for await (const page of source.tasks()) {
      const names = await options.names(
        page.flatMap((t) =>
          [t.decision.leaderUserId, t.ackBy, ...t.lead.members].filter((x): x is string => !!x),
        ),
      );
      const rows: unknown[][] = [];
      const formats: Formats[] = [];
      for (const task of page) {
        written.tasks++;
        taskIds.push(task.id);
        rows.push(taskRow(task, written.tasks, names));
        formats.push(isDayDeadline(task.dueAt, tz) ? TASK_FORMATS_DAY : TASK_FORMATS_TIME);
      }
      await workbook.rows(rows, formats);
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
      const responsible = task.ackBy
        ? nameOf(task.ackBy)
        : task.lead.members.map(nameOf).join(m.listSeparator);
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

    // Sheet 2: every report.
    workbook.sheet(L.sheetReports, L.reportHeaders, REPORT_WIDTHS, REPORT_WRAP);
    for await (const page of source.reports()) {
      const names = await options.names(page.map((r) => r.userId));
      written.reports += page.length;
      // Progress as a percentage (its column's format, set once the rows were written, was
      // never seen: a streamed sheet writes its columns with its first row).
      await workbook.rows(
        page.map((report) => reportRow(report, names)),
        REPORT_FORMATS,
      );
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

    // Sheet 3: the scores of the period, best first, then 样本不足, with every item.
    const scored = await source.scores();
    workbook.sheet(L.sheetScores, L.scoreHeaders, SCORE_WIDTHS, new Set([9]));
    const scoreRows: unknown[][] = [];
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
      scoreRows.push([
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
    await workbook.rows(scoreRows, {});

    // Sheet 4: the 协调事项 of the tasks above, oldest first.
    workbook.sheet(L.sheetCoordinations, L.coordinationHeaders, COORDINATION_WIDTHS, new Set([5, 10]));
    const coordinationRows: unknown[][] = [];
    for (const c of await source.coordinations(taskIds)) {
      const secret = hidden(c.task);
      coordinationRows.push([
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
      ]);
    }
    await workbook.rows(coordinationRows, COORDINATION_FORMATS);

    // Sheet 5: 信息报送 of the period, newest first.
    workbook.sheet(L.sheetInformation, L.informationHeaders, INFORMATION_WIDTHS, new Set([3]));
    const informationRows: unknown[][] = [];
    for (const r of await source.information()) {
      informationRows.push([
        m.info.number(r),
        r.department.name,
        hidden(r) ? m.info.secretTitle : r.title,
        m.info.categoryName[r.category] ?? r.category,
        m.info.urgencyName[r.urgency] ?? r.urgency,
        excelDate(r.occurredAt, tz),
        excelDate(r.reportedAt, tz),
        minutesTaken(r.occurredAt, r.reportedAt),
        r.late ? L.yes : "",
        m.info.verdictName[r.verdict] ?? r.verdict,
        r.followUps.length,
        m.info.stateName[r.state] ?? r.state,
      ]);
    }
    await workbook.rows(informationRows, INFORMATION_FORMATS);
    await workbook.end();
    return written;
  }
}

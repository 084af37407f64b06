import { createWriteStream } from "node:fs";
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { DateTime } from "luxon";
import type { TaskFile } from "../domain/model.js";
import { formatTaskNumber } from "../domain/task-number.js";
import type { Messages } from "../i18n/index.js";
import { type ArchivedTask, archivedTasks, yearCounts } from "../services/archive.js";
import type { ServiceDeps } from "../services/ports.js";

/**
 * 立卷归档: the year's record as files that outlive the workspace. One folder per task named by
 * its 档号 (2026-督-0012) with its 交办单 (.docx), its reports, extensions and 协调 (.xlsx) and
 * the evidence files themselves; a 目录 (.xlsx); all in one ZIP. Each task's folder is written
 * under a temporary name and renamed when whole, so a run stopped anywhere (a crash, a full
 * disk) goes on from the last whole folder; the ZIP is written as `.part` and renamed when
 * whole, so the final name never holds half a file. One task is in memory at a time.
 */

export interface ArchiveOptions {
  deps: Pick<ServiceDeps, "store">;
  year: number;
  dir: string;
  m: Messages;
  locale: string;
  tz: string;
  /** A file's bytes from Slack (files:read), or null when Slack no longer serves it. */
  fetchFile(file: TaskFile): Promise<Buffer | null>;
  /** Called after each task's folder is whole. */
  onProgress?(done: number, total: number): void | Promise<void>;
}

export interface ArchiveResult {
  file: string;
  size: number;
  tasks: number;
  files: number;
  missing: number;
}

interface FolderRecord {
  files: number;
  missing: string[];
  row: unknown[];
}

const DONE = ".done.json";

export async function writeArchive(options: ArchiveOptions): Promise<ArchiveResult> {
  const { m, year } = options;
  const A = m.archive;
  const staging = path.join(options.dir, `${year}.staging`);
  await mkdir(staging, { recursive: true });
  const total = (await yearCounts(options.deps, year)).tasks;
  const catalogue: unknown[][] = [];
  let done = 0;
  let files = 0;
  let missing = 0;
  for await (const page of archivedTasks(options.deps, year)) {
    for (const item of page) {
      const folder = A.folder({ year: item.task.year, seq: item.task.seq });
      const record = await folderOf(options, staging, folder, item);
      catalogue.push(record.row);
      files += record.files;
      missing += record.missing.length;
      done++;
      await options.onProgress?.(done, total);
    }
  }
  await writeCatalogue(options, path.join(staging, A.catalogue), catalogue);
  const file = path.join(options.dir, A.fileName({ year }));
  await zipDirectory(staging, `${file}.part`);
  await rename(`${file}.part`, file);
  await rm(staging, { recursive: true, force: true });
  return { file, size: (await stat(file)).size, tasks: done, files, missing };
}

/** A task's folder: read back when a run before made it whole, else written now. */
async function folderOf(
  options: ArchiveOptions,
  staging: string,
  folder: string,
  item: ArchivedTask,
): Promise<FolderRecord> {
  const whole = path.join(staging, folder);
  try {
    return JSON.parse(await readFile(path.join(whole, DONE), "utf8")) as FolderRecord;
  } catch {
    // Not written yet (or not whole): written again from the start.
  }
  const A = options.m.archive;
  const part = `${whole}.tmp`;
  await rm(part, { recursive: true, force: true });
  await mkdir(path.join(part, A.evidence), { recursive: true });
  await writeFile(path.join(part, A.order), await orderDocx(options, folder, item));
  await writeReports(options, path.join(part, A.reports), item);
  const missing: string[] = [];
  const names = new Set<string>();
  let saved = 0;
  for (const file of uniqueFiles(item.files)) {
    const bytes = await options.fetchFile(file);
    if (!bytes) {
      missing.push(file.name);
      continue;
    }
    let name = file.name.replace(/[\\/:*?"<>|]/g, "_") || file.fileId;
    if (names.has(name)) name = `${file.fileId}-${name}`;
    names.add(name);
    await writeFile(path.join(part, A.evidence, name), bytes);
    saved++;
  }
  const { task } = item;
  const day = (at: Date | null) =>
    at ? DateTime.fromJSDate(at, { zone: options.tz }).toFormat("yyyy-MM-dd") : "";
  const record: FolderRecord = {
    files: saved,
    missing,
    row: [
      folder,
      formatTaskNumber(task, options.locale),
      task.title,
      task.leadDept.name,
      task.coDepts.map((d) => d.name).join("、"),
      day(task.dispatchedAt),
      day(task.closedAt),
      options.m.stateName[task.state],
      saved,
      missing.join("、"),
    ],
  };
  await writeFile(path.join(part, DONE), JSON.stringify(record));
  await rm(whole, { recursive: true, force: true });
  await rename(part, whole);
  return record;
}

function uniqueFiles(files: readonly TaskFile[]): TaskFile[] {
  return [...new Map(files.map((f) => [f.fileId, f])).values()];
}

/** 交办单: the decision, the requirement, the units, the limit, the result and 验收意见. */
async function orderDocx(options: ArchiveOptions, folder: string, item: ArchivedTask): Promise<Buffer> {
  const { Document, Packer, Paragraph, TextRun, AlignmentType } = await import("docx");
  const A = options.m.archive;
  const L = A.orderLines;
  const { task } = item;
  const day = (at: Date) => DateTime.fromJSDate(at, { zone: options.tz }).toFormat("yyyy-MM-dd HH:mm");
  const line = (label: string | undefined, value: string) =>
    new Paragraph({
      children: [new TextRun({ text: `${label ?? ""}：`, bold: true }), new TextRun(value || A.none)],
    });
  const checks = item.siteChecks.map(
    (c) =>
      `${day(c.checkedOn)} ${c.checkers} ${c.place} ${options.m.loops.findingName[c.finding] ?? c.finding} ${c.note}`,
  );
  const doc = new Document({
    sections: [
      {
        children: [
          new Paragraph({
            alignment: AlignmentType.CENTER,
            children: [new TextRun({ text: A.orderTitle, bold: true, size: 36 })],
          }),
          line(L.archiveNo, folder),
          line(L.number, formatTaskNumber(task, options.locale)),
          line(L.title, task.title),
          line(L.requirement, task.requirement),
          line(L.lead, task.leadDept.name),
          line(L.co, task.coDepts.map((d) => d.name).join("、")),
          line(L.dispatched, day(task.dispatchedAt)),
          line(L.due, day(new Date(task.dueAt.getTime() - 1))),
          line(L.source, `${options.m.sourceName[task.decision.source]} ${task.decision.sourceRef}`),
          line(L.leader, task.decision.leaderUserId ?? ""),
          line(L.decision, item.decisionText),
          line(
            L.result,
            `${options.m.stateName[task.state]}${task.closedAt ? ` ${day(task.closedAt)}` : ""}`,
          ),
          line(L.verify, item.verifyNote),
          line(L.siteCheck, checks.join("；")),
        ],
      },
    ],
  });
  return Buffer.from(await Packer.toBuffer(doc));
}

/** Every report with its time and author, the extensions and the 协调 requests. */
async function writeReports(options: ArchiveOptions, file: string, item: ArchivedTask): Promise<void> {
  const ExcelJS = (await import("exceljs")).default;
  const A = options.m.archive;
  const book = new ExcelJS.Workbook();
  const local = (at: Date) => DateTime.fromJSDate(at, { zone: options.tz }).toFormat("yyyy-MM-dd HH:mm");
  const reports = book.addWorksheet(A.reportsSheet);
  reports.addRow(A.reportHeaders);
  const filesOf = new Map<number, string[]>();
  for (const f of item.files) filesOf.set(f.reportId, [...(filesOf.get(f.reportId) ?? []), f.name]);
  for (const r of item.reports)
    reports.addRow([
      local(r.createdAt),
      r.userId,
      options.m.ledger.kindName[r.kind] ?? r.kind,
      r.text,
      r.progress ?? "",
      (filesOf.get(r.id) ?? []).join("、"),
    ]);
  const extensions = book.addWorksheet(A.extensionsSheet);
  extensions.addRow(A.extensionHeaders);
  for (const e of item.extensions)
    extensions.addRow([
      local(new Date(e.oldDueAt.getTime() - 1)),
      local(new Date(e.newDueAt.getTime() - 1)),
      e.reason,
    ]);
  const coordinations = book.addWorksheet(A.coordinationsSheet);
  coordinations.addRow(A.coordinationHeaders);
  for (const c of item.coordinations)
    coordinations.addRow([
      local(c.openedAt),
      c.toDept.name,
      c.need,
      options.m.ledger.coordinationState[c.state] ?? c.state,
      c.state === "declined" ? c.declineReason : c.answer,
    ]);
  await book.xlsx.writeFile(file);
}

async function writeCatalogue(options: ArchiveOptions, file: string, rows: unknown[][]): Promise<void> {
  const ExcelJS = (await import("exceljs")).default;
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet(options.m.archive.catalogueSheet);
  sheet.addRow(options.m.archive.catalogueHeaders);
  for (const row of rows) sheet.addRow(row);
  await book.xlsx.writeFile(file);
}

/** The staging folder as one ZIP, streamed file by file (yazl), to `target`. */
async function zipDirectory(root: string, target: string): Promise<void> {
  const { ZipFile } = await import("yazl");
  const zip = new ZipFile();
  const out = createWriteStream(target);
  const finished = new Promise<void>((resolve, reject) => {
    out.on("close", () => resolve());
    out.on("error", reject);
    zip.outputStream.on("error", reject);
  });
  zip.outputStream.pipe(out);
  const walk = async (dir: string, prefix: string) => {
    for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      if (entry.name === DONE || entry.name.endsWith(".tmp")) continue;
      const full = path.join(dir, entry.name);
      const name = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await walk(full, name);
      else zip.addFile(full, name);
    }
  };
  await walk(root, "");
  zip.end();
  await finished;
}

import { Writable } from "node:stream";
import { parentPort } from "node:worker_threads";
import Excel from "exceljs";

/**
 * The ledger's workbook, written on a thread of its own. exceljs costs ~27 µs a row of fifteen
 * cells (its XML strings and buffers; measured on this kind of machine), ~13 s for a ledger of
 * 500,000 reports: on the main thread that was time no acknowledgement could be sent, and the
 * reading of the next page waited for it. Here the main thread reads pages and builds the rows'
 * values while this thread turns the previous page into XML and zips it.
 *
 * This module only speaks the messages below; it knows nothing of tasks or words (the main
 * thread has them). Rows are arrays of strings, numbers, Dates and nulls; the zip's bytes go
 * back to the main thread, which writes them where the ledger goes.
 */

/** Number formats by column (1-based). */
export type Formats = Readonly<Record<number, string>>;

export type ToWriter =
  | {
      type: "sheet";
      name: string;
      headers: readonly string[];
      widths: readonly number[];
      /** Columns whose text wraps. */
      wrap: readonly number[];
    }
  /** A page of rows for the sheet begun last; formats for every row, or one per row. */
  | { type: "rows"; page: number; rows: unknown[][]; formats: Formats | Formats[] }
  | { type: "end" };

export type FromWriter =
  | { type: "bytes"; bytes: Uint8Array }
  /** The page's rows are written and the zip has taken all but a little of them. */
  | { type: "page"; page: number }
  | { type: "done" }
  | { type: "failed"; message: string };

/** At most this much of a sheet waits to be compressed before the next page is taken. */
const HIGH_WATER = 4 * 1024 * 1024;

/** The zip's entry stream: a readable-stream PassThrough, older than `writableLength`. */
type Pipe = { writableLength?: number; _writableState?: { length: number } };

/**
 * Backpressure the streaming writer lacks: exceljs hands rows to the zip without waiting, so a
 * fast producer would queue the whole workbook in memory. After each page we wait until what
 * the zip has not yet taken of this sheet is small. (Reads the writer's stream: exceljs 4.)
 */
async function keepUp(ws: Excel.Worksheet): Promise<void> {
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

/**
 * A sheet, and the styles of its cells: one style object per column and number format, shared by
 * every cell that has it. exceljs recognises a style it has already numbered by the object
 * itself; a cell made by addRow gets an object of its own, so each cell's style was rendered to
 * XML again to be found (profiled: a fifth of an export's time). Assigning the shared object to
 * each cell written makes that a lookup.
 */
function sheet(workbook: Excel.stream.xlsx.WorkbookWriter, spec: Extract<ToWriter, { type: "sheet" }>) {
  const wrap = new Set(spec.wrap);
  const styles = new Map<string, Partial<Excel.Style>>();
  const styleOf = (column: number, numFmt?: string): Partial<Excel.Style> => {
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
  const ws = workbook.addWorksheet(spec.name, { views: [{ state: "frozen", ySplit: 1 }] });
  ws.columns = spec.headers.map((header, i) => ({
    header,
    width: spec.widths[i] ?? 12,
    style: styleOf(i + 1),
  }));
  const head = ws.getRow(1);
  head.font = { bold: true };
  head.fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFE8E8E8" } };
  head.commit();
  return {
    ws,
    /**
     * Adds a row, its cells styled by column and by the number formats given, and writes it.
     * An empty value makes no cell (the column's style still shows): a ledger's rows are a third
     * empty, and exceljs writes a row of fifteen cells ~30% slower when every one is there.
     */
    add(values: unknown[], formats: Formats): void {
      const row = ws.addRow(values.map((v) => (v === "" || v === null ? undefined : v)));
      row.eachCell((cell, column) => {
        cell.style = styleOf(column, formats[column]);
      });
      row.commit();
    },
  };
}

function serve(port: NonNullable<typeof parentPort>): void {
  const send = (message: FromWriter) => port.postMessage(message);
  const out = new Writable({
    write(chunk: Buffer, _encoding, done) {
      send({ type: "bytes", bytes: chunk });
      done();
    },
  });
  const finished = new Promise<void>((resolve, reject) => {
    out.on("finish", resolve);
    out.on("error", reject);
  });
  const workbook = new Excel.stream.xlsx.WorkbookWriter({
    stream: out,
    useStyles: true,
    useSharedStrings: false,
    // Fast compression: a ledger is text that compresses well anyway, and time matters more.
    zip: { zlib: { level: 1 } },
  });
  workbook.creator = "ducha";
  let current: ReturnType<typeof sheet> | undefined;

  async function handle(message: ToWriter): Promise<void> {
    switch (message.type) {
      case "sheet":
        current?.ws.commit();
        current = sheet(workbook, message);
        return;
      case "rows": {
        const target = current;
        if (!target) throw new Error("rows before any sheet");
        message.rows.forEach((values, i) => {
          const formats = Array.isArray(message.formats) ? (message.formats[i] ?? {}) : message.formats;
          target.add(values, formats);
        });
        await keepUp(target.ws);
        send({ type: "page", page: message.page });
        return;
      }
      case "end":
        current?.ws.commit();
        await workbook.commit();
        await finished;
        send({ type: "done" });
        return;
    }
  }

  // One message at a time, in the order sent; the first failure ends the writing.
  let chain = Promise.resolve();
  let failed = false;
  port.on("message", (message: ToWriter) => {
    chain = chain.then(async () => {
      if (failed) return;
      try {
        await handle(message);
      } catch (error) {
        failed = true;
        send({ type: "failed", message: error instanceof Error ? error.message : String(error) });
      }
    });
  });
}

if (parentPort) serve(parentPort);

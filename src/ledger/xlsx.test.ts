import { Writable } from "node:stream";
import ExcelJS from "exceljs";
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import type { LedgerReportRow } from "../domain/ledger.js";
import { messagesFor } from "../i18n/index.js";
import type { LedgerSource } from "../services/ledger.js";
import { excelDate, writeLedger } from "./xlsx.js";

const PAGES = 200;
const PAGE = 500;

let seed = 1;
/** Reproducible characters in the CJK range. */
function noise(length: number): string {
  let text = "";
  for (let i = 0; i < length; i++) {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    text += String.fromCharCode(0x4e00 + (seed % 20_000));
  }
  return text;
}

/** A ledger of reports only, counting how many pages the writer has asked for. */
function source(pulled: { pages: number }, pages = PAGES): LedgerSource {
  const period = {
    kind: "month" as const,
    key: "2026-12",
    start: new Date(0),
    end: new Date(1),
    complete: true,
  };
  return {
    filter: {},
    period,
    async *tasks() {},
    coordinations: async () => [],
    information: async () => [],
    async *reports() {
      for (let p = 0; p < pages; p++) {
        pulled.pages++;
        yield Array.from(
          { length: PAGE },
          (_, i): LedgerReportRow => ({
            id: p * PAGE + i + 1,
            taskId: 1,
            task: { year: 2026, seq: 1, title: "完成老旧小区改造资金拨付", confidentiality: "public" },
            department: "市财政局",
            userId: "U0FIN0001",
            kind: "report",
            via: "thread",
            // Text that compresses poorly, so the zip's own buffers cannot soak up the rows.
            text: `进度${i % 100}%，${noise(40)}`,
            progress: i % 100,
            blocker: false,
            cause: null,
            perfunctory: false,
            starredAt: null,
            createdAt: new Date(Date.UTC(2026, 11, 1, 2, 0, i)),
            editedAt: null,
            retractedAt: null,
            files: [],
          }),
        );
      }
    },
    scores: async () => ({ period, scores: [], departments: [] }),
    taskNumbers: async () => new Map(),
    size: async () => pages * PAGE,
  };
}

describe("the ledger writer", () => {
  it("stops asking for rows while the file it writes to does not take them (bounded memory)", async () => {
    const chunks: Buffer[] = [];
    let release: (() => void) | undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    // A destination that takes nothing until released, as a slow disk or upload would.
    const out = new Writable({
      write(chunk, _encoding, done) {
        chunks.push(chunk as Buffer);
        void held.then(() => done());
      },
    });
    const finished = new Promise<void>((resolve) => out.on("finish", () => resolve()));
    const pulled = { pages: 0 };
    const writing = writeLedger({
      out,
      source: source(pulled),
      m: messagesFor("zh-CN"),
      locale: "zh-CN",
      tz: "Asia/Shanghai",
      revealSecret: false,
      names: async () => new Map(),
    });
    // Wait until the writer stops asking for pages.
    let last = -1;
    while (pulled.pages !== last) {
      last = pulled.pages;
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    // Without waiting for the zip the writer would have asked for every page by now.
    // (It stops after 60–80 pages: what the destination's HIGH_WATER, the writer thread's two
    // pages and its zip's own buffers hold.)
    expect(pulled.pages).toBeLessThan(PAGES / 2);
    release?.();
    const written = await writing;
    await finished;
    expect(written.reports).toBe(PAGES * PAGE);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.concat(chunks) as unknown as ArrayBuffer);
    expect(book.getWorksheet("反馈记录")?.rowCount).toBe(PAGES * PAGE + 1);
  }, 60_000);
});

describe("the ledger writer's thread", () => {
  const write = (out: Writable, from: LedgerSource) =>
    writeLedger({
      out,
      source: from,
      m: messagesFor("zh-CN"),
      locale: "zh-CN",
      tz: "Asia/Shanghai",
      revealSecret: false,
      names: async () => new Map(),
    });

  it("fails with the destination's error when the file cannot be written, and does not hang", async () => {
    let chunks = 0;
    const out = new Writable({
      write(_chunk, _encoding, done) {
        chunks++;
        done(chunks >= 3 ? Object.assign(new Error("no space left on device"), { code: "ENOSPC" }) : null);
      },
    });
    out.on("error", () => undefined);
    await expect(write(out, source({ pages: 0 }))).rejects.toThrow("no space left on device");
  }, 30_000);

  it("fails with the source's error when a page cannot be read, and stops its thread", async () => {
    const out = new Writable({ write: (_chunk, _encoding, done) => done() });
    const pulled = { pages: 0 };
    const failing: LedgerSource = {
      ...source(pulled),
      async *reports() {
        yield* source(pulled, 2).reports();
        throw new Error("database is locked");
      },
    };
    const before = process.getActiveResourcesInfo().filter((r) => r === "MessagePort").length;
    await expect(write(out, failing)).rejects.toThrow("database is locked");
    expect(process.getActiveResourcesInfo().filter((r) => r === "MessagePort").length).toBe(before);
  }, 30_000);

  it("finishes for a destination whose own buffer is larger than what it waits for", async () => {
    // Takes 64 MB before it says it is full, so it never says when it drains below 4 MB; and
    // it writes nothing until the ledger is done, so more than 4 MB waits in it.
    let release: (() => void) | undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const out = new Writable({
      highWaterMark: 64 * 1024 * 1024,
      write(_chunk, _encoding, done) {
        void held.then(() => done());
      },
    });
    const finished = new Promise<void>((resolve) => out.on("finish", () => resolve()));
    const writing = write(out, source({ pages: 0 }, 120));
    const outcome = await Promise.race([
      writing.then((written) => written.reports),
      new Promise<string>((resolve) => setTimeout(() => resolve("still waiting"), 20_000)),
    ]);
    const waiting = out.writableLength;
    release?.();
    expect(outcome).toBe(120 * PAGE);
    await finished;
    expect(waiting).toBeGreaterThan(4 * 1024 * 1024);
  }, 60_000);

  it("writes an empty value as no cell, and every other value as given", async () => {
    const chunks: Buffer[] = [];
    const out = new Writable({
      write(chunk, _encoding, done) {
        chunks.push(chunk as Buffer);
        done();
      },
    });
    const finished = new Promise<void>((resolve) => out.on("finish", () => resolve()));
    const one: LedgerSource = {
      ...source({ pages: 0 }),
      async *reports() {
        for await (const page of source({ pages: 0 }).reports()) {
          yield page
            .slice(0, 2)
            .map((r, i) => ({ ...r, progress: i === 0 ? null : 0, text: i === 0 ? "" : "0" }));
          return;
        }
      },
    };
    expect((await write(out, one)).reports).toBe(2);
    await finished;
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.concat(chunks) as unknown as ArrayBuffer);
    const sheet = book.getWorksheet("反馈记录");
    // Progress (8) and text (9): none and empty make no cell; 0 and "0" are kept.
    expect(sheet?.getRow(2).getCell(8).type).toBe(ExcelJS.ValueType.Null);
    expect(sheet?.getRow(2).getCell(9).type).toBe(ExcelJS.ValueType.Null);
    expect(sheet?.getRow(3).getCell(8).value).toBe(0);
    expect(sheet?.getRow(3).getCell(9).value).toBe("0");
    expect(sheet?.getRow(3).getCell(1).value).toBe("督〔2026〕1号");
  }, 30_000);
});

describe("a date as Excel shows it", () => {
  /** The wall-clock time luxon gives, to the second, as a Date in UTC: what every ledger date is. */
  const expected = (instant: Date, tz: string) => {
    const l = DateTime.fromJSDate(instant, { zone: tz });
    return new Date(Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second));
  };

  it("is the local wall-clock time, also across clock changes within an hour, in any zone", () => {
    const cases: [string, string][] = [
      ["Asia/Shanghai", "2026-12-14T01:00:00Z"],
      // Daylight saving starts and ends; half-hour and quarter-hour zones; Lord Howe moves 30 min.
      ["America/New_York", "2026-03-08T06:00:00Z"],
      ["America/New_York", "2026-11-01T05:00:00Z"],
      ["Asia/Kathmandu", "2026-06-01T00:00:00Z"],
      ["Australia/Lord_Howe", "2026-04-04T14:00:00Z"],
      ["Australia/Lord_Howe", "2026-10-03T15:00:00Z"],
    ];
    for (const [tz, around] of cases) {
      const start = Date.parse(around) - 3 * 3_600_000;
      // Every 7 minutes and 13 seconds (and a stray millisecond) over six hours around the change.
      for (let ms = start; ms < start + 6 * 3_600_000; ms += 433_001) {
        const instant = new Date(ms);
        expect(excelDate(instant, tz), `${tz} ${instant.toISOString()}`).toEqual(expected(instant, tz));
      }
    }
  });
});

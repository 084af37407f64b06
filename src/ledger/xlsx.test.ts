import { Writable } from "node:stream";
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import type { LedgerReportRow } from "../domain/ledger.js";
import { messagesFor } from "../i18n/index.js";
import type { LedgerSource } from "../services/ledger.js";
import { writeLedger } from "./xlsx.js";

const PAGES = 100;
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
function source(pulled: { pages: number }): LedgerSource {
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
    async *reports() {
      for (let p = 0; p < PAGES; p++) {
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
    size: async () => PAGES * PAGE,
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
    // (It stops after about 60 pages: what the zip's own buffers and HIGH_WATER hold.)
    expect(pulled.pages).toBeLessThan(PAGES * 0.75);
    release?.();
    const written = await writing;
    await finished;
    expect(written.reports).toBe(PAGES * PAGE);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.concat(chunks) as unknown as ArrayBuffer);
    expect(book.getWorksheet("反馈记录")?.rowCount).toBe(PAGES * PAGE + 1);
  }, 60_000);
});

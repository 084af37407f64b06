import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createWorkCalendar } from "../src/domain/calendar.js";
import { isAppError } from "../src/domain/errors.js";
import { readHolidayNotice } from "../src/domain/holiday-notice.js";
import { cleanName } from "../src/domain/names.js";
import { readReport } from "../src/domain/report-reading.js";
import { readDeadline } from "../src/domain/splitter/deadlines.js";
import { splitDecision } from "../src/domain/splitter/splitter.js";
import { startOfDay } from "../src/domain/time.js";
import { requireChannel, requireUser, tokenize } from "../src/slack/parse.js";
import { CORPUS_DEPARTMENTS } from "./support/splitter-corpus.js";

/**
 * Every parser over hostile strings: emoji, full-width forms, right-to-left scripts, control and
 * zero-width characters, Slack's own markup, 10,000-character strings. None may throw anything but
 * a refusal (AppError) with words for the person, and none may take more than its input gives.
 */
const PIECES = [
  "<!channel>",
  "<@U0EVIL>",
  "<#C0EVIL|x>",
  "<https://evil.example|看这里>",
  "```",
  "*",
  "\u0000",
  "\u001b",
  "\u200b",
  "\u202e",
  "👨‍👩‍👧",
  "ＡＢＣ１２３",
  "مرحبا",
  "一、",
  "（二）",
  "3.",
  "12月20日前",
  "24小时内",
  "每周",
  "市财政局",
  "牵头",
  "配合",
  "进度50%",
  "100%",
  "困难",
  "；",
  ";",
  "\n",
  " ",
  "元旦：1月1日（周五）放假1天。",
] as const;

const hostile = fc.oneof(
  { weight: 5, arbitrary: fc.array(fc.constantFrom(...PIECES), { maxLength: 30 }).map((a) => a.join("")) },
  { weight: 2, arbitrary: fc.string({ unit: "grapheme", maxLength: 200 }) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 200 }) },
  { weight: 1, arbitrary: fc.constantFrom("甲".repeat(10_000), "一、".repeat(3_000), "<".repeat(10_000)) },
);

const TZ = "Asia/Shanghai";
const calendar = createWorkCalendar();
const ctx = {
  decisionDate: "2026-12-01",
  reference: new Date(startOfDay("2026-12-01", TZ).getTime() + 10 * 3_600_000),
  tz: TZ,
  calendar,
};

/** Runs a parser: it returns, or refuses with an AppError; anything else is a bug. */
function refusesOnlyInWords(parse: () => unknown): void {
  try {
    parse();
  } catch (error) {
    if (!isAppError(error)) throw error;
  }
}

describe("parsers over hostile strings", () => {
  it("the command tokenizer and mention readers", () => {
    fc.assert(
      fc.property(hostile, (text) => {
        const tokens = tokenize(text);
        for (const token of tokens) {
          expect(token.length).toBeGreaterThan(0);
          refusesOnlyInWords(() => requireUser(token));
          refusesOnlyInWords(() => requireChannel(token));
        }
      }),
      { numRuns: 300 },
    );
  });

  it("the splitter: every item's title comes from the text, and is short", () => {
    fc.assert(
      fc.property(hostile, (text) => {
        const { items } = splitDecision(text, CORPUS_DEPARTMENTS, ctx as never);
        for (const item of items) {
          expect(typeof item.title).toBe("string");
          expect(Array.from(item.title).length).toBeLessThanOrEqual(200);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("the deadline reader, the report reader and the holiday notice reader", () => {
    fc.assert(
      fc.property(hostile, (text) => {
        readDeadline(text, ctx as never);
        const report = readReport(text);
        if (report.progress !== null) {
          expect(report.progress).toBeGreaterThanOrEqual(0);
          expect(report.progress).toBeLessThanOrEqual(100);
        }
        refusesOnlyInWords(() => readHolidayNotice(text));
      }),
      { numRuns: 300 },
    );
  });

  it("names: nothing invisible survives, and cleaning twice changes nothing", () => {
    fc.assert(
      fc.property(hostile, (text) => {
        const name = cleanName(text);
        expect(name).not.toMatch(/[\p{Cc}\p{Cf}]/u);
        expect(cleanName(name)).toBe(name);
      }),
      { numRuns: 300 },
    );
  });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CORPUS, CORPUS_DEPARTMENTS, type CorpusCase } from "../../../test/support/splitter-corpus.js";
import { createWorkCalendar } from "../calendar.js";
import { deadlineInstant, startOfDay } from "../time.js";
import { splitDecision } from "./splitter.js";

const TZ = "Asia/Shanghai";
const calendar = createWorkCalendar();
const idOf = (name: string) => {
  const department = CORPUS_DEPARTMENTS.find((d) => d.name === name);
  if (!department) throw new Error(`the corpus has no department ${name}`);
  return department.id;
};

function contextFor(c: Pick<CorpusCase, "decisionDate">) {
  const reference = new Date(startOfDay(c.decisionDate, TZ).getTime() + 10 * 3_600_000);
  return { decisionDate: c.decisionDate, reference, tz: TZ, calendar };
}

describe("the splitter on the corpus", () => {
  it("has at least 20 decision texts of every kind", () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(20);
    expect(new Set(CORPUS.map((c) => c.source))).toEqual(new Set(["meeting", "instruction", "document"]));
  });

  it.each(CORPUS.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const ctx = contextFor(c);
    const result = splitDecision(c.text, CORPUS_DEPARTMENTS, ctx);
    expect(result.preamble + result.items.map((i) => i.text).join("") + result.trailer).toBe(c.text);
    if (c.preamble !== undefined) {
      if (c.preamble === "") expect(result.preamble.trim()).toBe("");
      else expect(result.preamble).toContain(c.preamble);
    }
    if (c.trailer) expect(result.trailer).toContain(c.trailer);
    expect(result.items.map((i) => i.title)).toHaveLength(c.items.length);
    c.items.forEach((expected, n) => {
      const item = result.items[n];
      if (!item) throw new Error(`item ${n + 1} missing`);
      const where = `item ${n + 1} «${item.text.trim()}»`;
      if (expected.title !== undefined) expect(item.title, where).toContain(expected.title);
      if (expected.lead !== undefined) {
        expect(item.leadId, where).toBe(expected.lead === null ? undefined : idOf(expected.lead));
      }
      if (expected.co !== undefined) expect(item.coIds, where).toEqual(expected.co.map(idOf));
      if (expected.due !== undefined) {
        if (expected.due === null) expect(item.deadline, where).toBeUndefined();
        else if (typeof expected.due === "string")
          expect(item.deadline, where).toEqual({ kind: "day", date: expected.due });
        else {
          expect(item.deadline?.kind, where).toBe("instant");
          const at = item.deadline ? deadlineInstant(item.deadline, TZ).getTime() : 0;
          expect(at - ctx.reference.getTime(), where).toBe(expected.due.hours * 3_600_000);
        }
      }
      if (expected.urgent !== undefined) expect(item.urgent, where).toBe(expected.urgent);
      if (expected.unknown !== undefined) expect(item.unknownDepartments, where).toEqual(expected.unknown);
      if (expected.tags !== undefined) expect(item.tags, where).toEqual(expected.tags);
      if (expected.heading !== undefined) expect(item.heading, where).toContain(expected.heading);
      if (expected.cadence !== undefined) {
        const cadence =
          typeof expected.cadence === "string"
            ? { kind: expected.cadence }
            : { kind: "hours", ...expected.cadence };
        expect(item.cadence, where).toEqual(cadence);
      }
      for (const field of expected.guessed ?? []) expect(item.guessed, where).toContain(field);
      for (const field of expected.stated ?? []) expect(item.guessed, where).not.toContain(field);
      expect(item.guessed, where).toContain("title");
    });
  });
});

describe("splitter properties", () => {
  const ctx = contextFor({ decisionDate: "2026-11-25" });
  const pieces = fc.constantFrom(
    "一、",
    "二、",
    "（一）",
    "（二）",
    "1.",
    "2、",
    "3）",
    "①",
    "②",
    "一是",
    "二是",
    "第一，",
    "财政局",
    "住建局",
    "牵头",
    "配合",
    "、",
    "，",
    "。",
    "；",
    "\n",
    "\n\n",
    " ",
    "12月15日前",
    "两周内",
    "10个工作日内",
    "立即",
    "本月底前",
    "明年3月底前",
    "完成",
    "群众",
    "1.5亿元",
    "每周",
    "市城管局",
  );
  const texts = fc.oneof(
    fc.array(pieces, { maxLength: 40 }).map((parts) => parts.join("")),
    fc.string({ maxLength: 200 }),
  );

  it("never throws and never loses a character", () => {
    fc.assert(
      fc.property(texts, (text) => {
        const result = splitDecision(text, CORPUS_DEPARTMENTS, ctx);
        expect(result.preamble + result.items.map((i) => i.text).join("") + result.trailer).toBe(text);
        for (const item of result.items) {
          expect(item.title.length).toBeLessThanOrEqual(200);
          expect(text.slice(item.start, item.end)).toBe(item.text);
        }
      }),
      { numRuns: 2_000 },
    );
  });

  it("keeps items in text order without gaps or overlaps", () => {
    fc.assert(
      fc.property(texts, (text) => {
        const { preamble, items } = splitDecision(text, CORPUS_DEPARTMENTS, ctx);
        let at = preamble.length;
        for (const item of items) {
          expect(item.start).toBe(at);
          at = item.end;
        }
      }),
      { numRuns: 1_000 },
    );
  });
});

describe("a decision of one numbered item", () => {
  it("keeps the number out of the title", () => {
    const ctx = contextFor({ decisionDate: "2026-12-01" });
    for (const text of [
      "一、交通局负责，12月10日前完成重点单位安保排查。",
      "  1. 交通局负责，12月10日前完成重点单位安保排查。",
    ]) {
      const [item, ...more] = splitDecision(text, CORPUS_DEPARTMENTS, ctx).items;
      expect(more).toEqual([]);
      expect(item?.title).toBe("完成重点单位安保排查");
    }
  });
});

describe("a title with ASCII punctuation inside a clause", () => {
  it("is not cut at a ! or ; that does not end a sentence", () => {
    const ctx = contextFor({ decisionDate: "2026-12-01" });
    const [semicolon] = splitDecision(
      "一、交通局负责，12月10日前完成K12+300;K15+800段护栏修复。",
      CORPUS_DEPARTMENTS,
      ctx,
    ).items;
    expect(semicolon?.title).toBe("完成K12+300;K15+800段护栏修复");
    const [bang] = splitDecision(
      "一、交通局负责，12月10日前上线“码上办!”服务专区。",
      CORPUS_DEPARTMENTS,
      ctx,
    ).items;
    expect(bang?.title).toBe("上线“码上办!”服务专区");
  });

  it("still ends a sentence at ! ; ? followed by a space, and at the full-width marks", () => {
    const ctx = contextFor({ decisionDate: "2026-12-01" });
    const [item] = splitDecision(
      "一、交通局负责，12月10日前完成护栏修复; 其余另行安排。",
      CORPUS_DEPARTMENTS,
      ctx,
    ).items;
    expect(item?.title).toBe("完成护栏修复");
  });
});

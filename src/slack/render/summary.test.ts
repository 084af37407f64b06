import { describe, expect, it } from "vitest";
import {
  blockProblems,
  blocksTextLength,
  MESSAGE_BLOCKS_TEXT_MAX,
} from "../../../test/fake-slack/block-kit.js";
import { createWorkCalendar } from "../../domain/calendar.js";
import { DEFAULT_THRESHOLDS } from "../../domain/lights.js";
import { previousPeriod } from "../../domain/period.js";
import { type ScoringTask, scoreDepartments } from "../../domain/scoring.js";
import { composeSummary, type OpenTaskFacts } from "../../domain/summary.js";
import { addDays, startOfDay } from "../../domain/time.js";
import { messagesFor } from "../../i18n/index.js";
import { LIMITS, splitReply } from "./blocks.js";
import type { RenderContext } from "./format.js";
import { summaryReply } from "./summary.js";

const TZ = "Asia/Shanghai";
const textOfParts = (parts: { blocks: unknown[] }[]) => JSON.stringify(parts.map((p) => p.blocks));
const at = (date: string) => new Date(startOfDay(date, TZ).getTime() + 10 * 3_600_000);
const WEEK = previousPeriod("week", at("2026-12-14"), TZ);
const calendar = createWorkCalendar();

/** 200 departments, 20,000 tasks, most red, long titles, blockers and hot tags everywhere. */
function largeOffice(ends: number) {
  const departments = Array.from({ length: 200 }, (_, i) => ({
    id: i + 1,
    name: `第${i + 1}号单位名称很长的某某委员会办公室`,
  }));
  const tasks: ScoringTask[] = [];
  const open: OpenTaskFacts[] = [];
  for (let id = 1; id <= 20_000; id++) {
    const dept = (id % 200) + 1;
    const dueAt = startOfDay(addDays("2026-12-01", id % 30), TZ);
    tasks.push({
      id,
      leadDeptId: dept,
      state: "in_progress",
      urgent: false,
      cadence: { kind: "none" },
      dispatchedAt: at("2026-11-02"),
      dueAt,
      ackAt: at("2026-11-02"),
      claimedAt: null,
      closedAt: null,
      cancelledAt: null,
      given: [],
      perfunctory: [],
      starred: [],
      returns: [],
    });
    open.push({
      id,
      year: 2026,
      seq: id,
      title: `关于${id}号事项：${"落实<某某>重点工作并建立长效机制&".repeat(4)}`,
      confidentiality: id % 7 === 0 ? "secret" : "public",
      leadDeptId: dept,
      dueAt,
      tags: id % 3 === 0 ? ["民生"] : [],
      light: id % 5 === 0 ? "green" : "red",
      reasons: ["overdue", "stalled", "far_behind"],
      blocker: id % 2 === 0 ? { since: at("2026-11-20"), cause: "coordination" } : null,
      url: `https://ducha-demo.slack.com/archives/C0FINANCE/p17957193${String(id).padStart(8, "0")}`,
    });
  }
  const scores = scoreDepartments(
    tasks,
    departments.map((d) => d.id),
    WEEK,
    {
      tz: TZ,
      calendar,
      thresholds: DEFAULT_THRESHOLDS,
      minSample: 2,
    },
  );
  return composeSummary({
    period: WEEK,
    generatedAt: at("2026-12-14"),
    tz: TZ,
    departments,
    tasks,
    scores,
    open,
    starred: departments.flatMap((d) =>
      [1, 2, 3].map((n) => ({
        taskId: d.id + 200 * n,
        text: "经验做法".repeat(200),
        userId: "U0SUPER01",
        starredAt: at("2026-12-09"),
      })),
    ),
    taskInfo: new Map(),
    previous: { key: "2026-W49", data: { totals: { total: 1, closed: 0, overdue: 0 }, ranks: { "1": 200 } } },
    hotTags: ["民生", "安全生产"],
    ends,
    minSample: 2,
  });
}

for (const locale of ["zh-CN", "en"] as const) {
  const ctx: RenderContext = {
    m: messagesFor(locale),
    locale,
    tz: TZ,
    now: at("2026-12-14"),
    calendar,
    thresholds: DEFAULT_THRESHOLDS,
  };

  describe(`the summary of a large office fits Slack's messages (${locale})`, () => {
    for (const ends of [3, 10]) {
      it(`with ${ends} at each end, by composing less, never by cutting what it says`, () => {
        const summary = largeOffice(ends);
        const reply = summaryReply(summary, ctx, {
          ledgerAttached: true,
          preview: { canPost: true },
        });
        // Two hundred departments' bars do not fit one message: it is continued in numbered ones,
        // each within Slack's limits, the undocumented total (msg_blocks_too_long) included.
        const parts = splitReply(reply, ctx.m.continued);
        expect(parts.length).toBeGreaterThan(1);
        for (const part of parts) {
          expect(blockProblems(part.blocks, "message", "/blocks")).toEqual([]);
          expect(part.blocks.length).toBeLessThanOrEqual(LIMITS.messageBlocks);
          expect(blocksTextLength(part.blocks)).toBeLessThanOrEqual(MESSAGE_BLOCKS_TEXT_MAX);
        }
        expect(parts.flatMap((p) => p.blocks).filter((b) => !JSON.stringify(b).includes("接上条"))).toEqual(
          expect.arrayContaining(reply.blocks),
        );
        expect(textOfParts(parts.slice(1, 2))).toContain(ctx.m.continued.next({ part: 2, of: parts.length }));
        for (const block of reply.blocks) {
          const text = (block as { text?: { text: string } }).text?.text ?? "";
          expect(text.length).toBeLessThanOrEqual(LIMITS.sectionText);
          // A section never ends mid-line with an ellipsis: nothing was cut to fit.
          expect(text.endsWith("…")).toBe(false);
        }
        const all = JSON.stringify(reply.blocks);
        // Every department has its bar; what the lists left out is counted and in the ledger.
        expect(summary.bars).toHaveLength(200);
        for (const d of [1, 100, 200]) expect(all).toContain(`第${d}号单位名称很长的某某委员会办公室`);
        expect(summary.overflow).toBe(true);
        expect(all).toContain(
          locale === "en" ? "the rest is in the attached ledger" : "未列出的事项见所附台账",
        );
        expect(summary.worst).toHaveLength(ends);
        // Confidential titles stay out, and what people typed is escaped.
        expect(all).not.toMatch(/关于(7|14|21)号事项/);
        expect(all).not.toContain("<某某>");
      });
    }
  });
}

describe("words a leader reads in a summary", () => {
  const ctx: RenderContext = {
    m: messagesFor("zh-CN"),
    locale: "zh-CN",
    tz: TZ,
    now: at("2026-12-14"),
    calendar,
    thresholds: DEFAULT_THRESHOLDS,
  };
  const summary = largeOffice(3);
  const text = (canPost: boolean) =>
    JSON.stringify(summaryReply(summary, ctx, { ledgerAttached: false, preview: { canPost } }).blocks);

  it("draw scores on bars from 0 to 100, so 94 and 82 look as close as they are", () => {
    const bars = summaryReply(
      {
        ...summary,
        bars: [
          {
            id: 1,
            name: "甲",
            score: 94,
            rank: 1,
            rankChange: null,
            lights: { red: 0, yellow: 0, green: 1 },
          },
          {
            id: 2,
            name: "乙",
            score: 82,
            rank: 2,
            rankChange: null,
            lights: { red: 1, yellow: 0, green: 0 },
          },
        ],
      },
      ctx,
      { ledgerAttached: false },
    ).blocks;
    const lines = JSON.stringify(bars).match(/[█░]+ +\d+ [甲乙]/g) ?? [];
    expect(lines).toEqual(["█████████░   94 甲", "████████░░   82 乙"]);
  });

  it("tell apart the best when credits take them past 100: the scale stretches to the top score", () => {
    const bar = (id: number, name: string, score: number) => ({
      id,
      name,
      score,
      rank: id,
      rankChange: null,
      lights: { red: 0, yellow: 0, green: 1 },
    });
    const blocks = summaryReply(
      { ...summary, bars: [bar(1, "甲", 118), bar(2, "乙", 104), bar(3, "丙", 90)] },
      ctx,
      { ledgerAttached: false },
    ).blocks;
    const lines = JSON.stringify(blocks).match(/[█░]+ +\d+ [甲乙丙]/g) ?? [];
    expect(lines).toEqual(["██████████  118 甲", "█████████░  104 乙", "████████░░   90 丙"]);
  });

  it("tell a leader of no button only supervisors see, and say 反馈内容空泛 rather than 走过场", () => {
    expect(text(false)).not.toContain("按钮");
    expect(text(true)).toContain("按钮");
    expect(ctx.m.summary.ruleName.perfunctory).toBe("反馈内容空泛");
  });
});

import { describe, expect, it } from "vitest";
import { createWorkCalendar } from "./calendar.js";
import { DEFAULT_THRESHOLDS } from "./lights.js";
import { previousPeriod } from "./period.js";
import { type ScoringTask, scoreDepartments } from "./scoring.js";
import {
  composeSummary,
  type OpenTaskFacts,
  SUMMARY_CAPS,
  type SummaryInput,
  snapshotOf,
} from "./summary.js";
import { addDays, startOfDay } from "./time.js";

const TZ = "Asia/Shanghai";
const at = (date: string, time = "10:00") => {
  const [h, m] = time.split(":").map(Number);
  return new Date(startOfDay(date, TZ).getTime() + ((h ?? 0) * 60 + (m ?? 0)) * 60_000);
};
const dueEndOf = (date: string) => startOfDay(addDays(date, 1), TZ);
const WEEK = previousPeriod("week", at("2026-12-14", "09:00"), TZ);
const ctx = { tz: TZ, calendar: createWorkCalendar(), thresholds: DEFAULT_THRESHOLDS, minSample: 2 };

let nextId = 1;
function task(dept: number, over: Partial<ScoringTask> = {}): ScoringTask {
  return {
    id: nextId++,
    leadDeptId: dept,
    state: "in_progress",
    urgent: false,
    cadence: { kind: "none" },
    dispatchedAt: at("2026-11-23"),
    dueAt: dueEndOf("2027-01-31"),
    ackAt: at("2026-11-23", "11:00"),
    claimedAt: null,
    closedAt: null,
    cancelledAt: null,
    given: [],
    perfunctory: [],
    starred: [],
    returns: [],
    ...over,
  };
}

function open(t: ScoringTask, over: Partial<OpenTaskFacts> = {}): OpenTaskFacts {
  return {
    id: t.id,
    year: 2026,
    seq: t.id,
    title: `事项${t.id}`,
    confidentiality: "public",
    leadDeptId: t.leadDeptId,
    dueAt: t.dueAt,
    tags: [],
    light: "green",
    reasons: [],
    blocker: null,
    url: null,
    ...over,
  };
}

const departments = [
  { id: 1, name: "甲局" },
  { id: 2, name: "乙局" },
  { id: 3, name: "丙局" },
  { id: 4, name: "丁局" },
];

function input(
  tasks: ScoringTask[],
  openTasks: OpenTaskFacts[],
  over: Partial<SummaryInput> = {},
): SummaryInput {
  return {
    period: WEEK,
    generatedAt: at("2026-12-14", "09:00"),
    tz: TZ,
    departments,
    tasks,
    scores: scoreDepartments(
      tasks,
      departments.map((d) => d.id),
      WEEK,
      ctx,
    ),
    open: openTasks,
    starred: [],
    taskInfo: new Map(),
    previous: null,
    hotTags: ["民生"],
    ends: 3,
    minSample: 2,
    ...over,
  };
}

describe("composing the summary", () => {
  // 甲 closes one on time (101), 乙 plain (100), 丙 one overdue (95), 丁 a single task (样本不足).
  const a1 = task(1, {
    state: "closed",
    claimedAt: at("2026-12-08"),
    closedAt: at("2026-12-09"),
    dueAt: dueEndOf("2026-12-10"),
  });
  const a2 = task(1);
  const b1 = task(2);
  const b2 = task(2);
  const c1 = task(3, { dueAt: dueEndOf("2026-12-09") });
  const c2 = task(3);
  const d1 = task(4);
  const tasks = [a1, a2, b1, b2, c1, c2, d1];
  const openNow = [
    open(a2, { tags: ["民生"] }),
    open(b1, {
      light: "yellow",
      reasons: ["blocker_open"],
      blocker: { since: at("2026-12-10"), cause: "funding" },
    }),
    open(b2),
    open(c1, { light: "red", reasons: ["overdue"], confidentiality: "secret", title: "机密标题" }),
    open(c2, { light: "red", reasons: ["stalled"], blocker: { since: at("2026-12-02"), cause: "policy" } }),
    open(d1),
  ];

  it("counts the totals at the period's end and the lights now", () => {
    const summary = composeSummary(input(tasks, openNow));
    expect(summary.totals).toEqual({
      total: 7,
      closed: 1,
      closedPct: 14,
      open: 6,
      overdue: 1,
      closedLate: 0,
      red: 2,
      yellow: 1,
    });
  });

  it("names one best and one worst of three ranked, the middle in one line, 丁 样本不足", () => {
    const summary = composeSummary(input(tasks, openNow));
    expect(summary.best.map((d) => [d.name, d.score, d.rank])).toEqual([["甲局", 101, 1]]);
    expect(summary.worst.map((d) => [d.name, d.score, d.rank])).toEqual([["丙局", 95, 3]]);
    expect(summary.middle).toMatchObject({ count: 1, min: 100, max: 100, average: 100 });
    expect(summary.middle.named.map((d) => d.name)).toEqual(["乙局"]);
    expect(summary.insufficient).toEqual(["丁局"]);
    expect(summary.bars.map((b) => [b.name, b.rank])).toEqual([
      ["甲局", 1],
      ["乙局", 2],
      ["丙局", 3],
      ["丁局", null],
    ]);
  });

  it("gives the worst their red items, stalled count, causes and points; confidential titles never appear", () => {
    const [worst] = composeSummary(input(tasks, openNow)).worst;
    expect(worst?.red.map((t) => [t.id, t.title])).toEqual([
      [c1.id, null],
      [c2.id, `事项${c2.id}`],
    ]);
    expect(worst).toMatchObject({
      redCount: 2,
      redMore: 0,
      stalled: 1,
      causes: { policy: 1 },
      points: { overdue: -5 },
    });
    expect(JSON.stringify(composeSummary(input(tasks, openNow)))).not.toContain("机密标题");
  });

  it("lists 难点 oldest first with causes counted, and 热点 by tag", () => {
    const summary = composeSummary(input(tasks, openNow));
    expect(summary.difficulties.items.map((d) => [d.id, d.cause])).toEqual([
      [c2.id, "policy"],
      [b1.id, "funding"],
    ]);
    expect(summary.difficulties.causes).toEqual({ policy: 1, funding: 1 });
    expect(summary.hotspots.items.map((t) => t.id)).toEqual([a2.id]);
    expect(summary.overflow).toBe(false);
  });

  it("quotes starred reports under the best, but not a confidential one's words", () => {
    const starred = [
      { taskId: a1.id, text: "经验：提前对接", userId: "U1", starredAt: at("2026-12-09") },
      { taskId: a2.id, text: "机密做法", userId: "U1", starredAt: at("2026-12-10") },
    ];
    const info = new Map([[a1.id, { ...open(a1), title: "已办结的事项" }]]);
    const openSecret = openNow.map((t) =>
      t.id === a2.id ? { ...t, confidentiality: "secret" as const } : t,
    );
    const [best] = composeSummary(input(tasks, openSecret, { starred, taskInfo: info })).best;
    expect(best?.starred.map((s) => [s.task.title, s.text])).toEqual([
      ["已办结的事项", "经验：提前对接"],
      [null, null],
    ]);
  });

  it("compares ranks and totals with the previous summary", () => {
    const first = composeSummary(input(tasks, openNow));
    const previous = { key: "2026-W49", data: { ...snapshotOf(first), ranks: { "1": 3, "2": 2, "3": 1 } } };
    previous.data.totals = { total: 5, closed: 0, overdue: 2 };
    const summary = composeSummary(input(tasks, openNow, { previous }));
    expect(summary.previousKey).toBe("2026-W49");
    expect(summary.totalsChange).toEqual({ total: 2, closed: 1, overdue: -1 });
    expect(summary.bars.map((b) => b.rankChange)).toEqual([2, 0, -2, null]);
  });

  it("caps each list, counts what it left out and says the ledger holds it", () => {
    const many = Array.from({ length: 12 }, () => task(3, { dueAt: dueEndOf("2026-12-01") }));
    const manyOpen = many.map((t) =>
      open(t, {
        light: "red",
        reasons: ["overdue"],
        tags: ["民生"],
        blocker: { since: at("2026-12-01"), cause: null },
      }),
    );
    const summary = composeSummary(input([...tasks, ...many], [...openNow, ...manyOpen]));
    const worst = summary.worst[0];
    expect(worst?.red).toHaveLength(SUMMARY_CAPS.redPerDepartment);
    expect(worst?.redCount).toBe(14);
    expect(worst?.redMore).toBe(14 - SUMMARY_CAPS.redPerDepartment);
    expect(summary.difficulties.more).toBe(14 - SUMMARY_CAPS.difficulties);
    expect(summary.hotspots.more).toBe(13 - SUMMARY_CAPS.hotspots);
    expect(summary.overflow).toBe(true);
  });

  it("survives a trip through its schema (the outbox and snapshots store it as JSON)", async () => {
    const { ZSummary } = await import("./summary.js");
    const summary = composeSummary(input(tasks, openNow));
    expect(ZSummary.parse(JSON.parse(JSON.stringify(summary)))).toEqual(summary);
  });
});

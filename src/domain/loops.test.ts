import { describe, expect, it } from "vitest";
import { createWorkCalendar } from "./calendar.js";
import { DEFAULT_THRESHOLDS } from "./lights.js";
import { defaultRecheckDays, needsSiteCheck, siteCheckDone } from "./loops.js";
import { previousPeriod } from "./period.js";
import { BASE_SCORE, SCORING_WEIGHTS, type ScoringTask, scoreDepartments } from "./scoring.js";
import { startOfDay } from "./time.js";

const TZ = "Asia/Shanghai";
const ctx = { tz: TZ, calendar: createWorkCalendar(), thresholds: DEFAULT_THRESHOLDS, minSample: 2 };
const at = (date: string) => startOfDay(date, TZ);
const WEEK = previousPeriod("week", at("2026-12-14"), TZ);

let nextId = 1;
function task(dept: number): ScoringTask {
  return {
    id: nextId++,
    leadDeptId: dept,
    state: "in_progress",
    urgent: false,
    cadence: { kind: "none" },
    dispatchedAt: at("2026-11-23"),
    dueAt: at("2027-02-01"),
    ackAt: at("2026-11-23"),
    claimedAt: null,
    closedAt: null,
    cancelledAt: null,
    given: [],
    perfunctory: [],
    starred: [],
    returns: [],
  };
}

describe("回头看反弹, 虚报 and 整改 owed", () => {
  it("cost the department they are marked on, one item per task and rule, beside its tasks' own items", () => {
    const marked = task(1);
    const [unit, other] = scoreDepartments([marked, task(1), task(2), task(2)], [1, 2], WEEK, ctx, [
      { departmentId: 1, taskId: marked.id, rule: "relapsed" },
      { departmentId: 1, taskId: marked.id, rule: "falseClaim" },
      { departmentId: 1, taskId: marked.id, rule: "falseClaim" },
      { departmentId: 2, taskId: 99, rule: "rectificationOwed" },
    ]);
    expect(unit?.items).toEqual([
      { taskId: marked.id, rule: "relapsed", count: 1, points: -5 },
      { taskId: marked.id, rule: "falseClaim", count: 2, points: -20 },
    ]);
    expect(unit?.score).toBe(BASE_SCORE - 25);
    expect(other?.items).toEqual([{ taskId: 99, rule: "rectificationOwed", count: 1, points: -2 }]);
    expect(other?.score).toBe(BASE_SCORE - 2);
    expect([SCORING_WEIGHTS.relapsed, SCORING_WEIGHTS.falseClaim, SCORING_WEIGHTS.rectificationOwed]).toEqual(
      [-5, -10, -2],
    );
  });
});

describe("the 回头看 day offered at 验收", () => {
  const loops = { recheckAfterDays: { "source:instruction": 90, "tag:民生": 30, "tag:安全": 60 } };
  it("is the shortest default that applies, by source or any tag", () => {
    expect(defaultRecheckDays({ source: "instruction", tags: [] }, loops)).toBe(90);
    expect(defaultRecheckDays({ source: "instruction", tags: ["安全", "民生"] }, loops)).toBe(30);
    expect(defaultRecheckDays({ source: "meeting", tags: ["安全"] }, loops)).toBe(60);
  });
  it("is none when nothing applies", () => {
    expect(defaultRecheckDays({ source: "meeting", tags: ["教育"] }, loops)).toBeNull();
  });
});

describe("实地核查 before 验收", () => {
  const loops = { siteCheckTags: ["民生"] };
  const claimed = at("2026-12-08");
  it("is needed for the tags the office names", () => {
    expect(needsSiteCheck(["民生", "教育"], loops)).toBe(true);
    expect(needsSiteCheck(["教育"], loops)).toBe(false);
  });
  it("is done by the last check since the claim, when it found the claim true or partly true", () => {
    const check = (day: string, finding: "true" | "partly" | "false") => ({ recordedAt: at(day), finding });
    expect(siteCheckDone([], claimed)).toBe(false);
    expect(siteCheckDone([check("2026-12-07", "true")], claimed)).toBe(false);
    expect(siteCheckDone([check("2026-12-09", "partly")], claimed)).toBe(true);
    expect(siteCheckDone([check("2026-12-09", "true"), check("2026-12-10", "false")], claimed)).toBe(false);
    expect(siteCheckDone([check("2026-12-09", "false"), check("2026-12-10", "true")], claimed)).toBe(true);
  });
});

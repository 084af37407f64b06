import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createWorkCalendar } from "./calendar.js";
import { DEFAULT_THRESHOLDS } from "./lights.js";
import { currentPeriod, type Period, previousPeriod } from "./period.js";
import {
  BASE_SCORE,
  claimStandingAt,
  compareScores,
  type DepartmentScore,
  inPeriod,
  rankDepartments,
  SCORING_WEIGHTS,
  type ScoringContext,
  type ScoringTask,
  scoreDepartments,
  scoreTask,
} from "./scoring.js";
import { totalsOf } from "./summary.js";
import { addDays, startOfDay } from "./time.js";

const TZ = "Asia/Shanghai";
const ctx: ScoringContext = {
  tz: TZ,
  calendar: createWorkCalendar(),
  thresholds: DEFAULT_THRESHOLDS,
  minSample: 2,
};
/** A local date and time in Beijing. */
const at = (date: string, time = "00:00") => {
  const [h, m] = time.split(":").map(Number);
  return new Date(startOfDay(date, TZ).getTime() + ((h ?? 0) * 60 + (m ?? 0)) * 60_000);
};
/** A day deadline: overdue from the next midnight. */
const dueEndOf = (date: string) => startOfDay(addDays(date, 1), TZ);

/** The week of Monday 7 December 2026, as the Monday-morning summary of the 14th sees it. */
const WEEK: Period = previousPeriod("week", at("2026-12-14", "09:00"), TZ);

let nextId = 1;
/** A task acknowledged on time, no cadence, due next year: it scores nothing unless told otherwise. */
function task(dept: number, over: Partial<ScoringTask> = {}): ScoringTask {
  return {
    id: nextId++,
    leadDeptId: dept,
    state: "in_progress",
    urgent: false,
    cadence: { kind: "none" },
    dispatchedAt: at("2026-11-23", "10:00"),
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
const closed = (claimed: string, closedOn: string, due: string, time = "10:00") => ({
  state: "closed" as const,
  claimedAt: at(claimed, time),
  closedAt: at(closedOn, "16:00"),
  dueAt: dueEndOf(due),
});
const report = (date: string, time = "10:00", more: { perfunctory?: boolean; starredOn?: string } = {}) => ({
  at: at(date, time),
  perfunctory: more.perfunctory ?? false,
  starredAt: more.starredOn ? at(more.starredOn, "15:00") : null,
});

/** A task's reports, as scoring takes them: the substantive ones' times ascending, 走过场 ones, stars. */
const reported = (reports: readonly ReturnType<typeof report>[]) => ({
  given: reports
    .filter((r) => !r.perfunctory)
    .map((r) => r.at.getTime())
    .sort((a, b) => a - b),
  perfunctory: reports.filter((r) => r.perfunctory).map((r) => r.at.getTime()),
  starred: reports.flatMap((r) => (r.starredAt ? [r.starredAt.getTime()] : [])),
});

const rulesOf = (t: ScoringTask, period = WEEK) =>
  scoreTask(t, period, ctx).map((i) => `${i.rule}×${i.count}`);

describe("the period", () => {
  it("is Monday to Monday in Beijing", () => {
    expect(WEEK.key).toBe("2026-W50");
    expect(WEEK.start.toISOString()).toBe("2026-12-06T16:00:00.000Z");
    expect(WEEK.end.toISOString()).toBe("2026-12-13T16:00:00.000Z");
    expect(WEEK.complete).toBe(true);
  });

  it("months and years, and the running period up to now", () => {
    const month = previousPeriod("month", at("2027-01-01", "09:30"), TZ);
    expect([month.key, month.start.toISOString(), month.end.toISOString()]).toEqual([
      "2026-12",
      "2026-11-30T16:00:00.000Z",
      "2026-12-31T16:00:00.000Z",
    ]);
    const now = at("2026-12-09", "14:00");
    const year = currentPeriod("year", now, TZ);
    expect([year.key, year.start.toISOString(), year.end, year.complete]).toEqual([
      "2026",
      "2025-12-31T16:00:00.000Z",
      now,
      false,
    ]);
  });

  it("counts a task dispatched before its end that neither finished before it began nor was cancelled", () => {
    expect(inPeriod(task(1), WEEK)).toBe(true);
    expect(inPeriod(task(1, { dispatchedAt: WEEK.end }), WEEK)).toBe(false);
    expect(inPeriod(task(1, { closedAt: at("2026-12-06", "23:59"), state: "closed" }), WEEK)).toBe(false);
    expect(inPeriod(task(1, { closedAt: WEEK.start, state: "closed" }), WEEK)).toBe(true);
    expect(inPeriod(task(1, { cancelledAt: at("2026-12-10"), state: "cancelled" }), WEEK)).toBe(false);
    // Cancelled after the period: it was open all through it.
    expect(inPeriod(task(1, { cancelledAt: at("2026-12-15"), state: "cancelled" }), WEEK)).toBe(true);
  });
});

describe("scoring at the edges", () => {
  it("a task closed on its due date is on time: +1", () => {
    const t = task(1, { ...closed("2026-12-09", "2026-12-09", "2026-12-09", "23:59") });
    expect(rulesOf(t)).toEqual(["closedOnTime×1"]);
  });

  it("a task claimed a minute after its due date in DUCHA_TZ is late: −5", () => {
    const t = task(1, { ...closed("2026-12-10", "2026-12-10", "2026-12-09", "00:01") });
    expect(t.claimedAt?.toISOString()).toBe("2026-12-09T16:01:00.000Z");
    expect(t.dueAt.toISOString()).toBe("2026-12-09T16:00:00.000Z");
    expect(rulesOf(t)).toEqual(["overdue×1"]);
    const aMinuteEarlier = task(1, { ...t, claimedAt: new Date(t.dueAt.getTime() - 60_000) });
    expect(rulesOf(aMinuteEarlier)).toEqual(["closedOnTime×1"]);
  });

  it("the claim decides, not the verification: claimed before the due date, verified after, on time", () => {
    const t = task(1, { ...closed("2026-12-09", "2026-12-11", "2026-12-09") });
    expect(rulesOf(t)).toEqual(["closedOnTime×1"]);
    // Still awaiting verification at the period's end, claimed in time: nothing owed.
    const waiting = task(1, {
      state: "pending_review",
      claimedAt: at("2026-12-09"),
      dueAt: dueEndOf("2026-12-09"),
    });
    expect(rulesOf(waiting)).toEqual([]);
  });

  it("an extension approved before the due date moves it: no overdue", () => {
    // Originally due 9 December; extended on the 8th to the end of the month.
    const t = task(1, { dueAt: dueEndOf("2026-12-31") });
    expect(rulesOf(t)).toEqual([]);
    const notExtended = task(1, { dueAt: dueEndOf("2026-12-09") });
    expect(rulesOf(notExtended)).toEqual(["overdue×1"]);
  });

  it("a task due at the very end of the period counts as overdue in it, and again in the next while open", () => {
    const t = task(1, { dueAt: dueEndOf("2026-12-13") });
    expect(t.dueAt).toEqual(WEEK.end);
    expect(rulesOf(t)).toEqual(["overdue×1"]);
    const next = previousPeriod("week", at("2026-12-21", "09:00"), TZ);
    expect(rulesOf(t, next)).toEqual(["overdue×1"]);
  });

  it("a late acknowledgement costs one point in the period it is late in, once", () => {
    const lateAck = task(1, { dispatchedAt: at("2026-12-07", "10:00"), ackAt: at("2026-12-08", "10:01") });
    expect(rulesOf(lateAck)).toEqual(["lateAck×1"]);
    const onTheMinute = task(1, {
      dispatchedAt: at("2026-12-07", "10:00"),
      ackAt: at("2026-12-08", "10:00"),
    });
    expect(rulesOf(onTheMinute)).toEqual([]);
    // Friday's task is due for acknowledgement on Monday, not Saturday.
    const friday = task(1, { dispatchedAt: at("2026-12-04", "17:00"), ackAt: at("2026-12-07", "09:00") });
    expect(rulesOf(friday)).toEqual([]);
    const never = task(1, { state: "dispatched", dispatchedAt: at("2026-12-09", "10:00"), ackAt: null });
    expect(rulesOf(never)).toEqual(["lateAck×1"]);
    expect(rulesOf(never, previousPeriod("week", at("2026-12-21"), TZ))).toEqual([]);
  });

  it("cadence reports owed and not given, counted from the last substantive one; 走过场 does not count", () => {
    const weekly = { kind: "weekly" as const };
    const silent = task(1, { cadence: weekly, dispatchedAt: at("2026-11-16", "10:00") });
    // Owed 23 Nov, 30 Nov (before the week) and 7 Dec 10:00 (in it); 14 Dec is after it.
    expect(rulesOf(silent)).toEqual(["reportMissed×1"]);
    const onlyPerfunctory = task(1, {
      cadence: weekly,
      dispatchedAt: at("2026-11-16", "10:00"),
      ...reported([report("2026-12-06", "10:00", { perfunctory: true })]),
    });
    expect(rulesOf(onlyPerfunctory)).toEqual(["reportMissed×1"]);
    const everyWeek = task(1, {
      cadence: weekly,
      dispatchedAt: at("2026-11-16", "10:00"),
      ...reported([report("2026-11-23"), report("2026-11-30"), report("2026-12-07", "09:00")]),
    });
    expect(rulesOf(everyWeek)).toEqual([]);
    // Reported Sunday evening, the next one is owed the Sunday after, still in the week.
    const sunday = task(1, { cadence: weekly, ...reported([report("2026-12-06", "18:00")]) });
    expect(rulesOf(sunday)).toEqual(["reportMissed×1"]);
    // The same, when only the last report before the period is known (the store's aggregate).
    const anchored = task(1, {
      cadence: weekly,
      dispatchedAt: at("2026-11-16", "10:00"),
      lastSubstantiveBefore: at("2026-11-30", "10:00"),
      ...reported([report("2026-12-07", "09:00")]),
    });
    expect(rulesOf(anchored)).toEqual([]);
    expect(rulesOf({ ...anchored, given: [], perfunctory: [], starred: [] })).toEqual(["reportMissed×1"]);
    const daily = task(1, { cadence: { kind: "hours", hours: 24 }, dispatchedAt: at("2026-12-07", "08:00") });
    // Owed every 24 hours from Monday 08:00: Tue…Sun, six times, none given.
    expect(rulesOf(daily)).toEqual(["reportMissed×6"]);
  });

  it("returns, 走过场 reports and starred reports count in the period they happen", () => {
    const t = task(1, {
      returns: [at("2026-12-08"), at("2026-12-01")],
      ...reported([
        report("2026-12-08", "10:00", { perfunctory: true }),
        report("2026-12-09", "10:00", { perfunctory: true }),
        report("2026-12-02", "10:00", { perfunctory: true }),
        report("2026-12-03", "10:00", { starredOn: "2026-12-07" }),
      ]),
    });
    expect(scoreTask(t, WEEK, ctx)).toEqual([
      { taskId: t.id, rule: "returned", count: 1, points: -3 },
      { taskId: t.id, rule: "perfunctory", count: 2, points: -4 },
      { taskId: t.id, rule: "starred", count: 1, points: 1 },
    ]);
  });

  it("a department with one task is 样本不足 and never ranked, however it scores", () => {
    const scores = scoreDepartments(
      [task(1, { ...closed("2026-12-08", "2026-12-08", "2026-12-31") }), task(2), task(2), task(3), task(3)],
      [1, 2, 3],
      WEEK,
      ctx,
    );
    expect(scores[0]).toMatchObject({ departmentId: 1, score: 101, scoredTasks: 1, eligible: false });
    const ranking = rankDepartments(scores);
    expect(ranking.order.map((s) => s.departmentId)).toEqual([2, 3]);
    expect(ranking.insufficient.map((s) => s.departmentId)).toEqual([1]);
    expect([...ranking.best, ...ranking.middle, ...ranking.worst].map((s) => s.departmentId)).not.toContain(
      1,
    );
  });

  it("a department that only co-operates is scored on nothing: 100, 样本不足", () => {
    // Department 9 co-operates on these tasks; scores follow the lead only.
    const led = [task(1, { dueAt: dueEndOf("2026-12-08") }), task(1, { dueAt: dueEndOf("2026-12-08") })];
    const [lead, coOnly] = scoreDepartments(led, [1, 9], WEEK, ctx);
    expect(lead).toMatchObject({ score: 90, overdue: 2, eligible: true });
    expect(coOnly).toMatchObject({
      departmentId: 9,
      score: BASE_SCORE,
      items: [],
      scoredTasks: 0,
      eligible: false,
    });
  });

  it("ties are broken by on-time closures, then fewer overdue, then more tasks, then the earlier department", () => {
    const s = (departmentId: number, over: Partial<DepartmentScore>): DepartmentScore => ({
      departmentId,
      score: 100,
      items: [],
      scoredTasks: 3,
      eligible: true,
      closedOnTime: 0,
      overdue: 0,
      ...over,
    });
    const scores = [
      s(5, {}),
      s(4, { scoredTasks: 4 }),
      s(3, { overdue: 1 }),
      s(2, { closedOnTime: 2 }),
      s(1, {}),
      s(6, { score: 101 }),
    ];
    const expected = [6, 2, 4, 1, 5, 3];
    expect([...scores].sort(compareScores).map((x) => x.departmentId)).toEqual(expected);
    expect(
      [...scores]
        .reverse()
        .sort(compareScores)
        .map((x) => x.departmentId),
    ).toEqual(expected);
  });

  it("with few departments the ends never overlap", () => {
    const s = (departmentId: number, score: number) => ({
      departmentId,
      score,
      items: [],
      scoredTasks: 2,
      eligible: true,
      closedOnTime: 0,
      overdue: 0,
    });
    const one = rankDepartments([s(1, 90)]);
    expect([one.best.length, one.worst.length, one.middle.length]).toEqual([0, 0, 1]);
    const three = rankDepartments([s(1, 90), s(2, 100), s(3, 95)]);
    expect(three.best.map((x) => x.departmentId)).toEqual([2]);
    expect(three.worst.map((x) => x.departmentId)).toEqual([1]);
    expect(three.middle.map((x) => x.departmentId)).toEqual([3]);
  });
});

describe("a hand-computed week: 7 departments, 35 tasks", () => {
  // Department ids: A 1, B 2, C 3, D 4, E 5, F 6, G 7 (G only co-operates: it leads nothing).
  const [A, B, C, D, E, F, G] = [1, 2, 3, 4, 5, 6, 7];
  const weekly = { kind: "weekly" as const };
  const tasks: ScoringTask[] = [
    // A = 100 +1 +1 +1 = 103
    task(A, closed("2026-12-08", "2026-12-09", "2026-12-10")), // on time: +1
    task(A, closed("2026-12-10", "2026-12-11", "2026-12-10")), // claimed on the due date, verified after: +1
    task(A, { ...reported([report("2026-12-08", "10:00", { starredOn: "2026-12-09" })]) }), // starred: +1
    task(A),
    task(A),
    // B = 100 +1 −2 = 99
    task(B, closed("2026-12-07", "2026-12-07", "2026-12-20")), // +1
    task(B, { cadence: weekly, ...reported([report("2026-11-30", "09:00")]) }), // owed 7 Dec 09:00, missed: −2
    task(B),
    task(B),
    task(B),
    // C = 100 −3 −2 −1 = 94
    task(C, { returns: [at("2026-12-09", "15:00")] }), // returned: −3
    task(C, { ...reported([report("2026-12-10", "10:00", { perfunctory: true })]) }), // 走过场: −2
    task(C, { dispatchedAt: at("2026-12-07", "10:00"), ackAt: at("2026-12-09", "09:00") }), // late ack: −1
    task(C),
    task(C),
    // D = 100 −5 −5 −5 −1 −2 −2 = 80
    task(D, { dueAt: dueEndOf("2026-12-04") }), // overdue since last week: −5
    task(D, { dueAt: dueEndOf("2026-12-10") }), // overdue in the week: −5
    task(D, closed("2026-12-09", "2026-12-09", "2026-12-08")), // closed late: −5
    task(D, { state: "dispatched", dispatchedAt: at("2026-12-08", "10:00"), ackAt: null }), // never acked: −1
    task(D, {
      cadence: weekly,
      dispatchedAt: at("2026-11-16", "10:00"),
      ...reported([report("2026-12-10", "10:00", { perfunctory: true })]),
    }), // owed 7 Dec 10:00, missed: −2; 走过场: −2
    // E: one task in the week, overdue: 95, 样本不足
    task(E, { dueAt: dueEndOf("2026-12-09") }), // −5
    task(E, { ...closed("2026-11-30", "2026-12-01", "2026-12-31") }), // finished before the week
    task(E, { state: "cancelled", cancelledAt: at("2026-12-03") }), // cancelled before it
    task(E, { state: "cancelled", cancelledAt: at("2026-12-10") }), // cancelled in it
    task(E, { dispatchedAt: at("2026-12-14", "09:00"), ackAt: null, state: "dispatched" }), // after it
    // F = 100 −5 +1 = 96
    task(F, { dueAt: dueEndOf("2026-12-13") }), // due at the week's end: −5
    task(F, closed("2026-12-11", "2026-12-11", "2026-12-11")), // +1
    task(F, { dueAt: dueEndOf("2026-12-31") }), // extended on 8 Dec from the 9th: nothing
    task(F),
    task(F),
    // G leads nothing; these are others' tasks it co-operates on, led by A.
    task(A, { id: 1001 }),
    task(A, { id: 1002 }),
    task(B, { id: 1003 }),
    task(B, { id: 1004 }),
    task(C, { id: 1005 }),
  ];
  const departments = [A, B, C, D, E, F, G];
  const scores = scoreDepartments(tasks, departments, WEEK, ctx);
  const byDept = new Map(scores.map((s) => [s.departmentId, s]));

  it("has at least 6 departments and 30 tasks", () => {
    expect(tasks.length).toBeGreaterThanOrEqual(30);
    expect(new Set(tasks.map((t) => t.leadDeptId)).size).toBeGreaterThanOrEqual(6);
  });

  it("scores each department as computed by hand", () => {
    expect(Object.fromEntries(scores.map((s) => [s.departmentId, s.score]))).toEqual({
      [A]: 103,
      [B]: 99,
      [C]: 94,
      [D]: 80,
      [E]: 95,
      [F]: 96,
      [G]: 100,
    });
    expect(Object.fromEntries(scores.map((s) => [s.departmentId, s.scoredTasks]))).toEqual({
      [A]: 7,
      [B]: 7,
      [C]: 6,
      [D]: 5,
      [E]: 1,
      [F]: 5,
      [G]: 0,
    });
  });

  it("lists the items behind D's score", () => {
    const d = byDept.get(D);
    expect(d?.items.map((i) => [i.rule, i.count, i.points])).toEqual([
      ["overdue", 1, -5],
      ["overdue", 1, -5],
      ["overdue", 1, -5],
      ["lateAck", 1, -1],
      ["reportMissed", 1, -2],
      ["perfunctory", 1, -2],
    ]);
    expect(d?.overdue).toBe(3);
  });

  it("ranks A and B best, D and C worst, F in the middle, E and G 样本不足", () => {
    const ranking = rankDepartments(scores);
    expect(ranking.best.map((s) => s.departmentId)).toEqual([A, B]);
    expect(ranking.worst.map((s) => s.departmentId)).toEqual([D, C]);
    expect(ranking.middle.map((s) => s.departmentId)).toEqual([F]);
    expect(ranking.insufficient.map((s) => s.departmentId)).toEqual([E, G]);
  });

  it("uses one table of weights", () => {
    const d = byDept.get(D);
    const total = d?.items.reduce((sum, i) => sum + i.count * SCORING_WEIGHTS[i.rule], 0);
    expect(BASE_SCORE + (total ?? 0)).toBe(d?.score);
  });
});

describe("properties", () => {
  const day = fc
    .integer({ min: 0, max: 40 })
    .map((n) => new Date(at("2026-11-20").getTime() + n * 86_400_000));
  const arbitraryTask = fc
    .record({
      dept: fc.integer({ min: 1, max: 6 }),
      dispatched: day,
      due: day,
      state: fc.constantFrom("dispatched", "in_progress", "pending_review", "closed", "cancelled" as const),
      finished: fc.option(day),
      perfunctory: fc.nat({ max: 3 }),
      returns: fc.nat({ max: 2 }),
    })
    .map(({ dept, dispatched, due, state, finished, perfunctory, returns }) =>
      task(dept, {
        dispatchedAt: dispatched,
        dueAt: due,
        state,
        claimedAt: state === "closed" || state === "pending_review" ? (finished ?? dispatched) : null,
        closedAt: state === "closed" ? (finished ?? dispatched) : null,
        cancelledAt: state === "cancelled" ? (finished ?? dispatched) : null,
        perfunctory: Array.from({ length: perfunctory }, () => dispatched.getTime()),
        returns: Array.from({ length: returns }, () => dispatched),
      }),
    );

  it("every score is 100 plus its items; the ends are disjoint, ranked and hold no 样本不足", () => {
    fc.assert(
      fc.property(
        fc.array(arbitraryTask, { maxLength: 40 }),
        fc.integer({ min: 1, max: 5 }),
        (tasks, ends) => {
          const scores = scoreDepartments(tasks, [1, 2, 3, 4, 5, 6], WEEK, ctx);
          for (const s of scores)
            expect(s.score).toBe(BASE_SCORE + s.items.reduce((sum, i) => sum + i.points, 0));
          const ranking = rankDepartments(scores, ends);
          const best = new Set(ranking.best.map((s) => s.departmentId));
          for (const s of ranking.worst) expect(best.has(s.departmentId)).toBe(false);
          for (const s of [...ranking.best, ...ranking.worst]) expect(s.eligible).toBe(true);
          expect(ranking.best.length).toBe(ranking.worst.length);
          expect(ranking.best.length + ranking.middle.length + ranking.worst.length).toBe(
            ranking.order.length,
          );
          const worstOfBest = ranking.best.at(-1);
          const bestOfWorst = ranking.worst.at(-1);
          if (worstOfBest && bestOfWorst) expect(worstOfBest.score).toBeGreaterThanOrEqual(bestOfWorst.score);
        },
      ),
    );
  });

  it("the order does not depend on the order the departments come in", () => {
    fc.assert(
      fc.property(fc.array(arbitraryTask, { maxLength: 40 }), (tasks) => {
        const scores = scoreDepartments(tasks, [1, 2, 3, 4, 5, 6], WEEK, ctx);
        const forward = rankDepartments(scores).order.map((s) => s.departmentId);
        const backward = rankDepartments([...scores].reverse()).order.map((s) => s.departmentId);
        expect(backward).toEqual(forward);
      }),
    );
  });
});

describe("one rule of 超期 for the score and the summary's totals", () => {
  const totalsOverdue = (t: ScoringTask) => totalsOf([t], WEEK, []).overdue;
  const docked = (t: ScoringTask) => scoreTask(t, WEEK, ctx).some((i) => i.rule === "overdue");

  it("a task claimed on time and cancelled after the period is overdue in neither", () => {
    const t = task(1, {
      state: "cancelled",
      dueAt: dueEndOf("2026-12-09"),
      claimedAt: at("2026-12-08", "10:00"),
      cancelledAt: at("2026-12-16", "10:00"),
    });
    expect(docked(t)).toBe(false);
    expect(totalsOverdue(t)).toBe(0);
  });

  it("a claim returned after the period still stood at its end: overdue in neither", () => {
    const t = task(1, {
      state: "in_progress",
      dueAt: dueEndOf("2026-12-09"),
      claimedAt: null,
      claims: [at("2026-12-08", "10:00")],
      returns: [at("2026-12-15", "10:00")],
    });
    expect(claimStandingAt(t, WEEK.end)).toEqual(at("2026-12-08", "10:00"));
    expect(docked(t)).toBe(false);
    expect(totalsOverdue(t)).toBe(0);
  });

  it("a claim returned within the period no longer stands: overdue in both", () => {
    const t = task(1, {
      dueAt: dueEndOf("2026-12-09"),
      claims: [at("2026-12-08", "10:00")],
      returns: [at("2026-12-10", "10:00")],
    });
    expect(docked(t)).toBe(true);
    expect(totalsOverdue(t)).toBe(1);
  });

  it("agree on any task: the score docks 超期 for an open task exactly when the totals count it", () => {
    fc.assert(
      fc.property(
        fc.record({
          state: fc.constantFrom(
            "dispatched",
            "in_progress",
            "pending_review",
            "closed",
            "cancelled" as const,
          ),
          due: fc.integer({ min: -10, max: 10 }),
          claim: fc.option(fc.integer({ min: -12, max: 12 })),
          returned: fc.option(fc.integer({ min: -12, max: 12 })),
          ended: fc.integer({ min: -3, max: 12 }),
        }),
        ({ state, due, claim, returned, ended }) => {
          const day = (n: number) => new Date(WEEK.start.getTime() + n * 86_400_000);
          const t = task(1, {
            state: state as ScoringTask["state"],
            dueAt: day(due),
            claims: claim === null ? [] : [day(claim)],
            claimedAt:
              claim === null || state === "dispatched" || state === "in_progress" ? null : day(claim),
            returns: returned === null ? [] : [day(returned)],
            closedAt: state === "closed" ? day(Math.max(ended, claim ?? ended)) : null,
            cancelledAt: state === "cancelled" ? day(ended) : null,
          });
          if (!inPeriod(t, WEEK)) return;
          const closedIn = t.state === "closed" && t.closedAt !== null && t.closedAt >= WEEK.start;
          if (!closedIn && t.closedAt === null) expect(docked(t)).toBe(totalsOverdue(t) === 1);
        },
      ),
    );
  });
});

describe("协调不力 and waiting on another department", () => {
  it("docks the requested department −2 per lapsed request, and not the lead whose task waited", () => {
    const waiting = task(1, {
      dueAt: dueEndOf("2026-12-10"),
      // Asked 住建局 (2), who let the reply-by time pass on the 9th and has not answered.
      waitedOn: [{ from: at("2026-12-09"), until: null }],
    });
    const overdue = task(1, { dueAt: dueEndOf("2026-12-10") });
    const answeredInTime = task(1, {
      dueAt: dueEndOf("2026-12-10"),
      waitedOn: [{ from: at("2026-12-09"), until: at("2026-12-10", "15:00") }],
    });
    const [lead, requested] = scoreDepartments(
      [waiting, overdue, answeredInTime, task(2), task(2)],
      [1, 2],
      WEEK,
      ctx,
      [
        { departmentId: 2, taskId: waiting.id, rule: "coordinationLapsed" },
        { departmentId: 2, taskId: waiting.id, rule: "coordinationLapsed" },
        { departmentId: 2, taskId: answeredInTime.id, rule: "coordinationLapsed" },
      ],
    );
    // The waiting task is not counted overdue; the others are (one answered before the end).
    expect(lead?.items.filter((i) => i.rule === "overdue").map((i) => i.taskId)).toEqual([
      overdue.id,
      answeredInTime.id,
    ]);
    expect(lead?.score).toBe(BASE_SCORE + 2 * SCORING_WEIGHTS.overdue);
    expect(requested?.items).toEqual([
      { taskId: waiting.id, rule: "coordinationLapsed", count: 2, points: -4 },
      { taskId: answeredInTime.id, rule: "coordinationLapsed", count: 1, points: -2 },
    ]);
    expect(requested?.score).toBe(BASE_SCORE - 6);
    expect(requested?.scoredTasks).toBe(2);
  });
});

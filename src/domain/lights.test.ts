import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createWorkCalendar } from "./calendar.js";
import {
  computeLight,
  DEFAULT_THRESHOLDS,
  HOLDS_UNTIL_CHANGED,
  type LightFacts,
  lightHoldsUntil,
} from "./lights.js";
import { addDays, startOfDay } from "./time.js";

const TZ = "Asia/Shanghai";
const calendar = createWorkCalendar();
const ctx = (now: Date) => ({ now, tz: TZ, calendar, thresholds: DEFAULT_THRESHOLDS });
/** A local date and time in Beijing. */
const at = (date: string, time = "00:00") => {
  const [h, m] = time.split(":").map(Number);
  return new Date(startOfDay(date, TZ).getTime() + ((h ?? 0) * 60 + (m ?? 0)) * 60_000);
};
/** The first overdue instant of a day deadline. */
const dueEndOf = (date: string) => startOfDay(addDays(date, 1), TZ);

function task(over: Partial<LightFacts>): LightFacts {
  return {
    state: "in_progress",
    urgent: false,
    cadence: { kind: "none" },
    dispatchedAt: at("2026-12-01", "10:00"),
    dueAt: dueEndOf("2027-03-31"),
    ackAt: at("2026-12-01", "11:00"),
    claimedAt: null,
    closedAt: null,
    lastSubstantiveAt: null,
    progress: null,
    blockerSince: null,
    ...over,
  };
}
const light = (facts: LightFacts, now: Date) => computeLight(facts, ctx(now));

describe("due within 3 working days (yellow) and past due (red)", () => {
  // Fresh reports keep the stall rule out of these cases.
  const due = (date: string, now: Date) =>
    task({ dueAt: dueEndOf(date), lastSubstantiveAt: new Date(now.getTime() - 3_600_000) });

  it("an ordinary week: last green Monday, first yellow Tuesday, first red the Saturday after", () => {
    const t = (now: Date) => light(due("2026-12-18", now), now);
    expect(t(at("2026-12-14", "18:00"))).toEqual({ light: "green", reasons: [] });
    expect(t(at("2026-12-15", "00:00"))).toEqual({ light: "yellow", reasons: ["due_soon"] });
    expect(t(at("2026-12-18", "23:59"))).toEqual({ light: "yellow", reasons: ["due_soon"] });
    expect(t(at("2026-12-19", "00:00"))).toEqual({ light: "red", reasons: ["overdue"] });
  });

  it("across the National Day holiday: the seven days off do not count", () => {
    const t = (now: Date) => light(due("2026-10-09", now), now);
    expect(t(at("2026-09-28", "12:00")).light).toBe("green"); // 9-29, 9-30, 10-8, 10-9: four working days
    expect(t(at("2026-09-29", "00:00")).light).toBe("yellow");
    expect(t(at("2026-10-05", "12:00")).light).toBe("yellow");
    expect(t(at("2026-10-10", "00:00")).light).toBe("red");
  });

  it("a make-up Saturday counts as a working day", () => {
    const t = (now: Date) => light(due("2026-10-13", now), now);
    // From 10-8: 10-9, 10-10 (make-up Saturday), 10-12, 10-13.
    expect(t(at("2026-10-08", "12:00")).light).toBe("green");
    expect(t(at("2026-10-09", "00:00")).light).toBe("yellow");
  });
});

describe("not acknowledged 1 working day after dispatch (yellow)", () => {
  it("turns yellow at the same time on the next working day", () => {
    const facts = task({ state: "dispatched", ackAt: null, dispatchedAt: at("2026-12-14", "10:00") });
    expect(light(facts, at("2026-12-15", "09:59"))).toEqual({ light: "green", reasons: [] });
    expect(light(facts, at("2026-12-15", "10:00"))).toEqual({ light: "yellow", reasons: ["ack_late"] });
  });

  it("waits over a weekend and a holiday", () => {
    const friday = task({ state: "dispatched", ackAt: null, dispatchedAt: at("2026-12-18", "16:00") });
    expect(light(friday, at("2026-12-21", "15:59")).light).toBe("green");
    expect(light(friday, at("2026-12-21", "16:00")).reasons).toContain("ack_late");
    const beforeHoliday = task({ state: "dispatched", ackAt: null, dispatchedAt: at("2026-09-30", "10:00") });
    expect(light(beforeHoliday, at("2026-10-07", "12:00")).light).toBe("green");
    expect(light(beforeHoliday, at("2026-10-08", "10:00")).reasons).toContain("ack_late");
  });
});

describe("stalled: no substantive report (red)", () => {
  it("without a cadence: red 7 working days after the last substantive report", () => {
    const facts = task({ lastSubstantiveAt: at("2026-12-07", "10:00") });
    expect(light(facts, at("2026-12-16", "09:59")).light).toBe("green");
    expect(light(facts, at("2026-12-16", "10:00"))).toEqual({ light: "red", reasons: ["stalled"] });
  });

  it("counts from dispatch when there is no report, and skips the National Day holiday", () => {
    const facts = task({ dispatchedAt: at("2026-09-28", "10:00") });
    // 9-29, 9-30, 10-8, 10-9, 10-10 (make-up), 10-12, 10-13: the seventh working day.
    expect(light(facts, at("2026-10-13", "09:59")).light).toBe("green");
    expect(light(facts, at("2026-10-13", "10:00")).reasons).toContain("stalled");
  });

  it("weekly cadence: yellow when a week passes without a report, red after two", () => {
    const facts = task({ cadence: { kind: "weekly" }, lastSubstantiveAt: at("2026-12-07", "10:00") });
    expect(light(facts, at("2026-12-14", "09:59")).light).toBe("green");
    expect(light(facts, at("2026-12-14", "10:00"))).toEqual({ light: "yellow", reasons: ["report_owed"] });
    expect(light(facts, at("2026-12-21", "10:00"))).toEqual({ light: "red", reasons: ["stalled"] });
  });

  it("monthly cadence counts calendar months", () => {
    const facts = task({ cadence: { kind: "monthly" }, lastSubstantiveAt: at("2026-12-10", "09:00") });
    expect(light(facts, at("2027-01-10", "08:59")).light).toBe("green");
    expect(light(facts, at("2027-01-10", "09:00")).reasons).toEqual(["report_owed"]);
  });
});

describe("blockers", () => {
  it("an open blocker is yellow, and red once open more than 5 working days", () => {
    const facts = task({
      blockerSince: at("2026-12-07", "10:00"),
      lastSubstantiveAt: at("2026-12-11", "10:00"),
    });
    expect(light(facts, at("2026-12-07", "10:00"))).toEqual({ light: "yellow", reasons: ["blocker_open"] });
    expect(light(facts, at("2026-12-14", "10:00"))).toEqual({ light: "yellow", reasons: ["blocker_open"] });
    expect(light(facts, at("2026-12-14", "10:01"))).toEqual({ light: "red", reasons: ["blocker_long"] });
  });
});

describe("progress behind the time elapsed", () => {
  // Dispatched at the start of 12-1, due at the end of 12-10: 80% of the time has passed at 12-9 00:00.
  const facts = (progress: number) =>
    task({
      dispatchedAt: at("2026-12-01"),
      dueAt: dueEndOf("2026-12-10"),
      progress,
      lastSubstantiveAt: at("2026-12-08"),
    });
  const now = at("2026-12-09");

  it("more than 30 points behind is red, 10 to 30 yellow, less green", () => {
    expect(light(facts(49), now).reasons).toContain("far_behind");
    expect(light(facts(50), now).reasons).toContain("behind");
    expect(light(facts(50), now).reasons).not.toContain("far_behind");
    expect(light(facts(70), now).reasons).toContain("behind");
    expect(light(facts(71), now).reasons).not.toContain("behind");
  });
});

describe("urgent tasks count in hours", () => {
  const urgent = task({
    urgent: true,
    state: "dispatched",
    ackAt: null,
    dispatchedAt: at("2026-12-05", "08:00"), // a Saturday: hours do not care
    dueAt: at("2026-12-06", "08:00"),
  });

  it("is late to acknowledge after an hour, stalls after 8 hours, is due soon in the last 4 and red after", () => {
    expect(light(urgent, at("2026-12-05", "08:59")).light).toBe("green");
    expect(light(urgent, at("2026-12-05", "09:00")).reasons).toEqual(["ack_late"]);
    expect(light(urgent, at("2026-12-05", "16:00")).reasons).toEqual(["stalled", "ack_late"]);
    const acked = { ...urgent, state: "in_progress" as const, ackAt: at("2026-12-05", "08:30") };
    const fresh = { ...acked, lastSubstantiveAt: at("2026-12-06", "03:00") };
    expect(light(fresh, at("2026-12-06", "03:59")).light).toBe("green");
    expect(light(fresh, at("2026-12-06", "04:00")).reasons).toEqual(["due_soon"]);
    expect(light(fresh, at("2026-12-06", "08:00")).reasons).toContain("overdue");
  });
});

describe("tasks awaiting verification and closed tasks", () => {
  const due = dueEndOf("2026-12-10");

  it("a claim before the due date stays green while the office holds it; a late claim is red", () => {
    const onTime = task({ state: "pending_review", dueAt: due, claimedAt: at("2026-12-10", "17:00") });
    expect(light(onTime, at("2026-12-20"))).toEqual({ light: "green", reasons: [] });
    const late = task({ state: "pending_review", dueAt: due, claimedAt: at("2026-12-11", "00:01") });
    expect(light(late, at("2026-12-12"))).toEqual({ light: "red", reasons: ["overdue"] });
  });

  it("closed is on time by its claim, late by a minute after the due date, whatever the verification date", () => {
    const closed = (claimedAt: Date) =>
      task({ state: "closed", dueAt: due, claimedAt, closedAt: at("2026-12-15") });
    expect(light(closed(at("2026-12-10", "23:59")), at("2026-12-20")).light).toBe("on_time");
    expect(light(closed(at("2026-12-11", "00:00")), at("2026-12-20")).light).toBe("late");
    expect(light(task({ state: "cancelled" }), at("2026-12-20")).light).toBe("cancelled");
  });
});

describe("how long a light holds by time alone", () => {
  const HOUR = 3_600_000;
  const start = at("2026-09-20").getTime();
  const instant = fc.integer({ min: 0, max: 150 * 24 }).map((h) => new Date(start + h * HOUR));
  const facts = fc
    .record({
      state: fc.constantFrom("dispatched", "in_progress", "pending_review", "closed", "cancelled" as const),
      urgent: fc.boolean(),
      cadence: fc.oneof(
        fc.constant({ kind: "none" as const }),
        fc.constant({ kind: "weekly" as const }),
        fc.constant({ kind: "monthly" as const }),
        fc.integer({ min: 1, max: 72 }).map((hours) => ({ kind: "hours" as const, hours })),
      ),
      dispatched: instant,
      spanHours: fc.integer({ min: 1, max: 60 * 24 }),
      acked: fc.option(fc.integer({ min: 0, max: 72 })),
      reportedAfter: fc.option(fc.integer({ min: 0, max: 40 * 24 })),
      progress: fc.option(fc.integer({ min: 0, max: 100 })),
      blockerAfter: fc.option(fc.integer({ min: 0, max: 40 * 24 })),
      nowAfter: fc.integer({ min: 0, max: 90 * 24 * 60 }),
    })
    .map((r) => {
      const d = r.dispatched.getTime();
      const f: LightFacts = {
        state: r.state as LightFacts["state"],
        urgent: r.urgent,
        cadence: r.cadence,
        dispatchedAt: r.dispatched,
        dueAt: new Date(d + r.spanHours * HOUR),
        ackAt: r.acked === null ? null : new Date(d + r.acked * HOUR),
        claimedAt: r.state === "pending_review" || r.state === "closed" ? new Date(d + HOUR) : null,
        closedAt: r.state === "closed" ? new Date(d + 2 * HOUR) : null,
        lastSubstantiveAt: r.reportedAfter === null ? null : new Date(d + r.reportedAfter * HOUR),
        progress: r.progress,
        blockerSince: r.blockerAfter === null ? null : new Date(d + r.blockerAfter * HOUR),
      };
      return { facts: f, now: new Date(d + r.nowAfter * 60_000 + 17_123) };
    });

  it("gives the same light and reasons at every instant before it, across weekends and holidays", () => {
    fc.assert(
      fc.property(
        facts,
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 8 }),
        (c, shares) => {
          const until = lightHoldsUntil(c.facts, ctx(c.now));
          expect(until.getTime()).toBeGreaterThan(c.now.getTime());
          const there = light(c.facts, c.now);
          const horizon = Math.min(until.getTime(), c.now.getTime() + 400 * 24 * HOUR);
          const probes = [
            horizon - 1,
            ...shares.map((x) =>
              Math.min(horizon - 1, c.now.getTime() + Math.floor(x * (horizon - c.now.getTime()))),
            ),
          ];
          for (const probe of probes) expect(light(c.facts, new Date(probe))).toEqual(there);
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it("ends where the light does change: the due date, the next midnight, the stall clock", () => {
    const now = at("2026-12-14", "10:00");
    // Due tomorrow: the light changes at the next midnight (due within fewer working days) at the latest.
    expect(
      lightHoldsUntil(task({ dueAt: dueEndOf("2026-12-14"), lastSubstantiveAt: now }), ctx(now)),
    ).toEqual(dueEndOf("2026-12-14"));
    const urgent = task({
      urgent: true,
      dueAt: new Date(now.getTime() + 5 * 3_600_000),
      lastSubstantiveAt: now,
    });
    expect(lightHoldsUntil(urgent, ctx(now))).toEqual(new Date(now.getTime() + 3_600_000));
    expect(lightHoldsUntil(task({ state: "pending_review", claimedAt: now }), ctx(now))).toBe(
      HOLDS_UNTIL_CHANGED,
    );
  });
});

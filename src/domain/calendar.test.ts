import { describe, expect, it } from "vitest";
import { addWorkdays, createWorkCalendar, LAST_KNOWN_YEAR, workdaysBetween } from "./calendar.js";

const calendar = createWorkCalendar();

describe("the working-day calendar", () => {
  it("knows the statutory holidays and make-up workdays of 2026", () => {
    expect(LAST_KNOWN_YEAR).toBeGreaterThanOrEqual(2026);
    expect(calendar.isWorkday("2026-10-01")).toBe(false); // 国庆
    expect(calendar.isWorkday("2026-10-07")).toBe(false);
    expect(calendar.isWorkday("2026-10-10")).toBe(true); // a Saturday, made a workday
    expect(calendar.isWorkday("2026-11-28")).toBe(false); // an ordinary Saturday
    expect(calendar.isWorkday("2026-11-30")).toBe(true); // Monday
  });

  it("falls back to weekends and fixed-date holidays for years it does not know", () => {
    expect(calendar.isWorkday(`${LAST_KNOWN_YEAR + 1}-01-01`)).toBe(false);
    expect(calendar.isWorkday(`${LAST_KNOWN_YEAR + 1}-10-02`)).toBe(false);
    expect(calendar.isWorkday("2099-05-01")).toBe(false);
    expect(calendar.isWorkday("2099-05-04")).toBe(true); // a Monday
    expect(calendar.isWorkday("2099-05-03")).toBe(false); // a Sunday
  });

  it("lets an admin's overrides win", () => {
    const custom = createWorkCalendar(
      new Map([
        ["2027-02-06", "holiday" as const],
        ["2027-02-13", "workday" as const],
      ]),
    );
    expect(custom.isWorkday("2027-02-06")).toBe(false);
    expect(custom.isWorkday("2027-02-13")).toBe(true);
  });

  it("counts working days across the National Day holiday and its make-up Saturday", () => {
    // 9-30 (Wed) → 10 working days later: 10-9 (Fri) is the 2nd, 10-10 (Sat, make-up) the 3rd.
    expect(addWorkdays(calendar, "2026-09-30", 1)).toBe("2026-10-08");
    expect(addWorkdays(calendar, "2026-09-30", 3)).toBe("2026-10-10");
    expect(addWorkdays(calendar, "2026-09-30", 4)).toBe("2026-10-12");
    expect(workdaysBetween(calendar, "2026-09-30", "2026-10-12")).toBe(4);
    expect(workdaysBetween(calendar, "2026-10-12", "2026-09-30")).toBe(0);
  });
});

describe("counting working days", () => {
  it("counts as walking the days does, in any order of questions", async () => {
    const { default: fc } = await import("fast-check");
    const { addDays } = await import("./time.js");
    const overrides = new Map([["2027-02-06", "workday" as const]]);
    // A fresh calendar, asked only through isWorkday: the walk.
    const walk = (from: string, to: string) => {
      const fresh = createWorkCalendar(overrides);
      return workdaysBetween({ isWorkday: (d) => fresh.isWorkday(d) }, from, to);
    };
    const calendar = createWorkCalendar(overrides);
    const day = fc.integer({ min: 0, max: 2_000 }).map((n) => addDays("2024-01-01", n));
    fc.assert(
      fc.property(day, day, (from, to) => {
        expect(workdaysBetween(calendar, from, to)).toBe(walk(from, to));
      }),
      { numRuns: 500 },
    );
  });

  it("finds the n-th working day after a day as walking the days does, asked again or not", async () => {
    const { default: fc } = await import("fast-check");
    const { addDays } = await import("./time.js");
    const overrides = new Map([["2027-02-06", "workday" as const]]);
    const walk = (from: string, n: number) => {
      const fresh = createWorkCalendar(overrides);
      return addWorkdays({ isWorkday: (d) => fresh.isWorkday(d) }, from, n);
    };
    const calendar = createWorkCalendar(overrides);
    // Few days, so that most questions are asked again of what the calendar remembers.
    const day = fc.integer({ min: 0, max: 60 }).map((n) => addDays("2026-09-20", n));
    fc.assert(
      fc.property(day, fc.integer({ min: 1, max: 12 }), (from, n) => {
        expect(addWorkdays(calendar, from, n)).toBe(walk(from, n));
      }),
      { numRuns: 500 },
    );
  });
});

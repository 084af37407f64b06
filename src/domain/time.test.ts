import fc from "fast-check";
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { addDays, daysBetween, isDayDeadline, localDateOf, startOfDay, weekday } from "./time.js";

// The memoised answers must equal luxon's own, across offset changes and odd offsets.
const ZONES = [
  "Asia/Shanghai",
  "America/New_York",
  "Europe/London",
  "Australia/Lord_Howe",
  "Asia/Kathmandu",
  "UTC",
];
const instant = fc
  .integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2040, 0, 1) })
  .map((ms) => new Date(ms));
const zone = fc.constantFrom(...ZONES);

describe("local dates, memoised", () => {
  it("an instant's day in a zone is luxon's", () => {
    fc.assert(
      fc.property(instant, zone, (at, tz) => {
        expect(localDateOf(at, tz)).toBe(DateTime.fromJSDate(at, { zone: tz }).toISODate());
      }),
      { numRuns: 2_000 },
    );
  });

  it("around every DST change of 2026 in New York and Lord Howe, minute by minute", () => {
    for (const [tz, day] of [
      ["America/New_York", "2026-03-08"],
      ["America/New_York", "2026-11-01"],
      ["Australia/Lord_Howe", "2026-04-05"],
      ["Australia/Lord_Howe", "2026-10-04"],
    ] as const) {
      const from = startOfDay(day, tz).getTime();
      for (let ms = from; ms < from + 6 * 3_600_000; ms += 60_000) {
        const at = new Date(ms);
        expect(localDateOf(at, tz)).toBe(DateTime.fromJSDate(at, { zone: tz }).toISODate());
      }
    }
  });

  it("a day's midnight, day arithmetic and weekdays are luxon's", () => {
    fc.assert(
      fc.property(instant, zone, fc.integer({ min: -400, max: 400 }), (at, tz, n) => {
        const day = DateTime.fromJSDate(at, { zone: "UTC" }).toISODate() ?? "";
        expect(startOfDay(day, tz).getTime()).toBe(
          DateTime.fromISO(day, { zone: tz }).startOf("day").toMillis(),
        );
        const later = DateTime.fromISO(day, { zone: "UTC" }).plus({ days: n });
        expect(addDays(day, n)).toBe(later.toISODate());
        expect(daysBetween(day, addDays(day, n))).toBe(n);
        expect(weekday(day)).toBe(DateTime.fromISO(day, { zone: "UTC" }).weekday);
        expect(isDayDeadline(startOfDay(day, tz), tz)).toBe(true);
        expect(isDayDeadline(new Date(startOfDay(day, tz).getTime() + 60_000), tz)).toBe(false);
      }),
      { numRuns: 2_000 },
    );
  });
});

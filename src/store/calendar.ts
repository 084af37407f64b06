import type { DayOverride } from "../domain/calendar.js";
import type { LocalDate } from "../domain/time.js";
import type { Tx } from "./database.js";
import { forgetLights } from "./tasks.js";

/** Holidays and make-up workdays an admin added beyond the built-in calendar. */
export class CalendarRepository {
  constructor(private readonly db: Tx) {}

  async overrides(): Promise<Map<LocalDate, DayOverride>> {
    const rows = await this.db.calendarDay.findMany();
    return new Map(
      rows.flatMap((row) =>
        row.kind === "holiday" || row.kind === "workday"
          ? [[row.date, row.kind as DayOverride] as const]
          : [],
      ),
    );
  }

  async set(date: LocalDate, kind: DayOverride, note: string, by: string): Promise<void> {
    await this.db.calendarDay.upsert({
      where: { date },
      create: { date, kind, note, updatedBy: by },
      update: { kind, note, updatedBy: by },
    });
    await forgetLights(this.db);
  }

  /** Forgets the days an earlier import of a year's notice set (their note starts with `prefix`). */
  async removeNoted(prefix: string): Promise<number> {
    const { count } = await this.db.calendarDay.deleteMany({ where: { note: { startsWith: prefix } } });
    if (count > 0) await forgetLights(this.db);
    return count;
  }

  async remove(date: LocalDate): Promise<boolean> {
    const { count } = await this.db.calendarDay.deleteMany({ where: { date } });
    if (count > 0) await forgetLights(this.db);
    return count > 0;
  }
}

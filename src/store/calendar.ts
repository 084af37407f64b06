import type { DayOverride } from "../domain/calendar.js";
import type { LocalDate } from "../domain/time.js";
import type { Tx } from "./database.js";
import { forgetLights } from "./task-lights.js";

/** Holidays and make-up workdays an admin added beyond the built-in calendar. */
export class CalendarRepository {
  constructor(private readonly db: Tx) {}

  /** Read once a transaction (this repository lives for one): several parts of an interaction ask. */
  private read: Promise<Map<LocalDate, DayOverride>> | undefined;

  async overrides(): Promise<Map<LocalDate, DayOverride>> {
    this.read ??= this.readOverrides();
    try {
      return new Map(await this.read);
    } catch (error) {
      this.read = undefined;
      throw error;
    }
  }

  private async readOverrides(): Promise<Map<LocalDate, DayOverride>> {
    // Raw: read with the settings on every interaction that works out a light.
    const rows = await this.db.$queryRaw<
      { date: string; kind: string }[]
    >`SELECT "date", "kind" FROM "CalendarDay"`;
    return new Map(
      rows.flatMap((row) =>
        row.kind === "holiday" || row.kind === "workday"
          ? [[row.date, row.kind as DayOverride] as const]
          : [],
      ),
    );
  }

  async set(date: LocalDate, kind: DayOverride, note: string, by: string): Promise<void> {
    this.read = undefined;
    await this.db.calendarDay.upsert({
      where: { date },
      create: { date, kind, note, updatedBy: by },
      update: { kind, note, updatedBy: by },
    });
    await forgetLights(this.db);
  }

  /** Forgets the days an earlier import of a year's notice set (their note starts with `prefix`). */
  async removeNoted(prefix: string): Promise<number> {
    this.read = undefined;
    const { count } = await this.db.calendarDay.deleteMany({ where: { note: { startsWith: prefix } } });
    if (count > 0) await forgetLights(this.db);
    return count;
  }

  async remove(date: LocalDate): Promise<boolean> {
    this.read = undefined;
    const { count } = await this.db.calendarDay.deleteMany({ where: { date } });
    if (count > 0) await forgetLights(this.db);
    return count > 0;
  }
}

import { createWorkCalendar, LAST_KNOWN_YEAR, unknownYears, type WorkCalendar } from "../domain/calendar.js";
import { AppError } from "../domain/errors.js";
import { readHolidayNotice } from "../domain/holiday-notice.js";
import { owe } from "../domain/outbox.js";
import { readSettings, SETTING_DEFINITIONS } from "../domain/settings.js";
import { type LocalDate, localDateOf } from "../domain/time.js";
import type { Repositories } from "../store/store.js";
import { listAdmins, requireAdmin } from "./access.js";
import type { ServiceDeps } from "./ports.js";

/** The working-day calendar with the admins' overrides and the notices they imported. */
export async function loadCalendar(
  repos: Pick<Repositories, "calendar" | "settings">,
): Promise<WorkCalendar> {
  const settings = readSettings(await repos.settings.all());
  return createWorkCalendar(await repos.calendar.overrides(), settings.calendarYears);
}

/** Where the calendar stands: what it knows, and the years it would only guess. */
export interface CalendarStatus {
  /** The last year the built-in holiday data covers. */
  builtInUntil: number;
  imported: number[];
  /** The current year, and from November the next, when ducha does not know their holidays. */
  unknown: number[];
  overrides: number;
}

export async function calendarStatus(
  deps: Pick<ServiceDeps, "store" | "clock" | "timeZone">,
): Promise<CalendarStatus> {
  return deps.store.read(async (tx) => {
    const calendar = await loadCalendar(tx);
    const settings = readSettings(await tx.settings.all());
    const today = localDateOf(deps.clock.now(), deps.timeZone);
    return {
      builtInUntil: LAST_KNOWN_YEAR,
      imported: [...settings.calendarYears].sort(),
      unknown: unknownYears(today, (y) => calendar.knowsYear?.(y) ?? true),
      overrides: (await tx.calendar.overrides()).size,
    };
  });
}

/**
 * Tells the admins, once per year, that the calendar only guesses a year's holidays (at start
 * and at the daily housekeeping run): 春节 would count as working days and the make-up
 * Saturdays as rest days until the State Council's notice is imported.
 */
export async function warnUnknownCalendar(deps: ServiceDeps): Promise<number[]> {
  const unknown = await deps.store.transaction(async (tx) => {
    const calendar = await loadCalendar(tx);
    const years = unknownYears(
      localDateOf(deps.clock.now(), deps.timeZone),
      (y) => calendar.knowsYear?.(y) ?? true,
    );
    const admins = await listAdmins(deps, tx);
    await tx.outbox.enqueueAll(
      years.flatMap((year) => admins.map((admin) => owe.calendarUnknown(year, admin))),
    );
    return years;
  });
  if (unknown.length) deps.outbox.kick();
  return unknown;
}

/** What an imported notice changed. */
export interface ImportedNotice {
  year: number;
  holidays: { name: string; days: LocalDate[] }[];
  workdays: LocalDate[];
  /** The notice replaced an earlier import of the same year. */
  replaced: boolean;
}

/**
 * 日历 导入: the State Council's notice, pasted by an admin, becomes the year's holidays and
 * make-up workdays. A notice with a line that cannot be read for sure is refused whole,
 * naming the lines; nothing of it is stored. Importing a year again replaces its days.
 */
export async function importHolidayNotice(
  deps: ServiceDeps,
  input: { actor: string; text: string },
): Promise<ImportedNotice> {
  const read = readHolidayNotice(input.text);
  return deps.store.transaction(async (tx) => {
    await requireAdmin(deps, tx, input.actor);
    if (!read.ok) throw new AppError("notice_unreadable", { problem: read.problem, lines: read.lines });
    const { notice } = read;
    const prefix = `notice:${notice.year}:`;
    const replaced = (await tx.calendar.removeNoted(prefix)) > 0;
    for (const holiday of notice.holidays) {
      for (const day of holiday.days)
        await tx.calendar.set(day, "holiday", `${prefix}${holiday.name}`, input.actor);
    }
    for (const day of notice.workdays)
      await tx.calendar.set(day, "workday", `${prefix}调休上班`, input.actor);
    const settings = readSettings(await tx.settings.all());
    const years = [...new Set([...settings.calendarYears, notice.year])].sort();
    await tx.settings.set(SETTING_DEFINITIONS.calendarYears.key, years, input.actor);
    await tx.events.append({
      at: deps.clock.now(),
      actor: input.actor,
      type: "calendar.imported",
      after: {
        year: notice.year,
        holidays: notice.holidays.map((h) => ({ name: h.name, days: h.days })),
        workdays: notice.workdays,
      },
    });
    return { ...notice, replaced };
  });
}

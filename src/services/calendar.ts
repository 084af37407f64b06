import { createWorkCalendar, type WorkCalendar } from "../domain/calendar.js";
import type { Repositories } from "../store/store.js";

/** The working-day calendar with the admins' overrides. */
export async function loadCalendar(repos: Pick<Repositories, "calendar">): Promise<WorkCalendar> {
  return createWorkCalendar(await repos.calendar.overrides());
}

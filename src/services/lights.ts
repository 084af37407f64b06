import type { WorkCalendar } from "../domain/calendar.js";
import type { LightThresholds } from "../domain/lights.js";
import { readSettings, thresholdsOf } from "../domain/settings.js";
import type { Repositories } from "../store/store.js";
import { loadCalendar } from "./calendar.js";
import type { ServiceDeps } from "./ports.js";

/** What lights are computed with: the calendar and the thresholds, as configured now. */
export interface LightSetup {
  calendar: WorkCalendar;
  thresholds: LightThresholds;
}

/** The light setup now, for rendering. */
export async function currentLightSetup(deps: Pick<ServiceDeps, "store">): Promise<LightSetup> {
  return deps.store.read((tx) => loadLightSetup(tx));
}

export async function loadLightSetup(
  repos: Pick<Repositories, "calendar" | "settings">,
): Promise<LightSetup> {
  const settings = readSettings(await repos.settings.all());
  return { calendar: await loadCalendar(repos), thresholds: thresholdsOf(settings) };
}

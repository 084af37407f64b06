import type { WorkCalendar } from "../domain/calendar.js";
import {
  computeLight,
  type LightContext,
  type LightThresholds,
  lightFactsOf,
  lightHoldsUntil,
} from "../domain/lights.js";
import { readSettings, thresholdsOf } from "../domain/settings.js";
import type { Repositories } from "../store/store.js";
import type { StoredLight } from "../store/task-lights.js";
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

/**
 * Works out again the stored light of every open task whose light does not hold at `ctx.now`
 * (changed since, or past the instant time alone changes it), so that lists can filter and
 * page by light in the database. Most days this is the tasks that changed; after midnight it
 * is every open task, once.
 */
export async function refreshLights(
  repos: Pick<Repositories, "taskLights">,
  ctx: LightContext,
): Promise<number> {
  const stale = await repos.taskLights.openSlim({ staleAt: ctx.now });
  if (stale.length === 0) return 0;
  const lights = new Map<number, StoredLight>();
  for (const task of stale) {
    const facts = lightFactsOf(task);
    const { light, reasons } = computeLight(facts, ctx);
    lights.set(task.id, { light, reasons, until: lightHoldsUntil(facts, ctx) });
  }
  await repos.taskLights.storeLights(lights);
  return stale.length;
}

/**
 * Brings the stored lights up to now before a list or a board reads them (on SQLite's reading
 * connection, which writes nothing): a look at the index for lights that no longer hold, and
 * only when there are some, a write of their new lights. Between the two a change may leave
 * a task to be worked out again; the list shows it by its light at the next ask.
 */
export async function refreshStoredLights(
  deps: Pick<ServiceDeps, "store" | "clock" | "timeZone">,
): Promise<void> {
  const now = deps.clock.now();
  const stale = await deps.store.read((tx) => tx.taskLights.anyStale(now));
  if (!stale) return;
  await deps.store.transaction(async (tx) =>
    refreshLights(tx, { now: deps.clock.now(), tz: deps.timeZone, ...(await loadLightSetup(tx)) }),
  );
}

/**
 * At start: the stored lights are worked out again when next needed (this build may judge
 * differently), and the open tasks' blocker flags are mended where an older build left them.
 */
export async function forgetStoredLights(deps: Pick<ServiceDeps, "store">): Promise<void> {
  await deps.store.transaction(async (tx) => {
    await tx.taskLights.settleBlockerFlags();
    await tx.taskLights.forgetLights();
  });
}

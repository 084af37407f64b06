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
  return (await refreshLightsPart(repos, ctx, {})).count;
}

/** The same for at most `limit` of them, those after `afterId` in id order: how many, and the last id. */
async function refreshLightsPart(
  repos: Pick<Repositories, "taskLights">,
  ctx: LightContext,
  part: { limit?: number; afterId?: number },
): Promise<{ count: number; lastId: number }> {
  const stale = await repos.taskLights.openSlim({ staleAt: ctx.now, ...part });
  if (stale.length === 0) return { count: 0, lastId: part.afterId ?? 0 };
  const lights = new Map<number, StoredLight>();
  for (const task of stale) {
    const facts = lightFactsOf(task);
    const { light, reasons } = computeLight(facts, ctx);
    lights.set(task.id, { light, reasons, until: lightHoldsUntil(facts, ctx) });
  }
  await repos.taskLights.storeLights(lights);
  return { count: stale.length, lastId: stale.at(-1)?.id ?? part.afterId ?? 0 };
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
  // Until none is stale at the moment of looking: a refresh under way when this was asked may
  // have looked before some light stopped holding.
  for (let round = 0; round < 10; round++) {
    const now = deps.clock.now();
    const stale = await deps.store.read((tx) => tx.taskLights.anyStale(now));
    if (!stale) return;
    await refreshingOf(deps);
  }
}

/** How many stale lights one transaction works out again. */
export const LIGHTS_PER_TURN = 250;

const refreshing = new WeakMap<object, Promise<void>>();

/**
 * The stale lights worked out again, LIGHTS_PER_TURN at a time, each turn a transaction of its
 * own with the event loop free between turns; asks that come meanwhile share it. After a start
 * (every stored light forgotten) or midnight, every open task is stale: worked out in one
 * transaction, 6,000 open tasks held the one event loop for 1.9 s, and every request with it.
 */
function refreshingOf(deps: Pick<ServiceDeps, "store" | "clock" | "timeZone">): Promise<void> {
  const under = refreshing.get(deps.store);
  if (under !== undefined) return under;
  const run = (async () => {
    try {
      // In id order, each turn after the last one's: every stale light is worked out once.
      let afterId = 0;
      for (;;) {
        const done = await deps.store.transaction(async (tx) =>
          refreshLightsPart(
            tx,
            { now: deps.clock.now(), tz: deps.timeZone, ...(await loadLightSetup(tx)) },
            { limit: LIGHTS_PER_TURN, afterId },
          ),
        );
        if (done.count < LIGHTS_PER_TURN) return;
        afterId = done.lastId;
        await new Promise((resolve) => setImmediate(resolve));
      }
    } finally {
      refreshing.delete(deps.store);
    }
  })();
  refreshing.set(deps.store, run);
  return run;
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

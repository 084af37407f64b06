import { beforeAll, describe, expect, it } from "vitest";
import { SCALE_NOW, seedScale } from "../scripts/seed-scale.js";
import {
  forgetStoredLights,
  LIGHTS_PER_TURN,
  loadLightSetup,
  refreshLights,
  refreshStoredLights,
} from "../src/services/lights.js";
import { openDatabase } from "../src/store/database.js";
import { createStore, type Store } from "../src/store/store.js";
import { startTestBot, tempDbFile } from "./support/harness.js";
import { ManualClock } from "./support/manual-clock.js";

/**
 * The stored lights brought up to now before a list or App Home reads them. After a start every
 * stored light is forgotten (and after midnight every one is past): all the open tasks are
 * worked out again, LIGHTS_PER_TURN a transaction with the event loop free between them, and
 * asks that come meanwhile share the one refresh.
 */
const TZ = "Asia/Shanghai";

/** The store, counting the write transactions begun through it (the real store does the work). */
function counting(store: Store): { store: Store; writes: () => number } {
  let writes = 0;
  return {
    store: {
      ...store,
      transaction: (work, timeoutMs) => {
        writes++;
        return store.transaction(work, timeoutMs);
      },
    },
    writes: () => writes,
  };
}

describe("the stored lights, refreshed before a list", () => {
  let file: string;
  beforeAll(async () => {
    file = tempDbFile();
    await seedScale(file, { departments: 10, tasks: 3_000, reports: 6_000 });
  }, 60_000);

  it("are every stale one worked out, a turn at a time, the same as in one transaction; asks meanwhile share it", async () => {
    const store = createStore(await openDatabase(`file:${file}`));
    try {
      await forgetStoredLights({ store });
      const open = await store.read((tx) => tx.taskLights.openSlim());
      expect(open.length).toBeGreaterThan(3 * LIGHTS_PER_TURN);
      const { store: watched, writes } = counting(store);
      const deps = { store: watched, clock: new ManualClock(SCALE_NOW), timeZone: TZ };
      await Promise.all([refreshStoredLights(deps), refreshStoredLights(deps), refreshStoredLights(deps)]);
      expect(await store.read((tx) => tx.taskLights.anyStale(SCALE_NOW))).toBe(false);
      // One refresh for the three asks, in turns of LIGHTS_PER_TURN.
      expect(writes()).toBe(Math.floor(open.length / LIGHTS_PER_TURN) + 1);
      const turned = await store.read((tx) => tx.taskLights.openWithStoredLight(SCALE_NOW));
      // The lights are those one transaction over all of them stores.
      await forgetStoredLights({ store });
      await store.transaction(async (tx) =>
        refreshLights(tx, { now: SCALE_NOW, tz: TZ, ...(await loadLightSetup(tx)) }),
      );
      const whole = await store.read((tx) => tx.taskLights.openWithStoredLight(SCALE_NOW));
      expect(turned).toEqual(whole);
      expect(turned).toHaveLength(open.length);
      // Nothing stale: nothing written.
      await refreshStoredLights(deps);
      expect(writes()).toBe(Math.floor(open.length / LIGHTS_PER_TURN) + 1);
    } finally {
      await store.close();
    }
  });
});

describe("the bot at its start", () => {
  it("works every stored light out again behind the listening, before anyone lists", async () => {
    const file = tempDbFile();
    await seedScale(file, { departments: 5, tasks: 800, reports: 1_000 });
    const t = await startTestBot({ dbFile: file, now: SCALE_NOW });
    try {
      // Forgotten at start (this build may judge differently), then worked out again with no
      // request asking: the first App Home does not wait for it.
      for (let i = 0; i < 200 && (await t.store.read((tx) => tx.taskLights.anyStale(SCALE_NOW))); i++)
        await new Promise((resolve) => setTimeout(resolve, 50));
      expect(await t.store.read((tx) => tx.taskLights.anyStale(SCALE_NOW))).toBe(false);
      expect(t.slack.calls.filter((c) => c.method === "views.publish")).toHaveLength(0);
    } finally {
      await t.stop();
    }
  });
});

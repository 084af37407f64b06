import { Writable } from "node:stream";
import cron from "node-cron";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { JobId } from "../src/domain/settings.js";
import { type JobDefinition, Scheduler } from "../src/jobs/scheduler.js";
import { createLogger } from "../src/logger.js";
import { createJobSlots } from "../src/services/job-slots.js";
import { openDatabase } from "../src/store/database.js";
import { createStore, type Store } from "../src/store/store.js";
import { type LogLine, tempDbFile } from "./support/harness.js";
import { ManualClock } from "./support/manual-clock.js";

let store: Store;
let file: string;
let logs: LogLine[];
const clock = new ManualClock(new Date("2026-12-01T01:00:00Z")); // Tuesday 09:00 in Beijing

function logger() {
  return createLogger(
    "info",
    new Writable({
      write(chunk, _e, done) {
        for (const line of String(chunk).split("\n").filter(Boolean)) logs.push(JSON.parse(line) as LogLine);
        done();
      },
    }),
  );
}

function scheduler(jobs: JobDefinition[], s: Store = store) {
  return new Scheduler(
    {
      slots: createJobSlots({ store: s }),
      clock,
      logger: logger(),
      timeZone: "Asia/Shanghai",
      owner: "test",
    },
    jobs,
  );
}

const counting = (id: JobId) => {
  const runs: number[] = [];
  return { runs, job: { id, run: async () => runs.push(clock.now().getTime()) } satisfies JobDefinition };
};

beforeEach(async () => {
  file = tempDbFile();
  store = createStore(await openDatabase(`file:${file}`));
  logs = [];
  clock.set(new Date("2026-12-01T01:00:00Z"));
});
afterEach(async () => {
  await store.close();
});

describe("a job that keeps to working days", () => {
  const beijing = (date: string, time: string) => new Date(`${date}T${time}:00+08:00`);

  it("moves a slot on a holiday to the same time on the next working day, and runs it once", async () => {
    const monthly = counting("monthly");
    const s = scheduler([{ ...monthly.job, shiftToWorkday: true }]);
    // 国庆 2026: 1–7 October off; the bulletin due on the 1st at 09:30 goes out on the 8th.
    for (const day of ["2026-10-01", "2026-10-02", "2026-10-07"]) await s.tick(beijing(day, "09:30"));
    expect(monthly.runs).toHaveLength(0);
    await s.tick(beijing("2026-10-08", "09:30"));
    await s.tick(beijing("2026-10-09", "09:30"));
    expect(monthly.runs).toHaveLength(1);
    const runs = await store.read((tx) => tx.jobRuns.list("monthly"));
    // Still as the slot it was due at.
    expect(runs.map((r) => r.slot.toISOString())).toEqual([beijing("2026-10-01", "09:30").toISOString()]);
    await s.stop();
  });

  it("runs on its own day when that is a working day", async () => {
    const monthly = counting("monthly");
    const s = scheduler([{ ...monthly.job, shiftToWorkday: true }]);
    await s.tick(beijing("2026-12-01", "09:30"));
    expect(monthly.runs).toHaveLength(1);
    await s.stop();
  });

  it("makes up a moved slot missed while the bot was down", async () => {
    const monthly = counting("monthly");
    const s = scheduler([{ ...monthly.job, shiftToWorkday: true }]);
    clock.set(beijing("2026-10-08", "11:00"));
    await s.catchUp();
    expect(monthly.runs).toHaveLength(1);
    expect((await store.read((tx) => tx.jobRuns.list("monthly")))[0]?.slot).toEqual(
      beijing("2026-10-01", "09:30"),
    );
    // Started on the holiday itself: nothing yet.
    const other = counting("monthly");
    const file2 = tempDbFile();
    const store2 = createStore(await openDatabase(`file:${file2}`));
    clock.set(beijing("2026-10-01", "11:00"));
    await scheduler([{ ...other.job, shiftToWorkday: true }], store2).catchUp();
    expect(other.runs).toHaveLength(0);
    await store2.close();
    await s.stop();
  });
});

describe("the scheduler", () => {
  it("runs a job at its slots, in the jobs' time zone, once per slot however often triggered", async () => {
    const daily = counting("daily");
    const s = scheduler([daily.job]);
    await s.tick(new Date("2026-12-01T01:00:00Z")); // 09:00 Beijing
    await s.tick(new Date("2026-12-01T01:00:20Z")); // the same minute again
    await s.tick(new Date("2026-12-01T09:00:00Z")); // 17:00 Beijing: not a slot
    expect(daily.runs).toHaveLength(1);
    const runs = await store.read((tx) => tx.jobRuns.list("daily"));
    expect(runs).toMatchObject([{ state: "done", owner: "test" }]);
    expect(runs[0]?.slot.toISOString()).toBe("2026-12-01T01:00:00.000Z");
    await s.stop();
  });

  it("lets two schedulers on one database run each slot once", async () => {
    const other = createStore(await openDatabase(`file:${file}`));
    const a = counting("daily");
    const b = counting("daily");
    const slot = new Date("2026-12-01T01:00:00Z");
    await Promise.all([scheduler([a.job]).tick(slot), scheduler([b.job], other).tick(slot)]);
    expect(a.runs.length + b.runs.length).toBe(1);
    await other.close();
  });

  it("logs a failing job with its id and slot, releases the slot, and still runs the others", async () => {
    const fine = counting("urgent");
    const failing: JobDefinition = {
      id: "daily",
      run: async () => {
        throw new Error("boom");
      },
    };
    const s = scheduler([failing, fine.job]);
    await store.transaction((tx) => tx.settings.set("jobs.schedules", { urgent: "0 9 * * *" }, "U1"));
    await s.tick(new Date("2026-12-01T01:00:00Z"));
    expect(fine.runs).toHaveLength(1);
    const failure = logs.find((l) => l.msg.includes("job failed"));
    expect(failure).toMatchObject({ job: "daily", slot: "2026-12-01T01:00:00.000Z" });
    expect(await store.read((tx) => tx.jobRuns.find("daily", new Date("2026-12-01T01:00:00Z")))).toBeNull();
    // The next trigger for the same slot runs it again.
    let ran = false;
    const retried = await s.trigger(
      { id: "daily", run: async () => (ran = true) },
      new Date("2026-12-01T01:00:00Z"),
    );
    expect(retried).toBe("ran");
    expect(ran).toBe(true);
    await s.stop();
  });

  it("logs a trigger the database cannot take and does not run the job", async () => {
    const daily = counting("daily");
    const broken = createStore(await openDatabase(`file:${tempDbFile()}`));
    await broken.close();
    const s = scheduler([daily.job], {
      ...broken,
      transaction: async () => {
        throw Object.assign(new Error("database is locked"), { code: "SQLITE_BUSY" });
      },
    });
    expect(await s.trigger(daily.job, new Date("2026-12-01T01:00:00Z"))).toBe("failed");
    expect(daily.runs).toHaveLength(0);
    expect(logs.find((l) => l.msg.includes("database is unavailable"))).toMatchObject({ job: "daily" });
    await s.stop();
  });

  it("makes up only the latest slot missed while down, within the window", async () => {
    const daily = counting("daily");
    const s = scheduler([daily.job]);
    // Down from Friday 08:00 to Monday 10:30 (Beijing): three daily slots missed.
    await store.transaction((tx) => tx.settings.set("jobs.catchUpHours", 96, "U1"));
    clock.set(new Date("2026-12-07T02:30:00Z"));
    await s.catchUp();
    expect(daily.runs).toHaveLength(1);
    expect((await store.read((tx) => tx.jobRuns.list("daily")))[0]?.slot.toISOString()).toBe(
      "2026-12-07T01:00:00.000Z",
    );
    await s.catchUp();
    expect(daily.runs).toHaveLength(1);
    await s.stop();
  });

  it("does not make up a slot older than the window", async () => {
    const daily = counting("daily");
    clock.set(new Date("2026-12-01T00:30:00Z")); // 08:30: yesterday's 09:00 is 23.5 hours ago
    await store.transaction((tx) => tx.settings.set("jobs.catchUpHours", 12, "U1"));
    await scheduler([daily.job]).catchUp();
    expect(daily.runs).toHaveLength(0);
  });

  it("reads the schedules at every tick, so a change takes effect without a restart", async () => {
    const daily = counting("daily");
    const s = scheduler([daily.job]);
    await s.tick(new Date("2026-12-01T02:00:00Z")); // 10:00: not the default slot
    await store.transaction((tx) => tx.settings.set("jobs.schedules", { daily: "0 10 * * *" }, "U1"));
    await s.tick(new Date("2026-12-01T02:00:00Z"));
    expect(daily.runs).toHaveLength(1);
    await s.stop();
  });

  it("starts without waiting for the runs it makes up: they go on behind, before the next tick", async () => {
    let release!: () => void;
    const blocked = new Promise<void>((resolve) => {
      release = resolve;
    });
    let started = false;
    const slow: JobDefinition = {
      id: "daily",
      run: async () => {
        started = true;
        await blocked;
      },
    };
    clock.set(new Date("2026-12-01T02:30:00Z")); // 10:30: today's 09:00 run was missed
    const s = scheduler([slow]);
    await s.start();
    // Back from start() while the missed run still runs: the bot can listen meanwhile.
    await expect.poll(() => started).toBe(true);
    let idle = false;
    const waiting = s.idle().then(() => {
      idle = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(idle).toBe(false);
    release();
    await waiting;
    await s.stop();
  });

  it("starts a minute tick in the jobs' time zone and stops it", async () => {
    const s = scheduler([]);
    await s.start();
    expect([...cron.getTasks().values()].some((task) => task.name === "ducha-scheduler")).toBe(true);
    await s.stop();
    expect([...cron.getTasks().values()].some((task) => task.name === "ducha-scheduler")).toBe(false);
  });
});

import { beforeAll, describe, expect, it } from "vitest";
import { SCALE_NOW, seedScale } from "../scripts/seed-scale.js";
import { createLogger } from "../src/logger.js";
import { loadLightSetup, refreshLights } from "../src/services/lights.js";
import type { ServiceDeps } from "../src/services/ports.js";
import { KeptScores } from "../src/services/scores-kept.js";
import { ScoringThread } from "../src/services/scoring-thread.js";
import { setCalendarDay, setSummarySetting, setThreshold } from "../src/services/settings.js";
import {
  buildSummary,
  departmentScore,
  periodFor,
  scorePeriod,
  workOutScores,
} from "../src/services/summary.js";
import { openDatabase } from "../src/store/database.js";
import { createStore, type Store } from "../src/store/store.js";
import { tempDbFile } from "./support/harness.js";
import { ManualClock } from "./support/manual-clock.js";

/**
 * A period's scores are worked out once and shared while the data stays as it was
 * (src/services/score-cache.ts). Shared, they must never be stale: a write in this process, a
 * write by another process on the same database, each is seen at the next ask.
 */
const TZ = "Asia/Shanghai";
const ADMIN = "U_ADMIN";

function depsOf(store: Store): ServiceDeps {
  return {
    store,
    clock: new ManualClock(SCALE_NOW),
    slack: { channelStatus: async () => "member", fileInfo: async () => null },
    outbox: { kick() {} },
    envAdmins: [ADMIN],
    timeZone: TZ,
  };
}

/** An open task counted this month: its lead department and id. */
async function someOpenTask(store: Store): Promise<{ id: number; leadDeptId: number }> {
  const [task] = await store.read((tx) => tx.tasks.list({}, { skip: 0, take: 1 }));
  if (!task) throw new Error("the seeded office has no open task");
  return { id: task.id, leadDeptId: task.leadDept.id };
}

/** Records a report flagged 走过场 (−2) on the task, an hour before now, with its audit event. */
async function perfunctoryReport(store: Store, task: { id: number; leadDeptId: number }) {
  const at = new Date(SCALE_NOW.getTime() - 3_600_000);
  await store.transaction(async (tx) => {
    const report = await tx.reports.create({
      taskId: task.id,
      departmentId: task.leadDeptId,
      userId: "U_SOMEONE",
      kind: "report",
      via: "thread",
      text: "已阅",
      progress: null,
      blocker: false,
      cause: null,
      doneClaim: false,
      perfunctory: true,
      createdAt: at,
    });
    expect(report.perfunctory).toBe(true);
    await tx.events.append({
      at,
      actor: "U_SOMEONE",
      type: "report.perfunctory",
      taskId: task.id,
      before: { progress: null },
      after: { progress: null, blocker: false, cause: null },
    });
  });
}

const perfunctoryOf = (
  scored: Awaited<ReturnType<typeof scorePeriod>>,
  task: { id: number; leadDeptId: number },
) =>
  scored.scores
    .find((s) => s.departmentId === task.leadDeptId)
    ?.items.find((i) => i.taskId === task.id && i.rule === "perfunctory")?.count ?? 0;

describe("a period's scores, shared", () => {
  let file: string;
  beforeAll(async () => {
    file = tempDbFile();
    // Enough tasks that a month counts more of them than one statement may bind (Prisma's
    // limit on SQLite is 999 values): scoring must read them in parts.
    await seedScale(file, { departments: 20, tasks: 4_000, reports: 20_000 });
  }, 60_000);

  it("scores and summarises an office whose month counts thousands of tasks", async () => {
    const store = createStore(await openDatabase(`file:${file}`));
    try {
      const deps = depsOf(store);
      const month = periodFor(deps, "month");
      const counted = await store.read((tx) => tx.summaries.scoringTasks(month));
      expect(counted.length).toBeGreaterThan(999);
      const scored = await scorePeriod(deps, month);
      expect(scored.scores).toHaveLength(20);
      expect(scored.scores.reduce((n, s) => n + s.scoredTasks, 0)).toBe(counted.length);
      const summary = await buildSummary(deps, month);
      expect(summary.bars.length).toBeGreaterThan(0);
    } finally {
      await store.close();
    }
  });

  it("answers asks made together from one reading, and a write in this process is seen at the next ask", async () => {
    const store = createStore(await openDatabase(`file:${file}`));
    try {
      const deps = depsOf(store);
      const month = periodFor(deps, "month");
      const [a, b] = await Promise.all([scorePeriod(deps, month), scorePeriod(deps, month)]);
      expect(b).toBe(a);
      expect(await scorePeriod(deps, month)).toBe(a);

      const task = await someOpenTask(store);
      const before = perfunctoryOf(a, task);
      await perfunctoryReport(store, task);
      const after = await scorePeriod(deps, month);
      expect(after).not.toBe(a);
      expect(perfunctoryOf(after, task)).toBe(before + 1);
      // Another period is kept apart.
      const week = await scorePeriod(deps, periodFor(deps, "week"));
      expect(week.period.kind).toBe("week");
      expect(await scorePeriod(deps, month)).toBe(after);
    } finally {
      await store.close();
    }
  });

  it("are worked out on their own thread as on the event loop, and a write is seen at the next ask there too", async () => {
    const store = createStore(await openDatabase(`file:${file}`));
    const thread = new ScoringThread({
      databaseUrl: `file:${file}`,
      timeZone: TZ,
      logger: createLogger("silent"),
    });
    try {
      const loop = depsOf(store);
      const month = periodFor(loop, "month");
      // The same rules on the same rows, wherever they run.
      expect(await thread.score(month, [])).toEqual(await workOutScores(loop, month, []));
      // Shared as before: asked together, one working-out; a write seen at the next ask.
      const threaded: ServiceDeps = { ...loop, scoring: thread };
      const [a, b] = await Promise.all([scorePeriod(threaded, month), scorePeriod(threaded, month)]);
      expect(b).toBe(a);
      const task = await someOpenTask(store);
      const before = perfunctoryOf(a, task);
      await perfunctoryReport(store, task);
      expect(perfunctoryOf(await scorePeriod(threaded, month), task)).toBe(before + 1);
    } finally {
      await thread.close();
      await store.close();
    }
  });

  it("on their thread, asks that come while a working-out runs share the next one, which reads after each of them", async () => {
    const store = createStore(await openDatabase(`file:${file}`));
    const thread = new ScoringThread({
      databaseUrl: `file:${file}`,
      timeZone: TZ,
      logger: createLogger("silent"),
    });
    try {
      const loop = depsOf(store);
      const month = periodFor(loop, "month");
      const task = await someOpenTask(store);
      const before = perfunctoryOf(await workOutScores(loop, month, []), task);
      // One working-out under way; a report is written; four more asks come meanwhile.
      const first = thread.score(month, []);
      await perfunctoryReport(store, task);
      // A running month ends at each ask's moment: a millisecond apart, they still share.
      const at = (ms: number) => ({ ...month, end: new Date(month.end.getTime() + ms) });
      const later = [1, 2, 3, 4].map((ms) => thread.score(at(ms), []));
      const [a, ...rest] = await Promise.all([first, ...later]);
      // Two working-outs for five asks: the four share the second, which read after the report
      // and scored up to the newest ask's moment.
      expect(thread.computations).toBe(2);
      for (const r of rest) expect(r).toBe(rest[0]);
      expect(rest[0]?.period.end).toEqual(at(4).end);
      expect(perfunctoryOf(rest[0] as NonNullable<typeof a>, task)).toBe(before + 1);
      expect(rest[0]).toEqual(await workOutScores(loop, at(4), []));
    } finally {
      await thread.close();
      await store.close();
    }
  });

  it("kept on their thread, are read again task by task after a report, and whole after a setting changes", async () => {
    const store = createStore(await openDatabase(`file:${file}`));
    try {
      const deps = depsOf(store);
      const kept = new KeptScores(deps, { idsInCommitOrder: true });
      const month = periodFor(deps, "month");
      expect(await kept.score(month, [])).toEqual(await workOutScores(deps, month, []));
      expect(kept.wholeReadings).toBe(1);
      const task = await someOpenTask(store);
      const before = perfunctoryOf(await kept.score(month, []), task);
      await perfunctoryReport(store, task);
      const after = await kept.score(month, []);
      expect(perfunctoryOf(after, task)).toBe(before + 1);
      expect(after).toEqual(await workOutScores(deps, month, []));
      expect(kept.wholeReadings).toBe(1);
      // A later acknowledgement deadline may move every department's score: read whole.
      await setThreshold(deps, { actor: ADMIN, name: "ackWorkdays", value: 7 });
      expect(await kept.score(month, [])).toEqual(await workOutScores(deps, month, []));
      expect(kept.wholeReadings).toBe(2);
    } finally {
      await store.close();
    }
  });

  it("name a department's items by their tasks, asked first, asked again and asked for another once shared", async () => {
    const store = createStore(await openDatabase(`file:${file}`));
    try {
      const deps = depsOf(store);
      const ask = (department: string) => departmentScore(deps, { actor: ADMIN, department, kind: "month" });
      const expected = async (view: Awaited<ReturnType<typeof ask>>) => {
        const ids = [...new Set(view.score.items.map((i) => i.taskId))];
        const rows = await store.read((tx) => tx.summaries.taskInfo(ids));
        return new Map(rows.map((r) => [r.id, r]));
      };
      // The first works the month out (its items in a reading of their own); the next find the
      // scores shared and read a department's items with the rest of their reading.
      for (const department of ["第1单位", "第1单位", "第2单位", "第2单位"]) {
        const view = await ask(department);
        expect(view.score.items.length, department).toBeGreaterThan(0);
        expect(
          [...view.tasks.keys()].sort((a, b) => a - b),
          department,
        ).toEqual([...new Set(view.score.items.map((i) => i.taskId))].sort((a, b) => a - b));
        expect(view.tasks, department).toEqual(await expected(view));
      }
    } finally {
      await store.close();
    }
  });

  it("stay shared through the bot's bookkeeping, and are worked out again when a setting or the calendar changes", async () => {
    const store = createStore(await openDatabase(`file:${file}`));
    try {
      const deps = depsOf(store);
      const month = periodFor(deps, "month");
      const first = await scorePeriod(deps, month);
      // Lights stored, an outbox message owed: writes that cannot move a score.
      await store.transaction(async (tx) =>
        refreshLights(tx, { now: SCALE_NOW, tz: TZ, ...(await loadLightSetup(tx)) }),
      );
      await store.transaction((tx) =>
        tx.outbox.enqueue({ key: "bookkeeping", lane: "C1", message: { kind: "card.post", taskId: 1 } }),
      );
      expect(await scorePeriod(deps, month)).toBe(first);
      // A later acknowledgement deadline changes who acknowledged late; a holiday, when.
      await setThreshold(deps, { actor: ADMIN, name: "ackWorkdays", value: 5 });
      const second = await scorePeriod(deps, month);
      expect(second).not.toBe(first);
      await setCalendarDay(deps, { actor: ADMIN, date: "2026-12-08", kind: "holiday" });
      const third = await scorePeriod(deps, month);
      expect(third).not.toBe(second);
      await setSummarySetting(deps, { actor: ADMIN, name: "minSample", value: 30 });
      const fourth = await scorePeriod(deps, month);
      expect(fourth).not.toBe(third);
    } finally {
      await store.close();
    }
  });

  it("sees a write another process made on the same database", async () => {
    const mine = createStore(await openDatabase(`file:${file}`));
    const theirs = createStore(await openDatabase(`file:${file}`));
    try {
      const deps = depsOf(mine);
      const month = periodFor(deps, "month");
      const first = await scorePeriod(deps, month);
      const task = await someOpenTask(mine);
      // Nothing is written through this store: only the database says something changed.
      await perfunctoryReport(theirs, task);
      const next = await scorePeriod(deps, month);
      expect(next).not.toBe(first);
      expect(perfunctoryOf(next, task)).toBe(perfunctoryOf(first, task) + 1);
    } finally {
      await theirs.close();
      await mine.close();
    }
  });
});

/**
 * An independent check of the numbers. Random histories of a small office (dispatch,
 * acknowledgements, reports with and without blockers, filler, claims, returns, verifications,
 * extensions, cancellations, stars, holidays moved by an admin) are played through the real
 * use cases on a real SQLite store. The summary's totals, each department's score and items,
 * the red lights and the ledger's rows must agree with one another and with the reference
 * below, which is written from DESIGN.md's rules alone and shares no code with src/ but the
 * holiday package.
 */
import chineseDays from "chinese-days";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isAppError } from "../src/domain/errors.js";
import { currentPeriod, previousPeriod } from "../src/domain/period.js";
import {
  acknowledgeTask,
  claimCompletion,
  requestExtension,
  submitReport,
} from "../src/services/department-actions.js";
import { ledgerSource } from "../src/services/ledger.js";
import {
  cancelTask,
  decideExtension,
  returnTask,
  starReport,
  verifyTask,
} from "../src/services/office-actions.js";
import { askDueRechecks, decideRecheck } from "../src/services/rechecks.js";
import { KeptScores } from "../src/services/scores-kept.js";
import { recordSiteCheck } from "../src/services/site-checks.js";
import { buildSummary, scorePeriod, workOutScores } from "../src/services/summary.js";
import { listTasks } from "../src/services/tasks.js";
import { beijing, dispatch, OFFICE, serviceOffice, TZ } from "./support/services.js";

const DAY = 86_400_000;
const HOUR = 3_600_000;

// ------------------------------------------------------------------ the reference

/** The local date in Beijing (UTC+8, no daylight saving). */
const dateOf = (at: Date) => new Date(at.getTime() + 8 * HOUR).toISOString().slice(0, 10);
const midnightAfter = (date: string) => new Date(Date.parse(`${date}T00:00:00+08:00`) + DAY);

interface RefReport {
  at: Date;
  progress: number | null;
  blocker: boolean;
  perfunctory: boolean;
  starredAt: Date | null;
}

interface RefTask {
  id: number;
  dept: "finance" | "housing";
  weekly: boolean;
  state: "dispatched" | "in_progress" | "pending_review" | "closed" | "cancelled";
  dispatchedAt: Date;
  dueAt: Date;
  ackAt: Date | null;
  claims: Date[];
  returns: Date[];
  closedAt: Date | null;
  cancelledAt: Date | null;
  reports: RefReport[];
  pendingExtension: Date | null;
  extensions: number;
  /** Opened again (回头看反弹): the claim before no longer stands. */
  reopened: Date[];
  /** The 回头看 set at 验收: its day, and whether the daily run has asked it. */
  recheck: { on: string; asked: boolean } | null;
  /** On-site checks that found a claim 不属实 (虚报, −10), and 反弹 marked (−5). */
  falseClaims: Date[];
  relapses: Date[];
}

function isWorkday(date: string, overrides: ReadonlyMap<string, "holiday" | "workday">): boolean {
  const o = overrides.get(date);
  return o ? o === "workday" : chineseDays.isWorkday(date);
}

/** The same clock time, n working days later (DESIGN: counted in working days). */
function workdaysLater(at: Date, n: number, overrides: ReadonlyMap<string, "holiday" | "workday">): Date {
  let day = at.getTime();
  let left = n;
  while (left > 0) {
    day += DAY;
    if (isWorkday(dateOf(new Date(day)), overrides)) left--;
  }
  return new Date(day);
}

/** The completion claim standing at a moment: the last one before it, not returned before it. */
function claimAt(task: RefTask, at: Date): Date | null {
  const before = task.claims.filter((c) => c < at);
  const last = before.at(-1);
  if (!last) return null;
  const ended = (r: Date) => r > last && r < at;
  return task.returns.some(ended) || task.reopened.some(ended) ? null : last;
}

function refLight(task: RefTask, now: Date, overrides: ReadonlyMap<string, "holiday" | "workday">) {
  const reasons: string[] = [];
  if (task.state === "pending_review") {
    const claim = claimAt(task, new Date(now.getTime() + 1));
    return claim && claim < task.dueAt ? [] : ["overdue"];
  }
  if (now >= task.dueAt) reasons.push("overdue");
  // A claim is the department's word with evidence: it counts for the stall clock, returned or not.
  const words = [...task.reports.filter((r) => !r.perfunctory).map((r) => r.at), ...task.claims];
  const substantive = words.length ? new Date(Math.max(...words.map((d) => d.getTime()))) : task.dispatchedAt;
  const stallAt = task.weekly
    ? new Date(substantive.getTime() + 14 * DAY)
    : workdaysLater(substantive, 7, overrides);
  if (now >= stallAt) reasons.push("stalled");
  // A blocker stays open while the department's latest words keep reporting it. A completion
  // claim is such a word (it says the work is done, so nothing blocks it), and it ends the run
  // even when the office returns it: the department has not reported the blocker since.
  let blockerSince: Date | null = null;
  const said = [
    ...task.reports.map((r) => ({ at: r.at, blocker: r.blocker })),
    ...task.claims.map((at) => ({ at, blocker: false })),
  ].sort((a, b) => b.at.getTime() - a.at.getTime());
  for (const r of said) {
    if (!r.blocker) break;
    blockerSince = r.at;
  }
  if (blockerSince && now > workdaysLater(blockerSince, 5, overrides)) reasons.push("blocker_long");
  // A claim says 100% while it stands; a returned one says nothing any more.
  const standingClaim = claimAt(task, new Date(now.getTime() + 1));
  const progress =
    standingClaim !== null
      ? 100
      : ([...task.reports].reverse().find((r) => r.progress !== null)?.progress ?? null);
  if (progress !== null) {
    const span = task.dueAt.getTime() - task.dispatchedAt.getTime();
    const elapsed = Math.min(1, Math.max(0, (now.getTime() - task.dispatchedAt.getTime()) / span));
    if (elapsed * 100 - progress > 30) reasons.push("far_behind");
  }
  return reasons;
}

interface RefScore {
  items: Record<string, number>;
  score: number;
  tasks: number;
}

/** DESIGN.md's scoring, one task at a time. */
function refScores(
  tasks: readonly RefTask[],
  period: { start: Date; end: Date },
  overrides: ReadonlyMap<string, "holiday" | "workday">,
) {
  const within = (at: Date | null) => at !== null && at >= period.start && at < period.end;
  const scores = new Map<string, RefScore>();
  const totals = { total: 0, closed: 0, overdue: 0, closedLate: 0 };
  for (const task of tasks) {
    if (task.dispatchedAt >= period.end) continue;
    if (task.cancelledAt && task.cancelledAt < period.end) continue;
    if (task.closedAt && task.closedAt < period.start) continue;
    const score = scores.get(task.dept) ?? { items: {}, score: 100, tasks: 0 };
    scores.set(task.dept, score);
    score.tasks++;
    const add = (rule: string, points: number, count = 1) => {
      if (count <= 0) return;
      score.items[rule] = (score.items[rule] ?? 0) + count;
      score.score += points * count;
    };
    totals.total++;
    const verified = task.closedAt ? claimAt(task, new Date(task.closedAt.getTime() + 1)) : null;
    const closedByEnd = task.state === "closed" && task.closedAt !== null && task.closedAt < period.end;
    if (closedByEnd) {
      totals.closed++;
      if (verified && verified >= task.dueAt) totals.closedLate++;
    }
    if (task.state === "closed" && within(task.closedAt)) {
      if (verified && verified < task.dueAt) add("closedOnTime", 1);
      else add("overdue", -5);
    } else if (!closedByEnd && task.dueAt <= period.end) {
      const claim = claimAt(task, period.end);
      if (claim === null || claim >= task.dueAt) {
        add("overdue", -5);
        totals.overdue++;
      }
    }
    // Cadence reports owed in the period and not given (−2 each).
    if (task.weekly) {
      const stop = Math.min(
        period.end.getTime(),
        claimAt(task, period.end)?.getTime() ?? Infinity,
        task.cancelledAt?.getTime() ?? Infinity,
      );
      const given = [...task.reports.filter((r) => !r.perfunctory).map((r) => r.at), ...task.claims]
        .map((d) => d.getTime())
        .sort((a, b) => a - b);
      let anchor = task.dispatchedAt.getTime();
      let missed = 0;
      for (;;) {
        const due = anchor + 7 * DAY;
        if (due >= stop) break;
        const next = given.find((at) => at > anchor && at <= due);
        if (next !== undefined) {
          anchor = next;
          continue;
        }
        if (due >= period.start.getTime()) missed++;
        anchor = due;
      }
      add("reportMissed", -2, missed);
    }
    const ackDue = workdaysLater(task.dispatchedAt, 1, overrides);
    if (
      task.ackAt ? task.ackAt > ackDue && within(task.ackAt) : task.state === "dispatched" && within(ackDue)
    ) {
      add("lateAck", -1);
    }
    add("returned", -3, task.returns.filter(within).length);
    add("perfunctory", -2, task.reports.filter((r) => r.perfunctory && within(r.at)).length);
    add("starred", 1, task.reports.filter((r) => within(r.starredAt)).length);
  }
  // 虚报 and 反弹 cost the unit in the period they were recorded, whatever became of the task.
  for (const task of tasks) {
    const marks = [
      ["falseClaim", -10, task.falseClaims.filter(within).length],
      ["relapsed", -5, task.relapses.filter(within).length],
    ] as const;
    for (const [rule, points, count] of marks) {
      if (count === 0) continue;
      const score = scores.get(task.dept) ?? { items: {}, score: 100, tasks: 0 };
      scores.set(task.dept, score);
      score.items[rule] = (score.items[rule] ?? 0) + count;
      score.score += points * count;
    }
  }
  return { scores, totals };
}

// ------------------------------------------------------------------ the histories

type Step =
  | { kind: "ack"; task: number }
  | { kind: "report"; task: number; progress: number | null; blocker: boolean; filler: boolean }
  | { kind: "claim"; task: number }
  | { kind: "return"; task: number }
  | { kind: "verify"; task: number }
  | { kind: "extend"; task: number; days: number }
  | { kind: "decide"; task: number; approve: boolean }
  | { kind: "cancel"; task: number }
  | { kind: "star"; task: number }
  | { kind: "falseCheck"; task: number }
  | { kind: "relapse"; task: number };

const arbStep = (tasks: number): fc.Arbitrary<{ step: Step; hours: number }> => {
  const task = fc.integer({ min: 0, max: tasks - 1 });
  return fc.record({
    hours: fc.integer({ min: 2, max: 40 }),
    step: fc.oneof(
      fc.record({ kind: fc.constant("ack" as const), task }),
      fc.record({
        kind: fc.constant("report" as const),
        task,
        progress: fc.option(fc.integer({ min: 0, max: 100 })),
        blocker: fc.boolean(),
        filler: fc.boolean(),
      }),
      fc.record({ kind: fc.constant("claim" as const), task }),
      fc.record({ kind: fc.constant("return" as const), task }),
      fc.record({ kind: fc.constant("verify" as const), task }),
      fc.record({ kind: fc.constant("extend" as const), task, days: fc.integer({ min: 1, max: 20 }) }),
      fc.record({ kind: fc.constant("decide" as const), task, approve: fc.boolean() }),
      fc.record({ kind: fc.constant("cancel" as const), task }),
      fc.record({ kind: fc.constant("star" as const), task }),
      fc.record({ kind: fc.constant("falseCheck" as const), task }),
      fc.record({ kind: fc.constant("relapse" as const), task }),
    ),
  });
};

const arbHistory = fc
  .record({
    tasks: fc.array(
      fc.record({
        dept: fc.constantFrom("finance" as const, "housing" as const),
        dueDay: fc.integer({ min: 3, max: 24 }),
        weekly: fc.boolean(),
      }),
      { minLength: 2, maxLength: 5 },
    ),
    holidays: fc.uniqueArray(
      fc.record({
        day: fc.integer({ min: 1, max: 20 }),
        kind: fc.constantFrom("holiday" as const, "workday" as const),
      }),
      { maxLength: 3, selector: (h) => h.day },
    ),
  })
  .chain((office) =>
    fc.record({
      office: fc.constant(office),
      steps: fc.array(arbStep(office.tasks.length), { minLength: 4, maxLength: 22 }),
    }),
  );

const NAMES = { finance: "财政局", housing: "住建局" } as const;

describe("the numbers, checked against a reference written from DESIGN.md", () => {
  it("agree for random histories: totals, scores and items, red lights, ledger rows", async () => {
    await fc.assert(
      fc.asyncProperty(arbHistory, async ({ office: plan, steps }) => {
        const office = await serviceOffice(beijing("2026-11-30", "10:00"));
        const kept = new KeptScores(office.deps, { idsInCommitOrder: true });
        const periodsSeen = new Set<string>();
        try {
          // An admin moves a few days (a holiday declared, a Saturday worked).
          const overrides = new Map<string, "holiday" | "workday">();
          await office.store.transaction(async (tx) => {
            for (const h of plan.holidays) {
              const date = `2026-12-${String(h.day).padStart(2, "0")}`;
              overrides.set(date, h.kind);
              await tx.calendar.set(date, h.kind, "", OFFICE.admin);
            }
          });
          const text = plan.tasks
            .map(
              (t, i) =>
                `${"一二三四五"[i]}、${NAMES[t.dept]}牵头，12月${t.dueDay}日前完成第${i + 1}项工作${t.weekly ? "，每周报送进展" : ""}。`,
            )
            .join("\n");
          const ids = await dispatch(office, text);
          expect(ids).toHaveLength(plan.tasks.length);
          const tasks: RefTask[] = plan.tasks.map((t, i) => ({
            id: ids[i] ?? 0,
            dept: t.dept,
            weekly: t.weekly,
            state: "dispatched",
            dispatchedAt: office.clock.now(),
            dueAt: midnightAfter(`2026-12-${String(t.dueDay).padStart(2, "0")}`),
            ackAt: null,
            claims: [],
            returns: [],
            closedAt: null,
            cancelledAt: null,
            reports: [],
            pendingExtension: null,
            extensions: 0,
            reopened: [],
            recheck: null,
            falseClaims: [],
            relapses: [],
          }));
          const member = (t: RefTask) => (t.dept === "finance" ? OFFICE.finance : OFFICE.housing);
          const working = (t: RefTask) => t.state === "dispatched" || t.state === "in_progress";
          const redNow = async () =>
            (
              await listTasks(office.deps, { actor: OFFICE.supervisor, filter: { kind: "red" }, page: 1 })
            ).tasks
              .map((t) => t.id)
              .sort((a, b) => a - b);
          const refRedAt = (at: Date) =>
            tasks
              .filter((t) => t.state !== "closed" && t.state !== "cancelled")
              .filter((t) => refLight(t, at, overrides).length > 0)
              .map((t) => t.id)
              .sort((a, b) => a - b);
          let n = 0;
          for (const { step, hours } of steps) {
            office.clock.advance(hours * HOUR);
            const now = office.clock.now();
            if (dateOf(now) > "2026-12-20") break;
            const t = tasks[step.task];
            if (!t) continue;
            const taskId = t.id;
            // What DESIGN allows, decided here by the reference itself.
            let allowed = false;
            let run: () => Promise<unknown> = async () => undefined;
            switch (step.kind) {
              case "ack":
                allowed = t.state === "dispatched";
                run = async () => {
                  await acknowledgeTask(office.deps, { actor: member(t), taskId });
                  t.ackAt = now;
                  t.state = "in_progress";
                };
                break;
              case "report": {
                allowed = working(t);
                const standing = [...t.reports].reverse().find((r) => r.progress !== null)?.progress ?? null;
                const progress = step.filler ? step.progress : (step.progress ?? 50);
                const words = step.filler ? "正在推进" : `完成第${++n}阶段工作，形成书面材料`;
                const perfunctory =
                  step.filler && !step.blocker && (progress === null || progress === standing);
                run = async () => {
                  await submitReport(office.deps, {
                    actor: member(t),
                    taskId,
                    text: step.blocker ? `${words}，资金遇到困难` : words,
                    progress,
                    blocker: step.blocker,
                    cause: step.blocker ? "funding" : null,
                  });
                  t.reports.push({ at: now, progress, blocker: step.blocker, perfunctory, starredAt: null });
                  if (t.state === "dispatched") {
                    t.state = "in_progress";
                    t.ackAt ??= now;
                  }
                };
                break;
              }
              case "claim":
                allowed = working(t);
                run = async () => {
                  await claimCompletion(office.deps, { actor: member(t), taskId, evidence: "材料见附件" });
                  t.claims.push(now);
                  t.ackAt ??= now;
                  t.state = "pending_review";
                };
                break;
              case "return":
                allowed = t.state === "pending_review";
                run = async () => {
                  await returnTask(office.deps, { actor: OFFICE.supervisor, taskId, reason: "材料不全" });
                  t.returns.push(now);
                  t.state = "in_progress";
                };
                break;
              case "verify":
                allowed = t.state === "pending_review";
                run = async () => {
                  // Every 验收 sets a 回头看 for the next day.
                  const on = dateOf(new Date(now.getTime() + DAY));
                  await verifyTask(office.deps, { actor: OFFICE.supervisor, taskId, recheckOn: on });
                  t.closedAt = now;
                  t.state = "closed";
                  t.recheck = { on, asked: false };
                };
                break;
              case "falseCheck":
                // 实地核查 finds 不属实: on a standing claim, it is returned as 虚报.
                allowed = t.state !== "cancelled";
                run = async () => {
                  await recordSiteCheck(office.deps, {
                    actor: OFFICE.supervisor,
                    taskId,
                    checkers: "督查组",
                    checkedOn: dateOf(now) as `${number}-${number}-${number}`,
                    place: "现场",
                    finding: "false",
                    note: "与申报不符",
                    covert: false,
                    fileIds: [],
                  });
                  if (t.state === "pending_review") {
                    t.returns.push(now);
                    t.falseClaims.push(now);
                    t.state = "in_progress";
                  }
                };
                break;
              case "relapse": {
                // The daily run asks the 回头看 due by today (on working days only); the office
                // then finds the problem back: the task opens again.
                const today = dateOf(now);
                if (isWorkday(today, overrides))
                  for (const other of tasks)
                    if (other.state === "closed" && other.recheck && other.recheck.on <= today)
                      other.recheck.asked = true;
                allowed = t.state === "closed" && t.recheck?.asked === true;
                run = async () => {
                  await askDueRechecks(office.deps);
                  const [recheck] = await office.store.read((r) => r.rechecks.pendingOf(taskId));
                  await decideRecheck(office.deps, {
                    actor: OFFICE.supervisor,
                    recheckId: recheck?.id ?? 0,
                    held: false,
                    note: "问题反弹",
                  });
                  t.relapses.push(now);
                  t.reopened.push(now);
                  t.recheck = null;
                  t.closedAt = null;
                  t.state = "in_progress";
                };
                break;
              }
              case "extend": {
                allowed = working(t) && t.pendingExtension === null;
                const newDate = dateOf(new Date(t.dueAt.getTime() - 1 + step.days * DAY));
                run = async () => {
                  await requestExtension(office.deps, {
                    actor: member(t),
                    taskId,
                    newDate,
                    reason: "客观原因",
                  });
                  t.pendingExtension = midnightAfter(newDate);
                };
                break;
              }
              case "decide":
                allowed = working(t) && t.pendingExtension !== null;
                run = async () => {
                  await decideExtension(office.deps, {
                    actor: OFFICE.supervisor,
                    taskId,
                    approve: step.approve,
                    note: "",
                  });
                  if (step.approve && t.pendingExtension) {
                    t.dueAt = t.pendingExtension;
                    t.extensions++;
                  }
                  t.pendingExtension = null;
                };
                break;
              case "cancel":
                allowed = t.state !== "closed" && t.state !== "cancelled";
                run = async () => {
                  await cancelTask(office.deps, { actor: OFFICE.supervisor, taskId, reason: "不再需要" });
                  t.cancelledAt = now;
                  t.state = "cancelled";
                };
                break;
              case "star": {
                const latest = await office.store.read((r) => r.reports.latest(taskId));
                allowed = latest !== null && latest.starredBy === null;
                if (!allowed) continue;
                run = async () => {
                  await starReport(office.deps, {
                    actor: OFFICE.supervisor,
                    taskId,
                    reportId: latest?.id ?? 0,
                  });
                  const mine = [...t.reports]
                    .reverse()
                    .find((r) => r.at.getTime() === latest?.createdAt.getTime());
                  if (mine) mine.starredAt = now;
                };
                break;
              }
            }
            let refused = false;
            try {
              await run();
            } catch (error) {
              if (!isAppError(error)) throw error;
              refused = true;
            }
            // The permission table and the reference agree on what may happen.
            expect({ step: step.kind, refused }).toEqual({ step: step.kind, refused: !allowed });
            // And on which open tasks are red, at every moment of the history.
            expect(await redNow()).toEqual(refRedAt(now));
            // The scores' thread keeps the facts and reads again only the tasks that changed
            // (services/scores-kept.ts): after every step they score as a whole reading does.
            for (const kind of ["month"] as const) {
              const running = currentPeriod(kind, now, TZ);
              periodsSeen.add(`${kind}:${running.start.getTime()}`);
              expect(await kept.score(running, []), `${kind} after ${step.kind}`).toEqual(
                await workOutScores(office.deps, running, []),
              );
            }
          }
          // Read whole once a period; every later step read only the tasks it changed.
          expect(kept.wholeReadings).toBe(periodsSeen.size);

          office.clock.set(beijing("2026-12-21", "10:00"));
          const now = office.clock.now();
          const period = previousPeriod("week", now, TZ);
          const ref = refScores(tasks, period, overrides);

          // The summary's totals.
          const summary = await buildSummary(office.deps, period);
          expect({
            total: summary.totals.total,
            closed: summary.totals.closed,
            overdue: summary.totals.overdue,
            closedLate: summary.totals.closedLate,
          }).toEqual(ref.totals);

          // Each department's score and items.
          const scored = await scorePeriod(office.deps, period);
          expect(await kept.score(period, [])).toEqual(await workOutScores(office.deps, period, []));
          for (const dept of ["finance", "housing"] as const) {
            const mine = scored.scores.find((s) => s.departmentId === office.departments[dept]);
            const expected = ref.scores.get(dept) ?? { items: {}, score: 100, tasks: 0 };
            const items: Record<string, number> = {};
            for (const i of mine?.items ?? []) items[i.rule] = (items[i.rule] ?? 0) + i.count;
            expect({ dept, score: mine?.score, tasks: mine?.scoredTasks, items }).toEqual({
              dept,
              score: expected.score,
              tasks: expected.tasks,
              items: expected.items,
            });
          }
          // The summary ranks with the same scores.
          for (const s of summary.bars) {
            expect(s.score).toBe(scored.scores.find((x) => x.departmentId === s.id)?.score);
          }

          // The red lights of the open tasks.
          expect(await redNow()).toEqual(refRedAt(now));

          // The ledger's rows say the same.
          const source = ledgerSource(office.deps, {});
          const rows = [];
          for await (const page of source.tasks()) rows.push(...page);
          for (const t of tasks) {
            const row = rows.find((r) => r.id === t.id);
            const open = t.state !== "closed" && t.state !== "cancelled";
            expect({
              id: t.id,
              state: row?.state,
              extensions: row?.extensionCount,
              red: row?.light.light === "red",
            }).toEqual({
              id: t.id,
              state: t.state,
              extensions: t.extensions,
              red: open && refLight(t, now, overrides).length > 0,
            });
          }
        } finally {
          await office.close();
        }
      }),
      // A failure shrinks for at most a minute and a half: long enough for a readable history.
      // The seed roams (fast-check prints it with any failure, to replay it with `seed` and
      // `path`). Seed -997796182 once found this reference keeping a blocker open across a
      // completion claim; the product was right (a claim ends the blocker's run).
      { numRuns: 25, interruptAfterTimeLimit: 90_000 },
    );
  }, 150_000);
});

import { afterEach, describe, expect, it } from "vitest";
import { currentPeriod } from "../src/domain/period.js";
import { localDateOf } from "../src/domain/time.js";
import {
  acknowledgeTask,
  claimCompletion,
  requestExtension,
  submitReport,
} from "../src/services/department-actions.js";
import { forgetStoredLights } from "../src/services/lights.js";
import { decideExtension, reopenTask, returnTask, verifyTask } from "../src/services/office-actions.js";
import { recordSiteCheck } from "../src/services/site-checks.js";
import { buildSummary, scorePeriod } from "../src/services/summary.js";
import { runSupervision } from "../src/services/supervision.js";
import { listTasks } from "../src/services/tasks.js";
import { beijing, dispatch, OFFICE, type ServiceOffice, serviceOffice, TZ } from "./support/services.js";

let office: ServiceOffice;
afterEach(async () => {
  await office.close();
});

const ladderOf = async (taskId: number) =>
  (await office.store.read((r) => r.events.forTask(taskId)))
    .map((e) => e.type)
    .filter((type) => ["task.reminded", "task.urged", "task.escalated", "extension.approved"].includes(type));

describe("the escalation ladder and an approved extension", () => {
  it("ends the episode: a task still red starts again at a reminder, not at the next step", async () => {
    office = await serviceOffice(beijing("2026-12-01"));
    const [id = 0] = await dispatch(office, "一、财政局牵头，12月8日前完成老旧小区改造资金拨付。");
    await acknowledgeTask(office.deps, { actor: OFFICE.finance, taskId: id });
    const runOn = async (date: string) => {
      office.clock.set(beijing(date, "09:00"));
      await runSupervision(office.deps, { mode: "daily" });
    };
    await runOn("2026-12-10"); // overdue since the 9th and seven working days silent: red
    await runOn("2026-12-11");
    expect(await ladderOf(id)).toEqual(["task.reminded", "task.urged"]);
    office.clock.set(beijing("2026-12-11", "10:00"));
    await requestExtension(office.deps, {
      actor: OFFICE.finance,
      taskId: id,
      newDate: "2026-12-31",
      reason: "资金未到位",
    });
    await decideExtension(office.deps, { actor: OFFICE.supervisor, taskId: id, approve: true, note: "" });
    const task = await office.store.read((r) => r.tasks.view(id));
    expect(task).toMatchObject({ episodeStartedAt: null, escalationStep: 0 });
    // Still silent, so still red (stalled): a new episode, from its first step.
    await runOn("2026-12-14");
    expect(await ladderOf(id)).toEqual([
      "task.reminded",
      "task.urged",
      "extension.approved",
      "task.reminded",
    ]);
  });
});

describe("a blocker reported while an older build ran beside this one", () => {
  it("is found again by the daily run and at start, where the task's flag was left unset", async () => {
    office = await serviceOffice(beijing("2026-12-01"));
    const [id = 0] = await dispatch(office, "一、财政局牵头，12月18日前完成老旧小区改造资金拨付。");
    await acknowledgeTask(office.deps, { actor: OFFICE.finance, taskId: id });
    await submitReport(office.deps, {
      actor: OFFICE.finance,
      taskId: id,
      text: "市级配套资金至今未到位，无法开工",
      progress: 10,
      blocker: true,
      cause: "funding",
    });
    const blockerOf = async () =>
      (await office.store.read((r) => r.taskLights.openSlim())).find((t) => t.id === id)?.openBlocker
        ?.cause ?? null;
    expect(await blockerOf()).toBe("funding");
    // An older build writes the report and its task's standing, but knows nothing of the flag.
    const olderBuild = () =>
      office.store.transaction((tx) => tx.tasks.update(id, { lastReportBlocker: false }));
    await olderBuild();
    expect(await blockerOf()).toBeNull();
    office.clock.set(beijing("2026-12-02", "09:00"));
    await runSupervision(office.deps, { mode: "daily" });
    expect(await blockerOf()).toBe("funding");
    await olderBuild();
    await forgetStoredLights(office.deps);
    expect(await blockerOf()).toBe("funding");
  });
});

describe("走过场 in the report modal", () => {
  it("is filler with no new percentage, and never a report with a new number or a blocker", async () => {
    office = await serviceOffice();
    const [id = 0] = await dispatch(office, "一、财政局牵头，12月31日前完成冬季供暖补贴资金下达。");
    const report = async (text: string, progress: number | null, blocker = false) => {
      office.clock.advance(3_600_000);
      await submitReport(office.deps, {
        actor: OFFICE.finance,
        taskId: id,
        text,
        progress,
        blocker,
        cause: blocker ? "funding" : null,
      });
      const reports = await office.store.read((r) => r.reports.listForTask(id));
      return reports.at(-1)?.perfunctory;
    };
    expect(await report("完成现场踏勘，已形成资金测算方案", 20)).toBe(false);
    expect(await report("正在推进", null)).toBe(true);
    expect(await report("正在推进", 30)).toBe(false);
    expect(await report("正在推进", 30)).toBe(true);
    expect(await report("正在推进", null, true)).toBe(false);
  });
});

describe("a completion claimed late, still under review", () => {
  it("is overdue for the lights, the score and the summary alike; claimed on time, it is none of them", async () => {
    office = await serviceOffice(beijing("2026-12-01"));
    const [late = 0, onTime = 0] = await dispatch(
      office,
      "一、财政局牵头，12月8日前完成资金拨付。\n二、财政局牵头，12月9日前完成补贴下达。",
    );
    office.clock.set(beijing("2026-12-08", "15:00"));
    await claimCompletion(office.deps, { actor: OFFICE.finance, taskId: onTime, evidence: "已全部下达" });
    office.clock.set(beijing("2026-12-09", "10:00"));
    await claimCompletion(office.deps, { actor: OFFICE.finance, taskId: late, evidence: "已全部拨付" });
    office.clock.set(beijing("2026-12-11", "10:00"));

    const red = await listTasks(office.deps, { actor: OFFICE.supervisor, filter: { kind: "red" }, page: 1 });
    expect(red.tasks.map((t) => t.id)).toEqual([late]);

    const week = currentPeriod("week", office.clock.now(), TZ);
    const scored = await scorePeriod(office.deps, week);
    const finance = scored.scores.find((s) => s.departmentId === office.departments.finance);
    expect(finance?.items.filter((i) => i.rule === "overdue").map((i) => i.taskId)).toEqual([late]);
    const summary = await buildSummary(office.deps, week);
    expect(summary.totals.overdue).toBe(1);
  });
});

describe("a completion claim returned", () => {
  it("no longer says 100%: the progress last reported stands again, and after reopening too", async () => {
    office = await serviceOffice();
    const [id = 0] = await dispatch(office, "一、财政局牵头，12月31日前完成冬季供暖补贴资金下达。");
    const progress = async () => (await office.store.read((r) => r.tasks.view(id)))?.progress;
    await submitReport(office.deps, {
      actor: OFFICE.finance,
      taskId: id,
      text: "已下达6个区中的4个",
      progress: 60,
      blocker: false,
      cause: null,
    });
    await claimCompletion(office.deps, { actor: OFFICE.finance, taskId: id, evidence: "已全部下达" });
    expect(await progress()).toBe(100);
    await returnTask(office.deps, { actor: OFFICE.supervisor, taskId: id, reason: "还有两个区未到账" });
    expect(await progress()).toBe(60);
    await claimCompletion(office.deps, { actor: OFFICE.finance, taskId: id, evidence: "已全部到账" });
    // 供暖 is 民生: 验收 waits for an on-site check that found the claim true.
    await expect(verifyTask(office.deps, { actor: OFFICE.supervisor, taskId: id })).rejects.toThrow(
      "site_check_needed",
    );
    await recordSiteCheck(office.deps, {
      actor: OFFICE.supervisor,
      taskId: id,
      checkers: "李督查",
      checkedOn: localDateOf(office.clock.now(), TZ),
      place: "城东供热站",
      finding: "true",
      note: "",
      covert: false,
      fileIds: [],
    });
    await verifyTask(office.deps, { actor: OFFICE.supervisor, taskId: id });
    expect(await progress()).toBe(100);
    await reopenTask(office.deps, { actor: OFFICE.supervisor, taskId: id, reason: "发现一个区资金被挪用" });
    expect(await progress()).toBe(60);
  });
});

describe("the red list, from the lights kept in the database", () => {
  const red = async () =>
    (await listTasks(office.deps, { actor: OFFICE.supervisor, filter: { kind: "red" }, page: 1 })).tasks.map(
      (t) => t.id,
    );

  it("follows the clock, a report, a changed threshold and a changed calendar at once", async () => {
    // Monday 30 November: dispatched, due at the end of January, no cadence.
    office = await serviceOffice(beijing("2026-11-30", "10:00"));
    const [id] = await dispatch(office, "一、市财政局牵头，2027年1月31日前完成第1项工作。");
    await acknowledgeTask(office.deps, { actor: OFFICE.finance, taskId: id ?? 0 });
    expect(await red()).toEqual([]);
    // Seven working days without a word: Wednesday 9 December, 10:00, red (stalled).
    office.clock.set(beijing("2026-12-09", "09:59"));
    expect(await red()).toEqual([]);
    office.clock.set(beijing("2026-12-09", "10:00"));
    expect(await red()).toEqual([id]);
    // A substantive report: not red any more.
    await submitReport(office.deps, {
      actor: OFFICE.finance,
      taskId: id ?? 0,
      text: "进度20%，完成前期调研",
      progress: 20,
      blocker: false,
      cause: null,
    });
    expect(await red()).toEqual([]);
    // Three working days later the office lowers the stall limit to 3: red at once.
    office.clock.set(beijing("2026-12-14", "10:00"));
    expect(await red()).toEqual([]);
    await office.store.transaction((tx) =>
      tx.settings.set("lights.thresholds", { stallWorkdaysWithoutCadence: 3 }, OFFICE.admin),
    );
    expect(await red()).toEqual([id]);
    // Two of those days declared holidays: within the limit again.
    await office.store.transaction(async (tx) => {
      await tx.calendar.set("2026-12-10", "holiday", "", OFFICE.admin);
      await tx.calendar.set("2026-12-11", "holiday", "", OFFICE.admin);
    });
    expect(await red()).toEqual([]);
  });
});

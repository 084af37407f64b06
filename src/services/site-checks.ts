import { AppError } from "../domain/errors.js";
import { needsSiteCheck, type SiteFinding, siteCheckDone } from "../domain/loops.js";
import type { TaskView } from "../domain/model.js";
import { loopSettingsOf, readSettings } from "../domain/settings.js";
import { isLocalDate, type LocalDate, startOfDay } from "../domain/time.js";
import type { Repositories } from "../store/store.js";
import type { ServiceDeps } from "./ports.js";
import { act } from "./task-action.js";

/**
 * 实地核查 (DESIGN: Closing the loops): the office checks on the spot, not on phone calls and
 * paper (求真务实). Tasks tagged as the office says (default 民生) need a check that found the
 * claim 属实 or 部分属实 before 验收; 不属实 on a standing completion claim returns it (退回) and
 * is recorded as 虚报 (scoring: falseClaim). 暗访 (unannounced) is recorded the same way, on any task.
 */

/** The tags that make this task need a check before 验收, or none. */
export async function siteCheckWanted(tx: Repositories, task: TaskView): Promise<string[]> {
  const loops = loopSettingsOf(readSettings(await tx.settings.all()));
  if (!needsSiteCheck(task.tags, loops)) return [];
  if (siteCheckDone(await tx.siteChecks.ofTask(task.id), task.claimedAt)) return [];
  return task.tags.filter((t) => loops.siteCheckTags.includes(t));
}

/** 验收 of a task whose tags need a check waits for one that found the claim standing. */
export async function requireSiteCheck(tx: Repositories, task: TaskView): Promise<void> {
  const wanted = await siteCheckWanted(tx, task);
  if (wanted.length) throw new AppError("site_check_needed", { tags: wanted.join("、") });
}

export interface SiteCheckInput {
  actor: string;
  taskId: number;
  once?: string;
  checkers: string;
  checkedOn: LocalDate;
  place: string;
  finding: SiteFinding;
  note: string;
  covert: boolean;
  /** Files shared in the task's thread (photos, records) the check points to. */
  fileIds: readonly string[];
}

/** Records a check; returns whether it returned a claim as 虚报. */
export async function recordSiteCheck(deps: ServiceDeps, input: SiteCheckInput): Promise<boolean> {
  if (!isLocalDate(input.checkedOn) || !input.checkers.trim() || !input.place.trim())
    throw new AppError("usage", { usage: "siteCheck" });
  const result = await act(deps, input, "site_check", async ({ tx, task, now, notify }) => {
    const shared = await tx.reports.filesOfTask(task.id);
    const files = shared
      .filter((f) => input.fileIds.includes(f.fileId))
      .map((f) => ({ name: f.name, permalink: f.permalink }));
    const falseClaim = input.finding === "false" && task.state === "pending_review";
    const checkId = await tx.siteChecks.create({
      taskId: task.id,
      departmentId: task.leadDept.id,
      checkers: input.checkers.trim(),
      checkedOn: startOfDay(input.checkedOn, deps.timeZone),
      place: input.place.trim(),
      finding: input.finding,
      note: input.note.trim(),
      covert: input.covert,
      files,
      falseClaim,
      recordedBy: input.actor,
      recordedAt: now,
    });
    await tx.events.append({
      at: now,
      actor: input.actor,
      type: "sitecheck.recorded",
      taskId: task.id,
      after: { checkId, finding: input.finding, covert: input.covert, falseClaim, place: input.place.trim() },
    });
    if (falseClaim) {
      // The claim does not stand: returned as 退回 is (the claim withdrawn, counted), and 虚报.
      await tx.tasks.update(task.id, {
        state: "in_progress",
        claimedAt: null,
        returnCount: task.returnCount + 1,
        progress: (await tx.reports.standing(task.id, { claimWithdrawn: true })).progress,
      });
      await tx.events.append({
        at: now,
        actor: input.actor,
        type: "task.returned",
        taskId: task.id,
        before: { state: task.state },
        after: { state: "in_progress", reason: input.note.trim() || input.place.trim() },
      });
    }
    notify(
      {
        type: "site_checked",
        by: input.actor,
        checkId,
        finding: input.finding,
        covert: input.covert,
        falseClaim,
      },
      `sc${checkId}`,
    );
    return falseClaim;
  });
  return result ?? false;
}

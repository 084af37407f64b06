import { AppError } from "../domain/errors.js";
import type { TaskView } from "../domain/model.js";
import { owe } from "../domain/outbox.js";
import { oweClosure } from "./closures.js";
import type { ServiceDeps } from "./ports.js";
import { recheckOffer, scheduleRecheck } from "./rechecks.js";
import { requireSiteCheck } from "./site-checks.js";
import { act, changeTask, prepareActionWithFiles, refusal } from "./task-action.js";

/** What the office does to a task: 催办, 验收, 退回, 撤销, 重新督办, ⭐, and deciding extensions. */

/** 批准 / 驳回延期: an approval moves the due date and counts the extension. */
export async function decideExtension(
  deps: ServiceDeps,
  input: { actor: string; taskId: number; once?: string; approve: boolean; note: string },
): Promise<void> {
  await act(
    deps,
    input,
    input.approve ? "approve_extension" : "reject_extension",
    async ({ tx, task, now, notify }) => {
      const extension = await tx.extensions.pending(task.id);
      if (!extension)
        throw refusal("no_extension", input.approve ? "approve_extension" : "reject_extension", task);
      await tx.extensions.decide(
        extension.id,
        input.approve ? "approved" : "rejected",
        input.actor,
        now,
        input.note,
      );
      if (input.approve) {
        await tx.tasks.update(task.id, {
          dueAt: extension.newDueAt,
          extensionCount: task.extensionCount + 1,
          // An approved extension ends an overdue episode.
          episodeStartedAt: null,
          escalationStep: 0,
        });
      }
      await tx.events.append({
        at: now,
        actor: input.actor,
        type: input.approve ? "extension.approved" : "extension.rejected",
        taskId: task.id,
        before: { dueAt: task.dueAt.toISOString() },
        after: { dueAt: (input.approve ? extension.newDueAt : task.dueAt).toISOString(), note: input.note },
      });
      notify(
        {
          type: "extension_decided",
          by: input.actor,
          approved: input.approve,
          newDueAt: extension.newDueAt,
          note: input.note,
        },
        `xd${extension.id}`,
      );
    },
  );
}

/** 催办: a reply in the card's thread that mentions the lead department's members. */
export async function urgeTask(deps: ServiceDeps, input: { actor: string; taskId: number }): Promise<void> {
  await act(deps, input, "urge", async ({ tx, task, now, notify }) => {
    const eventId = await tx.events.append({
      at: now,
      actor: input.actor,
      type: "task.urged",
      taskId: task.id,
    });
    notify({ type: "urged", by: input.actor }, `e${eventId}`);
  });
}

/**
 * 验收通过, with the 验收意见 and a 回头看 day when given. A task whose tags need 实地核查 waits for
 * a check that found its claim true; a task of a leader's decision reports back (报结).
 */
export async function verifyTask(
  deps: ServiceDeps,
  input: { actor: string; taskId: number; once?: string; note?: string; recheckOn?: string | null },
): Promise<void> {
  await act(deps, input, "verify", async (scope) => {
    const { tx, task, now, stateAfter, notify } = scope;
    await requireSiteCheck(tx, task);
    const note = (input.note ?? "").trim();
    await tx.tasks.update(task.id, { closedAt: now });
    if (note) await tx.tasks.setVerifyNote(task.id, note);
    if (input.recheckOn)
      await scheduleRecheck(deps, tx, { task, day: input.recheckOn, actor: input.actor, now });
    const extra = { ...(note ? { note } : {}), ...(input.recheckOn ? { recheckOn: input.recheckOn } : {}) };
    const eventId = await tx.events.append({
      at: now,
      actor: input.actor,
      type: "task.verified",
      taskId: task.id,
      before: { state: task.state },
      after: { state: stateAfter, ...extra },
    });
    notify({ type: "verified", by: input.actor, ...extra }, `e${eventId}`);
    await oweClosure(tx, { task, now, actor: input.actor, owe: scope.owe });
  });
}

/** What the 验收 modal offers: the default 回头看 day, and whether an on-site check is owed first. */
export async function prepareVerify(
  deps: ServiceDeps,
  input: { actor: string; taskId: number },
): Promise<{ task: TaskView; recheckOn: string | null }> {
  const { task } = await prepareActionWithFiles(deps, { ...input, action: "verify", withFiles: false });
  return deps.store.read(async (tx) => {
    await requireSiteCheck(tx, task);
    return { task, recheckOn: await recheckOffer(deps, tx, task) };
  });
}

/** 退回: back to in progress, with a reason; the claim no longer counts. */
export async function returnTask(
  deps: ServiceDeps,
  input: { actor: string; taskId: number; once?: string; reason: string },
): Promise<void> {
  await changeTask(deps, input, "return", {
    event: "task.returned",
    // The returned claim's 100% no longer stands: the progress is the last reported again.
    fields: async ({ tx, task }) => ({
      claimedAt: null,
      returnCount: task.returnCount + 1,
      progress: (await tx.reports.standing(task.id, { claimWithdrawn: true })).progress,
    }),
    notice: { type: "returned", by: input.actor, reason: input.reason },
  });
}

/** 撤销 */
export async function cancelTask(
  deps: ServiceDeps,
  input: { actor: string; taskId: number; once?: string; reason: string },
): Promise<void> {
  await changeTask(deps, input, "cancel", {
    event: "task.cancelled",
    fields: ({ now }) => ({ cancelledAt: now }),
    notice: { type: "cancelled", by: input.actor, reason: input.reason },
  });
}

/** 重新督办: a closed or cancelled task is open again. */
export async function reopenTask(
  deps: ServiceDeps,
  input: { actor: string; taskId: number; once?: string; reason: string },
): Promise<void> {
  await changeTask(deps, input, "reopen", {
    event: "task.reopened",
    fields: async ({ tx, task }) => {
      await tx.rechecks.dropPending(task.id);
      return {
        closedAt: null,
        cancelledAt: null,
        claimedAt: null,
        progress: (await tx.reports.standing(task.id, { claimWithdrawn: true })).progress,
      };
    },
    notice: { type: "reopened", by: input.actor, reason: input.reason },
  });
}

/** ⭐ a report as exemplary (推广先进经验); pressing again takes the star back. */
export async function starReport(
  deps: ServiceDeps,
  input: { actor: string; taskId: number; reportId: number },
): Promise<boolean> {
  const starred = await act(deps, input, "star", async ({ tx, task, now, notify }) => {
    const report = await tx.reports.byId(input.reportId);
    if (!report || report.taskId !== task.id || report.kind === "comment") {
      throw new AppError("task_not_found", { ref: String(input.reportId) });
    }
    const starring = report.starredBy === null;
    await tx.reports.star(report.id, starring ? input.actor : null, starring ? now : null);
    await tx.events.append({
      at: now,
      actor: input.actor,
      type: starring ? "report.starred" : "report.unstarred",
      taskId: task.id,
      after: { reportId: report.id },
    });
    if (starring) notify({ type: "starred", by: input.actor, reportId: report.id }, `s${report.id}`);
    return starring;
  });
  return starred ?? false;
}

/**
 * 推广先进经验: the office posts a report it starred to every unit's channel, once per report and
 * unit (pressed again, nothing is posted twice). A confidential task's report stays in its thread.
 * Returns how many units it went to.
 */
export async function spreadExperience(
  deps: ServiceDeps,
  input: { actor: string; taskId: number; reportId: number },
): Promise<number> {
  const units = await act(deps, input, "star", async ({ tx, task, now, owe: oweMessage }) => {
    const report = await tx.reports.byId(input.reportId);
    if (!report || report.taskId !== task.id || report.kind === "comment")
      throw new AppError("task_not_found", { ref: String(input.reportId) });
    if (task.confidentiality === "secret") throw new AppError("spread_refused", { why: "secret" });
    if (report.starredBy === null) throw new AppError("spread_refused", { why: "not_starred" });
    const departments = await tx.departments.listActive();
    for (const department of departments) {
      oweMessage(owe.experience(report.id, department.channelId, { taskId: task.id, reportId: report.id }));
    }
    await tx.events.append({
      at: now,
      actor: input.actor,
      type: "report.spread",
      taskId: task.id,
      after: { reportId: report.id, units: departments.length },
    });
    return departments.length;
  });
  return units ?? 0;
}

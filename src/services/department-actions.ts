import { AppError } from "../domain/errors.js";
import type { OutboxRequest } from "../domain/outbox.js";
import type { Cause } from "../domain/report-reading.js";
import { readReport } from "../domain/report-reading.js";
import { deadlineInstant, isLocalDate, type LocalDate } from "../domain/time.js";
import { askForCoordination, coordinationAsksIn, coordinationOnReply } from "./coordination.js";
import type { ServiceDeps } from "./ports.js";
import { applyReport, filesField, previousFor } from "./report-effects.js";
import { act, changeTask } from "./task-action.js";

/** What a department does to the tasks it leads or co-operates on: 签收, 反馈进展, 申请办结, 申请延期. */

/** 签收 */
export async function acknowledgeTask(
  deps: ServiceDeps,
  input: { actor: string; taskId: number },
): Promise<void> {
  await changeTask(deps, input, "ack", {
    event: "task.acknowledged",
    fields: ({ now }) => ({ ackAt: now, ackBy: input.actor }),
    notice: { type: "acked", by: input.actor },
  });
}

/** 反馈进展 from the modal. */
export async function submitReport(
  deps: ServiceDeps,
  input: {
    actor: string;
    taskId: number;
    /** The modal submitted: the same one acts once, however often it arrives. */
    once?: string;
    text: string;
    progress: number | null;
    blocker: boolean;
    cause: Cause | null;
    /** 需协调单位: departments the lead asks for coordination (协调事项), by id. */
    coordinate?: readonly number[];
  },
): Promise<void> {
  await act(
    deps,
    input,
    "report",
    async ({ tx, task, now, next, membership, viewer, notify, owe: oweMessage }) => {
      const previous = await previousFor(tx, task);
      const read = readReport(input.text, previous);
      const progress = input.progress ?? read.progress;
      const perfunctory =
        !input.blocker &&
        read.perfunctory &&
        (progress === null || progress === (previous?.progress ?? null));
      const report = await tx.reports.create({
        taskId: task.id,
        departmentId:
          membership === "lead"
            ? task.leadDept.id
            : (task.coDepts.find((d) => viewer.departmentIds.has(d.id))?.id ?? null),
        userId: input.actor,
        kind: "report",
        via: "modal",
        text: input.text,
        progress,
        blocker: input.blocker,
        cause: input.blocker ? (input.cause ?? "other") : null,
        doneClaim: read.doneClaim,
        perfunctory,
        createdAt: now,
      });
      await applyReport(tx, task, { perfunctory, at: now, userId: input.actor }, next);
      await tx.events.append({
        at: now,
        actor: input.actor,
        type: perfunctory ? "report.perfunctory" : "report.added",
        taskId: task.id,
        before: { progress: task.progress },
        after: { progress, blocker: input.blocker, cause: input.blocker ? (input.cause ?? "other") : null },
      });
      notify({ type: "reported", by: input.actor, reportId: report.id }, `r${report.id}`);
      // 协调事项: answered by a requested department's report, closed by the lead's report without
      // a blocker; asked by the lead's blocker naming a department, or its 需协调单位.
      await coordinationOnReply(tx, {
        task,
        userId: input.actor,
        departmentIds: viewer.departmentIds,
        text: input.text,
        now,
        ...(membership === "lead" ? { leadReport: { blocker: input.blocker, perfunctory } } : {}),
      });
      if (membership === "lead") {
        const asks = [
          ...(input.coordinate ?? []).map((departmentId) => ({ departmentId, need: input.text })),
          ...(input.blocker ? await coordinationAsksIn(tx, task, input.text) : []),
        ].filter((ask, i, all) => all.findIndex((a) => a.departmentId === ask.departmentId) === i);
        if (asks.length) {
          const owed: OutboxRequest[] = [];
          await askForCoordination(
            tx,
            {
              task,
              asks,
              by: input.actor,
              reportId: report.id,
              now,
              tz: deps.timeZone,
            },
            owed,
          );
          for (const request of owed) oweMessage(request);
        }
      }
    },
  );
}

/** 申请办结: completion claimed with evidence; the office verifies. The claim's time decides on-time. */
export async function claimCompletion(
  deps: ServiceDeps,
  input: {
    actor: string;
    taskId: number;
    /** The modal submitted: the same one acts once, however often it arrives. */
    once?: string;
    evidence: string;
    /** Files already shared in the task's thread that prove the work is done. */
    fileIds?: readonly string[];
  },
): Promise<void> {
  await act(deps, input, "claim", async ({ tx, task, now, stateAfter, notify }) => {
    const shared = await tx.reports.filesOfTask(task.id);
    const chosen = [...new Map(shared.map((f) => [f.fileId, f])).values()].filter((f) =>
      (input.fileIds ?? []).includes(f.fileId),
    );
    const claim = await tx.reports.create({
      taskId: task.id,
      departmentId: task.leadDept.id,
      userId: input.actor,
      kind: "claim",
      via: "modal",
      text: input.evidence,
      progress: 100,
      blocker: false,
      cause: null,
      doneClaim: true,
      perfunctory: false,
      createdAt: now,
    });
    await tx.reports.addFiles(
      claim.id,
      chosen.map(({ fileId, name, title, mimetype, size, permalink }) => ({
        fileId,
        name,
        title,
        mimetype,
        size,
        permalink,
      })),
    );
    const standing = await tx.reports.standing(task.id);
    await tx.tasks.update(task.id, {
      claimedAt: now,
      progress: 100,
      lastSubstantiveAt: standing.lastSubstantiveAt,
      ackAt: task.ackAt ?? now,
      ackBy: task.ackBy ?? input.actor,
      episodeStartedAt: null,
      escalationStep: 0,
    });
    await tx.events.append({
      at: now,
      actor: input.actor,
      type: "task.claimed",
      taskId: task.id,
      before: { state: task.state },
      after: { state: stateAfter, evidence: input.evidence, ...filesField(chosen) },
    });
    notify({ type: "claimed", by: input.actor, reportId: claim.id }, `c${claim.id}`);
  });
}

/** 申请延期: a request after the due date is accepted but marked late. */
export async function requestExtension(
  deps: ServiceDeps,
  input: { actor: string; taskId: number; once?: string; newDate: LocalDate; reason: string },
): Promise<void> {
  if (!isLocalDate(input.newDate)) throw new AppError("usage", { usage: "show" });
  await act(deps, input, "extend", async ({ tx, task, now, notify }) => {
    const newDueAt = deadlineInstant({ kind: "day", date: input.newDate }, deps.timeZone);
    if (newDueAt <= task.dueAt) throw new AppError("extension_not_later", {});
    const late = now >= task.dueAt;
    const extension = await tx.extensions.create({
      taskId: task.id,
      requestedBy: input.actor,
      requestedAt: now,
      oldDueAt: task.dueAt,
      newDueAt,
      reason: input.reason,
      late,
    });
    await tx.events.append({
      at: now,
      actor: input.actor,
      type: "extension.requested",
      taskId: task.id,
      after: { newDueAt: newDueAt.toISOString(), reason: input.reason, late },
    });
    notify(
      { type: "extension_requested", by: input.actor, newDueAt, reason: input.reason, late },
      `x${extension.id}`,
    );
  });
}

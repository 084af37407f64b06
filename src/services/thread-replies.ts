import { decide } from "../domain/lifecycle.js";
import type { SharedFile } from "../domain/model.js";
import { type OutboxRequest, owe } from "../domain/outbox.js";
import { type ReadReport, readReport } from "../domain/report-reading.js";
import { loadViewer } from "./access.js";
import { askForCoordination, coordinationAsksIn, coordinationOnReply } from "./coordination.js";
import type { ServiceDeps } from "./ports.js";
import { recheckOnReply } from "./rechecks.js";
import { applyReport, filesField, previousFor, reactionFor, withFiles } from "./report-effects.js";
import { membershipOf, oweRefresh } from "./task-action.js";

/** Replies in a task card's thread: reports (or comments), and their edits and deletions. */

export type ThreadReplyResult =
  | { kind: "ignored" }
  | { kind: "duplicate" }
  | { kind: "comment"; reportId: number }
  | { kind: "report"; reportId: number; read: ReadReport };

/**
 * A reply in a card's thread: a report when its author is a member of the task's lead or
 * co-operating department, else a comment. Read for a percentage, a blocker and its cause,
 * a claim of being done, and 走过场; confirmed with a reaction. Resent events count once.
 */
export async function recordThreadReply(
  deps: ServiceDeps,
  input: {
    userId: string;
    channelId: string;
    threadTs: string;
    ts: string;
    text: string;
    /** Files shared with the reply (a scanned document, a photo): kept as evidence. */
    files?: readonly SharedFile[];
    eventId?: string;
  },
): Promise<ThreadReplyResult> {
  const files = input.files ?? [];
  const result = await deps.store.transaction(async (tx): Promise<ThreadReplyResult> => {
    const taskId = await tx.tasks.idByCard(input.channelId, input.threadTs);
    if (taskId === null) return { kind: "ignored" };
    const now = deps.clock.now();
    // A resend is known before the task's view is read (Slack resends most when answers are slow).
    if (input.eventId && !(await tx.inboxRequests.firstTime(input.eventId, now)))
      return { kind: "duplicate" };
    if (await tx.reports.byMessage(input.channelId, input.ts)) return { kind: "duplicate" };
    const task = await tx.tasks.view(taskId);
    if (!task) return { kind: "ignored" };
    const viewer = await loadViewer(deps, tx, input.userId);
    const membership = membershipOf(viewer, task);
    const verdict = decide("report", {
      state: task.state,
      extensionPending: task.pendingExtension !== null,
      membership,
      roles: viewer.roles,
    });
    if (!verdict.allowed) {
      // A supervisor's question, a leader's remark, or a reply to a closed task: kept, not counted.
      const comment = await tx.reports.create({
        taskId: task.id,
        departmentId: null,
        userId: input.userId,
        kind: "comment",
        via: "thread",
        text: input.text,
        progress: null,
        blocker: false,
        cause: null,
        doneClaim: false,
        perfunctory: false,
        channelId: input.channelId,
        ts: input.ts,
        ...(input.eventId ? { eventId: input.eventId } : {}),
        createdAt: now,
      });
      await tx.reports.addFiles(comment.id, files);
      await tx.events.append({
        at: now,
        actor: input.userId,
        type: "comment.added",
        taskId: task.id,
        after: { text: input.text, ...filesField(files) },
      });
      // A department asked to help (协调事项) answers in the thread.
      const answered = await coordinationOnReply(tx, {
        task,
        userId: input.userId,
        departmentIds: viewer.departmentIds,
        text: input.text,
        now,
      });
      // A unit asked to look again (回头看) answers in the thread of its closed task.
      const rechecked = await recheckOnReply(tx, {
        task,
        userId: input.userId,
        departmentIds: viewer.departmentIds,
        reportId: comment.id,
        now,
      });
      if (answered.length || rechecked) {
        const owed: OutboxRequest[] = [owe.reaction(input.channelId, input.ts, "white_check_mark")];
        await oweRefresh(tx, task, owed);
        await tx.outbox.enqueueAll(owed);
      }
      return { kind: "comment", reportId: comment.id };
    }
    const read = withFiles(readReport(input.text, await previousFor(tx, task)), files);
    const departmentId =
      membership === "lead"
        ? task.leadDept.id
        : (task.coDepts.find((d) => viewer.departmentIds.has(d.id))?.id ?? null);
    const report = await tx.reports.create({
      taskId: task.id,
      departmentId,
      userId: input.userId,
      kind: "report",
      via: "thread",
      text: input.text,
      ...read,
      channelId: input.channelId,
      ts: input.ts,
      ...(input.eventId ? { eventId: input.eventId } : {}),
      createdAt: now,
    });
    await tx.reports.addFiles(report.id, files);
    await applyReport(
      tx,
      task,
      { perfunctory: read.perfunctory, at: now, userId: input.userId },
      verdict.next,
    );
    await tx.events.append({
      at: now,
      actor: input.userId,
      type: read.perfunctory ? "report.perfunctory" : "report.added",
      taskId: task.id,
      before: { progress: task.progress },
      after: {
        progress: read.progress,
        blocker: read.blocker,
        cause: read.cause,
        doneClaim: read.doneClaim,
        ...filesField(files),
      },
    });
    const owed: OutboxRequest[] = [owe.reaction(input.channelId, input.ts, reactionFor(read))];
    // 协调事项: a requested department's reply answers; the lead's report without a blocker
    // closes the requests; the lead's blocker naming another department asks it for help.
    await coordinationOnReply(tx, {
      task,
      userId: input.userId,
      departmentIds: viewer.departmentIds,
      text: input.text,
      now,
      ...(membership === "lead" ? { leadReport: read } : {}),
    });
    if (read.blocker && membership === "lead") {
      const asks = await coordinationAsksIn(tx, task, input.text);
      if (asks.length) {
        await askForCoordination(
          tx,
          {
            task,
            asks,
            by: input.userId,
            reportId: report.id,
            now,
            tz: deps.timeZone,
          },
          owed,
        );
      }
    }
    if (read.doneClaim && membership === "lead") {
      owed.push(
        owe.taskNotice(
          { id: task.id, lane: input.channelId },
          `offer:${input.ts}`,
          { type: "offer_claim" },
          input.userId,
        ),
      );
    }
    await oweRefresh(tx, task, owed);
    await tx.outbox.enqueueAll(owed);
    return { kind: "report", reportId: report.id, read };
  });
  if (result.kind === "report" || result.kind === "comment") deps.outbox.kick();
  return result;
}

/** An edited reply: its report is read again; the change is logged. */
export async function editThreadReply(
  deps: ServiceDeps,
  input: { channelId: string; ts: string; text: string; eventId?: string },
): Promise<boolean> {
  const changed = await deps.store.transaction(async (tx) => {
    const now = deps.clock.now();
    if (input.eventId && !(await tx.inboxRequests.firstTime(input.eventId, now))) return false;
    const report = await tx.reports.byMessage(input.channelId, input.ts);
    if (!report || report.retractedAt || report.text === input.text) return false;
    const task = await tx.tasks.view(report.taskId);
    if (!task) return false;
    const owed: OutboxRequest[] = [];
    if (report.kind === "report") {
      const read = readReport(input.text, await previousFor(tx, task, report.id));
      await tx.reports.update(report.id, { text: input.text, ...read }, now);
      await applyReport(tx, task, {
        perfunctory: read.perfunctory,
        at: report.createdAt,
        userId: report.userId,
      });
      const before = reactionFor(report);
      const after = reactionFor(read);
      if (before !== after) {
        owed.push(
          owe.reaction(input.channelId, input.ts, before, { remove: true, at: now }),
          owe.reaction(input.channelId, input.ts, after, { at: now }),
        );
      }
    } else {
      await tx.reports.update(report.id, { ...report, text: input.text }, now);
    }
    await tx.events.append({
      at: now,
      actor: report.userId,
      type: "report.edited",
      taskId: task.id,
      before: { text: report.text, progress: report.progress },
      after: { text: input.text },
    });
    await oweRefresh(tx, task, owed);
    await tx.outbox.enqueueAll(owed);
    return true;
  });
  if (changed) deps.outbox.kick();
  return changed;
}

/** A deleted reply: its report is retracted (kept for the record), the task's progress recomputed. */
export async function deleteThreadReply(
  deps: ServiceDeps,
  input: { channelId: string; ts: string; eventId?: string },
): Promise<boolean> {
  const changed = await deps.store.transaction(async (tx) => {
    const now = deps.clock.now();
    if (input.eventId && !(await tx.inboxRequests.firstTime(input.eventId, now))) return false;
    const report = await tx.reports.byMessage(input.channelId, input.ts);
    if (!report || report.retractedAt) return false;
    const task = await tx.tasks.view(report.taskId);
    if (!task) return false;
    await tx.reports.retract(report.id, now);
    const standing = await tx.reports.standing(task.id);
    await tx.tasks.update(task.id, standing);
    await tx.events.append({
      at: now,
      actor: report.userId,
      type: "report.retracted",
      taskId: task.id,
      before: { text: report.text, progress: report.progress },
    });
    const owed: OutboxRequest[] = [];
    await oweRefresh(tx, task, owed);
    await tx.outbox.enqueueAll(owed);
    return true;
  });
  if (changed) deps.outbox.kick();
  return changed;
}

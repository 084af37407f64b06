import { AppError } from "../domain/errors.js";
import { decide, type Membership, type Refusal, type TaskAction } from "../domain/lifecycle.js";
import type { SharedFile, TaskFile, TaskView } from "../domain/model.js";
import { type OutboxRequest, owe, type TaskNotice } from "../domain/outbox.js";
import type { Viewer } from "../domain/permissions.js";
import { type Cause, type ReadReport, readReport } from "../domain/report-reading.js";
import { deadlineInstant, isLocalDate, type LocalDate } from "../domain/time.js";
import type { Repositories } from "../store/store.js";
import { loadViewer } from "./access.js";
import type { ServiceDeps } from "./ports.js";

export function membershipOf(viewer: Viewer, task: TaskView): Membership {
  if (viewer.departmentIds.has(task.leadDept.id)) return "lead";
  if (task.coDepts.some((d) => viewer.departmentIds.has(d.id))) return "co";
  return "none";
}

/** What an action needs: the task, who acts and how they relate to it. */
export interface ActionScope {
  tx: Repositories;
  task: TaskView;
  viewer: Viewer;
  membership: Membership;
  now: Date;
  /** Messages owed because of this action (the card and rollup updates are added for you). */
  owe: (request: OutboxRequest) => void;
  /** Tells the card's thread what happened. */
  notify: (notice: TaskNotice, key: string, visibleTo?: string) => void;
}

function refusal(reason: Refusal, action: TaskAction, task: TaskView): AppError {
  return new AppError("not_allowed", {
    reason,
    action,
    year: task.year,
    seq: task.seq,
    lead: task.leadDept.name,
    state: task.state,
  });
}

/** The card and the decision's rollup show the task's new state. */
export async function oweRefresh(
  tx: Repositories,
  task: TaskView,
  owed: OutboxRequest[],
  options: { prompt?: boolean } = {},
): Promise<void> {
  owed.push(owe.cardUpdate(task.id, options));
  const decision = await tx.decisions.view(task.decision.id);
  if (decision?.rollup) owed.push(owe.rollupUpdate(decision.id));
}

/**
 * Runs one action on a task: checks it against the permission table (refusing with the
 * reason), applies it, records its event, and owes the card and rollup updates and any thread
 * notice — all in one transaction.
 */
async function act<T>(
  deps: ServiceDeps,
  input: { actor: string; taskId: number },
  action: TaskAction,
  apply: (scope: ActionScope) => Promise<T>,
): Promise<T> {
  const result = await deps.store.transaction(async (tx) => {
    const task = await tx.tasks.view(input.taskId);
    if (!task) throw new AppError("task_not_found", { ref: String(input.taskId) });
    const viewer = await loadViewer(deps, tx, input.actor);
    const membership = membershipOf(viewer, task);
    const verdict = decide(action, {
      state: task.state,
      extensionPending: task.pendingExtension !== null,
      membership,
      roles: viewer.roles,
    });
    if (!verdict.allowed) {
      throw refusal(verdict.reason, action, task);
    }
    const owed: OutboxRequest[] = [];
    const lane = task.card?.channelId ?? task.leadDept.channelId;
    const value = await apply({
      tx,
      task,
      viewer,
      membership,
      now: deps.clock.now(),
      owe: (request) => owed.push(request),
      notify: (notice, key, visibleTo) =>
        owed.push({
          key: `notice:${task.id}:${key}`,
          lane,
          message: { kind: "task.notice", taskId: task.id, notice, ...(visibleTo ? { visibleTo } : {}) },
        }),
    });
    // The person who clicked is looking at the card: it changes at once.
    await oweRefresh(tx, task, owed, { prompt: true });
    await tx.outbox.enqueueAll(owed);
    return value;
  });
  deps.outbox.kick();
  return result;
}

/** 签收 */
export async function acknowledgeTask(
  deps: ServiceDeps,
  input: { actor: string; taskId: number },
): Promise<void> {
  await act(deps, input, "ack", async ({ tx, task, now, notify }) => {
    await tx.tasks.update(task.id, { state: "in_progress", ackAt: now, ackBy: input.actor });
    const eventId = await tx.events.append({
      at: now,
      actor: input.actor,
      type: "task.acknowledged",
      taskId: task.id,
      before: { state: task.state },
      after: { state: "in_progress" },
    });
    notify({ type: "acked", by: input.actor }, `e${eventId}`);
  });
}

/** A report's effect on its task: the first report by the lead counts as acknowledging it. */
async function applyReport(
  tx: Repositories,
  task: TaskView,
  report: { id: number; perfunctory: boolean; at: Date; byLead: boolean; userId: string },
): Promise<void> {
  const standing = await tx.reports.standing(task.id);
  await tx.tasks.update(task.id, {
    progress: standing.progress,
    lastSubstantiveAt: standing.lastSubstantiveAt,
    lastReportId: standing.lastReportId,
    // A substantive report ends a stall episode (the escalation ladder starts again).
    ...(!report.perfunctory ? { episodeStartedAt: null, escalationStep: 0, escalatedAt: null } : {}),
    ...(report.byLead && task.state === "dispatched"
      ? { state: "in_progress" as const, ackAt: task.ackAt ?? report.at, ackBy: task.ackBy ?? report.userId }
      : {}),
  });
}

/**
 * What a new report is compared with to tell whether it says anything new: the last report
 * that did (a repeat of it is 走过场), and the progress last reported.
 */
async function previousFor(tx: Repositories, task: TaskView, exceptId?: number) {
  const substantive = await tx.reports.latest(task.id, exceptId, true);
  if (!substantive) return undefined;
  const standing = await tx.reports.standing(task.id);
  return {
    text: substantive.text,
    progress: exceptId === undefined ? standing.progress : substantive.progress,
  };
}

/** A report that brings a document or a photo says something new, whatever its words: never 走过场. */
function withFiles(read: ReadReport, files: readonly SharedFile[]): ReadReport {
  return files.length > 0 ? { ...read, perfunctory: false } : read;
}

/** The files of a report as its event records them. */
function filesField(files: readonly SharedFile[]) {
  return files.length ? { files: files.map((f) => ({ name: f.name, permalink: f.permalink })) } : {};
}

/** The reaction that confirms a thread reply. */
export function reactionFor(read: Pick<ReadReport, "perfunctory" | "blocker">): string {
  if (read.blocker) return "construction";
  if (read.perfunctory) return "warning";
  return "white_check_mark";
}

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
    const task = await tx.tasks.byCard(input.channelId, input.threadTs);
    if (!task) return { kind: "ignored" };
    const now = deps.clock.now();
    if (input.eventId && !(await tx.inbound.firstTime(input.eventId, now))) return { kind: "duplicate" };
    if (await tx.reports.byMessage(input.channelId, input.ts)) return { kind: "duplicate" };
    const viewer = await loadViewer(deps, tx, input.userId);
    const membership = membershipOf(viewer, task);
    const canReport = decide("report", {
      state: task.state,
      extensionPending: task.pendingExtension !== null,
      membership,
      roles: viewer.roles,
    }).allowed;
    if (!canReport) {
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
    await applyReport(tx, task, {
      id: report.id,
      perfunctory: read.perfunctory,
      at: now,
      byLead: membership === "lead",
      userId: input.userId,
    });
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
    if (read.doneClaim && membership === "lead") {
      owed.push({
        key: `notice:${task.id}:offer:${input.ts}`,
        lane: input.channelId,
        message: {
          kind: "task.notice",
          taskId: task.id,
          notice: { type: "offer_claim" },
          visibleTo: input.userId,
        },
      });
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
    if (input.eventId && !(await tx.inbound.firstTime(input.eventId, now))) return false;
    const report = await tx.reports.byMessage(input.channelId, input.ts);
    if (!report || report.retractedAt || report.text === input.text) return false;
    const task = await tx.tasks.view(report.taskId);
    if (!task) return false;
    const owed: OutboxRequest[] = [];
    if (report.kind === "report") {
      const read = readReport(input.text, await previousFor(tx, task, report.id));
      await tx.reports.update(report.id, { text: input.text, ...read }, now);
      await applyReport(tx, task, {
        id: report.id,
        perfunctory: read.perfunctory,
        at: report.createdAt,
        byLead: false,
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
    if (input.eventId && !(await tx.inbound.firstTime(input.eventId, now))) return false;
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

/** 反馈进展 from the modal. */
export async function submitReport(
  deps: ServiceDeps,
  input: {
    actor: string;
    taskId: number;
    text: string;
    progress: number | null;
    blocker: boolean;
    cause: Cause | null;
  },
): Promise<void> {
  await act(deps, input, "report", async ({ tx, task, now, membership, viewer, notify }) => {
    const previous = await previousFor(tx, task);
    const read = readReport(input.text, previous);
    const progress = input.progress ?? read.progress;
    const perfunctory =
      !input.blocker && read.perfunctory && (progress === null || progress === (previous?.progress ?? null));
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
    await applyReport(tx, task, {
      id: report.id,
      perfunctory,
      at: now,
      byLead: membership === "lead",
      userId: input.actor,
    });
    await tx.events.append({
      at: now,
      actor: input.actor,
      type: perfunctory ? "report.perfunctory" : "report.added",
      taskId: task.id,
      before: { progress: task.progress },
      after: { progress, blocker: input.blocker, cause: input.blocker ? (input.cause ?? "other") : null },
    });
    notify({ type: "reported", by: input.actor, reportId: report.id }, `r${report.id}`);
  });
}

/** 申请办结: completion claimed with evidence; the office verifies. The claim's time decides on-time. */
export async function claimCompletion(
  deps: ServiceDeps,
  input: {
    actor: string;
    taskId: number;
    evidence: string;
    /** Files already shared in the task's thread that prove the work is done. */
    fileIds?: readonly string[];
  },
): Promise<void> {
  await act(deps, input, "claim", async ({ tx, task, now, notify }) => {
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
      state: "pending_review",
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
      after: { state: "pending_review", evidence: input.evidence, ...filesField(chosen) },
    });
    notify({ type: "claimed", by: input.actor, reportId: claim.id }, `c${claim.id}`);
  });
}

/** 申请延期: a request after the due date is accepted but marked late. */
export async function requestExtension(
  deps: ServiceDeps,
  input: { actor: string; taskId: number; newDate: LocalDate; reason: string },
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

/** 批准 / 驳回延期: an approval moves the due date and counts the extension. */
export async function decideExtension(
  deps: ServiceDeps,
  input: { actor: string; taskId: number; approve: boolean; note: string },
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

/** 验收通过 */
export async function verifyTask(deps: ServiceDeps, input: { actor: string; taskId: number }): Promise<void> {
  await act(deps, input, "verify", async ({ tx, task, now, notify }) => {
    await tx.tasks.update(task.id, { state: "closed", closedAt: now });
    const eventId = await tx.events.append({
      at: now,
      actor: input.actor,
      type: "task.verified",
      taskId: task.id,
      before: { state: task.state },
      after: { state: "closed" },
    });
    notify({ type: "verified", by: input.actor }, `e${eventId}`);
  });
}

/** 退回: back to in progress, with a reason; the claim no longer counts. */
export async function returnTask(
  deps: ServiceDeps,
  input: { actor: string; taskId: number; reason: string },
): Promise<void> {
  await act(deps, input, "return", async ({ tx, task, now, notify }) => {
    await tx.tasks.update(task.id, {
      state: "in_progress",
      claimedAt: null,
      returnCount: task.returnCount + 1,
    });
    const eventId = await tx.events.append({
      at: now,
      actor: input.actor,
      type: "task.returned",
      taskId: task.id,
      before: { state: task.state },
      after: { state: "in_progress", reason: input.reason },
    });
    notify({ type: "returned", by: input.actor, reason: input.reason }, `e${eventId}`);
  });
}

/** 撤销 */
export async function cancelTask(
  deps: ServiceDeps,
  input: { actor: string; taskId: number; reason: string },
): Promise<void> {
  await act(deps, input, "cancel", async ({ tx, task, now, notify }) => {
    await tx.tasks.update(task.id, { state: "cancelled", cancelledAt: now });
    const eventId = await tx.events.append({
      at: now,
      actor: input.actor,
      type: "task.cancelled",
      taskId: task.id,
      before: { state: task.state },
      after: { state: "cancelled", reason: input.reason },
    });
    notify({ type: "cancelled", by: input.actor, reason: input.reason }, `e${eventId}`);
  });
}

/** 重新督办: a closed or cancelled task is open again. */
export async function reopenTask(
  deps: ServiceDeps,
  input: { actor: string; taskId: number; reason: string },
): Promise<void> {
  await act(deps, input, "reopen", async ({ tx, task, now, notify }) => {
    await tx.tasks.update(task.id, {
      state: "in_progress",
      closedAt: null,
      cancelledAt: null,
      claimedAt: null,
    });
    const eventId = await tx.events.append({
      at: now,
      actor: input.actor,
      type: "task.reopened",
      taskId: task.id,
      before: { state: task.state },
      after: { state: "in_progress", reason: input.reason },
    });
    notify({ type: "reopened", by: input.actor, reason: input.reason }, `e${eventId}`);
  });
}

/** ⭐ a report as exemplary (推广先进经验); pressing again takes the star back. */
export async function starReport(
  deps: ServiceDeps,
  input: { actor: string; taskId: number; reportId: number },
): Promise<boolean> {
  return act(deps, input, "star", async ({ tx, task, now, notify }) => {
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
}

/** Checks an action is allowed before a modal asks for its details; returns the task to show. */
export async function prepareAction(
  deps: ServiceDeps,
  input: { actor: string; taskId: number; action: TaskAction },
): Promise<TaskView> {
  return (await prepareActionWithFiles(deps, { ...input, withFiles: false })).task;
}

/** The same, with the files shared in the task's thread (a claim may point to them). */
export async function prepareActionWithFiles(
  deps: ServiceDeps,
  input: { actor: string; taskId: number; action: TaskAction; withFiles?: boolean },
): Promise<{ task: TaskView; files: TaskFile[] }> {
  return deps.store.read(async (tx) => {
    const task = await tx.tasks.view(input.taskId);
    if (!task) throw new AppError("task_not_found", { ref: String(input.taskId) });
    const viewer = await loadViewer(deps, tx, input.actor);
    const verdict = decide(input.action, {
      state: task.state,
      extensionPending: task.pendingExtension !== null,
      membership: membershipOf(viewer, task),
      roles: viewer.roles,
    });
    if (!verdict.allowed) throw refusal(verdict.reason, input.action, task);
    const files = input.withFiles === false ? [] : await tx.reports.filesOfTask(task.id);
    return { task, files };
  });
}

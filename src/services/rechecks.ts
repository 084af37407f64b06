import { addWorkdays } from "../domain/calendar.js";
import { AppError } from "../domain/errors.js";
import { defaultRecheckDays, type RecheckRow } from "../domain/loops.js";
import type { TaskView } from "../domain/model.js";
import { type OutboxRequest, owe } from "../domain/outbox.js";
import { hasAnyRole, SUPERVISING_ROLES } from "../domain/roles.js";
import { loopSettingsOf, readSettings } from "../domain/settings.js";
import {
  addDays,
  deadlineInstant,
  isLocalDate,
  type LocalDate,
  localDateOf,
  startOfDay,
} from "../domain/time.js";
import type { Repositories } from "../store/store.js";
import { loadViewer } from "./access.js";
import { loadLightSetup } from "./lights.js";
import type { ServiceDeps } from "./ports.js";
import { oweRefresh } from "./task-action.js";

/**
 * 回头看 (DESIGN: Closing the loops): a day set at 验收; on it (a holiday moves it to the next
 * working day: the daily run asks) the unit is asked in the task's thread to confirm with fresh
 * evidence that the result holds; its reply there is the answer; the office marks 巩固 or 反弹,
 * and 反弹 reopens the task and costs the unit (scoring: relapsed).
 */

/** The day offered at 验收 for a 回头看: the default for the task's source or tags, from today. */
export async function recheckOffer(
  deps: ServiceDeps,
  tx: Repositories,
  task: Pick<TaskView, "tags" | "decision">,
): Promise<LocalDate | null> {
  const loops = loopSettingsOf(readSettings(await tx.settings.all()));
  const days = defaultRecheckDays({ source: task.decision.source, tags: task.tags }, loops);
  return days === null ? null : addDays(localDateOf(deps.clock.now(), deps.timeZone), days);
}

/** Schedules a 回头看 on `day` (after today), inside the 验收's transaction. */
export async function scheduleRecheck(
  deps: ServiceDeps,
  tx: Repositories,
  input: { task: TaskView; day: string; actor: string; now: Date },
): Promise<void> {
  const today = localDateOf(input.now, deps.timeZone);
  if (!isLocalDate(input.day) || input.day <= today) throw new AppError("recheck_date", { date: input.day });
  await tx.rechecks.schedule({
    taskId: input.task.id,
    departmentId: input.task.leadDept.id,
    dueOn: startOfDay(input.day, deps.timeZone),
    setBy: input.actor,
    setAt: input.now,
  });
}

/**
 * The daily run's part: every 回头看 whose day has come is asked in its task's thread, with a
 * reply-by N working days on. Skipped on a day off, so one falling on a holiday is asked on the
 * next working day. Returns how many were asked.
 */
export async function askDueRechecks(deps: ServiceDeps): Promise<number> {
  const asked = await deps.store.transaction(async (tx) => {
    const now = deps.clock.now();
    const today = localDateOf(now, deps.timeZone);
    const setup = await loadLightSetup(tx);
    if (!setup.calendar.isWorkday(today)) return 0;
    const loops = loopSettingsOf(readSettings(await tx.settings.all()));
    const due = await tx.rechecks.dueToAsk(startOfDay(addDays(today, 1), deps.timeZone));
    const replyBy = deadlineInstant(
      { kind: "day", date: addWorkdays(setup.calendar, today, loops.recheckReplyWorkdays) },
      deps.timeZone,
    );
    const owed: OutboxRequest[] = [];
    for (const recheck of due) {
      await tx.rechecks.update(recheck.id, { state: "asked", askedAt: now, replyBy });
      await tx.events.append({
        at: now,
        actor: "system",
        type: "recheck.asked",
        taskId: recheck.taskId,
        after: { recheckId: recheck.id, replyBy },
      });
      const lane = recheck.task.cardChannelId ?? `task:${recheck.taskId}`;
      owed.push(
        owe.taskNotice({ id: recheck.taskId, lane }, `rk${recheck.id}`, {
          type: "recheck_asked",
          recheckId: recheck.id,
          replyBy: replyBy.toISOString(),
        }),
      );
    }
    await tx.outbox.enqueueAll(owed);
    return due.length;
  });
  if (asked) deps.outbox.kick();
  return asked;
}

/**
 * A reply in the thread of a closed task being looked at again (回头看), by its unit's member:
 * the answer. Called inside the reply's transaction; true when it answered one.
 */
export async function recheckOnReply(
  tx: Repositories,
  input: { task: TaskView; userId: string; departmentIds: ReadonlySet<number>; reportId: number; now: Date },
): Promise<boolean> {
  if (input.task.state !== "closed") return false;
  const pending = (await tx.rechecks.pendingOf(input.task.id)).find(
    (r) => r.state === "asked" && input.departmentIds.has(r.departmentId),
  );
  if (!pending) return false;
  await tx.rechecks.update(pending.id, {
    state: "answered",
    answeredAt: input.now,
    answeredBy: input.userId,
    answerReportId: input.reportId,
  });
  await tx.events.append({
    at: input.now,
    actor: input.userId,
    type: "recheck.answered",
    taskId: input.task.id,
    after: { recheckId: pending.id },
  });
  return true;
}

/**
 * 巩固 or 反弹, by a supervisor (or admin), on a 回头看 asked or answered. 反弹 needs the finding,
 * reopens the task (its claim withdrawn) and counts against the unit; 巩固 ends the 回头看.
 */
export async function decideRecheck(
  deps: ServiceDeps,
  input: { actor: string; recheckId: number; held: boolean; note: string; once?: string },
): Promise<RecheckRow | undefined> {
  const result = await deps.store.transaction(async (tx) => {
    const now = deps.clock.now();
    if (input.once && !(await tx.inboxRequests.firstTime(`once:${input.once}`, now))) return undefined;
    const viewer = await loadViewer(deps, tx, input.actor);
    if (!hasAnyRole(viewer.roles, SUPERVISING_ROLES)) throw new AppError("recheck_refused", { why: "role" });
    const recheck = await tx.rechecks.byId(input.recheckId);
    if (!recheck) throw new AppError("task_not_found", { ref: String(input.recheckId) });
    if (recheck.state !== "asked" && recheck.state !== "answered")
      throw new AppError("recheck_refused", { why: recheck.state === "scheduled" ? "not_asked" : "decided" });
    const note = input.note.trim();
    if (!input.held && !note) throw new AppError("recheck_refused", { why: "no_finding" });
    await tx.rechecks.update(recheck.id, {
      state: input.held ? "held" : "relapsed",
      decidedAt: now,
      decidedBy: input.actor,
      note,
    });
    await tx.events.append({
      at: now,
      actor: input.actor,
      type: input.held ? "recheck.held" : "recheck.relapsed",
      taskId: recheck.taskId,
      after: { recheckId: recheck.id, ...(note ? { note } : {}) },
    });
    const task = await tx.tasks.view(recheck.taskId);
    if (!task) throw new AppError("task_not_found", { ref: String(recheck.taskId) });
    const owed: OutboxRequest[] = [];
    const lane = task.card?.channelId ?? task.leadDept.channelId;
    if (!input.held && task.state === "closed") {
      // 反弹: the task is open again, as 重新督办 leaves it.
      await tx.tasks.update(task.id, {
        state: "in_progress",
        closedAt: null,
        claimedAt: null,
        progress: (await tx.reports.standing(task.id, { claimWithdrawn: true })).progress,
      });
      await tx.events.append({
        at: now,
        actor: input.actor,
        type: "task.reopened",
        taskId: task.id,
        before: { state: task.state },
        after: { state: "in_progress", reason: note },
      });
    }
    owed.push(
      owe.taskNotice({ id: task.id, lane }, `rd${recheck.id}`, {
        type: "recheck_decided",
        by: input.actor,
        held: input.held,
        note,
      }),
    );
    await oweRefresh(tx, task, owed);
    await tx.outbox.enqueueAll(owed);
    return { ...recheck, state: input.held ? ("held" as const) : ("relapsed" as const) };
  });
  deps.outbox.kick();
  return result;
}

/** A 回头看 a supervisor may decide now (asked or answered); refused in words otherwise. */
export async function pendingRecheck(
  deps: ServiceDeps,
  input: { actor: string; recheckId: number },
): Promise<RecheckRow> {
  return deps.store.read(async (tx) => {
    const viewer = await loadViewer(deps, tx, input.actor);
    if (!hasAnyRole(viewer.roles, SUPERVISING_ROLES)) throw new AppError("recheck_refused", { why: "role" });
    const recheck = await tx.rechecks.byId(input.recheckId);
    if (!recheck) throw new AppError("task_not_found", { ref: String(input.recheckId) });
    if (recheck.state !== "asked" && recheck.state !== "answered")
      throw new AppError("recheck_refused", { why: recheck.state === "scheduled" ? "not_asked" : "decided" });
    return recheck;
  });
}

/** Every 回头看 not yet decided, by day (the office's list and App Home). */
export async function pendingRechecks(
  deps: ServiceDeps,
  input: { actor: string; limit: number },
): Promise<{ rows: RecheckRow[]; total: number }> {
  return deps.store.read(async (tx) => {
    const viewer = await loadViewer(deps, tx, input.actor);
    if (!hasAnyRole(viewer.roles, SUPERVISING_ROLES) && !viewer.roles.has("leader"))
      throw new AppError("recheck_refused", { why: "role" });
    return tx.rechecks.listPending(input.limit);
  });
}

import type { NewAuditEvent } from "../domain/audit.js";
import { AppError } from "../domain/errors.js";
import { decide, type Membership, type Refusal, type TaskAction } from "../domain/lifecycle.js";
import type { Department, TaskFile, TaskView } from "../domain/model.js";
import { type OutboxRequest, owe, type TaskNotice } from "../domain/outbox.js";
import type { Viewer } from "../domain/permissions.js";
import type { TaskState } from "../domain/task-state.js";
import type { Repositories } from "../store/store.js";
import type { TaskChange } from "../store/tasks.js";
import { loadViewer } from "./access.js";
import type { ServiceDeps } from "./ports.js";

/**
 * The harness every action on a task runs in: who acts, how they relate to the task, what the
 * permission table (src/domain/lifecycle.ts) says, the state it moves the task to, and the
 * card and rollup updates owed. The actions themselves live in department-actions.ts and
 * office-actions.ts; thread replies in thread-replies.ts.
 */

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
  /** The state the permission table moves the task to; the harness writes it, never the action. */
  next: TaskState | undefined;
  /** The task's state once the action is done: `next`, or the state it was in. */
  stateAfter: TaskState;
  /** Messages owed because of this action (the card and rollup updates are added for you). */
  owe: (request: OutboxRequest) => void;
  /** Tells the card's thread what happened. */
  notify: (notice: TaskNotice, key: string, visibleTo?: string) => void;
}

export function refusal(reason: Refusal, action: TaskAction, task: TaskView): AppError {
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
  // Only whether there is a roll-up to refresh: its tasks are read when it is drawn.
  if (await tx.decisions.hasRollup(task.decision.id)) owed.push(owe.rollupUpdate(task.decision.id));
}

/**
 * Runs one action on a task: checks it against the permission table (refusing with the
 * reason), applies it, moves the task to the state the table gives, and owes the card and
 * rollup updates and any thread notice — all in one transaction. The action itself records
 * its event and changes everything but the state.
 */
export async function act<T>(
  deps: ServiceDeps,
  input: { actor: string; taskId: number; once?: string },
  action: TaskAction,
  apply: (scope: ActionScope) => Promise<T>,
): Promise<T | undefined> {
  const result = await deps.store.transaction(async (tx) => {
    // A modal's submission arriving again (replayed, double-clicked) acts once: the rest do nothing.
    if (input.once && !(await tx.inboxRequests.firstTime(`once:${input.once}`, deps.clock.now())))
      return undefined;
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
      next: verdict.next,
      stateAfter: verdict.next ?? task.state,
      owe: (request) => owed.push(request),
      notify: (notice, occasion, visibleTo) =>
        owed.push(owe.taskNotice({ id: task.id, lane }, occasion, notice, visibleTo)),
    });
    // The permission table's verdict is the state the task is in now.
    if (verdict.next && verdict.next !== task.state) await tx.tasks.update(task.id, { state: verdict.next });
    // The person who clicked is looking at the card: it changes at once.
    await oweRefresh(tx, task, owed, { prompt: true });
    await tx.outbox.enqueueAll(owed);
    return value;
  });
  deps.outbox.kick();
  return result;
}

/** The actions whose effects are their fields, one event and one notice (changeTask). */
type PlainChange = "task.acknowledged" | "task.returned" | "task.cancelled" | "task.reopened";

/**
 * An action whose every effect is the task's fields, one event (the state before and after, and
 * the reason when one was given) and one notice in its thread: 签收, 验收, 退回, 撤销, 重新督办.
 */
export async function changeTask(
  deps: ServiceDeps,
  input: { actor: string; taskId: number; once?: string; reason?: string },
  action: TaskAction,
  spec: {
    event: PlainChange;
    fields: (scope: ActionScope) => Promise<TaskChange> | TaskChange;
    notice: TaskNotice;
  },
): Promise<void> {
  await act(deps, input, action, async (scope) => {
    const { tx, task, now, stateAfter, notify } = scope;
    await tx.tasks.update(task.id, await spec.fields(scope));
    // Which of these events carries a reason is the audit schema's to say: append checks the
    // event against it (auditEvent), so a reason missing where one is owed is refused there.
    const event = {
      at: now,
      actor: input.actor,
      type: spec.event,
      taskId: task.id,
      before: { state: task.state },
      after: { state: stateAfter, ...(input.reason !== undefined ? { reason: input.reason } : {}) },
    } as NewAuditEvent;
    const eventId = await tx.events.append(event);
    notify(spec.notice, `e${eventId}`);
  });
}

/** The same, with the files shared in the task's thread (a claim may point to them). */
export async function prepareActionWithFiles(
  deps: ServiceDeps,
  input: {
    actor: string;
    taskId: number;
    action: TaskAction;
    withFiles?: boolean;
    /** The active departments too (a report's or a 协调 modal's 需协调单位). */
    withDepartments?: boolean;
  },
): Promise<{ task: TaskView; files: TaskFile[]; departments: Department[] }> {
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
    const departments = input.withDepartments ? await tx.departments.listActive() : [];
    return { task, files, departments };
  });
}

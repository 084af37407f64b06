import { addWorkdays } from "../domain/calendar.js";
import { type CoordinationAsk, readCoordinationAsks } from "../domain/coordination.js";
import { AppError } from "../domain/errors.js";
import type { TaskView } from "../domain/model.js";
import { type OutboxRequest, owe } from "../domain/outbox.js";
import { oversees } from "../domain/permissions.js";
import { hasAnyRole, SUPERVISING_ROLES } from "../domain/roles.js";
import { readSettings } from "../domain/settings.js";
import { addDays, localDateOf, startOfDay } from "../domain/time.js";
import { AWAITING, type CoordinationView } from "../store/coordinations.js";
import type { Repositories } from "../store/store.js";
import { loadViewer } from "./access.js";
import { loadLightSetup } from "./lights.js";
import type { ServiceDeps } from "./ports.js";
import { act } from "./task-action.js";

/**
 * 协调事项: a blocker that needs another department brings that department in, on a clock.
 * Asked by the lead department (a blocker report naming the other), told in the requested
 * department's channel (the supervision channel when it has none) and in the task's thread;
 * answered by a reply of its member in the thread; closed when the lead reports the blocker gone.
 */

/** When the answer is due: the end of the N-th working day after today, or N hours for an urgent task. */
export async function replyByFor(tx: Repositories, task: Pick<TaskView, "urgent">, now: Date, tz: string) {
  const setup = await loadLightSetup(tx);
  if (task.urgent) return new Date(now.getTime() + setup.thresholds.urgentCoordinationReplyHours * 3_600_000);
  const last = addWorkdays(setup.calendar, localDateOf(now, tz), setup.thresholds.coordinationReplyWorkdays);
  return startOfDay(addDays(last, 1), tz);
}

/**
 * What the lead department's report asks of others: a request opened for each department it
 * names (or added to the one still open), each told once. Returns the requests touched.
 */
export async function askForCoordination(
  tx: Repositories,
  input: {
    task: TaskView;
    asks: readonly CoordinationAsk[];
    by: string;
    reportId: number | null;
    now: Date;
    tz: string;
  },
  owed: OutboxRequest[],
): Promise<number[]> {
  const { task, now } = input;
  const touched: number[] = [];
  // Where a request goes when the requested department has no channel.
  const supervisionChannel = input.asks.length
    ? readSettings(await tx.settings.all()).supervisionChannel
    : null;
  const open = await tx.coordinations.ofTask(task.id);
  for (const ask of input.asks) {
    if (ask.departmentId === task.leadDept.id) continue;
    const department = await tx.departments.findById(ask.departmentId);
    if (!department?.active) continue;
    const existing = open.find((c) => c.toDeptId === ask.departmentId);
    if (existing) {
      // Asked again while still open: the need grows, the request stays one.
      const need = existing.need.includes(ask.need) ? existing.need : `${existing.need}\n${ask.need}`;
      const reopened = existing.state === "answered";
      const replyBy = reopened ? await replyByFor(tx, task, now, input.tz) : existing.replyBy;
      await tx.coordinations.update(existing.id, {
        need,
        ...(reopened ? { state: "open", replyBy, step: 0, steppedAt: null } : {}),
      });
      await tx.events.append({
        at: now,
        actor: input.by,
        type: "coordination.added",
        taskId: task.id,
        after: { coordinationId: existing.id, department: department.name, text: ask.need },
      });
      if (reopened)
        oweNotices(task, existing.id, department, owed, `again:${now.getTime()}`, supervisionChannel);
      touched.push(existing.id);
      continue;
    }
    const replyBy = await replyByFor(tx, task, now, input.tz);
    const id = await tx.coordinations.create({
      taskId: task.id,
      fromDeptId: task.leadDept.id,
      toDeptId: department.id,
      need: ask.need,
      openedAt: now,
      openedBy: input.by,
      reportId: input.reportId,
      replyBy,
    });
    await tx.events.append({
      at: now,
      actor: input.by,
      type: "coordination.opened",
      taskId: task.id,
      after: { coordinationId: id, department: department.name, text: ask.need, replyBy },
    });
    oweNotices(task, id, department, owed, "opened", supervisionChannel);
    touched.push(id);
  }
  return touched;
}

/** The requested department told in its channel, the thread told who was asked; a secret task's details by DM. */
function oweNotices(
  task: TaskView,
  coordinationId: number,
  department: { id: number; channelId: string; members: readonly string[] },
  owed: OutboxRequest[],
  occasion: string,
  supervisionChannel: string | null,
): void {
  const channel = department.channelId || supervisionChannel;
  if (channel) owed.push(owe.coordinationNotice(coordinationId, channel, occasion));
  owed.push(
    owe.taskNotice(
      { id: task.id, lane: task.card?.channelId ?? task.leadDept.channelId },
      `coordination:${coordinationId}:${occasion}`,
      {
        type: "coordination_asked",
        coordinationId,
      },
    ),
  );
  if (task.confidentiality === "secret")
    for (const userId of department.members) owed.push(owe.secretDm(task.id, userId));
}

/** The blocker report's words, read for departments asked, by the task's lead department. */
export async function coordinationAsksIn(
  tx: Repositories,
  task: TaskView,
  text: string,
): Promise<CoordinationAsk[]> {
  const departments = await tx.departments.listAll();
  return readCoordinationAsks(
    text,
    departments.filter((d) => d.active),
    { leadId: task.leadDept.id },
  );
}

/**
 * A reply in the task's thread by a member of a department asked for help answers its request;
 * a later report of the lead that reports no blocker closes every request still open.
 */
export async function coordinationOnReply(
  tx: Repositories,
  input: {
    task: TaskView;
    userId: string;
    departmentIds: ReadonlySet<number>;
    text: string;
    now: Date;
    /** The lead department's report, read: no blocker closes the requests. */
    leadReport?: { blocker: boolean; perfunctory: boolean };
  },
): Promise<CoordinationView[]> {
  const { task, now } = input;
  // The task was read in this transaction with its unresolved requests: none, nothing to read.
  if (task.coordinations.length === 0) return [];
  const open = await tx.coordinations.ofTask(task.id);
  const changed: CoordinationView[] = [];
  for (const request of open) {
    if (AWAITING.includes(request.state) && input.departmentIds.has(request.toDeptId)) {
      await tx.coordinations.update(request.id, {
        state: "answered",
        answeredAt: now,
        answeredBy: input.userId,
        answer: input.text,
      });
      await tx.events.append({
        at: now,
        actor: input.userId,
        type: "coordination.answered",
        taskId: task.id,
        after: { coordinationId: request.id, department: request.toDept.name, text: input.text },
      });
      changed.push(request);
    } else if (input.leadReport && !input.leadReport.blocker && !input.leadReport.perfunctory) {
      await tx.coordinations.update(request.id, { state: "resolved", closedAt: now, closedBy: input.userId });
      await tx.events.append({
        at: now,
        actor: input.userId,
        type: "coordination.resolved",
        taskId: task.id,
        after: { coordinationId: request.id, department: request.toDept.name },
      });
      changed.push(request);
    }
  }
  return changed;
}

/** The request, when the person may take it on or answer it (a member of the requested department). */
async function answerable(
  deps: ServiceDeps,
  tx: Repositories,
  actor: string,
  coordinationId: number,
): Promise<CoordinationView> {
  const request = await tx.coordinations.view(coordinationId);
  if (!request) throw new AppError("coordination_closed", { department: "", state: "resolved" });
  const viewer = await loadViewer(deps, tx, actor);
  if (!viewer.departmentIds.has(request.toDeptId))
    throw new AppError("coordination_not_yours", { department: request.toDept.name });
  if (!AWAITING.includes(request.state))
    throw new AppError("coordination_closed", { department: request.toDept.name, state: request.state });
  return request;
}

/** 答复 pressed: the request to answer, or why the person cannot. */
export function coordinationToAnswer(
  deps: ServiceDeps,
  input: { actor: string; coordinationId: number },
): Promise<CoordinationView> {
  return deps.store.read((tx) => answerable(deps, tx, input.actor, input.coordinationId));
}

/** 接办: a member of the requested department takes the request on (its clock keeps running). */
export async function acceptCoordination(
  deps: ServiceDeps,
  input: { actor: string; coordinationId: number },
): Promise<string> {
  return deps.store.transaction(async (tx) => {
    const request = await answerable(deps, tx, input.actor, input.coordinationId);
    if (request.state === "accepted") return request.toDept.name;
    const now = deps.clock.now();
    await tx.coordinations.update(request.id, {
      state: "accepted",
      acceptedAt: now,
      acceptedBy: input.actor,
    });
    await tx.events.append({
      at: now,
      actor: input.actor,
      type: "coordination.accepted",
      taskId: request.taskId,
      after: { coordinationId: request.id, department: request.toDept.name },
    });
    return request.toDept.name;
  });
}

/**
 * 答复 submitted: the answer (told in the task's thread), or, declined, why the department cannot
 * help (told in the thread and to the supervision channel). Either stops the clock.
 */
export async function answerCoordination(
  deps: ServiceDeps,
  input: { actor: string; coordinationId: number; text: string; decline: boolean },
): Promise<void> {
  await deps.store.transaction(async (tx) => {
    const request = await answerable(deps, tx, input.actor, input.coordinationId);
    const task = await tx.tasks.view(request.taskId);
    if (!task) return;
    const now = deps.clock.now();
    await tx.coordinations.update(request.id, {
      answeredAt: now,
      answeredBy: input.actor,
      ...(input.decline
        ? { state: "declined", declineReason: input.text, closedAt: now, closedBy: input.actor }
        : { state: "answered", answer: input.text }),
    });
    await tx.events.append({
      at: now,
      actor: input.actor,
      type: input.decline ? "coordination.declined" : "coordination.answered",
      taskId: request.taskId,
      after: { coordinationId: request.id, department: request.toDept.name, text: input.text },
    });
    const owed: OutboxRequest[] = [
      owe.taskNotice(
        { id: task.id, lane: task.card?.channelId ?? task.leadDept.channelId },
        `coordination:${request.id}:answer:${now.getTime()}`,
        { type: "coordination_answered", coordinationId: request.id },
      ),
      owe.cardUpdate(task.id),
    ];
    const supervision = readSettings(await tx.settings.all()).supervisionChannel;
    if (input.decline && supervision)
      owed.push(owe.coordinationNotice(request.id, supervision, "declined", "declined"));
    await tx.outbox.enqueueAll(owed);
  });
  deps.outbox.kick();
}

/**
 * 协调 on the card (a supervisor): the departments picked are asked for what the supervisor
 * wrote, on behalf of the task's lead department, exactly as a report naming them would ask.
 */
export async function requestCoordination(
  deps: ServiceDeps,
  input: { actor: string; taskId: number; once?: string; departmentIds: readonly number[]; need: string },
): Promise<void> {
  await act(deps, input, "coordinate", async ({ tx, task, now, owe: oweMessage }) => {
    const owed: OutboxRequest[] = [];
    await askForCoordination(
      tx,
      {
        task,
        asks: [...new Set(input.departmentIds)].map((departmentId) => ({ departmentId, need: input.need })),
        by: input.actor,
        reportId: null,
        now,
        tz: deps.timeZone,
      },
      owed,
    );
    for (const request of owed) oweMessage(request);
  });
}

/** 协调已解决: the lead department's member or a supervisor closes the task's open requests. */
export async function resolveCoordinations(
  deps: ServiceDeps,
  input: { actor: string; taskId: number },
): Promise<number> {
  const resolved = await deps.store.transaction(async (tx) => {
    const task = await tx.tasks.view(input.taskId);
    if (!task) throw new AppError("task_not_found", { ref: String(input.taskId) });
    const viewer = await loadViewer(deps, tx, input.actor);
    if (!viewer.departmentIds.has(task.leadDept.id) && !hasAnyRole(viewer.roles, SUPERVISING_ROLES))
      throw new AppError("coordination_resolve_forbidden", {});
    const now = deps.clock.now();
    const open = await tx.coordinations.ofTask(task.id);
    for (const request of open) {
      await tx.coordinations.update(request.id, { state: "resolved", closedAt: now, closedBy: input.actor });
      await tx.events.append({
        at: now,
        actor: input.actor,
        type: "coordination.resolved",
        taskId: task.id,
        after: { coordinationId: request.id, department: request.toDept.name },
      });
    }
    if (open.length) await tx.outbox.enqueueAll([owe.cardUpdate(task.id, { prompt: true })]);
    return open.length;
  });
  deps.outbox.kick();
  return resolved;
}

/**
 * `列表 协调`: the 协调事项 not yet closed, oldest first — all of them for those who oversee,
 * and for anyone else those their departments asked or were asked. (A confidential task's title
 * is hidden by the rendering, as everywhere.)
 */
export async function listOpenCoordinations(
  deps: ServiceDeps,
  input: { actor: string },
): Promise<CoordinationView[]> {
  return deps.store.read(async (tx) => {
    const viewer = await loadViewer(deps, tx, input.actor);
    const requests = await tx.coordinations.list();
    if (oversees(viewer)) return requests;
    return requests.filter(
      (r) => viewer.departmentIds.has(r.fromDeptId) || viewer.departmentIds.has(r.toDeptId),
    );
  });
}

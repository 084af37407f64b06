import { AppError } from "../domain/errors.js";
import type { ClosureRow, ReinstructAction, SiteCheckRow } from "../domain/loops.js";
import type { DecisionView, StoredReport, TaskFile, TaskView } from "../domain/model.js";
import { type OutboxRequest, owe } from "../domain/outbox.js";
import { hasAnyRole, OVERSEEING_ROLES } from "../domain/roles.js";
import { deadlineInstant, isLocalDate } from "../domain/time.js";
import type { Repositories } from "../store/store.js";
import { loadViewer } from "./access.js";
import type { ServiceDeps } from "./ports.js";
import { oweRefresh } from "./task-action.js";

/**
 * 批示件 报结 (DESIGN: Closing the loops): when a task whose decision names a 交办领导 passes
 * 验收, the leader hears of it: a line while other tasks of the decision remain, and when the
 * last one closes a draft 《关于……批示件办理情况的报告》 (.docx) with 阅 and 再批示. 再批示 is
 * recorded; when it asks for more, the decision's closed tasks are reopened and their units told.
 */

const finished = (t: Pick<TaskView, "state">) => t.state === "closed" || t.state === "cancelled";

/**
 * Inside the 验收's transaction (the task is closed by it): what the leader is owed. Returns the
 * 报结 created when this was the decision's last open task.
 */
export async function oweClosure(
  tx: Repositories,
  input: { task: TaskView; now: Date; actor: string; owe: (request: OutboxRequest) => void },
): Promise<number | null> {
  const { task, now } = input;
  const leader = task.decision.leaderUserId;
  if (!leader) return null;
  const decision = await tx.decisions.view(task.decision.id);
  if (!decision) return null;
  const others = decision.tasks.filter((t) => t.id !== task.id);
  const counted = decision.tasks.filter((t) => t.state !== "cancelled");
  const closed = others.filter((t) => t.state === "closed").length + 1;
  const round = await tx.closures.nextRound(decision.id);
  if (others.some((t) => !finished(t))) {
    input.owe(
      owe.closureLine(leader, task.id, { closed, total: counted.length }, `r${round}:${now.getTime()}`),
    );
    return null;
  }
  const closureId = await tx.closures.create({
    decisionId: decision.id,
    round,
    leaderUserId: leader,
    createdAt: now,
  });
  await tx.events.append({
    at: now,
    actor: input.actor,
    type: "closure.reported",
    decisionId: decision.id,
    taskId: task.id,
    after: { closureId, leader, round },
  });
  for (const request of owe.closure(leader, closureId)) input.owe(request);
  return closureId;
}

/** Everything the 报结 report says of one task. */
export interface ClosureTask {
  task: TaskView;
  /** The lead department's substantive reports and claims, oldest first. */
  reports: StoredReport[];
  files: TaskFile[];
  extensions: { oldDueAt: Date; newDueAt: Date; reason: string }[];
  verifyNote: string;
  siteChecks: SiteCheckRow[];
}

export interface ClosureReport {
  closure: ClosureRow;
  decision: DecisionView;
  tasks: ClosureTask[];
}

/** What the 报结 .docx and message are made from. */
export async function closureReport(deps: ServiceDeps, closureId: number): Promise<ClosureReport | null> {
  return deps.store.read(async (tx) => {
    const closure = await tx.closures.byId(closureId);
    if (!closure) return null;
    const decision = await tx.decisions.view(closure.decisionId);
    if (!decision) return null;
    const tasks: ClosureTask[] = [];
    for (const task of decision.tasks) {
      const reports = (await tx.reports.listForTask(task.id)).filter(
        (r) =>
          r.kind !== "comment" &&
          r.retractedAt === null &&
          !r.perfunctory &&
          r.departmentId === task.leadDept.id,
      );
      tasks.push({
        task,
        reports,
        files: await tx.reports.filesOfTask(task.id),
        extensions: await tx.extensions.approved(task.id),
        verifyNote: await tx.tasks.verifyNote(task.id),
        siteChecks: await tx.siteChecks.ofTask(task.id),
      });
    }
    return { closure, decision, tasks };
  });
}

/** The leader reported to, or an admin: nobody else reads or instructs on a 报结. */
async function closureFor(deps: ServiceDeps, tx: Repositories, actor: string, closureId: number) {
  const closure = await tx.closures.byId(closureId);
  if (!closure) throw new AppError("task_not_found", { ref: String(closureId) });
  const viewer = await loadViewer(deps, tx, actor);
  if (actor !== closure.leaderUserId && !viewer.roles.has("admin"))
    throw new AppError("closure_not_yours", { leader: closure.leaderUserId });
  return closure;
}

/** The 报结, for its leader (or an admin) only: before 再批示's modal opens. */
export async function closureOf(
  deps: ServiceDeps,
  input: { actor: string; closureId: number },
): Promise<ClosureRow> {
  return deps.store.read((tx) => closureFor(deps, tx, input.actor, input.closureId));
}

/** 阅: recorded once (pressed again, the first time stands). */
export async function readClosure(
  deps: ServiceDeps,
  input: { actor: string; closureId: number },
): Promise<ClosureRow> {
  return deps.store.transaction(async (tx) => {
    const closure = await closureFor(deps, tx, input.actor, input.closureId);
    if (closure.readAt) return closure;
    const now = deps.clock.now();
    await tx.closures.update(closure.id, { readAt: now, readBy: input.actor });
    await tx.events.append({
      at: now,
      actor: input.actor,
      type: "closure.read",
      decisionId: closure.decisionId,
      after: { closureId: closure.id },
    });
    return { ...closure, readAt: now, readBy: input.actor };
  });
}

/**
 * 再批示: the leader's text is recorded on the 报结 and on each task of the decision (an audit
 * event); `reopen` opens the decision's closed tasks again (a new due date when given) and tells
 * each unit in its card's thread. Counts as read.
 */
export async function reinstruct(
  deps: ServiceDeps,
  input: {
    actor: string;
    closureId: number;
    text: string;
    action: ReinstructAction;
    dueDate?: string | null;
    once?: string;
  },
): Promise<{ reopened: number[] } | undefined> {
  const text = input.text.trim();
  if (!text) throw new AppError("usage", { usage: "reinstruct" });
  if (input.dueDate && !isLocalDate(input.dueDate)) throw new AppError("usage", { usage: "reinstruct" });
  const result = await deps.store.transaction(async (tx) => {
    const now = deps.clock.now();
    if (input.once && !(await tx.inboxRequests.firstTime(`once:${input.once}`, now))) return undefined;
    const closure = await closureFor(deps, tx, input.actor, input.closureId);
    const decision = await tx.decisions.view(closure.decisionId);
    if (!decision) throw new AppError("task_not_found", { ref: String(closure.decisionId) });
    await tx.closures.update(closure.id, {
      reply: text,
      replyAction: input.action,
      repliedAt: now,
      repliedBy: input.actor,
      ...(closure.readAt ? {} : { readAt: now, readBy: input.actor }),
    });
    const owed: OutboxRequest[] = [];
    const reopened: number[] = [];
    if (input.action === "reopen") {
      const dueAt = input.dueDate
        ? deadlineInstant(
            { kind: "day", date: input.dueDate as `${number}-${number}-${number}` },
            deps.timeZone,
          )
        : null;
      for (const task of decision.tasks.filter((t) => t.state === "closed")) {
        await tx.tasks.update(task.id, {
          state: "in_progress",
          closedAt: null,
          claimedAt: null,
          progress: (await tx.reports.standing(task.id, { claimWithdrawn: true })).progress,
          ...(dueAt && dueAt > task.dueAt ? { dueAt, episodeStartedAt: null, escalationStep: 0 } : {}),
        });
        await tx.rechecks.dropPending(task.id);
        await tx.events.append({
          at: now,
          actor: input.actor,
          type: "task.reopened",
          taskId: task.id,
          before: { state: task.state },
          after: { state: "in_progress", reason: text },
        });
        const lane = task.card?.channelId ?? task.leadDept.channelId;
        owed.push(
          owe.taskNotice({ id: task.id, lane }, `ri${closure.id}`, {
            type: "reinstructed",
            by: input.actor,
            text,
          }),
        );
        await oweRefresh(tx, task, owed);
        reopened.push(task.id);
      }
    }
    await tx.events.append({
      at: now,
      actor: input.actor,
      type: "closure.reinstructed",
      decisionId: decision.id,
      after: { closureId: closure.id, text, action: input.action, reopened },
    });
    await tx.outbox.enqueueAll(owed);
    return { reopened };
  });
  deps.outbox.kick();
  return result;
}

/** 报结 not yet read (阅) by their leaders: the office's view. */
export async function unreadClosures(
  deps: ServiceDeps,
  input: { actor: string; limit: number },
): Promise<{ rows: (ClosureRow & { decision: DecisionView | null })[]; total: number }> {
  return deps.store.read(async (tx) => {
    const viewer = await loadViewer(deps, tx, input.actor);
    if (!hasAnyRole(viewer.roles, OVERSEEING_ROLES))
      throw new AppError("forbidden", { action: "view_summary", roles: OVERSEEING_ROLES });
    const { rows, total } = await tx.closures.unread(input.limit);
    const out = [];
    for (const row of rows) out.push({ ...row, decision: await tx.decisions.view(row.decisionId) });
    return { rows: out, total };
  });
}

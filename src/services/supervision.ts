import type { NewAuditEvent } from "../domain/audit.js";
import { type WorkCalendar, workdaysBetween } from "../domain/calendar.js";
import { cadenceDue, computeLight, type LightReason, lightFactsOf } from "../domain/lights.js";
import { type OutboxRequest, owe } from "../domain/outbox.js";
import { readSettings } from "../domain/settings.js";
import { localDateOf } from "../domain/time.js";
import type { StoredCoordination } from "../store/coordinations.js";
import type { Repositories } from "../store/store.js";
import type { OpenTask } from "../store/task-lights.js";
import { loadLightSetup } from "./lights.js";
import type { ServiceDeps } from "./ports.js";

/** Which run: the daily one (working days, whole days) or the hourly one for urgent tasks (hours). */
export type RunMode = "daily" | "urgent";

export interface RunReport {
  skipped?: "not_a_workday";
  digests: number;
  requests: number;
  reminders: number;
  urges: number;
  escalations: number;
  /** 协调事项 that took a step of their ladder. */
  coordinations: number;
  cardUpdates: number;
}

const HOUR = 3_600_000;
/** The longest the run's transaction may take. */
const RUN_TIMEOUT_MS = 120_000;

/** What a card shows of its light; a change means the card is updated. */
export function lightSignature(light: string, reasons: readonly string[]): string {
  return `${light}:${reasons.join(",")}`;
}

const LADDER_REASONS: readonly LightReason[] = ["stalled", "overdue"];

/** One department's lines in a run's message (see the digest in domain/outbox.ts). */
interface DigestGroups {
  overdue: number[];
  dueSoon: number[];
  ackLate: number[];
  reportOwed: number[];
  reminded: number[];
  urged: number[];
  coordinations: number[];
}

const emptyGroups = (): DigestGroups => ({
  overdue: [],
  dueSoon: [],
  ackLate: [],
  reportOwed: [],
  reminded: [],
  urged: [],
  coordinations: [],
});

/**
 * The scheduled supervision run. Daily (skipped on holidays, run on make-up workdays): one
 * message per department that has something to say, listing its tasks overdue, due soon, not
 * acknowledged, owing their cadence report, and this run's steps of the escalation ladder for
 * tasks red for being stalled or overdue (提醒 → 催办, one step per working day of silence, each
 * once per episode); the third step (督办) goes in one message to the supervision channel and
 * one to each leader concerned. Hourly for urgent tasks, in hours: one message per department
 * with a ladder step or a report newly owed. Each card whose light changed is updated. The
 * number of messages grows with the departments and leaders, never with the tasks; each line
 * links to its task's card, and the members are named once per message.
 */
export async function runSupervision(
  deps: ServiceDeps,
  input: {
    mode: RunMode;
    /** The daily slot this run makes up for (missed while the bot was down): its digests say so. */
    madeUpFor?: Date;
  },
): Promise<RunReport> {
  const report: RunReport = {
    digests: 0,
    requests: 0,
    reminders: 0,
    urges: 0,
    escalations: 0,
    coordinations: 0,
    cardUpdates: 0,
  };
  const result = await deps.store.transaction(async (tx) => {
    const now = deps.clock.now();
    const today = localDateOf(now, deps.timeZone);
    const setup = await loadLightSetup(tx);
    if (input.mode === "daily" && !setup.calendar.isWorkday(today))
      return { ...report, skipped: "not_a_workday" as const };
    const settings = readSettings(await tx.settings.all());
    // Which tasks have a blocker is read from their flags: mended first, if an older replica
    // wrote reports without them during an upgrade.
    await tx.taskLights.settleBlockerFlags();
    const rows = await tx.taskLights.openSlim(input.mode === "urgent" ? { urgent: true } : {});
    const owed: OutboxRequest[] = [];
    const steps = new LadderSteps();
    const rollups = new Set<number>();
    const digests = new Map<number, { channelId: string; groups: DigestGroups }>();
    const escalated: { task: OpenTask; reasons: LightReason[] }[] = [];
    const ladder = { now, today, tz: deps.timeZone, mode: input.mode, calendar: setup.calendar };
    for (const task of rows) {
      const { cardLight } = task;
      const { light, reasons } = computeLight(lightFactsOf(task), { now, tz: deps.timeZone, ...setup });
      if (task.card && lightSignature(light, reasons) !== cardLight) {
        owed.push(owe.cardUpdate(task.id));
        rollups.add(task.decision.id);
        report.cardUpdates++;
      }
      if (task.state === "pending_review") continue;
      const entry = digests.get(task.leadDept.id) ?? {
        channelId: task.leadDept.channelId,
        groups: emptyGroups(),
      };
      digests.set(task.leadDept.id, entry);
      const { groups } = entry;
      // Urgent tasks are the hourly run's; the daily run leaves their ladder alone.
      const step =
        (input.mode === "urgent") === task.urgent ? climbLadder(task, light, reasons, ladder, steps) : null;
      if (step?.step === 3) escalated.push({ task, reasons: step.reasons });
      // Each task once in its department's message, under what matters most about it.
      if (step?.step === 1) groups.reminded.push(task.id);
      else if (step?.step === 2) groups.urged.push(task.id);
      else if (input.mode === "urgent") {
        if (owesReport(task, reasons) && reportNewlyOwed(task, now, deps.timeZone))
          groups.reportOwed.push(task.id);
      } else if (reasons.includes("overdue")) groups.overdue.push(task.id);
      else if (reasons.includes("due_soon")) groups.dueSoon.push(task.id);
      else if (reasons.includes("ack_late")) groups.ackLate.push(task.id);
      else if (owesReport(task, reasons)) groups.reportOwed.push(task.id);
    }
    // 协调事项 past their reply-by time climb their own ladder, one step per working day (hour).
    const climbed = await climbCoordinations(tx, { ...ladder, rows });
    for (const { request, channelId } of climbed.reminded) {
      const entry = digests.get(request.toDeptId) ?? { channelId, groups: emptyGroups() };
      entry.groups.coordinations.push(request.id);
      digests.set(request.toDeptId, entry);
    }
    report.coordinations = climbed.reminded.length + climbed.supervision.length + climbed.leader.size;
    for (const [departmentId, { channelId, groups }] of digests) {
      if (Object.values(groups).every((ids) => ids.length === 0)) continue;
      owed.push(
        owe.digest(channelId, now, {
          departmentId,
          day: today,
          ...(input.mode === "urgent" ? { urgent: true } : {}),
          ...(input.madeUpFor && input.mode === "daily" ? { madeUpFor: input.madeUpFor.toISOString() } : {}),
          groups,
        }),
      );
      report.digests++;
      report.requests += groups.reportOwed.length;
      report.reminders += groups.reminded.length;
      report.urges += groups.urged.length;
    }
    report.escalations = escalated.length;
    owed.push(...escalationMessages(escalated, climbed, settings.supervisionChannel, now));
    for (const decisionId of rollups) {
      const decision = await tx.decisions.view(decisionId);
      if (decision?.rollup) {
        owed.push(owe.rollupUpdate(decisionId));
      }
    }
    await steps.write(tx, now);
    await tx.outbox.enqueueAll(owed);
    return report;
    // A large office's first run may flag thousands of tasks at once: more than a click's five seconds.
  }, RUN_TIMEOUT_MS);
  deps.outbox.kick();
  return result;
}

/** The task reports on a cadence and the report is owed (or the task stalled without it). */
function owesReport(task: OpenTask, reasons: readonly LightReason[]): boolean {
  return task.cadence.kind !== "none" && (reasons.includes("report_owed") || reasons.includes("stalled"));
}

/**
 * For the hourly run: the report fell due since the last run (an hour), so its message asks for
 * it once; the daily message lists every report still owed.
 */
function reportNewlyOwed(task: OpenTask, now: Date, tz: string): boolean {
  const since = task.lastSubstantiveAt ?? task.dispatchedAt;
  const owedAt = cadenceDue(since, task.cadence, 1, tz);
  return !!owedAt && owedAt.getTime() > now.getTime() - HOUR && owedAt <= now;
}

/**
 * The run's escalations: one message to the supervision channel (tasks escalated, 协调督办), one
 * to each leader with their tasks (and the 协调事项 that need them: 需领导协调).
 */
function escalationMessages(
  escalated: readonly { task: OpenTask; reasons: LightReason[] }[],
  climbed: ClimbedCoordinations,
  supervision: string | null | undefined,
  now: Date,
): OutboxRequest[] {
  const entry = ({ task, reasons }: (typeof escalated)[number]) => ({ taskId: task.id, reasons });
  const owed: OutboxRequest[] = [];
  if (supervision && (escalated.length || climbed.supervision.length))
    owed.push(
      owe.escalations(
        now,
        { kind: "supervision", channel: supervision },
        escalated.map(entry),
        climbed.supervision.map((c) => c.id),
      ),
    );
  const byLeader = new Map<string, (typeof escalated)[number][]>();
  for (const item of escalated) {
    const leader = item.task.decision.leaderUserId;
    if (leader) byLeader.set(leader, [...(byLeader.get(leader) ?? []), item]);
  }
  for (const leader of new Set([...byLeader.keys(), ...climbed.leader.keys()]))
    owed.push(
      owe.escalations(
        now,
        { kind: "leader", channel: leader },
        (byLeader.get(leader) ?? []).map(entry),
        climbed.leader.get(leader) ?? [],
      ),
    );
  return owed;
}

interface ClimbedCoordinations {
  /** Step 1: a reminder in the requested department's message. */
  reminded: { request: StoredCoordination; channelId: string }[];
  /** Step 2: 协调督办 in the supervision channel's message. */
  supervision: StoredCoordination[];
  /** Step 3: 需领导协调, by leader. */
  leader: Map<string, number[]>;
}

/**
 * 协调事项 unanswered past their reply-by time: a reminder to the requested department, then
 * the supervision channel (协调督办), then the task's 交办领导 (需领导协调); one step per working
 * day (hour, for urgent tasks) and each once per request, recorded with the request. The hourly
 * run takes urgent tasks' requests, the daily run the others'.
 */
async function climbCoordinations(
  tx: Repositories,
  ctx: LadderContext & { rows: readonly OpenTask[] },
): Promise<ClimbedCoordinations> {
  const climbed: ClimbedCoordinations = { reminded: [], supervision: [], leader: new Map() };
  const tasks = new Map(ctx.rows.map((task) => [task.id, task]));
  for (const request of await tx.coordinations.lapsed(ctx.now)) {
    const task = tasks.get(request.taskId);
    if (!task || (ctx.mode === "urgent") !== task.urgent || request.step >= 3) continue;
    if (request.step > 0) {
      const last = request.steppedAt ?? request.replyBy;
      const waited =
        ctx.mode === "urgent"
          ? ctx.now.getTime() - last.getTime() >= HOUR
          : workdaysBetween(ctx.calendar, localDateOf(last, ctx.tz), ctx.today) >= 1;
      if (!waited) continue;
    }
    const step = request.step + 1;
    const department = await tx.departments.findById(request.toDeptId);
    if (step === 1) {
      const channelId = department?.channelId;
      if (channelId) climbed.reminded.push({ request, channelId });
    } else if (step === 2) climbed.supervision.push(request);
    else {
      const leader = task.decision.leaderUserId;
      if (leader) climbed.leader.set(leader, [...(climbed.leader.get(leader) ?? []), request.id]);
      else climbed.supervision.push(request);
    }
    await tx.coordinations.update(request.id, { step, steppedAt: ctx.now });
    await tx.events.append({
      at: ctx.now,
      actor: "system",
      type: step === 1 ? "coordination.reminded" : "coordination.escalated",
      taskId: request.taskId,
      after: { coordinationId: request.id, department: department?.name ?? "", step },
    });
  }
  return climbed;
}

interface LadderContext {
  now: Date;
  today: string;
  tz: string;
  mode: RunMode;
  calendar: WorkCalendar;
}

/** The run's ladder changes, written together at its end: thousands of tasks may move at once. */
class LadderSteps {
  readonly ended: number[] = [];
  readonly started: number[] = [];
  readonly urged: number[] = [];
  readonly escalated: number[] = [];
  readonly events: NewAuditEvent[] = [];

  async write(tx: Repositories, now: Date): Promise<void> {
    await tx.tasks.updateMany(this.ended, { episodeStartedAt: null, escalationStep: 0, escalatedAt: null });
    await tx.tasks.updateMany(this.started, { episodeStartedAt: now, escalationStep: 1, escalatedAt: now });
    await tx.tasks.updateMany(this.urged, { escalationStep: 2, escalatedAt: now });
    await tx.tasks.updateMany(this.escalated, { escalationStep: 3, escalatedAt: now });
    await tx.events.appendMany(this.events);
  }
}

/**
 * One rung at a time: a reminder when the episode starts, an urge naming the members after
 * one more working day (hour, for urgent tasks) of silence, then the escalation to the
 * supervision channel and the leader. An episode ends with a substantive report, an approved
 * extension or closure (those reset it); a task no longer stalled or overdue ends it too.
 * The step taken is recorded with the task (so it is taken once) and returned for the run's
 * messages to list.
 */
function climbLadder(
  task: OpenTask,
  light: string,
  reasons: readonly LightReason[],
  ctx: LadderContext,
  steps: LadderSteps,
): { step: 1 | 2 | 3; reasons: LightReason[] } | null {
  const why = reasons.filter((r) => LADDER_REASONS.includes(r));
  if (light !== "red" || why.length === 0) {
    if (task.episodeStartedAt) steps.ended.push(task.id);
    return null;
  }
  const event = (type: "task.reminded" | "task.urged" | "task.escalated", step: number) =>
    steps.events.push({ at: ctx.now, actor: "system", type, taskId: task.id, after: { reasons: why, step } });
  if (!task.episodeStartedAt || task.escalationStep === 0) {
    steps.started.push(task.id);
    event("task.reminded", 1);
    return { step: 1, reasons: why };
  }
  if (task.escalationStep >= 3) return null;
  // Silence since the last step: one more working day (or hour, for urgent tasks).
  const lastAt = task.escalatedAt ?? task.episodeStartedAt;
  const waited =
    ctx.mode === "urgent"
      ? ctx.now.getTime() - lastAt.getTime() >= HOUR
      : workdaysBetween(ctx.calendar, localDateOf(lastAt, ctx.tz), ctx.today) >= 1;
  if (!waited) return null;
  if (task.escalationStep === 1) {
    steps.urged.push(task.id);
    event("task.urged", 2);
    return { step: 2, reasons: why };
  }
  steps.escalated.push(task.id);
  event("task.escalated", 3);
  return { step: 3, reasons: why };
}

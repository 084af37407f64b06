import type { NewAuditEvent } from "../domain/audit.js";
import { workdaysBetween } from "../domain/calendar.js";
import { cadenceDue, computeLight, type LightReason, lightFactsOf } from "../domain/lights.js";
import { type OutboxRequest, owe } from "../domain/outbox.js";
import { readSettings } from "../domain/settings.js";
import { localDateOf } from "../domain/time.js";
import type { Repositories } from "../store/store.js";
import type { OpenTask } from "../store/tasks.js";
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

/**
 * The scheduled supervision run. Daily (skipped on holidays, run on make-up workdays): one
 * digest per department that has something to say, a request in the thread of each card
 * whose cadence report is owed (once per period), the escalation ladder for tasks red for
 * being stalled or overdue (提醒 → 催办 → 督办 to the supervision channel and the leader, one
 * step per working day of silence, each once per episode), and an update for each card whose
 * light changed. Hourly for urgent tasks, in hours. Its cost grows with the departments and
 * the tasks whose state changed, not with all the tasks.
 */
export async function runSupervision(deps: ServiceDeps, input: { mode: RunMode }): Promise<RunReport> {
  const report: RunReport = {
    digests: 0,
    requests: 0,
    reminders: 0,
    urges: 0,
    escalations: 0,
    cardUpdates: 0,
  };
  const result = await deps.store.transaction(async (tx) => {
    const now = deps.clock.now();
    const today = localDateOf(now, deps.timeZone);
    const setup = await loadLightSetup(tx);
    if (input.mode === "daily" && !setup.calendar.isWorkday(today))
      return { ...report, skipped: "not_a_workday" as const };
    const settings = readSettings(await tx.settings.all());
    const rows = await tx.tasks.openSlim(input.mode === "urgent" ? { urgent: true } : {});
    const owed: OutboxRequest[] = [];
    const steps = new LadderSteps();
    const rollups = new Set<number>();
    const digests = new Map<
      number,
      { overdue: number[]; dueSoon: number[]; ackLate: number[]; reportOwed: number[] }
    >();
    for (const task of rows) {
      const { cardLight } = task;
      const { light, reasons } = computeLight(lightFactsOf(task), { now, tz: deps.timeZone, ...setup });
      if (task.card && lightSignature(light, reasons) !== cardLight) {
        owed.push(owe.cardUpdate(task.id));
        rollups.add(task.decision.id);
        report.cardUpdates++;
      }
      if (task.state === "pending_review") continue;
      if (input.mode === "daily") {
        const groups = digests.get(task.leadDept.id) ?? {
          overdue: [],
          dueSoon: [],
          ackLate: [],
          reportOwed: [],
        };
        if (reasons.includes("overdue")) groups.overdue.push(task.id);
        else if (reasons.includes("due_soon")) groups.dueSoon.push(task.id);
        if (reasons.includes("ack_late")) groups.ackLate.push(task.id);
        if (
          task.cadence.kind !== "none" &&
          (reasons.includes("report_owed") || reasons.includes("stalled"))
        ) {
          groups.reportOwed.push(task.id);
        }
        digests.set(task.leadDept.id, groups);
      }
      // Urgent tasks are the hourly run's; the daily run leaves their ladder alone.
      if ((input.mode === "urgent") !== task.urgent) continue;
      await owedReportRequest(task, reasons, deps, owed, report);
      const ladder = { now, today, tz: deps.timeZone, mode: input.mode, calendar: setup.calendar, settings };
      climbLadder(task, light, reasons, ladder, steps, owed, report);
    }
    for (const [departmentId, groups] of digests) {
      if (
        !groups.overdue.length &&
        !groups.dueSoon.length &&
        !groups.ackLate.length &&
        !groups.reportOwed.length
      )
        continue;
      const lead = rows.find((r) => r.leadDept.id === departmentId)?.leadDept;
      if (!lead) continue;
      owed.push(owe.digest(lead.channelId, { departmentId, day: today, groups }));
      report.digests++;
    }
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

/** A cadence report owed is asked for in the card's thread, once per period. */
async function owedReportRequest(
  task: OpenTask,
  reasons: readonly LightReason[],
  deps: ServiceDeps,
  owed: OutboxRequest[],
  report: RunReport,
): Promise<void> {
  if (task.cadence.kind === "none" || !task.card) return;
  if (!reasons.includes("report_owed") && !reasons.includes("stalled")) return;
  const since = task.lastSubstantiveAt ?? task.dispatchedAt;
  const owedAt = cadenceDue(since, task.cadence, 1, deps.timeZone);
  if (!owedAt) return;
  owed.push(
    owe.taskNotice({ id: task.id, lane: task.card.channelId }, `request:${owedAt.toISOString()}`, {
      type: "report_requested",
    }),
  );
  report.requests++;
}

interface LadderContext {
  now: Date;
  today: string;
  tz: string;
  mode: RunMode;
  calendar: import("../domain/calendar.js").WorkCalendar;
  settings: ReturnType<typeof readSettings>;
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
 * Each step's messages are keyed by the task, its episode and the step: owed once.
 */
function climbLadder(
  task: OpenTask,
  light: string,
  reasons: readonly LightReason[],
  ctx: LadderContext,
  steps: LadderSteps,
  owed: OutboxRequest[],
  report: RunReport,
): void {
  const why = reasons.filter((r) => LADDER_REASONS.includes(r));
  const lane = task.card?.channelId ?? task.leadDept.channelId;
  if (light !== "red" || why.length === 0) {
    if (task.episodeStartedAt) steps.ended.push(task.id);
    return;
  }
  const event = (type: "task.reminded" | "task.urged" | "task.escalated", step: number) =>
    steps.events.push({ at: ctx.now, actor: "system", type, taskId: task.id, after: { reasons: why, step } });
  if (!task.episodeStartedAt || task.escalationStep === 0) {
    steps.started.push(task.id);
    event("task.reminded", 1);
    owed.push(
      owe.taskNotice({ id: task.id, lane }, `ladder:${ctx.now.toISOString()}:1`, {
        type: "reminded",
        reasons: why,
      }),
    );
    report.reminders++;
    return;
  }
  if (task.escalationStep >= 3) return;
  const last = task.escalationStep;
  // Silence since the last step: one more working day (or hour, for urgent tasks).
  const lastAt = task.escalatedAt ?? task.episodeStartedAt;
  const waited =
    ctx.mode === "urgent"
      ? ctx.now.getTime() - lastAt.getTime() >= HOUR
      : workdaysBetween(ctx.calendar, localDateOf(lastAt, ctx.tz), ctx.today) >= 1;
  if (!waited) return;
  const step = last + 1;
  const episode = task.episodeStartedAt.toISOString();
  if (step === 2) {
    steps.urged.push(task.id);
    event("task.urged", step);
    owed.push(
      owe.taskNotice({ id: task.id, lane }, `ladder:${episode}:2`, { type: "escalation_urge", reasons: why }),
    );
    report.urges++;
    return;
  }
  steps.escalated.push(task.id);
  event("task.escalated", step);
  const supervision = ctx.settings.supervisionChannel;
  if (supervision) {
    owed.push(
      owe.escalation(task.id, task.episodeStartedAt, { kind: "supervision", channel: supervision }, why),
    );
  }
  const leader = task.decision.leaderUserId;
  if (leader)
    owed.push(owe.escalation(task.id, task.episodeStartedAt, { kind: "leader", channel: leader }, why));
  report.escalations++;
}

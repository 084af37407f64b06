import { addWorkdays } from "../domain/calendar.js";
import { type OutboxRequest, owe } from "../domain/outbox.js";
import { loopSettingsOf, readSettings } from "../domain/settings.js";
import type { Summary } from "../domain/summary.js";
import { deadlineInstant, localDateOf, startOfDay, yearOf } from "../domain/time.js";
import type { Repositories } from "../store/store.js";
import { loadLightSetup } from "./lights.js";
import type { ServiceDeps } from "./ports.js";

/** The words of a 整改 task, from the catalogue of the office's language (the task is data). */
export interface RectificationWords {
  title(p: { issueNo: number }): string;
  requirement(p: { issueNo: number; score: number; items: string }): string;
  /** How each deduction reads: "超期 -10". */
  item(rule: string, points: number): string;
  separator: string;
}

/**
 * 整改 (DESIGN: Closing the loops): each unit a monthly 督查通报 names among the worst gets a
 * task to send its 整改措施 within N working days (a setting), on the same ladder as any task,
 * linked to the bulletin by its issue number; once per unit per bulletin, however often the
 * posting runs. Inside the posting's transaction. Returns how many were created.
 */
export async function oweRectifications(
  deps: ServiceDeps,
  tx: Repositories,
  input: { summary: Summary; issueNo: number; now: Date; words: RectificationWords },
): Promise<number> {
  const { summary, issueNo, now, words } = input;
  if (summary.worst.length === 0) return 0;
  const loops = loopSettingsOf(readSettings(await tx.settings.all()));
  const setup = await loadLightSetup(tx);
  const today = localDateOf(now, deps.timeZone);
  const dueAt = deadlineInstant(
    { kind: "day", date: addWorkdays(setup.calendar, today, loops.rectifyWorkdays) },
    deps.timeZone,
  );
  const year = yearOf(today);
  const owed: OutboxRequest[] = [];
  let created = 0;
  for (const unit of summary.worst) {
    if (await tx.rectifications.exists(issueNo, unit.id)) continue;
    const department = await tx.departments.findById(unit.id);
    if (!department?.active) continue;
    const items = Object.entries(unit.points)
      .filter(([, points]) => points < 0)
      .map(([rule, points]) => words.item(rule, points))
      .join(words.separator);
    const title = words.title({ issueNo });
    const requirement = words.requirement({ issueNo, score: unit.score, items });
    const decisionId = await tx.decisions.create({
      source: "other",
      sourceRef: title,
      sourceUrl: null,
      sourceChannelId: null,
      sourceTs: null,
      sourceFileName: null,
      sourceFileUrl: null,
      leaderUserId: null,
      decidedOn: startOfDay(today, deps.timeZone),
      confidentiality: "public",
      text: requirement,
      createdBy: "system",
      submissionKey: `rectification:${issueNo}:${unit.id}`,
    });
    const [seq] = await tx.tasks.takeNumbers(year, 1);
    if (seq === undefined) continue;
    const taskId = await tx.tasks.create(decisionId, {
      year,
      seq,
      title,
      requirement,
      leadDeptId: department.id,
      coDeptIds: [],
      dueAt,
      cadence: "none",
      cadenceHours: null,
      urgent: false,
      confidentiality: "public",
      tags: ["整改"],
      dispatchedAt: now,
      dispatchedBy: "system",
    });
    await tx.rectifications.create({ issueNo, departmentId: department.id, taskId, createdAt: now });
    await tx.events.append({
      at: now,
      actor: "system",
      type: "task.dispatched",
      taskId,
      decisionId,
      after: {
        number: `${year}-${seq}`,
        lead: department.name,
        co: [],
        dueAt: dueAt.toISOString(),
        state: "dispatched",
      },
    });
    await tx.events.append({
      at: now,
      actor: "system",
      type: "rectification.created",
      taskId,
      decisionId,
      after: { issueNo, department: department.name },
    });
    owed.push(owe.cardPost(taskId, department.channelId, "system"));
    created++;
  }
  await tx.outbox.enqueueAll(owed);
  return created;
}

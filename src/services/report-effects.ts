import type { SharedFile, TaskView } from "../domain/model.js";
import type { ReadReport } from "../domain/report-reading.js";
import type { TaskState } from "../domain/task-state.js";
import type { Repositories } from "../store/store.js";

/** What a report does to its task, however it came (a thread reply, the report modal, a claim). */

/**
 * A report's effect on its task: its standing progress and stall clock, and a substantive
 * report ends a stall episode. When the permission table moves the task out of 待签收 (the
 * lead's first report), the report counts as acknowledging it.
 */
export async function applyReport(
  tx: Repositories,
  task: TaskView,
  report: { perfunctory: boolean; at: Date; userId: string },
  next?: TaskState,
): Promise<void> {
  const standing = await tx.reports.standing(task.id);
  const acknowledging = task.state === "dispatched" && next !== undefined && next !== task.state;
  await tx.tasks.update(task.id, {
    progress: standing.progress,
    lastSubstantiveAt: standing.lastSubstantiveAt,
    lastReportId: standing.lastReportId,
    lastReportBlocker: standing.lastReportBlocker,
    // A substantive report ends a stall episode (the escalation ladder starts again).
    ...(!report.perfunctory ? { episodeStartedAt: null, escalationStep: 0, escalatedAt: null } : {}),
    ...(acknowledging
      ? { state: next, ackAt: task.ackAt ?? report.at, ackBy: task.ackBy ?? report.userId }
      : {}),
  });
}

/**
 * What a new report is compared with to tell whether it says anything new: the last report
 * that did (a repeat of it is 走过场), and the progress last reported.
 */
export async function previousFor(tx: Repositories, task: TaskView, exceptId?: number) {
  const substantive = await tx.reports.latest(task.id, exceptId, true);
  if (!substantive) return undefined;
  const standing = await tx.reports.standing(task.id);
  return {
    text: substantive.text,
    progress: exceptId === undefined ? standing.progress : substantive.progress,
  };
}

/** A report that brings a document or a photo says something new, whatever its words: never 走过场. */
export function withFiles(read: ReadReport, files: readonly SharedFile[]): ReadReport {
  return files.length > 0 ? { ...read, perfunctory: false } : read;
}

/** The files of a report as its event records them. */
export function filesField(files: readonly SharedFile[]) {
  return files.length ? { files: files.map((f) => ({ name: f.name, permalink: f.permalink })) } : {};
}

/** The reaction that confirms a thread reply. */
export function reactionFor(read: Pick<ReadReport, "perfunctory" | "blocker">): string {
  if (read.blocker) return "construction";
  if (read.perfunctory) return "warning";
  return "white_check_mark";
}

import { COORDINATION_STATES, type CoordinationView } from "../domain/coordination.js";
import type { SiteCheckRow } from "../domain/loops.js";
import type { StoredReport, TaskFile, TaskView } from "../domain/model.js";
import { owe } from "../domain/outbox.js";
import { requireAdmin } from "./access.js";
import type { ServiceDeps } from "./ports.js";

/**
 * 立卷归档 (DESIGN: 查考 and 立卷归档): what the year's record is made of, task by task, for the
 * archive writer (src/archive). Read a page at a time, so a year of any size is never held whole.
 */

export interface ArchivedTask {
  task: TaskView;
  decisionText: string;
  reports: StoredReport[];
  files: TaskFile[];
  extensions: { oldDueAt: Date; newDueAt: Date; reason: string }[];
  coordinations: CoordinationView[];
  verifyNote: string;
  siteChecks: SiteCheckRow[];
}

const PAGE = 50;

/** The year's tasks (by their number's year), in number order, a page at a time. */
export async function* archivedTasks(
  deps: Pick<ServiceDeps, "store">,
  year: number,
): AsyncGenerator<ArchivedTask[]> {
  let after = 0;
  for (;;) {
    const page = await deps.store.read(async (tx) => {
      const ids = await tx.tasks.idsOfYear(year, after, PAGE);
      const out: ArchivedTask[] = [];
      for (const id of ids) {
        const task = await tx.tasks.view(id);
        if (!task) continue;
        const decision = await tx.decisions.view(task.decision.id);
        out.push({
          task,
          decisionText: decision?.text ?? "",
          reports: (await tx.reports.listForTask(id)).filter((r) => r.retractedAt === null),
          files: await tx.reports.filesOfTask(id),
          extensions: await tx.extensions.approved(id),
          coordinations: await tx.coordinations.list(COORDINATION_STATES, [id]),
          verifyNote: await tx.tasks.verifyNote(id),
          siteChecks: await tx.siteChecks.ofTask(id),
        });
      }
      return { ids, out };
    });
    if (page.out.length) yield page.out;
    const last = page.ids.at(-1);
    if (last === undefined || page.ids.length < PAGE) return;
    after = last;
  }
}

/** How many tasks the year holds, and how many are still open (archived as they stand). */
export async function yearCounts(
  deps: Pick<ServiceDeps, "store">,
  year: number,
): Promise<{ tasks: number; open: number }> {
  return deps.store.read((tx) => tx.tasks.yearCounts(year));
}

/** `/ducha 归档 2026` (admins): the archive is owed through the outbox; its progress comes by DM. */
export async function requestArchive(
  deps: ServiceDeps,
  input: { actor: string; year: number; request: string },
): Promise<{ tasks: number; open: number }> {
  const counts = await deps.store.transaction(async (tx) => {
    await requireAdmin(deps, tx, input.actor);
    const counts = await tx.tasks.yearCounts(input.year);
    await tx.outbox.enqueue(owe.archive(input.year, input.actor, deps.clock.now(), input.request));
    await tx.events.append({
      at: deps.clock.now(),
      actor: input.actor,
      type: "archive.requested",
      after: { year: input.year, tasks: counts.tasks },
    });
    return counts;
  });
  deps.outbox.kick();
  return counts;
}

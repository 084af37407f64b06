import { AppError } from "../domain/errors.js";
import { oversees } from "../domain/permissions.js";
import { type SearchFilter, type SearchHit, searchGrams, searchWords } from "../domain/search.js";
import type { NewEntry } from "../store/search.js";
import type { Repositories } from "../store/store.js";
import { loadViewer } from "./access.js";
import type { ServiceDeps } from "./ports.js";

/**
 * 查考 (DESIGN: 查考 and 立卷归档): `/ducha 查找` over decisions, tasks, reports, 协调 requests and
 * information reports of every year. The index catches up with the records before each search
 * (and at start, in batches): new rows by id, edited reports and answered 协调 by time.
 */

/** Rows read per kind per transaction while catching up. */
const BATCH = 2_000;

const toEntries = {
  decision: (r: { id: number; decidedOn: Date; sourceRef: string; text: string }): NewEntry => ({
    kind: "decision",
    refId: r.id,
    taskId: null,
    decisionId: r.id,
    infoId: null,
    at: r.decidedOn,
    text: `${r.sourceRef} ${r.text}`.trim(),
  }),
  task: (r: {
    id: number;
    decisionId: number;
    dispatchedAt: Date;
    title: string;
    requirement: string;
  }): NewEntry => ({
    kind: "task",
    refId: r.id,
    taskId: r.id,
    decisionId: r.decisionId,
    infoId: null,
    at: r.dispatchedAt,
    text: `${r.title} ${r.requirement}`.trim(),
  }),
  report: (r: { id: number; taskId: number; createdAt: Date; text: string }): NewEntry => ({
    kind: "report",
    refId: r.id,
    taskId: r.taskId,
    decisionId: null,
    infoId: null,
    at: r.createdAt,
    text: r.text,
  }),
  coordination: (r: {
    id: number;
    taskId: number;
    openedAt: Date;
    need: string;
    answer: string;
    declineReason: string;
  }): NewEntry => ({
    kind: "coordination",
    refId: r.id,
    taskId: r.taskId,
    decisionId: null,
    infoId: null,
    at: r.openedAt,
    text: [r.need, r.answer, r.declineReason].filter(Boolean).join(" "),
  }),
  info: (r: { id: number; reportedAt: Date; title: string; place: string; text: string }): NewEntry => ({
    kind: "info",
    refId: r.id,
    taskId: null,
    decisionId: null,
    infoId: r.id,
    at: r.reportedAt,
    text: [r.title, r.place, r.text].filter(Boolean).join(" "),
  }),
  infoFollow: (r: { id: number; reportId: number; createdAt: Date; text: string }): NewEntry => ({
    kind: "info_follow",
    refId: r.id,
    taskId: null,
    decisionId: null,
    infoId: r.reportId,
    at: r.createdAt,
    text: r.text,
  }),
};

/** Reports edited or deleted and 协调 answered since the last catch-up: their entries follow. */
async function catchUpEdits(tx: Repositories, now: Date): Promise<void> {
  const s = tx.search;
  const since = new Date((await s.watermark("editsAt")) * 1000);
  const changed = await s.changedSince(since, await s.watermark("report"), await s.watermark("coordination"));
  for (const r of changed.reports) {
    if (r.retractedAt) await s.remove("report", r.id);
    else await s.put(toEntries.report(r));
  }
  for (const c of changed.coordinations) await s.put(toEntries.coordination(c));
  await s.setWatermark("editsAt", Math.floor(now.getTime() / 1000) - 1);
}

/** One batch of each kind; returns how many entries were written (0 once caught up). */
async function catchUpBatch(tx: Repositories, now: Date, edits: boolean): Promise<number> {
  const s = tx.search;
  let written = 0;
  const step = async <R extends { id: number }>(
    name: string,
    read: (after: number, take: number) => Promise<R[]>,
    entry: (row: R) => NewEntry | null,
  ) => {
    const after = await s.watermark(name);
    const rows = await read(after, BATCH);
    const last = rows.at(-1);
    if (!last) return;
    const entries = rows.map(entry).filter((e): e is NewEntry => e !== null);
    await s.add(entries);
    await s.setWatermark(name, last.id);
    written += rows.length;
  };
  // Edits first (once a catch-up), up to what was indexed before: later rows are read whole below.
  if (edits) await catchUpEdits(tx, now);
  await step("decision", (a, t) => s.decisionsAfter(a, t), toEntries.decision);
  await step("task", (a, t) => s.tasksAfter(a, t), toEntries.task);
  await step(
    "report",
    (a, t) => s.reportsAfter(a, t),
    (r) => (r.retractedAt ? null : toEntries.report(r)),
  );
  await step("coordination", (a, t) => s.coordinationsAfter(a, t), toEntries.coordination);
  await step("info", (a, t) => s.infoAfter(a, t), toEntries.info);
  await step("infoFollow", (a, t) => s.infoFollowUpsAfter(a, t), toEntries.infoFollow);
  return written;
}

/** Brings the index up to the records, batch after batch; returns how many rows it read. */
export async function catchUpSearch(deps: Pick<ServiceDeps, "store" | "clock">): Promise<number> {
  if (!(await deps.store.read((tx) => tx.search.behind()))) return 0;
  let total = 0;
  for (let round = 0; ; round++) {
    const edits = round === 0;
    const written = await deps.store.transaction((tx) => catchUpBatch(tx, deps.clock.now(), edits), 60_000);
    total += written;
    if (written === 0) return total;
  }
}

export interface SearchResult {
  hits: SearchHit[];
  /** There is a next page. */
  more: boolean;
  words: string[];
  page: number;
}

export const SEARCH_PAGE = 10;

/**
 * `/ducha 查找 words [filters]`: newest first, a page at a time. A search with no word of two
 * characters or more is refused with how to search; 不公开 records are found by the office and
 * by their own units only.
 */
export async function search(
  deps: ServiceDeps,
  input: { actor: string; query: string; filter: SearchFilter; page: number },
): Promise<SearchResult> {
  const words = searchWords(input.query);
  const grams = searchGrams(words);
  if (grams.length === 0) throw new AppError("usage", { usage: "search" });
  await catchUpSearch(deps);
  const page = Math.max(1, input.page);
  return deps.store.read(async (tx) => {
    const viewer = await loadViewer(deps, tx, input.actor);
    const hits = await tx.search.find({
      grams,
      words,
      filter: input.filter,
      office: oversees(viewer),
      departmentIds: [...viewer.departmentIds],
      skip: (page - 1) * SEARCH_PAGE,
      take: SEARCH_PAGE + 1,
    });
    return { hits: hits.slice(0, SEARCH_PAGE), more: hits.length > SEARCH_PAGE, words, page };
  });
}

/** A unit named in a filter, by name or alias; refused in words when there is none. */
export async function unitNamed(deps: ServiceDeps, name: string): Promise<number> {
  const found = await deps.store.read((tx) => tx.departments.findByNameOrAlias(name));
  if (!found) throw new AppError("dept_not_found", { name });
  return found.id;
}

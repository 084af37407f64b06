import type { InfoReportView } from "../domain/information.js";
import type { LedgerFilter, LedgerReportRow, LedgerTaskRow } from "../domain/ledger.js";
import { computeLight, type LightResult, lightFactsOf } from "../domain/lights.js";
import type { Period } from "../domain/period.js";
import { currentPeriod } from "../domain/period.js";
import { COORDINATION_STATES, type CoordinationView } from "../store/coordinations.js";
import { loadLightSetup } from "./lights.js";
import type { ServiceDeps } from "./ports.js";
import { type ScoredPeriod, scorePeriod } from "./summary.js";

/** Rows are read this many at a time: an export of every task never holds them all. */
export const LEDGER_PAGE = 500;

export interface LedgerTask extends LedgerTaskRow {
  light: LightResult;
}

/** What a ledger is written from: its tasks and reports page by page, and the period's scores. */
export interface LedgerSource {
  filter: LedgerFilter;
  /** The period the scores sheet covers: the filter's, else the month so far. */
  period: Period;
  tasks(): AsyncGenerator<LedgerTask[]>;
  reports(): AsyncGenerator<LedgerReportRow[]>;
  scores(): Promise<ScoredPeriod>;
  /** The numbers of tasks named in the scores' items. */
  taskNumbers(ids: readonly number[]): Promise<Map<number, { year: number; seq: number }>>;
  /** The 协调事项 of these tasks (every state), oldest first. */
  coordinations(taskIds: readonly number[]): Promise<CoordinationView[]>;
  /** 信息报送 of the period (by 初报 time), newest first. */
  information(): Promise<InfoReportView[]>;
  /** Rows the two big sheets will hold at most (tasks + reports): the measure of progress. */
  size(): Promise<number>;
}

/**
 * The ledger of the tasks a filter selects. Each page is its own short read, so building a
 * large ledger never holds a transaction (or the SQLite write lock) for long.
 */
export function ledgerSource(deps: ServiceDeps, filter: LedgerFilter): LedgerSource {
  const now = deps.clock.now();
  const period: Period = filter.period
    ? { ...filter.period, complete: filter.period.end <= now }
    : currentPeriod("month", now, deps.timeZone);
  const byLight = filter.light !== undefined || filter.stalled === true;
  /** With a light filter, the reports sheet keeps to the tasks that passed it. */
  const kept = new Set<number>();

  async function* tasks(): AsyncGenerator<LedgerTask[]> {
    const setup = await deps.store.read((tx) => loadLightSetup(tx));
    const ctx = { now, tz: deps.timeZone, calendar: setup.calendar, thresholds: setup.thresholds };
    let after = 0;
    for (;;) {
      const page = await deps.store.read((tx) => tx.ledger.tasksPage(filter, after, LEDGER_PAGE));
      if (page.length === 0) return;
      after = page[page.length - 1]?.id ?? after;
      const lit = page.map((row) => ({
        ...row,
        light: computeLight(lightFactsOf(row), ctx),
      }));
      const shown = byLight
        ? lit.filter(
            (t) =>
              (filter.light === undefined || t.light.light === filter.light) &&
              (!filter.stalled || t.light.reasons.includes("stalled")),
          )
        : lit;
      for (const t of shown) kept.add(t.id);
      if (shown.length) yield shown;
      if (page.length < LEDGER_PAGE) return;
    }
  }

  async function* reports(): AsyncGenerator<LedgerReportRow[]> {
    let after = 0;
    for (;;) {
      const page = await deps.store.read((tx) => tx.ledger.reportsPage(filter, after, LEDGER_PAGE * 4));
      if (page.length === 0) return;
      after = page[page.length - 1]?.id ?? after;
      const shown = byLight ? page.filter((r) => kept.has(r.taskId)) : page;
      if (shown.length) yield shown;
    }
  }

  return {
    filter,
    period,
    tasks,
    reports,
    scores: () => scorePeriod(deps, period),
    taskNumbers: (ids) => deps.store.read((tx) => tx.ledger.numbers(ids)),
    size: () =>
      deps.store.read(
        async (tx) => (await tx.ledger.countTasks(filter)) + (await tx.ledger.countReports(filter)),
      ),
    information: async () =>
      (await deps.store.read((tx) => tx.info.list({ from: period.start, to: period.end, take: 10_000 })))
        .reports,
    coordinations: async (taskIds) => {
      const all: CoordinationView[] = [];
      for (let i = 0; i < taskIds.length; i += 500) {
        const ids = taskIds.slice(i, i + 500);
        all.push(...(await deps.store.read((tx) => tx.coordinations.list(COORDINATION_STATES, ids))));
      }
      return all.sort((a, b) => a.openedAt.getTime() - b.openedAt.getTime() || a.id - b.id);
    },
  };
}

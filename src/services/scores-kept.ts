import type { Period } from "../domain/period.js";
import type { DepartmentMark, ScoringTask } from "../domain/scoring.js";
import type { SummarySettings } from "../domain/settings.js";
import { inTurn } from "../store/in-turn.js";
import type { Repositories, Store } from "../store/store.js";
import type { Watermark } from "../store/summaries.js";
import { type LightSetup, loadLightSetup } from "./lights.js";
import { READ_TIMEOUT_MS, type ScoredPeriod, scoreAll, summarySettings } from "./summary.js";

/** What a period's scores are worked out from, as read at `mark`. */
interface Kept {
  mark: Watermark;
  readAt: number;
  setup: LightSetup;
  settings: SummarySettings;
  departments: { id: number; name: string }[];
  tasks: Map<number, ScoringTask>;
  /** The tasks in id order, as a whole reading gives them (undefined: to sort again). */
  ordered?: ScoringTask[];
}

/**
 * A period's scoring facts kept on the scores' thread (scoring-worker.ts) and brought up to date
 * at each ask by reading again only the tasks that changed since (issue 31).
 *
 * Reading a month's facts whole at the office's size is ~0.5 s of statements (every task counted,
 * their claims, the month's reports and stars); under 25 replies a second the scores' stamp moved
 * at nearly every `/ducha 得分`, and each ask read it all again. A change that can move a score
 * writes a report or an audit event (services/score-cache.ts), so the tasks a report or an event
 * names since the facts were read are the only ones to read again; an event about no one task
 * that can move every score (a setting, the calendar, a department) reads everything again, as do
 * more than 2,000 changes and facts older than `maxAgeMs` (a bound on what a missed change could
 * cost, not a rule the figures rely on).
 *
 * The facts of a running period are kept open-ended (up to now, `scoringTasks`' `openEnded`), so
 * one reading serves every ask whatever its end; the rules (domain/scoring.ts) are the same ones
 * a whole reading is scored with, and the scores are worked out afresh at each ask, so time moves
 * them as it does a whole reading's.
 *
 * Only where ids are handed out in commit order (SQLite: one writer): on PostgreSQL a transaction
 * may commit a lower id after a higher one was read, so every ask reads whole there.
 */
export class KeptScores {
  readonly #kept = new Map<string, Kept>();
  #wholeReadings = 0;

  constructor(
    private readonly deps: { store: Store; timeZone: string },
    private readonly options: { idsInCommitOrder: boolean; maxAgeMs?: number; capacity?: number },
  ) {}

  /** How many asks read the period's facts whole (tests). */
  get wholeReadings(): number {
    return this.#wholeReadings;
  }

  score(period: Period, marks: readonly DepartmentMark[]): Promise<ScoredPeriod> {
    const key = `${period.kind}:${period.start.getTime()}:${period.complete ? period.end.getTime() : "running"}`;
    return this.deps.store.read(async (tx) => {
      const mark = await tx.summaries.newest();
      let kept = this.#kept.get(key);
      const maxAge = this.options.maxAgeMs ?? 5 * 60_000;
      if (kept && (!this.options.idsInCommitOrder || Date.now() - kept.readAt > maxAge)) kept = undefined;
      if (kept && (kept.mark.event !== mark.event || kept.mark.report !== mark.report)) {
        const changed = await tx.summaries.changedSince(kept.mark, mark);
        if (changed.wholesale) kept = undefined;
        else await this.#readAgain(tx, period, kept, changed.taskIds);
      }
      if (!kept) kept = await this.#readWhole(tx, period);
      kept.mark = mark;
      this.#keep(key, kept);
      kept.ordered ??= [...kept.tasks.values()].sort((a, b) => a.id - b.id);
      const scores = scoreAll(this.deps, {
        tasks: kept.ordered,
        departments: kept.departments,
        period,
        setup: kept.setup,
        settings: kept.settings,
        marks,
      });
      return { period, scores, departments: kept.departments };
    }, READ_TIMEOUT_MS);
  }

  async #readWhole(tx: Repositories, period: Period): Promise<Kept> {
    this.#wholeReadings++;
    const [setup, settings, departments, tasks] = await inTurn([
      () => loadLightSetup(tx),
      () => summarySettings(tx),
      () => tx.departments.listAll(),
      () => tx.summaries.scoringTasks(period, { openEnded: !period.complete }),
    ]);
    return {
      mark: { event: 0, report: 0 },
      readAt: Date.now(),
      setup,
      settings,
      departments: departments.map((d) => ({ id: d.id, name: d.name })),
      tasks: new Map(tasks.map((t) => [t.id, t])),
    };
  }

  async #readAgain(tx: Repositories, period: Period, kept: Kept, ids: readonly number[]): Promise<void> {
    if (ids.length === 0) return;
    const fresh = await tx.summaries.scoringTasks(period, { openEnded: !period.complete, ids });
    // A task no longer counted (cancelled before the period's end, say) is not read back.
    for (const id of ids) kept.tasks.delete(id);
    for (const task of fresh) kept.tasks.set(task.id, task);
    kept.ordered = undefined;
  }

  #keep(key: string, kept: Kept): void {
    this.#kept.delete(key);
    this.#kept.set(key, kept);
    while (this.#kept.size > (this.options.capacity ?? 4)) {
      const oldest = this.#kept.keys().next().value;
      if (oldest === undefined) break;
      this.#kept.delete(oldest);
    }
  }
}

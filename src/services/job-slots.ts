import type { WorkCalendar } from "../domain/calendar.js";
import { readSettings, type Settings } from "../domain/settings.js";
import type { JobRunRow } from "../store/job-runs.js";
import { loadCalendar } from "./calendar.js";
import type { ServiceDeps } from "./ports.js";

/**
 * What the scheduler (src/jobs) needs of the database: each run claims its slot (job +
 * scheduled minute, unique), so several replicas run it once; the schedules and the
 * calendar as configured now.
 */
export interface JobSlots {
  /** True when this process got the slot; false when another run has it or had it. */
  claim(job: string, slot: Date, owner: string, now: Date): Promise<boolean>;
  finish(job: string, slot: Date, now: Date): Promise<void>;
  /** A failed run gives its slot back, so the next trigger tries it again. */
  release(job: string, slot: Date): Promise<void>;
  find(job: string, slot: Date): Promise<Pick<JobRunRow, "state" | "startedAt"> | null>;
  settings(): Promise<Settings>;
  calendar(): Promise<WorkCalendar>;
}

export function createJobSlots(deps: Pick<ServiceDeps, "store">): JobSlots {
  const { store } = deps;
  return {
    claim: (job, slot, owner, now) => store.transaction((tx) => tx.jobRuns.claim(job, slot, owner, now)),
    finish: (job, slot, now) => store.transaction((tx) => tx.jobRuns.finish(job, slot, now)),
    release: (job, slot) => store.transaction((tx) => tx.jobRuns.release(job, slot)),
    find: (job, slot) => store.read((tx) => tx.jobRuns.find(job, slot)),
    settings: async () => readSettings(await store.read((tx) => tx.settings.all())),
    calendar: () => store.read((tx) => loadCalendar(tx)),
  };
}

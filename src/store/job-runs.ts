import { jobRunState } from "./columns.js";
import type { Tx } from "./database.js";

export interface JobRunRow {
  job: string;
  slot: Date;
  state: "running" | "done" | "failed";
  owner: string;
  startedAt: Date;
}

/** Each scheduled run claims its slot (job + scheduled time) once, across replicas. */
export class JobRunRepository {
  constructor(private readonly db: Tx) {}

  /** True when this process got the slot; false when another run has it or had it. */
  async claim(job: string, slot: Date, owner: string, now: Date): Promise<boolean> {
    const existing = await this.db.jobRun.findUnique({ where: { job_slot: { job, slot } } });
    if (existing) return false;
    await this.db.jobRun.create({ data: { job, slot, state: "running", owner, startedAt: now } });
    return true;
  }

  async finish(job: string, slot: Date, now: Date): Promise<void> {
    await this.db.jobRun.update({
      where: { job_slot: { job, slot } },
      data: { state: "done", finishedAt: now },
    });
  }

  /** A failed run gives its slot back, so the next trigger tries it again. */
  async release(job: string, slot: Date): Promise<void> {
    await this.db.jobRun.deleteMany({ where: { job, slot } });
  }

  async find(job: string, slot: Date): Promise<JobRunRow | null> {
    const row = await this.db.jobRun.findUnique({ where: { job_slot: { job, slot } } });
    return row ? { ...row, state: jobRunState(row.state) } : null;
  }

  async list(job?: string): Promise<JobRunRow[]> {
    const rows = await this.db.jobRun.findMany({ where: job ? { job } : {}, orderBy: { slot: "asc" } });
    return rows.map((row) => ({ ...row, state: jobRunState(row.state) }));
  }
}

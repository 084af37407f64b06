import { DateTime } from "luxon";
import cron, { type ScheduledTask } from "node-cron";
import type { WorkCalendar } from "../domain/calendar.js";
import type { Clock } from "../domain/clock.js";
import { type JobId, schedulesOf } from "../domain/settings.js";
import type { Logger } from "../logger.js";
import type { JobSlots } from "../services/job-slots.js";

/** A job is data: its id (its schedule is the setting of that name) and what it runs. */
export interface JobDefinition {
  id: JobId;
  /** `madeUp`: the slot was missed while the bot was down and is run late (its messages say so). */
  run: (slot: { at: Date; madeUp: boolean }) => Promise<unknown>;
  /**
   * A slot on a day that is not a working day is run at the same time on the next working
   * day instead (the monthly bulletin due on 1 October goes out on 8 October), still as that
   * slot, so it runs once.
   */
  shiftToWorkday?: boolean;
}

export interface SchedulerDeps {
  /** Slots claimed in the database, the schedules and the calendar, through the services. */
  slots: JobSlots;
  /** The office's clock: jobs run "now" by it, and catch-up looks back from it. */
  clock: Clock;
  logger: Logger;
  /** DUCHA_TZ: jobs run in it unless the jobs' time zone setting says otherwise. */
  timeZone: string;
  /** Who this process is, in the runs table (host and pid). */
  owner: string;
}

/** A run still "running" this long ago was left by a process that died. */
const ABANDONED_AFTER_MS = 30 * 60_000;
/**
 * A slot missed while the bot was down is not made up when the job's next slot is this close:
 * started at 08:59 after a pause, the bot leaves yesterday's 09:00 run to today's, rather than
 * post the same reminders twice a minute apart.
 */
const NEXT_SLOT_SOON_MS = 60 * 60_000;
/** A trigger the database could not take is tried again a minute later. */
const RETRY_AFTER_MS = 60_000;
const MINUTE = 60_000;

export type TriggerOutcome = "ran" | "taken" | "failed";

interface ScheduleConfig {
  schedules: Record<JobId, string>;
  timeZone: string;
  catchUpHours: number;
}

/**
 * Runs the jobs on their schedules, exactly once per slot across replicas. A clock tick every
 * minute (node-cron, in the jobs' time zone) asks each job's cron expression — read from the
 * settings each time, so a change takes effect without a restart — whether this minute is
 * one of its slots. A slot is claimed in the database before the job runs: another process,
 * or a repeated trigger, finds it taken. A job that throws is logged with its slot, gives the
 * slot back and does not stop the others. On start, the latest slot missed while the bot was
 * down is run once, if it is recent enough.
 */
export class Scheduler {
  readonly #deps: SchedulerDeps;
  readonly #jobs: JobDefinition[];
  readonly #matchers = new Map<string, ScheduledTask>();
  #minuteTask: ScheduledTask | undefined;
  #ticks: Promise<void> = Promise.resolve();
  readonly #retries = new Set<NodeJS.Timeout>();
  #lastTickAt: Date | null = null;

  constructor(deps: SchedulerDeps, jobs: JobDefinition[]) {
    this.#deps = deps;
    this.#jobs = jobs;
  }

  get jobs(): readonly JobDefinition[] {
    return this.#jobs;
  }

  /** When the last tick finished its work (null before the first): /healthz reports it. */
  get lastTickAt(): Date | null {
    return this.#lastTickAt;
  }

  /**
   * Starts the minute tick, and makes up a recently missed slot of each job in the background,
   * before the next tick's work: the bot listens at once instead of after the catch-up.
   */
  async start(): Promise<void> {
    const { timeZone } = await this.#config();
    this.#minuteTask = cron.schedule(
      "* * * * *",
      (context) => {
        void this.tick(context.date);
      },
      { timezone: timeZone, name: "ducha-scheduler" },
    );
    this.#ticks = this.#ticks.then(() =>
      this.catchUp().catch((error: unknown) => {
        this.#deps.logger.error({ err: error }, "scheduler: could not make up missed runs");
      }),
    );
  }

  /** Resolves when the runs under way (the catch-up, a tick) are done. */
  async idle(): Promise<void> {
    await this.#ticks;
  }

  async stop(): Promise<void> {
    await this.#minuteTask?.destroy();
    for (const timer of this.#retries) clearTimeout(timer);
    this.#retries.clear();
    await this.#ticks;
    for (const matcher of this.#matchers.values()) await matcher.destroy();
    this.#matchers.clear();
  }

  /** Runs every job whose schedule includes this minute. Ticks run one after another. */
  tick(at: Date): Promise<void> {
    const slot = new Date(Math.floor(at.getTime() / MINUTE) * MINUTE);
    this.#ticks = this.#ticks.then(async () => {
      let config: ScheduleConfig;
      try {
        config = await this.#config();
      } catch (error) {
        this.#deps.logger.error(
          { err: error, slot },
          "scheduler: cannot read the schedules; retrying in a minute",
        );
        this.#retryLater(() => this.tick(slot));
        return;
      }
      let calendar: WorkCalendar | undefined;
      for (const job of this.#jobs) {
        if (job.shiftToWorkday) {
          calendar ??= await this.#deps.slots.calendar();
          for (const due of this.shiftedSlots(job, slot, config, calendar)) await this.trigger(job, due);
        } else if (this.#matcher(config.schedules[job.id], config.timeZone).match(slot)) {
          await this.trigger(job, slot);
        }
      }
      this.#lastTickAt = this.#deps.clock.now();
    });
    return this.#ticks;
  }

  /**
   * The slots a job that keeps to working days runs at this minute: none on a day off; on a
   * working day, this minute's slot and the slots at this time of the days off just before it.
   */
  shiftedSlots(job: JobDefinition, at: Date, config: ScheduleConfig, calendar: WorkCalendar): Date[] {
    const matcher = this.#matcher(config.schedules[job.id], config.timeZone);
    const here = DateTime.fromJSDate(at, { zone: config.timeZone });
    if (!calendar.isWorkday(here.toISODate() ?? "")) return [];
    const slots: Date[] = [];
    if (matcher.match(at)) slots.push(at);
    // Back over the days off just before today (a fortnight at most: 春节 and 国庆 are shorter).
    for (let back = 1; back <= 14; back++) {
      const day = here.minus({ days: back });
      if (calendar.isWorkday(day.toISODate() ?? "")) break;
      if (matcher.match(day.toJSDate())) slots.push(day.toJSDate());
    }
    return slots.reverse();
  }

  /** Runs one job for one slot, unless the slot is already taken. */
  async trigger(job: JobDefinition, slot: Date, madeUp = false): Promise<TriggerOutcome> {
    const { slots, logger, clock, owner } = this.#deps;
    let claimed: boolean;
    try {
      claimed = await slots.claim(job.id, slot, owner, clock.now());
    } catch (error) {
      logger.error(
        { err: error, job: job.id, slot },
        "scheduler: the database is unavailable; retrying in a minute",
      );
      this.#retryLater(() => this.trigger(job, slot, madeUp));
      return "failed";
    }
    if (!claimed) return "taken";
    try {
      const result = await job.run({ at: slot, madeUp });
      await slots.finish(job.id, slot, clock.now());
      logger.info({ job: job.id, slot, result }, "scheduler: job done");
      return "ran";
    } catch (error) {
      logger.error(
        { err: error, job: job.id, slot },
        "scheduler: job failed; its slot is released for the next trigger",
      );
      await slots.release(job.id, slot).catch((releaseError: unknown) => {
        logger.error({ err: releaseError, job: job.id, slot }, "scheduler: could not release the slot");
      });
      this.#retryLater(() => this.trigger(job, slot, madeUp));
      return "failed";
    }
  }

  /**
   * For each job, the latest slot within the catch-up window that never ran (or whose run
   * was abandoned by a dead process) is run now: once, never a backlog — unless the job's next
   * slot comes within the hour, which then stands for it.
   */
  async catchUp(): Promise<void> {
    const config = await this.#config();
    const now = this.#deps.clock.now();
    const windowMs = config.catchUpHours * 60 * MINUTE;
    const calendar = await this.#deps.slots.calendar();
    for (const job of this.#jobs) {
      const slot = job.shiftToWorkday
        ? this.latestShiftedSlot(job, config, calendar, now, windowMs)
        : this.latestSlot(config.schedules[job.id], config.timeZone, now, windowMs);
      if (!slot) continue;
      const next = job.shiftToWorkday
        ? this.nextShiftedSlot(job, config, calendar, now, NEXT_SLOT_SOON_MS)
        : this.nextSlot(config.schedules[job.id], config.timeZone, now, NEXT_SLOT_SOON_MS);
      if (next) {
        this.#deps.logger.info(
          { job: job.id, slot, next },
          "scheduler: not making up a missed run: the next one is due within the hour",
        );
        continue;
      }
      const run = await this.#deps.slots.find(job.id, slot);
      if (run?.state === "running" && now.getTime() - run.startedAt.getTime() > ABANDONED_AFTER_MS) {
        await this.#deps.slots.release(job.id, slot);
      } else if (run) {
        continue;
      }
      this.#deps.logger.info(
        { job: job.id, slot },
        "scheduler: making up a run missed while the bot was down",
      );
      await this.trigger(job, slot, true);
    }
  }

  /** The first minute after `now`, and within `withinMs` of it, that the schedule includes. */
  nextSlot(expression: string, timeZone: string, now: Date, withinMs: number): Date | null {
    const matcher = this.#matcher(expression, timeZone);
    const first = (Math.floor(now.getTime() / MINUTE) + 1) * MINUTE;
    for (let at = first; at <= now.getTime() + withinMs; at += MINUTE) {
      if (matcher.match(new Date(at))) return new Date(at);
    }
    return null;
  }

  /** For a job that keeps to working days: the first minute after `now`, within `withinMs`, that runs a slot. */
  nextShiftedSlot(
    job: JobDefinition,
    config: ScheduleConfig,
    calendar: WorkCalendar,
    now: Date,
    withinMs: number,
  ): Date | null {
    const first = (Math.floor(now.getTime() / MINUTE) + 1) * MINUTE;
    for (let at = first; at <= now.getTime() + withinMs; at += MINUTE) {
      if (this.shiftedSlots(job, new Date(at), config, calendar).length) return new Date(at);
    }
    return null;
  }

  /** For a job that keeps to working days: the slot of the latest minute in the window that ran one. */
  latestShiftedSlot(
    job: JobDefinition,
    config: ScheduleConfig,
    calendar: WorkCalendar,
    now: Date,
    windowMs: number,
  ): Date | null {
    const last = Math.floor(now.getTime() / MINUTE) * MINUTE;
    for (let at = last; at > now.getTime() - windowMs; at -= MINUTE) {
      const slots = this.shiftedSlots(job, new Date(at), config, calendar);
      if (slots.length) return slots.at(-1) ?? null;
    }
    return null;
  }

  /** The latest minute at or before `now`, and within `windowMs` of it, that the schedule includes. */
  latestSlot(expression: string, timeZone: string, now: Date, windowMs: number): Date | null {
    const matcher = this.#matcher(expression, timeZone);
    const last = Math.floor(now.getTime() / MINUTE) * MINUTE;
    for (let at = last; at > now.getTime() - windowMs; at -= MINUTE) {
      if (matcher.match(new Date(at))) return new Date(at);
    }
    return null;
  }

  async #config(): Promise<ScheduleConfig> {
    const settings = await this.#deps.slots.settings();
    return {
      schedules: schedulesOf(settings),
      timeZone: settings.jobTimeZone ?? this.#deps.timeZone,
      catchUpHours: settings.catchUpHours,
    };
  }

  #matcher(expression: string, timeZone: string): ScheduledTask {
    const key = `${expression}|${timeZone}`;
    let matcher = this.#matchers.get(key);
    if (!matcher) {
      matcher = cron.createTask(expression, () => undefined, { timezone: timeZone });
      this.#matchers.set(key, matcher);
    }
    return matcher;
  }

  #retryLater(again: () => Promise<unknown>): void {
    const timer = setTimeout(() => {
      this.#retries.delete(timer);
      void again();
    }, RETRY_AFTER_MS);
    timer.unref();
    this.#retries.add(timer);
  }
}

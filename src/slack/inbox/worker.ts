import type { WebClient } from "@slack/web-api";
import { cleanDeep } from "../../domain/clean-text.js";
import type { Clock } from "../../domain/clock.js";
import { speaking } from "../../i18n/person.js";
import type { Logger } from "../../logger.js";
import { isDatabaseTrouble } from "../../services/health.js";
import type { InboxEntry, InboxPort } from "../../services/inbox.js";
import type { Backlog } from "../backlog.js";
import type { SlackDeps } from "../deps.js";
import type { DurableClicks } from "../durable-clicks.js";
import { handleAppHomeOpened } from "../events/app-home.js";
import { handleMessageEvent } from "../events/message.js";
import type { Inflight } from "../inflight.js";
import type { PersonLocales } from "../person-locale.js";
import { Pump } from "../pump.js";
import { ZEnvelope } from "./envelope.js";

/** How the inbox worker waits and retries, in real time. */
export interface InboxOptions {
  /** A worker's claim on an event lapses after this long; another takes it over. */
  leaseMs: number;
  /** First wait after the database failed to take an event's work; doubles each time. */
  retryMs: number;
  maxRetryMs: number;
  /** A failure that is not the database's (a bug) is given up after this many attempts. */
  maxBuggyAttempts: number;
  pollMs: number;
  /** How many events a worker claims at a time (one lease for all). */
  batch: number;
}

export const DEFAULT_INBOX_OPTIONS: InboxOptions = {
  leaseMs: 15_000,
  retryMs: 500,
  maxRetryMs: 60_000,
  maxBuggyAttempts: 3,
  pollMs: 1_000,
  batch: 8,
};

/** App Homes drawn at once beside the line of events (InboxWorker's #beside). */
const HOMES_AT_ONCE = 4;

/**
 * Processes the inbox in order, one event at a time: a thread reply, an edit, a deletion, App
 * Home opened. The database failing is waited out (the event stays, retried with backoff);
 * a bug is given up after a few attempts, kept as failed for the operator.
 */
export class InboxWorker {
  readonly #options: InboxOptions;
  readonly #pump: Pump;
  /** App Homes being drawn beside the line (#beside). */
  readonly #homes = new Set<Promise<void>>();

  constructor(
    private readonly deps: {
      inbox: InboxPort;
      services: SlackDeps;
      web: WebClient;
      logger: Logger;
      inflight: Inflight;
      clock: Clock;
      /** People's languages: App Home is shown in the language of the person who opened it. */
      locales?: PersonLocales;
      /** Told how far the inbox lags, for /healthz. */
      backlog?: Pick<Backlog, "noteInboxLag">;
      /** Clicks stored before they were answered, whose first run did not finish them. */
      clicks?: Pick<DurableClicks, "replay">;
    },
    options: Partial<InboxOptions> = {},
  ) {
    this.#options = { ...DEFAULT_INBOX_OPTIONS, ...options };
    this.#pump = new Pump(() => this.#drain(), deps.inflight);
  }

  start(): void {
    this.#pump.start();
  }

  async stop(): Promise<void> {
    await this.#pump.stop();
    await Promise.all(this.#homes);
  }

  kick(): void {
    this.#pump.kick();
  }

  /** Processes until nothing is due now (tests and the demo wait with this). */
  async settle(): Promise<void> {
    await this.#pump.idle();
    await this.#drain();
    await Promise.all(this.#homes);
  }

  /** A round of the pump: every event due now, in order; answers when to look again. */
  #drain(): Promise<number> {
    return this.deps.inbox.inItsTurn(() => this.#drainNow());
  }

  async #drainNow(): Promise<number> {
    let wakeInMs = this.#options.pollMs;
    const { inbox } = this.deps;
    try {
      for (;;) {
        if (this.#pump.stopped) return wakeInMs;
        const batch = await inbox.claimDue(this.#options.leaseMs, this.#options.batch);
        this.deps.backlog?.noteInboxLag(
          batch[0] ? this.deps.clock.now().getTime() - batch[0].receivedAt.getTime() : 0,
        );
        if (batch.length === 0) {
          const next = await inbox.nextDueAt();
          if (next)
            wakeInMs = Math.max(
              5,
              Math.min(this.#options.pollMs, next.getTime() - this.deps.clock.now().getTime()),
            );
          break;
        }
        const done: number[] = [];
        let waitMs: number | undefined;
        for (const [i, entry] of batch.entries()) {
          // Stopping, or the database failed on this one (it is tried again later): the rest
          // wait too, so later events do not overtake it, and are given back at once rather
          // than left to their lease.
          if (this.#pump.stopped) {
            await inbox.release(batch.slice(i).map((e) => e.id));
            break;
          }
          const outcome = await this.#process(entry);
          if (outcome.done) done.push(entry.id);
          if (outcome.waitMs !== undefined) {
            waitMs = outcome.waitMs;
            if (i + 1 < batch.length) await inbox.release(batch.slice(i + 1).map((e) => e.id));
            break;
          }
        }
        // Processed ones not marked done (the process died first) are processed again once
        // their lease lapses, and recorded once all the same: an event's id is kept with its effects.
        if (done.length > 0) await inbox.done(done);
        if (this.#pump.stopped) return wakeInMs;
        if (waitMs !== undefined) {
          wakeInMs = waitMs;
          break;
        }
      }
    } catch (error) {
      this.deps.logger.error({ err: error }, "inbox: the database is not answering; trying again shortly");
    }
    return wakeInMs;
  }

  async #process(entry: InboxEntry): Promise<{ done?: boolean; waitMs?: number }> {
    const { services, web } = this.deps;
    try {
      if (/^(click|command|view):/.test(entry.eventId)) {
        if (!this.deps.clicks) throw new Error("a stored click, and no one to run it");
        await this.deps.clicks.replay(entry);
        return { done: true };
      }
      const envelope = ZEnvelope.parse(cleanDeep(JSON.parse(entry.body)));
      const { event } = envelope;
      if (event.type === "message") await handleMessageEvent(services, event, envelope.event_id);
      else if (event.type === "app_home_opened") {
        const user = typeof event.user === "string" ? event.user : undefined;
        await this.#beside(entry, async () => {
          const locale = user && this.deps.locales ? await this.deps.locales.of(user) : undefined;
          const show = () => handleAppHomeOpened(services, web, event);
          await (locale ? speaking(locale, show) : show());
        });
        // Marked done beside the line, once it is drawn.
        return {};
      }
      return { done: true };
    } catch (error) {
      return this.#failed(entry, error);
    }
  }

  /**
   * Draws an App Home beside the line of events, up to HOMES_AT_ONCE at a time: a view changes
   * nothing a later event depends on, and each waits on a whole department's tasks and on
   * views.publish. In the line, the replies behind it waited (measured on PostgreSQL at 50
   * requests a second: 13 App Homes took 11.9 of the worker's 20 s, p50 459 ms each, and 38 of
   * 468 replies were stored while the load lasted). Resolves once it has started.
   */
  async #beside(entry: InboxEntry, work: () => Promise<void>): Promise<void> {
    while (this.#homes.size >= HOMES_AT_ONCE) await Promise.race(this.#homes);
    const end = this.deps.inflight.begin();
    const drawing = (async () => {
      try {
        await work();
        await this.deps.inbox.done(entry.id);
      } catch (error) {
        await this.#failed(entry, error).catch((failure: unknown) =>
          this.deps.logger.error(
            { err: failure },
            "inbox: the database is not answering; trying again shortly",
          ),
        );
      } finally {
        end();
      }
    })();
    this.#homes.add(drawing);
    void drawing.finally(() => this.#homes.delete(drawing));
  }

  /** An event whose work failed: tried again later (the database, or a first few times), or kept as failed. */
  async #failed(entry: InboxEntry, error: unknown): Promise<{ waitMs?: number }> {
    const { inbox, logger } = this.deps;
    const message = error instanceof Error ? error.message : String(error);
    if (isDatabaseTrouble(error) || entry.attempts < this.#options.maxBuggyAttempts) {
      const wait = Math.min(this.#options.maxRetryMs, this.#options.retryMs * 2 ** (entry.attempts - 1));
      logger.warn(
        { err: error, eventId: entry.eventId, attempts: entry.attempts },
        "inbox: an event will be tried again",
      );
      await inbox.retry(entry.id, new Date(this.deps.clock.now().getTime() + wait), message.slice(0, 500));
      return { waitMs: wait };
    }
    logger.error(
      { err: error, eventId: entry.eventId },
      "inbox: an event cannot be processed; kept as failed",
    );
    await inbox.fail(entry.id, message.slice(0, 500));
    return {};
  }
}

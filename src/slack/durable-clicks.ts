import type { AnyMiddlewareArgs, Middleware } from "@slack/bolt";
import type { Clock } from "../domain/clock.js";
import type { Messages } from "../i18n/index.js";
import type { Logger } from "../logger.js";
import { isDatabaseTrouble } from "../services/health.js";
import type { InboxEntry, InboxPort } from "../services/inbox.js";
import type { Backlog } from "./backlog.js";
import { describeError } from "./errors.js";
import { ACTION } from "./ids.js";

/**
 * Acknowledged means stored, for clicks too (issue 31). A button that changes something at once
 * — 签收, 催办, 同意延期, ⭐, 推广, 接受协调, 协调已解决, 回头看 未反弹, 报结 已阅, 采用, 立即发布 —
 * is written to the inbox before Slack is answered 200, claimed by the process that took it,
 * and done at once. What would have been lost is done later by the inbox worker (of any
 * replica) instead: a click whose process died (its claim lapses), one the database could not
 * take in time (retried with backoff), one that came while the work was full (queued, not
 * refused: the person already pressed it). Buttons that open a modal change nothing until the
 * modal is submitted; they are not stored (a lost one is pressed again, and Slack's trigger
 * lasts three seconds).
 *
 * Slash commands are stored the same way (`command:<trigger_id>`), so one acknowledged is
 * answered at its response_url (valid for half an hour) even when its process died first; past
 * the backlog a command is answered "busy, try again" rather than queued, as the person can
 * simply ask again. One whose modal it opens is replayed too late for the trigger and told so.
 */
export const DURABLE_ACTIONS: ReadonlySet<string> = new Set([
  ACTION.ack,
  ACTION.urge,
  ACTION.approveExtension,
  ACTION.star,
  ACTION.spread,
  ACTION.coordinationAccept,
  ACTION.coordinationResolve,
  ACTION.recheckHeld,
  ACTION.closureRead,
  ACTION.infoAdopt,
  ACTION.postSummary,
]);

/** How long the process that took a click has to do it before another takes it over. */
export const CLICK_LEASE_MS = 2 * 60_000;

type Payload = {
  type?: unknown;
  command?: unknown;
  trigger_id?: unknown;
  response_url?: unknown;
  actions?: { action_id?: unknown }[];
};

export interface StoredClick {
  /** The inbox key: a replay of the same click (same trigger) is stored once. */
  key: string;
  payload: Record<string, unknown>;
  body: string;
}

/**
 * The click in a request's form body, when it is a button that changes something at once, or
 * the slash command it is (its fields, as Bolt reads them).
 */
export function durableClickOf(form: string): StoredClick | undefined {
  const params = new URLSearchParams(form);
  if (params.has("command")) return durableClick(Object.fromEntries(params));
  const raw = params.get("payload");
  if (!raw) return undefined;
  try {
    const payload = JSON.parse(raw) as Payload & Record<string, unknown>;
    return durableClick(payload);
  } catch {
    return undefined;
  }
}

/** The same, from a payload already parsed (Socket Mode). */
export function durableClick(payload: Payload & Record<string, unknown>): StoredClick | undefined {
  if (typeof payload.trigger_id !== "string" || typeof payload.response_url !== "string") return undefined;
  if (typeof payload.command === "string")
    return { key: `command:${payload.trigger_id}`, payload, body: JSON.stringify(payload) };
  if (payload.type !== "block_actions") return undefined;
  const actionId = payload.actions?.[0]?.action_id;
  if (typeof actionId !== "string" || !DURABLE_ACTIONS.has(actionId)) return undefined;
  return { key: `click:${payload.trigger_id}`, payload, body: JSON.stringify(payload) };
}

type Outcome = { kind: "done" } | { kind: "queued" } | { kind: "retry"; error: unknown };

/** Runs stored clicks through the app's listeners, and settles each one's inbox entry. */
export class DurableClicks {
  readonly #running = new Map<string, { inline: boolean; outcome?: Outcome }>();

  constructor(
    private readonly deps: {
      inbox: InboxPort;
      logger: Logger;
      backlog: Backlog;
      clock: Clock;
      words: () => Messages;
      /** The app's listeners, run on a stored payload (Bolt's processEvent). */
      process: (payload: Record<string, unknown>) => Promise<void>;
      /** Something was queued: the inbox worker should look. */
      kick: () => void;
      fetch?: typeof fetch;
    },
    private readonly options: { retryMs: number } = { retryMs: 500 },
  ) {}

  /**
   * Whether this request is a stored click being run (not refused as busy: it is queued instead).
   * A stored command is refused as any other: the person is told at once to try again.
   */
  handles(body: unknown): boolean {
    const key = this.#recordOf(body)?.key;
    return key !== undefined && !key.startsWith("command:");
  }

  /** The stored click, command or late modal submission this request is being run as, if it is one. */
  #recordOf(body: unknown): { key: string; record: { inline: boolean; outcome?: Outcome } } | undefined {
    const { trigger_id: trigger, command, type } = body as Payload;
    if (typeof trigger !== "string") return undefined;
    const kind = typeof command === "string" ? "command" : type === "view_submission" ? "view" : "click";
    const key = `${kind}:${trigger}`;
    const record = this.#running.get(key);
    return record ? { key, record } : undefined;
  }

  /** Stored and acknowledged by this process: done now, or left to the inbox worker. */
  async runInline(id: number, click: StoredClick): Promise<void> {
    const outcome = await this.#run(click.key, click.payload, true, id);
    const { inbox, logger } = this.deps;
    try {
      if (outcome.kind === "done") await inbox.done([id]);
      else if (outcome.kind === "queued") {
        await inbox.release([id]);
        this.deps.kick();
      } else {
        const at = new Date(this.deps.clock.now().getTime() + this.options.retryMs);
        await inbox.retry(id, at, String((outcome.error as Error)?.message ?? outcome.error).slice(0, 500));
        this.deps.kick();
      }
    } catch (error) {
      // Its claim lapses and the inbox worker takes it: done again, which the services refuse
      // or repeat harmlessly (签收 twice is refused as done; a ⭐ is set once).
      logger.warn({ err: error, key: click.key }, "clicks: could not record a click's outcome");
    }
  }

  /**
   * The inbox worker's turn at a stored click (its process died, the database could not take
   * it, or the work was full). Throws the database's trouble, for the worker to retry.
   */
  async replay(entry: InboxEntry): Promise<void> {
    const payload = JSON.parse(entry.body) as Record<string, unknown>;
    const outcome = await this.#run(entry.eventId, payload, false, entry.id);
    if (outcome.kind === "retry") throw outcome.error;
  }

  async #run(key: string, payload: Record<string, unknown>, inline: boolean, id: number): Promise<Outcome> {
    const record: { inline: boolean; outcome?: Outcome } = { inline };
    this.#running.set(key, record);
    try {
      // Its write marks it done as it commits: a process dying before the mark below does not
      // leave it to be run a second time.
      await this.deps.inbox.settling(id, () => this.deps.process(payload));
    } catch (error) {
      this.deps.logger.error({ err: error, key }, "clicks: a stored click could not be run");
    } finally {
      this.#running.delete(key);
    }
    return record.outcome ?? { kind: "done" };
  }

  /**
   * After the error boundary, before admission: a stored click meets a full backlog by waiting
   * in the inbox, and the database's trouble by being tried again, not told as a failure.
   */
  middleware(): Middleware<AnyMiddlewareArgs> {
    return async (args) => {
      const found = this.#recordOf(args.body);
      if (!found) {
        await args.next();
        return;
      }
      const { key, record } = found;
      if (record.inline && this.deps.backlog.busy && key.startsWith("click:")) {
        record.outcome = { kind: "queued" };
        return;
      }
      try {
        await args.next();
        record.outcome = { kind: "done" };
      } catch (error) {
        if (!isDatabaseTrouble(error)) {
          record.outcome = { kind: "done" };
          throw error;
        }
        this.deps.logger.warn({ err: error, key }, "clicks: will be tried again");
        record.outcome = { kind: "retry", error };
      }
    };
  }

  /** A click stored after its person was told it was not: marked done, not run, as they were told. */
  async leaveUndone(id: number): Promise<void> {
    try {
      await this.deps.inbox.done([id]);
      this.deps.logger.warn({ id }, "clicks: one stored after its person was told it was not is left undone");
    } catch (error) {
      this.deps.logger.warn({ err: error, id }, "clicks: could not leave a late click undone");
    }
  }

  /**
   * A click acknowledged before its store answered, whose store then failed: the person is
   * told at the click's response_url that it was not done.
   */
  async notStored(click: StoredClick, error: unknown): Promise<void> {
    const url = click.payload.response_url;
    if (typeof url !== "string") return;
    // No error: the database did not answer in time.
    const text =
      error === undefined
        ? this.deps.words().errors.database({ kind: "unavailable", ref: click.key.slice(-8) })
        : describeError(error, this.deps.words()).text;
    try {
      await (this.deps.fetch ?? fetch)(url, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ response_type: "ephemeral", replace_original: false, text }),
      });
    } catch (tellError) {
      this.deps.logger.warn({ err: tellError }, "clicks: could not tell the person a click was not done");
    }
  }
}

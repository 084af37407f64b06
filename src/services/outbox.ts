import { type DeliveryStatus, type OutboxEntry, owe } from "../domain/outbox.js";
import { oweAuthRestored, oweProblemNotices } from "./delivery.js";
import type { ServiceDeps } from "./ports.js";

/**
 * The outbox as its delivery worker sees it: a small port over the store, so the worker
 * (src/slack/outbox) knows Slack and timing, and nothing of transactions or tables. Each call
 * is one short transaction.
 */
export interface OutboxPort {
  /** Sends whose claim ran out (their process died) are due again, to be looked for before resending. */
  recoverExpired(now: Date, legacyMs: number): Promise<number>;
  /** The causes of delivery problems told about and not mended (the notices' key prefixes). */
  toldCauses(): Promise<string[]>;
  /** The oldest waiting message of each lane, when it is due. */
  dueHeads(now: Date, limit: number): Promise<OutboxEntry[]>;
  /** The earliest moment a waiting message is due (held ones wait for a person, not for time). */
  nextDueAt(): Promise<Date | null>;
  /** Takes messages for sending until `leaseUntil`; leaves out those another worker took first. */
  claim(ids: readonly number[], now: Date, leaseUntil: Date): Promise<ReadonlySet<number>>;
  /** The send is still under way; false when the claim was lost (taken over by another worker). */
  renewLease(id: number, attemptAt: Date, until: Date): Promise<boolean>;
  /** Done, unless it was owed again meanwhile (a newer update). */
  sent(id: number, attemptAt: Date, now: Date, resultTs?: string): Promise<void>;
  /** Try again at `at`, saying what the attempt came to. */
  retry(
    id: number,
    at: Date,
    outcome: { status: DeliveryStatus; error: string | null; countAttempt?: boolean },
  ): Promise<void>;
  /** Given up after repeated failures. */
  giveUp(id: number, error: string): Promise<void>;
  /** Slack refused it for good: dead, and those who can mend it told once per cause. Returns the cause. */
  refuse(entry: OutboxEntry, failure: { code: string; needed?: string }): Promise<string>;
  /**
   * The bot is not in the channel: what must arrive is held until `retryAt`, the rest dropped;
   * the first time, the person who asked and the supervision channel are told. Returns the cause.
   */
  hold(
    entry: OutboxEntry,
    failure: { code: string },
    options: { durable: boolean; retryAt: Date; firstTime: boolean },
  ): Promise<string | null>;
  /** Slack took the token again after refusing it: the admins and supervision are told, once per outage. */
  authRestored(outage: { code: string; since: Date; until: Date }): Promise<void>;
  /** Slack takes the token again: what was paused for it is due now. Returns how many. */
  resumePaused(now: Date): Promise<number>;
  /** The causes mended: their notices are forgotten, so a new occurrence is told again. */
  forgetCauses(prefixes: readonly string[]): Promise<void>;
}

export function createOutboxPort(deps: ServiceDeps): OutboxPort {
  const { store } = deps;
  return {
    recoverExpired: (now, legacyMs) => store.transaction((tx) => tx.outbox.recoverExpired(now, legacyMs)),
    toldCauses: () => store.read((tx) => tx.outbox.problemPrefixes()),
    dueHeads: (now, limit) => store.read((tx) => tx.outbox.dueHeads(now, limit)),
    nextDueAt: () => store.read((tx) => tx.outbox.nextDueAt()),
    // A claim by ids of the pending ones and a mark by id and attempt are one statement each,
    // right beside anything (store.statement): on PostgreSQL two of them for every message sent
    // waited in the line of writes, ahead of the replies.
    claim: async (ids, now, leaseUntil) =>
      new Set(await store.statement((tx) => tx.outbox.claim(ids, now, leaseUntil))),
    renewLease: (id, attemptAt, until) =>
      store.transaction((tx) => tx.outbox.renewLease(id, attemptAt, until)),
    sent: (id, attemptAt, now, resultTs) =>
      store.statement((tx) => tx.outbox.markSent(id, attemptAt, now, resultTs)),
    retry: (id, at, outcome) => store.transaction((tx) => tx.outbox.retryAt(id, at, outcome)),
    giveUp: (id, error) => store.transaction((tx) => tx.outbox.markDead(id, "retrying", error)),
    refuse: (entry, failure) =>
      store.transaction(async (tx) => {
        await tx.outbox.markDead(
          entry.id,
          "refused",
          failure.needed ? `${failure.code}:${failure.needed}` : failure.code,
        );
        return oweProblemNotices(deps, tx, {
          code: failure.code,
          ...(failure.needed ? { needed: failure.needed } : {}),
          target: entry.lane,
          failedKind: entry.message.kind,
          held: false,
          requestedBy: entry.requestedBy,
        });
      }),
    hold: (entry, failure, options) =>
      store.transaction(async (tx) => {
        if (options.durable) {
          await tx.outbox.retryAt(entry.id, options.retryAt, { status: "blocked", error: failure.code });
        } else {
          await tx.outbox.markDead(entry.id, "blocked", failure.code);
        }
        if (!options.firstTime) return null;
        return oweProblemNotices(deps, tx, {
          code: failure.code,
          target: entry.lane,
          failedKind: entry.message.kind,
          held: options.durable,
          requestedBy: entry.requestedBy,
        });
      }),
    resumePaused: (now) => store.transaction((tx) => tx.outbox.resumePaused(now)),
    authRestored: (outage) => store.transaction((tx) => oweAuthRestored(deps, tx, outage)),
    forgetCauses: (prefixes) =>
      store.transaction(async (tx) => {
        for (const prefix of prefixes) await tx.outbox.forgetNotices(prefix);
      }),
  };
}

/**
 * Owes words in a conversation (an answer in a DM), once per key: written to the outbox and
 * delivered by its worker, so a failure of Slack's delays it and never loses or repeats it.
 */
export async function oweText(
  deps: Pick<ServiceDeps, "store" | "outbox">,
  input: { key: string; channel: string; reply: { text: string; blocks?: Record<string, unknown>[] } },
): Promise<void> {
  await deps.store.transaction((tx) => tx.outbox.enqueue(owe.text(input.key, input.channel, input.reply)));
  deps.outbox.kick();
}

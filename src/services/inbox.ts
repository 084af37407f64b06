import type { InboxEntry } from "../store/inbox.js";
import { type SettlingLater, settlingInboxEntry, settlingLater } from "../store/store.js";
import type { ServiceDeps } from "./ports.js";

export type { InboxEntry, SettlingLater };

/** The inbox of Events API deliveries, as the intake (src/slack/intake.ts) sees it. */
export interface InboxPort {
  /**
   * Stores a delivery before Slack is told it was received. True the first time, false for a
   * resend already stored; throws when the database cannot take it (then Slack is not told,
   * and sends it again).
   */
  accept(eventId: string, body: string): Promise<boolean>;
  /**
   * Stores a click before Slack is told it was received, taken by this process for `leaseMs`:
   * its inbox id, or null for a replay already stored. Throws when the database cannot take it.
   */
  acceptClick(key: string, body: string, leaseMs: number): Promise<number | null>;
  /** Runs the worker's round, its transactions taking turns with the rest of the work waiting. */
  inItsTurn<T>(work: () => Promise<T>): Promise<T>;
  /** The oldest event due, taken with a lease another worker may take over when it lapses. */
  claimNext(leaseMs: number): Promise<InboxEntry | null>;
  /** The `limit` oldest events due, oldest first, taken with one lease. */
  claimDue(leaseMs: number, limit: number): Promise<InboxEntry[]>;
  done(ids: number | readonly number[]): Promise<void>;
  /** Runs a stored click's or command's work so that its writes mark its entry done with them. */
  settling<T>(id: number, work: () => Promise<T>): Promise<T>;
  /**
   * Runs a modal submission's work, whose entry is stored only if it runs late: once `later.bind`
   * names the entry, each write of the work marks it done as it commits.
   */
  settlingLater<T>(work: () => Promise<T>): { result: Promise<T>; later: SettlingLater };
  /** Claimed events not processed: back to waiting, due at once. */
  release(ids: readonly number[]): Promise<void>;
  retry(id: number, at: Date, error: string): Promise<void>;
  fail(id: number, error: string): Promise<void>;
  nextDueAt(): Promise<Date | null>;
  /**
   * A request answered once only: true the first time its key (Slack's trigger_id) is seen, so
   * a replayed click or command changes nothing.
   */
  firstRequest(key: string): Promise<boolean>;
  /**
   * Which of these replies in a channel are stored already (as reports or comments, or as an
   * information report's 续报): a re-read of the threads passes them by instead of queueing them again.
   */
  storedReplies(channelId: string, ts: readonly string[]): Promise<Set<string>>;
  /**
   * Where to look for replies missed while down, taken before listening: the threads of open
   * tasks' cards, and when ducha last received an event (null: never).
   */
  missedSince(): Promise<{
    threads: { taskId: number; channelId: string; cardTs: string }[];
    lastReceivedAt: Date | null;
  }>;
}

/** The inbox over the store; `clock` is real time (leases and retries are about the process). */
export function createInboxPort(deps: Pick<ServiceDeps, "store">, clock: { now(): Date }): InboxPort {
  const { store } = deps;
  return {
    missedSince: () =>
      store.read(async (tx) => ({
        threads: await tx.tasks.openThreads(),
        lastReceivedAt: await tx.inbox.lastReceivedAt(),
      })),
    accept: (eventId, body) => store.acknowledging((tx) => tx.inbox.accept(eventId, body, clock.now())),
    acceptClick: (key, body, leaseMs) =>
      store.acknowledging((tx) => {
        const now = clock.now();
        return tx.inbox.acceptClaimed(key, body, now, new Date(now.getTime() + leaseMs));
      }),
    inItsTurn: (work) => store.inboxTurn(work),
    claimNext: (leaseMs) => store.transaction((tx) => tx.inbox.claimNext(clock.now(), leaseMs)),
    claimDue: (leaseMs, limit) => store.transaction((tx) => tx.inbox.claimDue(clock.now(), leaseMs, limit)),
    // One UPDATE by id: on PostgreSQL it waited in the line of writes behind every reply, click
    // and delivery, once for every click, command and batch of replies.
    done: (ids) => store.statement((tx) => tx.inbox.done(ids, clock.now())),
    settling: (id, work) => settlingInboxEntry(id, work),
    settlingLater: (work) => settlingLater(work),
    release: (ids) => store.transaction((tx) => tx.inbox.release(ids)),
    retry: (id, at, error) => store.transaction((tx) => tx.inbox.retryAt(id, at, error)),
    fail: (id, error) => store.transaction((tx) => tx.inbox.fail(id, error)),
    nextDueAt: () => store.read((tx) => tx.inbox.nextDueAt()),
    storedReplies: (channelId, ts) =>
      ts.length === 0
        ? Promise.resolve(new Set<string>())
        : store.read(async (tx) => new Set(await tx.reports.storedMessages(channelId, ts))),
    firstRequest: (key) =>
      store.acknowledging((tx) => tx.inboxRequests.firstTime(`request:${key}`, clock.now())),
  };
}

import { Prisma } from "../generated/prisma/client.js";
import type { Tx } from "./database.js";
import { inTurn } from "./in-turn.js";

/** An event waiting in the inbox, or being processed. */
export interface InboxEntry {
  id: number;
  eventId: string;
  body: string;
  attempts: number;
  receivedAt: Date;
}

/** The inbox of Events API deliveries: stored before they are acknowledged, processed from here. */
export class InboxRepository {
  constructor(private readonly db: Tx) {}

  /** Stores an event unless it is already here (Slack resends); true the first time. */
  async accept(eventId: string, body: string, now: Date): Promise<boolean> {
    // One statement, before Slack is answered: the event goes in unless it is there already.
    const inserted = await this.db.$executeRaw`
      INSERT INTO "InboxEvent" ("eventId", "body", "receivedAt", "state", "attempts", "nextAttemptAt")
      VALUES (${eventId}, ${body}, ${now}, 'pending', 0, ${now})
      ON CONFLICT ("eventId") DO NOTHING`;
    return inserted === 1;
  }

  /**
   * Stores a click before it is acknowledged, claimed by the process taking it (processed at
   * once; another worker takes it over should the lease lapse). Its id, or null when the key
   * is there already (a replay).
   */
  async acceptClaimed(eventId: string, body: string, now: Date, leaseUntil: Date): Promise<number | null> {
    const rows = await this.db.$queryRaw<{ id: number | bigint }[]>`
      INSERT INTO "InboxEvent" ("eventId", "body", "receivedAt", "state", "attempts", "nextAttemptAt", "leaseUntil")
      VALUES (${eventId}, ${body}, ${now}, 'processing', 1, ${now}, ${leaseUntil})
      ON CONFLICT ("eventId") DO NOTHING
      RETURNING "id"`;
    return rows[0] ? Number(rows[0].id) : null;
  }

  /**
   * Takes the oldest event due for processing, with a lease: one left "processing" by a
   * worker that died is taken over once its lease has lapsed. Null when none is due.
   */
  async claimNext(now: Date, leaseMs: number): Promise<InboxEntry | null> {
    return (await this.claimDue(now, leaseMs, 1))[0] ?? null;
  }

  /**
   * Takes the `limit` oldest events due, oldest first, with one lease: a worker takes several
   * at a time, so each event costs it neither a claim nor a finish of its own (each a
   * transaction waiting its turn on SQLite's one connection behind the requests in flight).
   */
  async claimDue(now: Date, leaseMs: number, limit: number): Promise<InboxEntry[]> {
    // One statement (was a read, a conditional update and a read again): the oldest due entry is
    // taken if it is still due when the update reaches it. Two workers that pick the same entry
    // at once: on SQLite statements run one at a time; on PostgreSQL (serializable) the second
    // is undone and retried by the store. None taken: the worker looks when the next one is due.
    const due = Prisma.sql`(("state" = 'pending' AND "nextAttemptAt" <= ${now})
                          OR ("state" = 'processing' AND "leaseUntil" < ${now}))`;
    const rows = await this.db.$queryRaw<
      { id: number; eventId: string; body: string; attempts: number | bigint; receivedAt: Date | string }[]
    >`
      UPDATE "InboxEvent"
         SET "state" = 'processing', "leaseUntil" = ${new Date(now.getTime() + leaseMs)},
             "attempts" = "attempts" + 1
       WHERE "id" IN (SELECT "id" FROM "InboxEvent" WHERE ${due} ORDER BY "id" ASC LIMIT ${limit}) AND ${due}
      RETURNING "id", "eventId", "body", "attempts", "receivedAt"`;
    // RETURNING promises no order.
    return rows
      .map((row) => ({
        id: Number(row.id),
        eventId: row.eventId,
        body: row.body,
        attempts: Number(row.attempts),
        receivedAt: row.receivedAt instanceof Date ? row.receivedAt : new Date(row.receivedAt),
      }))
      .sort((a, b) => a.id - b.id);
  }

  /** Processed (one event, or a worker's several at once). */
  async done(ids: number | readonly number[], now: Date): Promise<void> {
    const list = typeof ids === "number" ? [ids] : ids;
    if (list.length === 0) return;
    // Raw SQL: once for every event, and Prisma's compiling cost more than the update.
    await this.db.$executeRaw`
      UPDATE "InboxEvent" SET "state" = 'done', "processedAt" = ${now}, "leaseUntil" = NULL, "lastError" = NULL
       WHERE "id" IN (${Prisma.join([...list])})`;
  }

  /**
   * Claimed and not processed (the worker stopped, or waits for the database before going on):
   * back to waiting, due at once, the claim not counted as an attempt.
   */
  async release(ids: readonly number[]): Promise<void> {
    if (ids.length === 0) return;
    await this.db.$executeRaw`
      UPDATE "InboxEvent" SET "state" = 'pending', "leaseUntil" = NULL, "attempts" = "attempts" - 1
       WHERE "id" IN (${Prisma.join([...ids])}) AND "state" = 'processing'`;
  }

  /** Not processed this time (the database was busy or away): again at `at`. */
  async retryAt(id: number, at: Date, error: string): Promise<void> {
    await this.db.inboxEvent.update({
      where: { id },
      data: { state: "pending", nextAttemptAt: at, leaseUntil: null, lastError: error },
    });
  }

  /** Cannot be processed (kept for the operator to look at). */
  async fail(id: number, error: string): Promise<void> {
    await this.db.inboxEvent.update({
      where: { id },
      data: { state: "failed", leaseUntil: null, lastError: error },
    });
  }

  /** The next moment something is due, if anything is waiting. */
  async nextDueAt(): Promise<Date | null> {
    const row = await this.db.inboxEvent.findFirst({
      where: { state: { in: ["pending", "processing"] } },
      orderBy: { nextAttemptAt: "asc" },
      select: { nextAttemptAt: true, state: true, leaseUntil: true },
    });
    if (!row) return null;
    return row.state === "processing" ? row.leaseUntil : row.nextAttemptAt;
  }

  /** Events waiting, and the oldest of them. */
  async backlog(): Promise<{ waiting: number; failed: number; oldest: Date | null }> {
    const where = { state: { in: ["pending", "processing"] } };
    const [waiting, failed, oldest] = await inTurn([
      () => this.db.inboxEvent.count({ where }),
      () => this.db.inboxEvent.count({ where: { state: "failed" } }),
      () => this.db.inboxEvent.findFirst({ where, orderBy: { id: "asc" }, select: { receivedAt: true } }),
    ]);
    return { waiting, failed, oldest: oldest?.receivedAt ?? null };
  }

  /** When the last event was received: the last moment ducha is known to have been listening. */
  async lastReceivedAt(): Promise<Date | null> {
    const last = await this.db.inboxEvent.findFirst({
      orderBy: { id: "desc" },
      select: { receivedAt: true },
    });
    return last?.receivedAt ?? null;
  }

  /** Forgets events processed long ago. */
  async forgetDoneBefore(before: Date): Promise<number> {
    const { count } = await this.db.inboxEvent.deleteMany({
      where: { state: "done", processedAt: { lt: before } },
    });
    return count;
  }
}

import {
  COALESCING_KINDS,
  type DeliveryStatus,
  type OutboxEntry,
  type OutboxRequest,
  problemKeys,
  ZOwedMessage,
} from "../domain/outbox.js";
import { Prisma } from "../generated/prisma/client.js";
import { deliveryStatus, outboxState } from "./columns.js";
import type { Tx } from "./database.js";

export type { OutboxEntry };

type Row = {
  id: number;
  key: string;
  lane: string;
  kind: string;
  payload: string;
  state: string;
  status: string | null;
  attempts: number;
  nextAttemptAt: Date;
  lastAttemptAt: Date | null;
  lastError: string | null;
  requestedBy: string | null;
  resultTs: string | null;
  createdAt: Date;
};

function toEntry(row: Row): OutboxEntry {
  return {
    id: row.id,
    key: row.key,
    lane: row.lane,
    message: ZOwedMessage.parse(JSON.parse(row.payload)),
    state: outboxState(row.state),
    status: row.status === null ? null : deliveryStatus(row.status),
    attempts: row.attempts,
    nextAttemptAt: row.nextAttemptAt,
    lastAttemptAt: row.lastAttemptAt,
    lastError: row.lastError,
    requestedBy: row.requestedBy,
    resultTs: row.resultTs,
    createdAt: row.createdAt,
  };
}

/** What toEntry reads of a row, for raw statements. */
const ROW_COLUMNS = Prisma.sql`"id", "key", "lane", "kind", "payload", "state", "status", "attempts", "nextAttemptAt",
  "lastAttemptAt", "lastError", "requestedBy", "resultTs", "createdAt"`;

/** The oldest message still owed in each lane. */
const HEAD_IDS = Prisma.sql`SELECT min("id") FROM "OutboxMessage" WHERE "state" IN ('pending', 'sending') GROUP BY "lane"`;

/** A raw row as Prisma's would be: numbers and times made sure of (SQLite may give times as text). */
function fromRaw(row: Row): Row {
  const time = (v: Date | string | null) => (v === null ? null : v instanceof Date ? v : new Date(v));
  return {
    ...row,
    id: Number(row.id),
    attempts: Number(row.attempts),
    nextAttemptAt: time(row.nextAttemptAt) as Date,
    lastAttemptAt: time(row.lastAttemptAt),
    createdAt: time(row.createdAt) as Date,
  };
}

/** "Due now", whatever the clock says: the epoch. */
const DUE_NOW = new Date(0);

/** The outbox: what the bot owes Slack, written with the change that causes it. */
export class OutboxRepository {
  constructor(private readonly db: Tx) {}

  /**
   * Owes a message, due at once. The same key is owed once; for coalescing kinds (card and
   * rollup updates) a key already sent is owed again, so the latest state gets out. Delivery
   * timing (retries, pacing, waiting for more changes) is the worker's, in real time.
   */
  async enqueue(request: OutboxRequest): Promise<void> {
    await this.enqueueAll([request]);
  }

  /**
   * Owes many messages: which keys are owed already is read in one statement, those never owed
   * before are written in one, the others are owed again one by one (coalescing kinds only).
   * Raw SQL: every reply and click owes two or three messages, and Prisma's compiling of its
   * read and its write cost more than both.
   */
  async enqueueAll(requests: readonly OutboxRequest[]): Promise<void> {
    const byKey = new Map<string, OutboxRequest>();
    for (const request of requests) if (!byKey.has(request.key)) byKey.set(request.key, request);
    const known = new Map<string, { id: number; state: string; payload: string }>();
    const keys = [...byKey.keys()];
    for (let i = 0; i < keys.length; i += 900) {
      const rows = await this.db.$queryRaw<
        { id: number | bigint; key: string; state: string; payload: string }[]
      >`
        SELECT "id", "key", "state", "payload" FROM "OutboxMessage"
         WHERE "key" IN (${Prisma.join(keys.slice(i, i + 900))})`;
      for (const row of rows)
        known.set(row.key, { id: Number(row.id), state: row.state, payload: row.payload });
    }
    const fresh = [...byKey.values()].filter((r) => !known.has(r.key));
    const createdAt = new Date();
    // One statement per hundred rows keeps within SQLite's limit on bound parameters.
    for (let i = 0; i < fresh.length; i += 100) {
      const values = fresh.slice(i, i + 100).map(
        (request) => Prisma.sql`(${request.key}, ${request.lane}, ${request.message.kind},
          ${JSON.stringify(request.message)}, 'pending', 0, ${DUE_NOW}, ${request.requestedBy ?? null}, ${createdAt})`,
      );
      await this.db.$executeRaw`
        INSERT INTO "OutboxMessage"
               ("key", "lane", "kind", "payload", "state", "attempts", "nextAttemptAt", "requestedBy", "createdAt")
        VALUES ${Prisma.join(values)}`;
    }
    for (const request of byKey.values()) {
      const existing = known.get(request.key);
      if (existing) await this.#oweAgain(existing, request);
    }
  }

  /** A key owed before: a coalescing kind is owed again with its latest payload. */
  async #oweAgain(
    existing: { id: number; state: string; payload: string },
    request: OutboxRequest,
  ): Promise<void> {
    if (!COALESCING_KINDS.has(request.message.kind)) return;
    const payload = JSON.stringify(request.message);
    if (existing.state === "pending") {
      // A prompt update (a person's click) overtakes the wait for more changes.
      if (existing.payload !== payload && "prompt" in request.message && request.message.prompt) {
        await this.db
          .$executeRaw`UPDATE "OutboxMessage" SET "payload" = ${payload} WHERE "id" = ${existing.id}`;
      }
      return;
    }
    await this.db.$executeRaw`
      UPDATE "OutboxMessage"
         SET "state" = 'pending', "attempts" = 0, "nextAttemptAt" = ${DUE_NOW}, "lastError" = NULL,
             "status" = NULL, "lane" = ${request.lane}, "payload" = ${payload}
       WHERE "id" = ${existing.id}`;
  }

  /** The oldest waiting message of each lane, when it is due: later ones never overtake it. */
  async dueHeads(now: Date, limit: number): Promise<OutboxEntry[]> {
    // Raw SQL, one statement: the worker asks after every change a reply or click makes.
    const rows = await this.db.$queryRaw<Row[]>`
      SELECT ${ROW_COLUMNS} FROM "OutboxMessage"
       WHERE "id" IN (${HEAD_IDS}) AND "state" = 'pending' AND "nextAttemptAt" <= ${now}
       ORDER BY "id" ASC LIMIT ${limit}`;
    return rows.map((row) => toEntry(fromRaw(row)));
  }

  /**
   * The earliest moment a lane's next message is due, if any. A lane whose head is held for a
   * channel the bot is not in waits for a person (an invitation), not for time: neither its
   * head nor what queues behind it counts.
   */
  async nextDueAt(): Promise<Date | null> {
    const [row] = await this.db.$queryRaw<{ nextAttemptAt: Date | string }[]>`
      SELECT "nextAttemptAt" FROM "OutboxMessage"
       WHERE "id" IN (${HEAD_IDS}) AND "state" = 'pending' AND ("status" IS NULL OR "status" <> 'blocked')
       ORDER BY "nextAttemptAt" ASC LIMIT 1`;
    return row ? new Date(row.nextAttemptAt) : null;
  }

  /**
   * Takes messages for sending, in one statement: those another worker took first (no longer
   * pending) are left out of the ids returned.
   */
  async claim(ids: readonly number[], now: Date, leaseUntil: Date): Promise<number[]> {
    if (ids.length === 0) return [];
    const rows = await this.db.$queryRaw<{ id: number | bigint }[]>`
      UPDATE "OutboxMessage"
         SET "state" = 'sending', "lastAttemptAt" = ${now}, "leaseUntil" = ${leaseUntil},
             "attempts" = "attempts" + 1
       WHERE "id" IN (${Prisma.join([...ids])}) AND "state" = 'pending'
      RETURNING "id"`;
    return rows.map((r) => Number(r.id));
  }

  /** The send claimed at `attemptAt` is still under way: its lease runs until `until`. */
  async renewLease(id: number, attemptAt: Date, until: Date): Promise<boolean> {
    const { count } = await this.db.outboxMessage.updateMany({
      where: { id, state: "sending", lastAttemptAt: attemptAt },
      data: { leaseUntil: until },
    });
    return count === 1;
  }

  /** Done. Unless the message was owed again while it was being sent (a newer update). */
  async markSent(id: number, attemptAt: Date, now: Date, resultTs?: string): Promise<void> {
    // Raw SQL: once for every message sent, and Prisma's compiling cost more than the update.
    await this.db.$executeRaw`
      UPDATE "OutboxMessage"
         SET "state" = 'sent', "sentAt" = ${now}, "resultTs" = ${resultTs ?? null},
             "lastError" = NULL, "status" = NULL
       WHERE "id" = ${id} AND "state" = 'sending' AND "lastAttemptAt" = ${attemptAt}`;
  }

  /**
   * Try again at `at`, saying what the attempt came to. `countAttempt: false` when the message
   * only waited (a card not posted yet, a rate limit).
   */
  async retryAt(
    id: number,
    at: Date,
    outcome: { status: DeliveryStatus; error: string | null; countAttempt?: boolean },
  ): Promise<void> {
    await this.db.outboxMessage.updateMany({
      where: { id, state: "sending" },
      data: {
        state: "pending",
        nextAttemptAt: at,
        status: outcome.status,
        lastError: outcome.error,
        ...((outcome.countAttempt ?? true) ? {} : { attempts: { decrement: 1 } }),
      },
    });
  }

  /**
   * Slack takes the token again (a probe went through, or the start-up \`auth.test\` did):
   * every message paused for the token is due now, not at the end of the pause it was given.
   */
  async resumePaused(now: Date): Promise<number> {
    const { count } = await this.db.outboxMessage.updateMany({
      where: { state: "pending", status: "paused", nextAttemptAt: { gt: now } },
      data: { nextAttemptAt: now },
    });
    return count;
  }

  /** Given up on: kept for the record and the operator. */
  async markDead(id: number, status: DeliveryStatus, error: string): Promise<void> {
    await this.db.outboxMessage.update({ where: { id }, data: { state: "dead", status, lastError: error } });
  }

  /**
   * Messages whose claim ran out (the process sending them died, or stopped answering) go back
   * to waiting, marked to be looked for in Slack before they are sent again. Claims from before
   * leases (none recorded) run out `legacyMs` after their attempt.
   */
  async recoverExpired(now: Date, legacyMs: number): Promise<number> {
    const { count } = await this.db.outboxMessage.updateMany({
      where: {
        state: "sending",
        OR: [
          { leaseUntil: { lt: now } },
          { leaseUntil: null, lastAttemptAt: { lt: new Date(now.getTime() - legacyMs) } },
        ],
      },
      data: { state: "pending", status: "ambiguous", lastError: "lease expired", leaseUntil: null },
    });
    return count;
  }

  /** Messages given up on, newest first: what an admin may look at and send again. */
  async dead(limit: number): Promise<OutboxEntry[]> {
    const rows = await this.db.outboxMessage.findMany({
      where: { state: "dead" },
      orderBy: { id: "desc" },
      take: limit,
    });
    return rows.map(toEntry);
  }

  /** Sends given-up messages again (all of them when `ids` is null), from the start; returns how many. */
  async revive(ids: readonly number[] | null, now: Date): Promise<number> {
    const { count } = await this.db.outboxMessage.updateMany({
      where: { state: "dead", ...(ids ? { id: { in: [...ids] } } : {}) },
      data: {
        state: "pending",
        status: null,
        attempts: 0,
        nextAttemptAt: now,
        lastError: null,
        leaseUntil: null,
      },
    });
    return count;
  }

  /** Forgets the notices about a delivery problem (keys starting with `prefix`) once it is mended. */
  async forgetNotices(prefix: string): Promise<void> {
    await this.db.outboxMessage.deleteMany({
      where: { key: { startsWith: prefix }, state: { in: ["sent", "dead"] } },
    });
  }

  /** The causes of delivery problems told about and not mended: the notices' keys without their recipient. */
  async problemPrefixes(): Promise<string[]> {
    const rows = await this.db.outboxMessage.findMany({
      where: { OR: problemKeys.kinds.map((kind) => ({ key: { startsWith: kind } })) },
      select: { key: true },
    });
    return [...new Set(rows.map((r) => problemKeys.causeOf(r.key)))];
  }

  async byKey(key: string): Promise<OutboxEntry | null> {
    const row = await this.db.outboxMessage.findUnique({ where: { key } });
    return row ? toEntry(row) : null;
  }

  /** How many messages are still owed, and since when the oldest of them has been. */
  async owed(): Promise<{ count: number; oldest: Date | null }> {
    const where = { state: { in: ["pending", "sending"] } };
    const count = await this.db.outboxMessage.count({ where });
    const oldest = await this.db.outboxMessage.findFirst({
      where,
      orderBy: { id: "asc" },
      select: { createdAt: true },
    });
    return { count, oldest: oldest?.createdAt ?? null };
  }

  async countByState(): Promise<Record<string, number>> {
    const rows = await this.db.outboxMessage.groupBy({ by: ["state"], _count: { _all: true } });
    return Object.fromEntries(rows.map((r) => [r.state, r._count._all]));
  }

  async list(where: { state?: OutboxEntry["state"]; lane?: string } = {}): Promise<OutboxEntry[]> {
    const rows = await this.db.outboxMessage.findMany({ where, orderBy: { id: "asc" } });
    return rows.map(toEntry);
  }
}

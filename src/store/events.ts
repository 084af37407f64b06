import { auditEvent, type NewAuditEvent, readAuditEvent, type StoredEvent } from "../domain/audit.js";
import type { Tx } from "./database.js";

function row(input: NewAuditEvent) {
  const event = auditEvent(input);
  const before = "before" in event ? event.before : undefined;
  const after = "after" in event ? event.after : undefined;
  return {
    at: event.at,
    actor: event.actor,
    type: event.type,
    taskId: event.taskId ?? null,
    decisionId: event.decisionId ?? null,
    before: before === undefined ? null : JSON.stringify(before),
    after: after === undefined ? null : JSON.stringify(after),
    note: event.note ?? "",
  };
}

/** The audit trail. Append only: there is no update and no delete here, on purpose. */
export class EventRepository {
  constructor(private readonly db: Tx) {}

  /** Records an event, checked against its kind (src/domain/audit.ts); returns its id. */
  async append(event: NewAuditEvent): Promise<number> {
    // Raw SQL: every reply and click records one, and Prisma's compiling cost more than the insert.
    const r = row(event);
    const [created] = await this.db.$queryRaw<{ id: number | bigint }[]>`
      INSERT INTO "Event" ("at", "actor", "type", "taskId", "decisionId", "before", "after", "note")
      VALUES (${r.at}, ${r.actor}, ${r.type}, ${r.taskId}, ${r.decisionId}, ${r.before}, ${r.after}, ${r.note})
      RETURNING "id"`;
    if (!created) throw new Error("the audit event was not recorded");
    return Number(created.id);
  }

  /** Records many events in one statement (a scheduled run flagging thousands of tasks). */
  async appendMany(events: readonly NewAuditEvent[]): Promise<void> {
    if (events.length === 0) return;
    await this.db.event.createMany({ data: events.map(row) });
  }

  async listRecent(limit: number): Promise<StoredEvent[]> {
    const rows = await this.db.event.findMany({ orderBy: { id: "desc" }, take: limit });
    return rows.map(toEvent);
  }

  /** A task's history, oldest first. */
  async forTask(taskId: number, limit = 200): Promise<StoredEvent[]> {
    const rows = await this.db.event.findMany({ where: { taskId }, orderBy: { id: "asc" }, take: limit });
    return rows.map(toEvent);
  }
}

type EventRow = Awaited<ReturnType<Tx["event"]["findFirstOrThrow"]>>;

function toEvent(stored: EventRow): StoredEvent {
  return readAuditEvent({
    ...stored,
    before: stored.before === null ? undefined : (JSON.parse(stored.before) as unknown),
    after: stored.after === null ? undefined : (JSON.parse(stored.after) as unknown),
  });
}

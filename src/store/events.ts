import type { AuditEvent } from "../domain/model.js";
import type { Tx } from "./database.js";

/** The audit trail. Append only: there is no update and no delete here, on purpose. */
export class EventRepository {
  constructor(private readonly db: Tx) {}

  /** Records an event; returns its id. */
  async append(event: AuditEvent): Promise<number> {
    const row = await this.db.event.create({
      data: {
        at: event.at,
        actor: event.actor,
        type: event.type,
        taskId: event.taskId ?? null,
        decisionId: event.decisionId ?? null,
        before: event.before === undefined ? null : JSON.stringify(event.before),
        after: event.after === undefined ? null : JSON.stringify(event.after),
        note: event.note ?? "",
      },
      select: { id: true },
    });
    return row.id;
  }

  /** Records many events in one statement (a scheduled run flagging thousands of tasks). */
  async appendMany(events: readonly AuditEvent[]): Promise<void> {
    if (events.length === 0) return;
    await this.db.event.createMany({
      data: events.map((event) => ({
        at: event.at,
        actor: event.actor,
        type: event.type,
        taskId: event.taskId ?? null,
        decisionId: event.decisionId ?? null,
        before: event.before === undefined ? null : JSON.stringify(event.before),
        after: event.after === undefined ? null : JSON.stringify(event.after),
        note: event.note ?? "",
      })),
    });
  }

  async listRecent(limit: number): Promise<AuditEvent[]> {
    const rows = await this.db.event.findMany({ orderBy: { id: "desc" }, take: limit });
    return rows.map(toEvent);
  }

  /** A task's history, oldest first. */
  async forTask(taskId: number, limit = 200): Promise<AuditEvent[]> {
    const rows = await this.db.event.findMany({ where: { taskId }, orderBy: { id: "asc" }, take: limit });
    return rows.map(toEvent);
  }
}

type EventRow = Awaited<ReturnType<Tx["event"]["findFirstOrThrow"]>>;

function toEvent(row: EventRow): AuditEvent {
  return {
    at: row.at,
    actor: row.actor,
    type: row.type,
    taskId: row.taskId,
    decisionId: row.decisionId,
    before: row.before === null ? undefined : (JSON.parse(row.before) as unknown),
    after: row.after === null ? undefined : (JSON.parse(row.after) as unknown),
    note: row.note,
  };
}

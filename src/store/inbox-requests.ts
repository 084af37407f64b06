import type { Tx } from "./database.js";

/** Events API deliveries already handled: Slack resends what it thinks went unanswered. */
export class InboxRequestRepository {
  constructor(private readonly db: Tx) {}

  /** True the first time an event ID is seen; false for a resend. */
  async firstTime(eventId: string, at: Date): Promise<boolean> {
    // One statement (it is on the way to every acknowledgement): the row goes in unless there.
    const inserted = await this.db.$executeRaw`
      INSERT INTO "InboundEvent" ("eventId", "receivedAt") VALUES (${eventId}, ${at})
      ON CONFLICT ("eventId") DO NOTHING`;
    return inserted === 1;
  }

  async forgetBefore(before: Date): Promise<number> {
    const { count } = await this.db.inboundEvent.deleteMany({ where: { receivedAt: { lt: before } } });
    return count;
  }
}

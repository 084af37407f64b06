import type { Tx } from "./database.js";

/** Events API deliveries already handled: Slack resends what it thinks went unanswered. */
export class InboundEventRepository {
  constructor(private readonly db: Tx) {}

  /** True the first time an event ID is seen; false for a resend. */
  async firstTime(eventId: string, at: Date): Promise<boolean> {
    const existing = await this.db.inboundEvent.findUnique({ where: { eventId } });
    if (existing) return false;
    await this.db.inboundEvent.create({ data: { eventId, receivedAt: at } });
    return true;
  }

  async forgetBefore(before: Date): Promise<number> {
    const { count } = await this.db.inboundEvent.deleteMany({ where: { receivedAt: { lt: before } } });
    return count;
  }
}

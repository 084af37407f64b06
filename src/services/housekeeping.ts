import { refreshStoredLights } from "./lights.js";
import type { ServiceDeps } from "./ports.js";

const DAY = 86_400_000;

/** How long things are kept that only served a moment. */
export const RETENTION = {
  /** A decision modal left open is forgotten after a day. */
  draftsDays: 1,
  /** Slack resends within minutes; a week of event IDs is plenty. */
  inboundEventsDays: 7,
} as const;

/**
 * Forgets abandoned decision drafts and old resent-event records, then brings the database
 * planner's statistics of the reports up to date (SQLite's ANALYZE, database.ts) and the stored
 * lights to now: past midnight they no longer hold, and the morning's first App Home would
 * otherwise wait while every open task's light is worked out again.
 */
export async function runHousekeeping(deps: ServiceDeps): Promise<{ drafts: number; inboundEvents: number }> {
  const forgotten = await deps.store.transaction(async (tx) => {
    const now = deps.clock.now().getTime();
    const drafts = await tx.decisions.deleteDraftsOlderThan(new Date(now - RETENTION.draftsDays * DAY));
    const inboundEvents = await tx.inboxRequests.forgetBefore(
      new Date(now - RETENTION.inboundEventsDays * DAY),
    );
    // Events processed a week ago are history (the reports they made are kept); failed ones stay for the operator.
    await tx.inbox.forgetDoneBefore(new Date(now - RETENTION.inboundEventsDays * DAY));
    return { drafts, inboundEvents };
  });
  await deps.store.optimize();
  await refreshStoredLights(deps);
  return forgotten;
}

import { AppError } from "../domain/errors.js";
import type { OutboxEntry } from "../domain/outbox.js";
import { requireAdmin } from "./access.js";
import type { ServiceDeps } from "./ports.js";

/** How many given-up messages `/ducha 设置 投递` lists at most. */
export const DEAD_LISTED = 20;

/** What an admin sees of delivery: the messages given up on, newest first, and how many wait. */
export async function deliveryOverview(
  deps: ServiceDeps,
  actor: string,
): Promise<{ dead: OutboxEntry[]; counts: Record<string, number> }> {
  return deps.store.read(async (tx) => {
    await requireAdmin(deps, tx, actor);
    return { dead: await tx.outbox.dead(DEAD_LISTED), counts: await tx.outbox.countByState() };
  });
}

/**
 * Sends messages given up on once more, from the start (after an outage someone has put
 * right: a scope granted, a channel unarchived). `ids` null: every one. Logged in the history.
 */
export async function resendDead(
  deps: ServiceDeps,
  input: { actor: string; ids: readonly number[] | null },
): Promise<number> {
  return deps.store.transaction(async (tx) => {
    await requireAdmin(deps, tx, input.actor);
    // Due at once for whichever worker looks next (delivery keeps real time, not the office's).
    const count = await tx.outbox.revive(input.ids, new Date(0));
    if (input.ids && count === 0) throw new AppError("usage", { usage: "settingsDelivery" });
    await tx.events.append({
      at: deps.clock.now(),
      actor: input.actor,
      type: "setting.changed",
      before: { "delivery.dead": input.ids ?? "all" },
      after: { "delivery.resent": count },
    });
    return count;
  });
}

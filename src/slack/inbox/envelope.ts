import { z } from "zod";

export const ZEnvelope = z.object({
  type: z.literal("event_callback"),
  event_id: z.string().min(1),
  event: z.object({ type: z.string() }).passthrough(),
});

/**
 * Whether ducha may act on an event: a person's reply in a thread (plain, with files, or also
 * sent to the channel), its edit or deletion, App Home opened. Everything else — top-level
 * messages, the bot's own messages echoed back, joins — is acknowledged without being kept.
 */
export function worthKeeping(event: Record<string, unknown>): boolean {
  if (event.type === "app_home_opened") return true;
  if (event.type !== "message") return false;
  const subtype = event.subtype;
  const fromBot = (m: unknown) =>
    Boolean(m && typeof m === "object" && (m as { bot_id?: unknown }).bot_id !== undefined);
  if (subtype === undefined || subtype === "file_share" || subtype === "thread_broadcast") {
    if (fromBot(event)) return false;
    // A file shared with the bot in a DM: it may be a decision to cut into tasks.
    if (subtype === "file_share" && event.channel_type === "im" && event.thread_ts === undefined) return true;
    return typeof event.thread_ts === "string" && event.thread_ts !== event.ts;
  }
  if (subtype === "message_changed") return !fromBot(event.message);
  if (subtype === "message_deleted") return !fromBot(event.previous_message);
  return false;
}

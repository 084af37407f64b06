import type { WebClient } from "@slack/web-api";
import type { Logger } from "../logger.js";
import type { InboxPort } from "../services/intake.js";

/**
 * Replies sent in a card's thread while ducha was down were never acknowledged, so Slack gave
 * up on them after its retries: nothing else will bring them. At start, ducha reads the threads
 * of open tasks (`conversations.replies`, paced within the method's rate tier) from a little
 * before the last event it received — where it stopped listening, to be sure; the snapshot is
 * taken before it listens again, so live replies cannot move it — and puts each person's reply
 * it finds into the inbox as if Slack had delivered it: recorded once (by its inbox key, and by
 * channel and ts as every report), in order, by the same code as a live reply.
 */

/** How far before the last event received to look: Slack retries a delivery for minutes. */
export const REREAD_MARGIN_MS = 10 * 60_000;

export type MissedSince = Awaited<ReturnType<InboxPort["missedSince"]>>;

/** conversations.replies is Tier 3 (50+ a minute): one call every 1.2 s stays within it. */
export const REREAD_PACE_MS = 1_200;
/** Pages read per thread at most (200 replies each); a thread busier than that while down is rare. */
const MAX_PAGES = 5;

interface SlackReply {
  ts?: string;
  user?: string;
  text?: string;
  bot_id?: string;
  subtype?: string;
  thread_ts?: string;
  files?: unknown[];
}

export interface Reread {
  threads: number;
  found: number;
  failed: number;
}

export async function rereadThreads(deps: {
  /** Taken before listening (inbox.missedSince()). */
  snapshot: MissedSince;
  web: WebClient;
  inbox: InboxPort;
  logger: Logger;
  botUserId: string;
  paceMs: number;
  /** Something was put in the inbox: the worker should look. */
  onStored: () => void;
  /** Stops early when the process is stopping. */
  stopped: () => boolean;
}): Promise<Reread> {
  const { threads, lastReceivedAt } = deps.snapshot;
  const from = lastReceivedAt ? ((lastReceivedAt.getTime() - REREAD_MARGIN_MS) / 1000).toFixed(6) : "0";
  const result: Reread = { threads: threads.length, found: 0, failed: 0 };
  for (const [index, open] of threads.entries()) {
    const thread = { ...open, since: Number(from) > Number(open.cardTs) ? from : open.cardTs };
    if (deps.stopped()) break;
    if (index > 0 && deps.paceMs > 0) await new Promise((resolve) => setTimeout(resolve, deps.paceMs));
    try {
      let cursor: string | undefined;
      for (let page = 0; page < MAX_PAGES; page++) {
        const answer = await deps.web.conversations.replies({
          channel: thread.channelId,
          ts: thread.cardTs,
          oldest: thread.since,
          inclusive: false,
          limit: 200,
          ...(cursor ? { cursor } : {}),
        });
        for (const message of (answer.messages ?? []) as SlackReply[]) {
          if (
            !message.ts ||
            !message.user ||
            message.ts === thread.cardTs ||
            Number(message.ts) <= Number(thread.since)
          )
            continue;
          if (message.bot_id || message.user === deps.botUserId) continue;
          if (message.subtype && message.subtype !== "file_share" && message.subtype !== "thread_broadcast")
            continue;
          const event = {
            type: "message",
            user: message.user,
            text: message.text ?? "",
            ts: message.ts,
            thread_ts: thread.cardTs,
            channel: thread.channelId,
            event_ts: message.ts,
            ...(message.subtype ? { subtype: message.subtype } : {}),
            ...(message.files ? { files: message.files } : {}),
          };
          const eventId = `reread:${thread.channelId}:${message.ts}`;
          const envelope = { type: "event_callback", event_id: eventId, event };
          if (await deps.inbox.accept(eventId, JSON.stringify(envelope))) result.found++;
        }
        cursor = answer.response_metadata?.next_cursor || undefined;
        if (!cursor) break;
      }
    } catch (error) {
      result.failed++;
      deps.logger.warn(
        { err: error, taskId: thread.taskId, channel: thread.channelId },
        "could not read a card's thread for replies missed while down",
      );
    }
  }
  if (result.found) deps.onStored();
  deps.logger.info(result, "read the threads of open tasks for replies missed while down");
  return result;
}

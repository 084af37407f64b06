import { ErrorCode, type WebClient } from "@slack/web-api";
import type { Logger } from "../../logger.js";
import type { InboxPort } from "../../services/inbox.js";

/**
 * Replies sent in a card's thread while ducha was down were never acknowledged, so Slack gave
 * up on them after its retries: nothing else will bring them. At start, ducha reads the threads
 * of open tasks (`conversations.replies`, paced within the method's rate tier) from a little
 * before the last event it received — where it stopped listening, to be sure; the snapshot is
 * taken before it listens again, so live replies cannot move it — and puts each person's reply
 * it finds into the inbox as if Slack had delivered it: recorded once (by its inbox key, and by
 * channel and ts as every report), in order, by the same code as a live reply.
 */

/** After the inbox refused a reply, the database is asked this often whether it is back. */
export const AWAY_PROBE_MS = 5_000;

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
  /** Replies found in the threads that were stored already. */
  skipped: number;
  failed: number;
}

/** Rate-limited reads wait Slack's Retry-After this long at most each time, then ask again. */
const MAX_RETRY_AFTER_MS = 120_000;

/**
 * A read that Slack rate-limits (429) waits its Retry-After and is asked again, as often as it
 * takes: a thread is never skipped for being asked at a busy moment. Stopping ends the wait.
 */
async function waitingOutRateLimits<T>(
  call: () => Promise<T>,
  deps: { logger: Logger; stopped: () => boolean },
): Promise<T> {
  for (;;) {
    try {
      return await call();
    } catch (error) {
      const e = error as { code?: string; retryAfter?: number };
      if (e.code !== ErrorCode.RateLimitedError || deps.stopped()) throw error;
      const waitMs = Math.min(MAX_RETRY_AFTER_MS, Math.max(1, e.retryAfter ?? 1) * 1000);
      deps.logger.info({ waitMs }, "reading threads: rate limited by Slack; waiting, then reading on");
      await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
  }
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
  const result: Reread = { threads: threads.length, found: 0, skipped: 0, failed: 0 };
  for (const [index, open] of threads.entries()) {
    const thread = { ...open, since: Number(from) > Number(open.cardTs) ? from : open.cardTs };
    if (deps.stopped()) break;
    if (index > 0 && deps.paceMs > 0) await new Promise((resolve) => setTimeout(resolve, deps.paceMs));
    try {
      let cursor: string | undefined;
      for (let page = 0; page < MAX_PAGES; page++) {
        const answer = await waitingOutRateLimits(
          () =>
            deps.web.conversations.replies({
              channel: thread.channelId,
              ts: thread.cardTs,
              oldest: thread.since,
              inclusive: false,
              limit: 200,
              ...(cursor ? { cursor } : {}),
            }),
          deps,
        );
        const messages = (answer.messages ?? []) as SlackReply[];
        // Replies stored already (received live before the stop) are not queued again.
        const stored = await deps.inbox.storedReplies(
          thread.channelId,
          messages.flatMap((m) => (m.ts ? [m.ts] : [])),
        );
        for (const message of messages) {
          if (message.ts && stored.has(message.ts)) {
            result.skipped++;
            continue;
          }
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

/** Where a kept event happened: the card thread a reply, an edit or a deletion belongs to. */
function threadOf(event: Record<string, unknown>): { channelId: string; threadTs: string } | null {
  const inner = (event.message ?? event.previous_message) as Record<string, unknown> | undefined;
  const channelId = typeof event.channel === "string" ? event.channel : null;
  const threadTs =
    typeof event.thread_ts === "string"
      ? event.thread_ts
      : typeof inner?.thread_ts === "string"
        ? inner.thread_ts
        : null;
  return channelId && threadTs ? { channelId, threadTs } : null;
}

export interface MissedWhileAwayDeps {
  /** The open tasks' threads, read from the database: succeeding means it is back. */
  probe: () => Promise<MissedSince>;
  /** Reads the threads (as at start). */
  onBack: (snapshot: MissedSince) => void;
  logger: Logger;
  /** How often the database is asked whether it is back. */
  probeMs: number;
  now: () => Date;
}

/**
 * Replies the inbox could not take while the database was away were answered 503; Slack sends
 * each again twice over about five minutes, then gives up for good. The threads they came in
 * are remembered here, and once the database answers again (probed every `probeMs`) those of
 * open tasks are read again from the outage's start, as at start: recorded once, whatever Slack
 * resent meanwhile.
 */
export class MissedWhileAway {
  readonly #deps: MissedWhileAwayDeps;
  #since: Date | null = null;
  readonly #threads = new Set<string>();
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(deps: MissedWhileAwayDeps) {
    this.#deps = deps;
  }

  /** The inbox refused this event: its thread is read again once the database is back. */
  refused(event: Record<string, unknown>): void {
    if (this.#stopped) return;
    const thread = threadOf(event);
    if (!thread) return;
    this.#since ??= this.#deps.now();
    this.#threads.add(`${thread.channelId}:${thread.threadTs}`);
    this.#schedule();
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
  }

  #schedule(): void {
    if (this.#timer !== undefined || this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.#probe();
    }, this.#deps.probeMs);
    this.#timer.unref();
  }

  async #probe(): Promise<void> {
    let open: MissedSince;
    try {
      open = await this.#deps.probe();
    } catch {
      this.#schedule();
      return;
    }
    const since = this.#since;
    const touched = this.#threads;
    const threads = open.threads.filter((t) => touched.has(`${t.channelId}:${t.cardTs}`));
    this.#deps.logger.info(
      { since, threads: threads.length },
      "the inbox takes events again: reading the threads whose replies it refused meanwhile",
    );
    this.#since = null;
    this.#threads.clear();
    if (threads.length) this.#deps.onBack({ threads, lastReceivedAt: since });
  }
}

import { ErrorCode, type WebClient } from "@slack/web-api";
import type { Clock } from "../../domain/clock.js";
import {
  COALESCING_KINDS,
  DURABLE_KINDS,
  type OutboxEntry,
  type OwedKind,
  problemKeys,
} from "../../domain/outbox.js";
import type { Messages } from "../../i18n/index.js";
import type { Logger } from "../../logger.js";
import { CHANNEL_CODES } from "../../services/delivery.js";
import type { DeliveryReads } from "../../services/delivery-reads.js";
import type { OutboxPort } from "../../services/outbox.js";
import type { ServiceDeps } from "../../services/ports.js";
import type { Inflight } from "../inflight.js";
import { Pump } from "../pump.js";
import type { RenderContext } from "../render/format.js";
import { deliver } from "./deliver.js";

/** Timings of delivery, all in real time. */
export interface OutboxOptions {
  /** How often the worker looks for due messages besides being woken. */
  pollMs: number;
  /** At most one post per channel per this many ms (Slack allows about one per second). */
  paceMs: number;
  /**
   * Reactions (a reply's ✅, a 回头看 answer's) are paced by method for the workspace, as
   * Slack limits reactions.add (Tier 3: 50+ a minute), not by channel: this many a minute, in
   * bursts of up to `reactionBurst`.
   */
  reactionsPerMinute: number;
  reactionBurst: number;
  /**
   * A reaction still owed after this long is dropped, not sent: the reply it confirms is stored,
   * and a ✅ that late tells no one anything, while thousands of them would hold the outbox.
   */
  reactionStaleMs: number;
  /** A card or rollup update waits this long for more changes, so a burst makes one update. */
  debounceMs: number;
  /** First wait after a 5xx or network error; doubles each time. */
  backoffMs: number;
  maxBackoffMs: number;
  /** First wait while the bot cannot post in a channel (not invited); doubles each time. */
  blockedRetryMs: number;
  maxBlockedRetryMs: number;
  /**
   * First pause of all delivery after Slack refused the token. While it goes on, one message
   * (the probe) is tried at the end of each pause and the pause doubles per failed probe, up to
   * `maxAuthPauseMs`: delivery resumes within one pause of the token working again, however
   * much is owed.
   */
  authPauseMs: number;
  maxAuthPauseMs: number;
  /** Transient failures before a message is given up. */
  maxAttempts: number;
  /** How long a notice waits for its card before it goes without the link. */
  waitForCardMs: number;
  /** How often a message that waits for another (a notice for its card) looks again. */
  dependencyWaitMs: number;
  /**
   * A claim on a message lasts this long and is renewed every third of it while the send is
   * under way (a ledger upload may take minutes); once it runs out, the process that claimed it
   * is taken for dead and any worker takes the message over, looking for it in Slack first.
   */
  leaseMs: number;
  concurrency: number;
  /** A long build's 正在生成 message (the ledger, the bulletin) is updated at most this often. */
  progressEveryMs: number;
  /**
   * Slack failing (5xx, no answer) for longer than this is an outage that Slack's own retries of
   * events may not have outlived: when a send works again, `onSlackBack` has the threads read.
   */
  slackOutageRereadMs: number;
  /**
   * Slack shares an uploaded file asynchronously: after an attempt whose outcome is unknown, a
   * ledger or 通报 is looked for this long before it is shared again.
   */
  shareSettleMs: number;
}

export const DEFAULT_OUTBOX_OPTIONS: OutboxOptions = {
  pollMs: 1_000,
  paceMs: 1_000,
  reactionsPerMinute: 50,
  reactionBurst: 20,
  reactionStaleMs: 10 * 60_000,
  debounceMs: 2_000,
  backoffMs: 1_000,
  maxBackoffMs: 5 * 60_000,
  blockedRetryMs: 60_000,
  maxBlockedRetryMs: 30 * 60_000,
  authPauseMs: 15_000,
  maxAuthPauseMs: 60_000,
  maxAttempts: 12,
  waitForCardMs: 10 * 60_000,
  dependencyWaitMs: 1_000,
  leaseMs: 30_000,
  progressEveryMs: 3_000,
  concurrency: 4,
  slackOutageRereadMs: 2 * 60_000,
  shareSettleMs: 10_000,
};

export interface OutboxWorkerDeps {
  /** The outbox, through its port: the worker knows nothing of tables or transactions. */
  outbox: OutboxPort;
  /** What delivering reads and records. */
  reads: DeliveryReads;
  web: WebClient;
  logger: Logger;
  messages: Messages;
  inflight: Inflight;
  /** Real time: retries, pacing and waiting are about Slack, not about the office's calendar. */
  clock: Clock;
  renderContext: () => Promise<RenderContext>;
  /** The use cases' dependencies, for messages built from queries when sent (the ledger). */
  services: ServiceDeps;
  /** fetch for uploads to the URL Slack gives (through the proxy, when there is one). */
  fetch?: typeof globalThis.fetch;
  /** Slack works again after failing since `since` for longer than `slackOutageRereadMs`. */
  onSlackBack?: (since: Date) => void;
}

type Failure =
  | { kind: "rate"; retryAfterMs: number }
  | { kind: "auth"; code: string }
  | { kind: "blocked"; code: string }
  | { kind: "gone"; code: string }
  | { kind: "transient"; code: string }
  | { kind: "permanent"; code: string; needed?: string };

/** Claims recorded before leases existed run out this long after their attempt. */
const LEGACY_CLAIM_MS = 2 * 60_000;

/**
 * Slack refuses the token itself (revoked, expired, the workspace's admin paused the app):
 * nothing can be sent until someone puts it right, and then everything owed must go.
 */
const AUTH = new Set(["invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired"]);

/** The bot is not in the channel: durable messages wait for an invitation. */
const BLOCKED = new Set(["not_in_channel"]);
/** What the message was about is gone (or the person left): nothing left to do. */
const GONE = new Set([
  "message_not_found",
  "cant_update_message",
  "thread_not_found",
  "user_not_in_channel",
  "user_not_found",
]);
/** Slack's own trouble: worth another try later. Any other refusal is permanent for that message. */
const TRANSIENT = new Set([
  "internal_error",
  "fatal_error",
  "service_unavailable",
  "request_timeout",
  "team_added_to_org",
]);

/**
 * What a Slack error means for a message owed. Rate limits pause delivery; 5xx, network
 * errors and Slack's own trouble are retried; a channel the bot is not in holds what must
 * arrive; everything else (a scope the install lacks, an archived channel, a message Slack
 * will not take) fails that one message at once and is reported.
 */
export function classify(error: unknown): Failure {
  const e = error as { code?: string; retryAfter?: number; data?: { error?: string; needed?: string } };
  if (e.code === ErrorCode.RateLimitedError)
    return { kind: "rate", retryAfterMs: (e.retryAfter ?? 1) * 1000 };
  if (e.code === ErrorCode.PlatformError) {
    const code = e.data?.error ?? "unknown_error";
    if (code === "ratelimited") return { kind: "rate", retryAfterMs: 1000 };
    if (AUTH.has(code)) return { kind: "auth", code };
    if (BLOCKED.has(code)) return { kind: "blocked", code };
    if (GONE.has(code)) return { kind: "gone", code };
    if (TRANSIENT.has(code)) return { kind: "transient", code };
    return { kind: "permanent", code, ...(e.data?.needed ? { needed: e.data.needed } : {}) };
  }
  if (e.code === ErrorCode.HTTPError) return { kind: "transient", code: "http_error" };
  if (e.code === ErrorCode.RequestError) return { kind: "transient", code: "request_error" };
  return { kind: "permanent", code: error instanceof Error ? error.message : String(error) };
}

/** The scope a delivery of each kind needs: a success proves the install has it again. */
function scopeOf(kind: OwedKind): string {
  if (kind === "reaction") return "reactions:write";
  if (kind === "ledger.upload" || kind === "chart.upload") return "files:write";
  return "chat:write";
}

/**
 * Delivers the outbox: the oldest message of each channel first (later ones never overtake
 * it), one post per channel per second, honouring 429 Retry-After, retrying 5xx and network
 * errors with backoff, holding messages for a channel the bot is not in (and saying so, once)
 * until it is invited, and marking each message sent exactly once even with several workers.
 */
export class OutboxWorker {
  readonly #deps: OutboxWorkerDeps;
  readonly #options: OutboxOptions;
  readonly #pump: Pump;
  #pausedUntil = 0;
  /**
   * Slack refuses the token: since when, with which code, how many pauses so far, and the
   * attempt that last counted one (messages failing in the same batch count once).
   */
  #authOutage: { since: Date; code: string; pauses: number; countedAt: number } | undefined;
  /** Slack has failed (5xx, no answer) since then, with no send working in between. */
  #slackFailingSince: Date | undefined;
  readonly #laneLastSent = new Map<string, number>();
  /** Reactions that may go now (a bucket refilled at reactionsPerMinute), and when it was last filled. */
  #reactionTokens: number | undefined;
  #reactionsFilledAt = 0;
  readonly #firstSeen = new Map<number, number>();
  /** Prefixes of the keys of problems told about and not yet mended (loaded at start). */
  readonly #told = new Set<string>();

  constructor(deps: OutboxWorkerDeps, options: Partial<OutboxOptions> = {}) {
    this.#deps = deps;
    this.#options = { ...DEFAULT_OUTBOX_OPTIONS, ...options };
    this.#pump = new Pump(() => this.#round(), deps.inflight);
  }

  async start(): Promise<void> {
    // Started after Slack accepted the token (auth.test): any pause from before is over.
    const resumed = await this.#deps.outbox.resumePaused(this.#deps.clock.now());
    if (resumed)
      this.#deps.logger.info({ resumed }, "outbox: the token works; messages paused for it are due now");
    await this.#takeOverExpired(true);
    for (const prefix of await this.#deps.outbox.toldCauses()) this.#told.add(prefix);
    this.#pump.start();
  }

  #lastTakeOver = 0;

  /**
   * Takes over messages whose claim ran out: at start, and every half lease after, in every
   * worker — a restarted process and a surviving replica alike.
   */
  async #takeOverExpired(force = false): Promise<void> {
    const now = this.#deps.clock.now();
    if (!force && now.getTime() - this.#lastTakeOver < this.#options.leaseMs / 2) return;
    this.#lastTakeOver = now.getTime();
    const recovered = await this.#deps.outbox.recoverExpired(now, LEGACY_CLAIM_MS);
    if (recovered)
      this.#deps.logger.warn(
        { recovered },
        "outbox: messages whose sender stopped (its claim ran out) are due again, to be looked for in Slack first",
      );
  }

  /**
   * A delivery worked: the channel it went to, or the scope it needed, works again. The
   * notices about that cause are forgotten, so that if it breaks once more people are told again.
   */
  async #forgetMendedProblems(entry: OutboxEntry): Promise<void> {
    if (problemKeys.isNotice(entry.key)) return;
    const mended = [
      problemKeys.blocked(entry.lane),
      ...[...CHANNEL_CODES].map((code) => problemKeys.refused(code, entry.lane)),
      problemKeys.refused("missing_scope", scopeOf(entry.message.kind)),
    ].filter((prefix) => this.#told.has(prefix));
    if (mended.length === 0) return;
    await this.#deps.outbox.forgetCauses(mended);
    for (const prefix of mended) this.#told.delete(prefix);
  }

  /** A send went through after Slack refused the token: the outage is over, and people are told. */
  async #authWorksAgain(now: Date): Promise<void> {
    const outage = this.#authOutage;
    if (!outage) return;
    this.#authOutage = undefined;
    this.#deps.logger.info(
      { code: outage.code, since: outage.since, pausedMs: now.getTime() - outage.since.getTime() },
      "outbox: Slack takes the token again; what was owed goes out in order",
    );
    this.#pausedUntil = 0;
    await this.#deps.outbox.resumePaused(now);
    await this.#deps.outbox.authRestored({ code: outage.code, since: outage.since, until: now });
    this.kick();
  }

  /** A send went through: if Slack had failed for long, events it gave up on are looked for. */
  #slackWorksAgain(now: Date): void {
    const since = this.#slackFailingSince;
    if (!since) return;
    this.#slackFailingSince = undefined;
    if (now.getTime() - since.getTime() < this.#options.slackOutageRereadMs) return;
    this.#deps.logger.info({ since, until: now }, "outbox: Slack works again after a long outage");
    this.#deps.onSlackBack?.(since);
  }

  async stop(): Promise<void> {
    await this.#pump.stop();
  }

  /** Wakes the worker: something was just owed. */
  kick(): void {
    this.#pump.kick();
  }

  /**
   * Delivers until nothing is due within `horizonMs` (tests and the demo wait with this).
   * Messages held for a channel the bot is not in are not waited for.
   */
  async settle(horizonMs = this.#options.debounceMs + this.#options.paceMs + 50): Promise<void> {
    let frozen = 0;
    for (let idleRounds = 0; idleRounds < 50; ) {
      await this.#pump.idle();
      const processed = await this.runOnce();
      if (processed.processed > 0) {
        idleRounds = 0;
        continue;
      }
      idleRounds++;
      const next = await this.#deps.outbox.nextDueAt();
      const now = this.#deps.clock.now().getTime();
      const waitMs = Math.max(processed.wakeInMs ?? 0, next ? next.getTime() - now : 0, 0);
      if (!next && processed.wakeInMs === null) return;
      if (waitMs > horizonMs) return;
      // A clock that stood still through a wait is a test's: waiting longer brings nothing due.
      if (frozen >= 3) return;
      await new Promise((resolve) => setTimeout(resolve, frozen > 0 ? 5 : Math.max(5, waitMs)));
      frozen = this.#deps.clock.now().getTime() === now ? frozen + 1 : 0;
    }
  }

  /** A round of the pump: what is due now; again at once when something went, else when due. */
  async #round(): Promise<number> {
    try {
      const result = await this.runOnce();
      if (result.processed > 0) return 0;
      return Math.min(this.#options.pollMs, Math.max(5, result.wakeInMs ?? this.#options.pollMs));
    } catch (error) {
      this.#deps.logger.error({ err: error }, "outbox: delivery round failed; retrying shortly");
      return this.#options.pollMs;
    }
  }

  /** One round: every lane's due head, at most `concurrency` at a time. */
  async runOnce(): Promise<{ processed: number; wakeInMs: number | null }> {
    const now = this.#deps.clock.now();
    const nowMs = now.getTime();
    if (nowMs < this.#pausedUntil) return { processed: 0, wakeInMs: this.#pausedUntil - nowMs };
    await this.#takeOverExpired();
    const heads = await this.#deps.outbox.dueHeads(now, 100);
    let wakeInMs: number | null = null;
    const wake = (ms: number) => {
      wakeInMs = wakeInMs === null ? ms : Math.min(wakeInMs, ms);
    };
    let ready: OutboxEntry[] = [];
    for (const entry of heads) {
      if (entry.message.kind === "reaction") {
        // By the method's budget, not the channel's pace; a stale one goes at once (dropped).
        if (!this.#isStale(entry, nowMs)) {
          const waitMs = this.#reactionWaitMs(nowMs);
          if (waitMs > 0) {
            wake(waitMs);
            continue;
          }
        }
        ready.push(entry);
        continue;
      }
      const last = this.#laneLastSent.get(entry.lane);
      if (last !== undefined && nowMs - last < this.#options.paceMs) {
        wake(this.#options.paceMs - (nowMs - last));
        continue;
      }
      const prompt = "prompt" in entry.message && entry.message.prompt === true;
      if (COALESCING_KINDS.has(entry.message.kind) && !prompt) {
        const seen = this.#firstSeen.get(entry.id) ?? nowMs;
        this.#firstSeen.set(entry.id, seen);
        if (nowMs - seen < this.#options.debounceMs) {
          wake(this.#options.debounceMs - (nowMs - seen));
          continue;
        }
      }
      ready.push(entry);
    }
    // While Slack refuses the token, one message probes whether it works again; the rest wait.
    if (this.#authOutage) ready = ready.slice(0, 1);
    let processed = 0;
    const lease = () => new Date(this.#deps.clock.now().getTime() + this.#options.leaseMs);
    for (let i = 0; i < ready.length; i += this.#options.concurrency) {
      const batch = ready.slice(i, i + this.#options.concurrency);
      // A batch is claimed in one transaction, and rendered with one reading of the settings.
      const attemptAt = this.#deps.clock.now();
      const claimed = await this.#deps.outbox.claim(
        batch.map((entry) => entry.id),
        attemptAt,
        lease(),
      );
      const mine = batch.filter((entry) => claimed.has(entry.id));
      if (mine.length === 0) continue;
      // Read once for the batch; a failure to read is each message's failure (retried as such).
      const render = this.#deps.renderContext();
      render.catch(() => {});
      const done = await Promise.all(mine.map((entry) => this.#process(entry, attemptAt, render)));
      processed += done.filter(Boolean).length;
      // The token was refused in this batch: the rest of the round waits for the probe.
      if (this.#authOutage) break;
    }
    return { processed, wakeInMs };
  }

  /** A reaction owed longer than reactionStaleMs: it confirms nothing any more. */
  #isStale(entry: OutboxEntry, nowMs: number): boolean {
    return (
      entry.message.kind === "reaction" && nowMs - entry.createdAt.getTime() > this.#options.reactionStaleMs
    );
  }

  /** 0 when a reaction may go now (and takes its turn), else how long until one may. */
  #reactionWaitMs(nowMs: number): number {
    const { reactionsPerMinute: perMinute, reactionBurst: burst } = this.#options;
    const msPerToken = 60_000 / perMinute;
    const tokens = Math.min(
      burst,
      (this.#reactionTokens ?? burst) + (nowMs - this.#reactionsFilledAt) / msPerToken,
    );
    this.#reactionsFilledAt = nowMs;
    if (tokens >= 1) {
      this.#reactionTokens = tokens - 1;
      return 0;
    }
    this.#reactionTokens = tokens;
    return Math.ceil((1 - tokens) * msPerToken);
  }

  /** Sends a message this worker claimed at `attemptAt`. */
  async #process(entry: OutboxEntry, attemptAt: Date, rendering: Promise<RenderContext>): Promise<boolean> {
    const { outbox, logger } = this.#deps;
    if (this.#isStale(entry, attemptAt.getTime())) {
      await outbox.sent(entry.id, attemptAt, this.#deps.clock.now());
      logger.info(
        { key: entry.key, owedSince: entry.createdAt },
        "outbox: a reaction owed too long was dropped",
      );
      return true;
    }
    const lease = () => new Date(this.#deps.clock.now().getTime() + this.#options.leaseMs);
    const attempts = entry.attempts + 1;
    const heartbeat = setInterval(() => {
      outbox.renewLease(entry.id, attemptAt, lease()).catch((error: unknown) => {
        logger.warn({ err: error, key: entry.key }, "outbox: could not renew a claim");
      });
    }, this.#options.leaseMs / 3);
    heartbeat.unref();
    try {
      const render = await rendering;
      const result = await deliver(entry, {
        web: this.#deps.web,
        reads: this.#deps.reads,
        render,
        waitForCardMs: this.#options.waitForCardMs,
        progressEveryMs: this.#options.progressEveryMs,
        reconcile: entry.status === "ambiguous",
        shareSettleMs: this.#options.shareSettleMs,
        retried: entry.status !== null,
        now: attemptAt,
        createdAt: entry.createdAt,
        services: this.#deps.services,
        fetch: this.#deps.fetch ?? globalThis.fetch,
      });
      if (result.outcome === "wait") {
        await outbox.retry(entry.id, new Date(attemptAt.getTime() + this.#options.dependencyWaitMs), {
          status: "waiting",
          error: result.why,
          countAttempt: false,
        });
        return false;
      }
      const now = this.#deps.clock.now();
      await outbox.sent(entry.id, attemptAt, now, result.outcome === "sent" ? result.ts : undefined);
      this.#firstSeen.delete(entry.id);
      if (result.outcome === "sent") {
        this.#laneLastSent.set(entry.lane, now.getTime());
        await this.#forgetMendedProblems(entry);
        await this.#authWorksAgain(now);
        this.#slackWorksAgain(now);
      } else logger.debug({ key: entry.key, why: result.why }, "outbox: nothing left to send");
      return true;
    } catch (error) {
      await this.#failed(entry, attempts, attemptAt, error);
      return false;
    } finally {
      clearInterval(heartbeat);
    }
  }

  async #failed(entry: OutboxEntry, attempts: number, attemptAt: Date, error: unknown): Promise<void> {
    const { outbox, logger } = this.#deps;
    const failure = classify(error);
    const at = (ms: number) => new Date(attemptAt.getTime() + ms);
    const log = { key: entry.key, lane: entry.lane, attempts, failure };
    switch (failure.kind) {
      case "rate": {
        this.#pausedUntil = attemptAt.getTime() + failure.retryAfterMs;
        logger.warn(log, "outbox: rate limited by Slack; pausing");
        await outbox.retry(entry.id, at(failure.retryAfterMs), {
          status: "ratelimited",
          error: "ratelimited",
          countAttempt: false,
        });
        return;
      }
      case "auth": {
        // Nothing can go until the token is put right: everything waits, in order, uncounted.
        const outage = this.#authOutage ?? { since: attemptAt, code: failure.code, pauses: 0, countedAt: -1 };
        if (!this.#authOutage)
          logger.error(
            log,
            "outbox: Slack refuses the bot token; delivery is paused until it works again (check SLACK_BOT_TOKEN and the app's installation)",
          );
        // One pause per probe: the messages of the batch that failed with it do not count again.
        if (attemptAt.getTime() > outage.countedAt) {
          outage.pauses++;
          outage.countedAt = attemptAt.getTime();
        }
        this.#authOutage = outage;
        const pause = Math.min(
          this.#options.maxAuthPauseMs,
          this.#options.authPauseMs * 2 ** Math.min(outage.pauses - 1, 20),
        );
        this.#pausedUntil = Math.max(this.#pausedUntil, attemptAt.getTime() + pause);
        await outbox.retry(entry.id, at(pause), {
          status: "paused",
          error: failure.code,
          countAttempt: false,
        });
        return;
      }
      case "gone":
        logger.warn(log, "outbox: the message to update is gone; nothing to do");
        await outbox.sent(entry.id, attemptAt, this.#deps.clock.now());
        return;
      case "permanent": {
        logger.error({ ...log, err: error }, "outbox: Slack refused the message for good; reporting it");
        this.#told.add(await outbox.refuse(entry, failure));
        this.kick();
        return;
      }
      case "transient": {
        this.#slackFailingSince ??= attemptAt;
        if (attempts >= this.#options.maxAttempts) {
          logger.error({ ...log, err: error }, "outbox: giving up after repeated failures");
          await outbox.giveUp(entry.id, failure.code);
          return;
        }
        const wait = Math.min(this.#options.maxBackoffMs, this.#options.backoffMs * 2 ** (attempts - 1));
        logger.warn({ ...log, retryInMs: wait }, "outbox: Slack failed; will retry");
        // No answer, or a 5xx: the message may have arrived all the same.
        const ambiguous = failure.code === "http_error" || failure.code === "request_error";
        await outbox.retry(entry.id, at(wait), {
          status: ambiguous ? "ambiguous" : "retrying",
          error: failure.code,
        });
        return;
      }
      case "blocked": {
        const durable = DURABLE_KINDS.has(entry.message.kind);
        logger.warn({ ...log, durable }, "outbox: the bot cannot post in this channel");
        const wait = Math.min(
          this.#options.maxBlockedRetryMs,
          this.#options.blockedRetryMs * 2 ** (attempts - 1),
        );
        const prefix = await outbox.hold(entry, failure, {
          durable,
          retryAt: at(wait),
          firstTime: entry.status !== "blocked",
        });
        if (prefix) this.#told.add(prefix);
        this.kick();
        return;
      }
    }
  }
}

import type { Clock } from "../domain/clock.js";
import type { Store } from "../store/store.js";

/** What the bot can learn about a channel before it relies on it. */
export type ChannelStatus = "member" | "not_member" | "not_found" | "unknown";

/** The part of Slack the use cases need; implemented over the Web API in src/slack/gateway.ts. */
export interface SlackGateway {
  channelStatus(channelId: string): Promise<ChannelStatus>;
}

/** Wakes the outbox's delivery worker after a transaction owed Slack something. */
export interface OutboxSignal {
  kick(): void;
}

/** Everything a use case may touch. */
export interface ServiceDeps {
  store: Store;
  clock: Clock;
  slack: SlackGateway;
  outbox: OutboxSignal;
  /** Admins named in DUCHA_ADMINS. */
  envAdmins: readonly string[];
  timeZone: string;
}

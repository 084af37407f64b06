import type { Clock } from "../domain/clock.js";
import type { SharedFile } from "../domain/model.js";
import type { Store } from "../store/store.js";

/** What the bot can learn about a channel before it relies on it. */
export type ChannelStatus = "member" | "not_member" | "not_found" | "unknown";

/** The part of Slack the use cases need; implemented over the Web API in src/slack/gateway.ts. */
export interface SlackGateway {
  channelStatus(channelId: string): Promise<ChannelStatus>;
  /**
   * A file's details from `files.info`: in Slack Connect channels and some DMs a message's files
   * arrive as stubs (`file_access: "check_file_info"`, no name). Null when the bot may not see it.
   */
  fileInfo(fileId: string): Promise<SharedFile | null>;
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

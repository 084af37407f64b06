import type { Clock } from "../domain/clock.js";
import type { SharedFile } from "../domain/model.js";
import type { Period } from "../domain/period.js";
import type { DepartmentMark } from "../domain/scoring.js";
import type { Store } from "../store/store.js";
import type { ScoredPeriod } from "./summary.js";

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
  /**
   * Where a period's scores are worked out when they are not shared already: a thread of their
   * own with its own reading connection (services/scoring-thread.ts), or, when absent, here.
   */
  scoring?: ScoringPort;
}

/** Works a period's scores out (services/summary.ts `workOutScores`, wherever it runs). */
export interface ScoringPort {
  score(period: Period, marks: readonly DepartmentMark[]): Promise<ScoredPeriod>;
}

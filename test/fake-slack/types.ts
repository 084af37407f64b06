/**
 * The shapes the fake Slack keeps and answers with. The fake Slack itself: a real HTTP server
 * that answers the Web API methods the bot calls, keeps channels, messages, threads, views and
 * users, rejects what Slack rejects (Block Kit limits, scopes, unknown channels, channels the
 * bot is not in, bad tokens, answers later than 3 seconds), can be told to answer 429 or 500,
 * and records every call; and the people who send the bot slash commands, messages, clicks and
 * modal submissions, signed exactly as Slack signs them, over HTTP or Socket Mode.
 */

export type Json = Record<string, unknown>;

export interface FakeUser {
  id: string;
  name: string;
  realName: string;
  isBot: boolean;
  deleted: boolean;
  /** Their Slack language ("en-US", "zh-CN"); zh-CN when not set. */
  locale?: string;
}

export interface FakeMessage {
  channel: string;
  ts: string;
  /** The author: a person's user ID, or the bot's. */
  user: string;
  botId?: string;
  text: string;
  blocks?: Json[];
  threadTs?: string;
  edited?: { user: string; ts: string };
  /** Message metadata the app attached (event_type, event_payload). */
  metadata?: Json;
  reactions: Map<string, Set<string>>;
  files: FakeFile[];
  /** Replies in a thread: only on the parent. */
  replyCount: number;
}

export interface FakeChannel {
  id: string;
  name: string;
  isPrivate: boolean;
  isIm: boolean;
  /** Shared with another organisation (Slack Connect): files in its events arrive as stubs. */
  isExtShared?: boolean;
  archived: boolean;
  members: Set<string>;
  /** Every message, top level and in threads, in order. */
  messages: FakeMessage[];
}

export interface FakeView {
  id: string;
  userId: string;
  type: "modal" | "home";
  /** The view as the app last sent it. */
  view: Json;
  hash: string;
  rootViewId: string;
  previousViewId: string | null;
  state: { values: Record<string, Record<string, Json>> };
  /** Errors the app returned for the last submission, by block_id. */
  errors: Record<string, string>;
  open: boolean;
}

export interface FakeEphemeral {
  channel: string;
  user: string;
  text: string;
  blocks?: Json[];
  via: "chat.postEphemeral" | "response_url";
  at: number;
  /** The ts Slack gives an ephemeral message (sent back in a click's container). */
  ts?: string;
}

export interface FakeFile {
  id: string;
  name: string;
  title: string;
  bytes: Buffer;
  channels: string[];
  mimetype?: string;
  /** Who shared it (a person's ID, or the bot's). */
  user?: string;
  /** Seconds since the epoch. */
  created?: number;
}

/** A file a person attaches to a message. */
export interface FileToShare {
  name: string;
  bytes?: Buffer | string;
  mimetype?: string;
  title?: string;
}

/** Everything that happened in the workspace, in order: what a person would have seen. */
export type Activity =
  | { kind: "command"; user: string; channel: string; text: string }
  | { kind: "message"; channel: string; ts: string }
  | { kind: "update"; channel: string; ts: string }
  | { kind: "delete"; channel: string; ts: string; text: string }
  | { kind: "ephemeral"; index: number }
  | { kind: "view"; viewId: string; how: "open" | "push" | "update" }
  | { kind: "home"; userId: string }
  | { kind: "reaction"; channel: string; ts: string; name: string };

export interface ApiCall {
  method: string;
  args: Json;
  ok: boolean;
  error?: string;
  status: number;
  at: number;
}

/** What the bot answered to a request: the HTTP status (or 200 over Socket Mode) and the ack body. */
export interface Delivery {
  status: number;
  body: unknown;
  /** No answer within Slack's deadline: Slack treats the request as failed (and resends events). */
  timedOut?: boolean;
  /** The response_url the request carried (commands and clicks). */
  responseUrl?: string;
}

export interface FailureRule {
  /** The Web API method to fail; all methods when omitted. */
  method?: string;
  /** 429 (with Retry-After), 500 or 503, or 200 with `{ok:false, error}`. */
  status?: 429 | 500 | 502 | 503 | 200;
  /** Seconds, for 429. */
  retryAfter?: number;
  /** For status 200: the Slack error code to answer. */
  error?: string;
  /** Do what was asked, then answer with the error status: the client cannot know it worked. */
  afterProcessing?: boolean;
  times?: number;
  /** Only calls whose arguments this accepts (a DM to a person, a given channel). */
  when?: (args: Json) => boolean;
}

export type InputValue = string | string[] | number | null;

export interface SubmitResult {
  /** blocked: Slack's client refused to send it (a required field is empty). */
  outcome: "closed" | "errors" | "updated" | "pushed" | "cleared" | "blocked" | "failed";
  errors: Record<string, string>;
  missing: string[];
  delivery?: Delivery;
}

export interface PendingSocketAck {
  resolve: (payload: unknown) => void;
  timer: NodeJS.Timeout;
}

export const OBJECT_FIELDS = new Set(["blocks", "attachments", "view", "files", "metadata"]);
/** How long a trigger_id may be used after the interaction that produced it. */
export const TRIGGER_LIFETIME_MS = 3_000;
export const RESPONSE_URL_USES = 5;
/** Slack waits 3 seconds for an acknowledgement; later counts as no answer. */
export const ACK_DEADLINE_MS = 3_000;

export interface FakeSlackOptions {
  botToken?: string;
  appToken?: string;
  /** Milliseconds since the epoch, for message timestamps; the real clock by default. */
  now?: () => number;
  /** Send the bot its own messages as events, as Slack does (Bolt's ignoreSelf drops them). */
  echoBotMessages?: boolean;
  /** How long a trigger_id is valid; Slack's is 3 seconds. */
  triggerLifetimeMs?: number;
  /** How long Slack waits for the app to acknowledge a request: 3 seconds. */
  ackDeadlineMs?: number;
  /**
   * The bot scopes the install granted: manifest.yml's by default, as a workspace grants them
   * when the app is created from it. A call outside them answers `missing_scope`.
   */
  scopes?: readonly string[];
  /**
   * How long Slack waits before sending an event again after the app did not answer 2xx in
   * time: Slack retries three times, at once, after a minute and after five minutes. Tests
   * shorten the waits; the number of retries is Slack's.
   */
  eventRetryDelaysMs?: readonly number[];
}

/** Slack's own retry schedule for an Events API delivery that failed. */
export const SLACK_EVENT_RETRY_DELAYS_MS = [0, 60_000, 300_000] as const;

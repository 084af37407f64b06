import crypto from "node:crypto";
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type WebSocket, WebSocketServer } from "ws";
import { blockProblems, viewProblems } from "./block-kit.js";
import {
  APP_ID,
  aBotMessageEvent,
  aFileObject,
  aMessageBlockAction,
  aMessageChangedEvent,
  aMessageDeletedEvent,
  aMessageEvent,
  aMessageShortcut,
  anAppHomeOpenedEvent,
  anEphemeralBlockAction,
  anEventEnvelope,
  aSlashCommand,
  aViewBlockAction,
  aViewClosed,
  aViewSubmission,
  BOT,
  TEAM,
} from "./payloads.js";
import { type ConversationType, manifestBotScopes, scopeNeeded } from "./scopes.js";
import { slackSignatureHeaders } from "./signing.js";

/**
 * A fake Slack for tests and the demo: a real HTTP server that answers the Web API methods
 * the bot calls, keeps channels, messages, threads, views and users, rejects what Slack
 * rejects (Block Kit limits, unknown channels, channels the bot is not in, bad tokens), can
 * be told to answer 429 or 500, and records every call. It also plays the people: it sends
 * the bot slash commands, messages, button clicks and modal submissions, signed exactly as
 * Slack signs them, over HTTP or over a Socket Mode WebSocket.
 */

type Json = Record<string, unknown>;

export interface FakeUser {
  id: string;
  name: string;
  realName: string;
  isBot: boolean;
  deleted: boolean;
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
}

export type InputValue = string | string[] | number | null;

export interface SubmitResult {
  /** blocked: Slack's client refused to send it (a required field is empty). */
  outcome: "closed" | "errors" | "updated" | "pushed" | "cleared" | "blocked" | "failed";
  errors: Record<string, string>;
  missing: string[];
  delivery?: Delivery;
}

interface PendingSocketAck {
  resolve: (payload: unknown) => void;
  timer: NodeJS.Timeout;
}

const OBJECT_FIELDS = new Set(["blocks", "attachments", "view", "files", "metadata"]);
/** How long a trigger_id may be used after the interaction that produced it. */
const TRIGGER_LIFETIME_MS = 3_000;
const RESPONSE_URL_USES = 5;
/** Slack waits 3 seconds for an acknowledgement; later counts as no answer. */
const ACK_DEADLINE_MS = 3_000;

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
}

export class FakeSlack {
  readonly botToken: string;
  readonly appToken: string;
  readonly users = new Map<string, FakeUser>();
  readonly channels = new Map<string, FakeChannel>();
  readonly views = new Map<string, FakeView>();
  readonly ephemerals: FakeEphemeral[] = [];
  readonly files = new Map<string, FakeFile>();
  readonly calls: ApiCall[] = [];
  readonly activity: Activity[] = [];

  #server: http.Server | undefined;
  #wss: WebSocketServer | undefined;
  #socket: WebSocket | undefined;
  #socketAcks = new Map<string, PendingSocketAck>();
  #socketWaiters: (() => void)[] = [];
  #httpTarget: { url: string; signingSecret: string } | undefined;
  #failures: (FailureRule & { times: number })[] = [];
  #triggers = new Map<string, { userId: string; issuedAt: number; used: boolean }>();
  #responseUrls = new Map<
    string,
    { kind: "command" | "message"; channel: string; user: string; messageTs?: string; uses: number }
  >();
  #modalStacks = new Map<string, string[]>();
  /** The last view_submission payload of each view, for Slack's resends. */
  #submissions = new Map<string, string>();
  #homeViews = new Map<string, string>();
  #counter = 0;
  #lastTs = 0;
  #pending = 0;
  #idleWaiters: (() => void)[] = [];
  readonly #now: () => number;
  readonly #echoBotMessages: boolean;
  readonly #triggerLifetimeMs: number;
  readonly #ackDeadlineMs: number;
  #scopes: Set<string>;
  /** Requests the app did not acknowledge within the deadline. */
  readonly lateAcks: { type: string; waitedMs: number }[] = [];

  constructor(options: FakeSlackOptions = {}) {
    this.botToken = options.botToken ?? "xoxb-fake-bot-token";
    this.appToken = options.appToken ?? "xapp-fake-app-token";
    this.#now = options.now ?? Date.now;
    this.#echoBotMessages = options.echoBotMessages ?? true;
    this.#triggerLifetimeMs = options.triggerLifetimeMs ?? TRIGGER_LIFETIME_MS;
    this.#ackDeadlineMs = options.ackDeadlineMs ?? ACK_DEADLINE_MS;
    this.#scopes = new Set(options.scopes ?? manifestBotScopes());
    this.users.set(BOT.userId, {
      id: BOT.userId,
      name: BOT.name,
      realName: "ducha",
      isBot: true,
      deleted: false,
    });
  }

  // ---------------------------------------------------------------- lifecycle

  async start(): Promise<void> {
    this.#server = http.createServer((req, res) => {
      void this.#route(req, res);
    });
    this.#wss = new WebSocketServer({ noServer: true });
    this.#server.on("upgrade", (req, socket, head) => {
      if (!req.url?.startsWith("/socket-mode")) {
        socket.destroy();
        return;
      }
      this.#wss?.handleUpgrade(req, socket, head, (ws) => this.#onSocket(ws));
    });
    await new Promise<void>((resolve) => this.#server?.listen(0, "127.0.0.1", resolve));
  }

  async stop(): Promise<void> {
    for (const pending of this.#socketAcks.values()) clearTimeout(pending.timer);
    this.#socket?.terminate();
    this.#wss?.close();
    await new Promise<void>((resolve) => {
      if (!this.#server) return resolve();
      this.#server.closeAllConnections();
      this.#server.close(() => resolve());
    });
  }

  get baseUrl(): string {
    const address = this.#server?.address() as AddressInfo | null;
    if (!address) throw new Error("the fake Slack server is not started");
    return `http://127.0.0.1:${address.port}`;
  }

  /** The value for SLACK_API_URL. */
  get apiUrl(): string {
    return `${this.baseUrl}/api/`;
  }

  /** Where to send commands, events and interactivity in HTTP mode. */
  connectHttp(url: string, signingSecret: string): void {
    this.#httpTarget = { url, signingSecret };
  }

  get socketConnected(): boolean {
    return this.#socket !== undefined;
  }

  /** Resolves when an app has connected over Socket Mode. */
  async waitForSocket(): Promise<void> {
    if (this.#socket) return;
    await new Promise<void>((resolve) => this.#socketWaiters.push(resolve));
  }

  /** Resolves when nothing the fake Slack sends to the app is still under way. */
  async idle(): Promise<void> {
    while (this.#pending > 0) {
      await new Promise<void>((resolve) => this.#idleWaiters.push(resolve));
    }
  }

  // ---------------------------------------------------------------- workspace setup

  addUser(user: { id: string; name: string; realName?: string }): FakeUser {
    const full = { realName: user.name, ...user, isBot: false, deleted: false };
    this.users.set(user.id, full);
    return full;
  }

  addChannel(channel: {
    id: string;
    name: string;
    members?: readonly string[];
    isPrivate?: boolean;
    botIsMember?: boolean;
  }): FakeChannel {
    const members = new Set(channel.members ?? []);
    if (channel.botIsMember ?? true) members.add(BOT.userId);
    const full: FakeChannel = {
      id: channel.id,
      name: channel.name,
      isPrivate: channel.isPrivate ?? false,
      isIm: false,
      archived: false,
      members,
      messages: [],
    };
    this.channels.set(channel.id, full);
    return full;
  }

  inviteBot(channelId: string): void {
    this.#channel(channelId).members.add(BOT.userId);
  }

  removeBot(channelId: string): void {
    this.#channel(channelId).members.delete(BOT.userId);
  }

  archive(channelId: string): void {
    this.#channel(channelId).archived = true;
  }

  /** The bot scopes granted now. */
  get scopes(): string[] {
    return [...this.#scopes].sort();
  }

  /** The app reinstalled with other scopes (the token stays the same, as Slack keeps it). */
  grantScopes(scopes: readonly string[]): void {
    this.#scopes = new Set(scopes);
  }

  /** The next `times` calls (to `method`, or any) fail as described. */
  failNext(rule: FailureRule): void {
    this.#failures.push({ ...rule, times: rule.times ?? 1 });
  }

  clearFailures(): void {
    this.#failures.length = 0;
  }

  // ---------------------------------------------------------------- reading the workspace

  /** Top-level messages of a channel, oldest first. */
  messages(channelId: string): FakeMessage[] {
    return this.#channel(channelId).messages.filter((m) => !m.threadTs || m.threadTs === m.ts);
  }

  /** A thread's replies (without the parent), oldest first. */
  replies(channelId: string, threadTs: string): FakeMessage[] {
    return this.#channel(channelId).messages.filter((m) => m.threadTs === threadTs && m.ts !== threadTs);
  }

  message(channelId: string, ts: string): FakeMessage | undefined {
    return this.#channel(channelId).messages.find((m) => m.ts === ts);
  }

  /** The direct messages the bot sent a user. */
  directMessages(userId: string): FakeMessage[] {
    const im = [...this.channels.values()].find((c) => c.isIm && c.members.has(userId));
    return im ? im.messages : [];
  }

  ephemeralsFor(userId: string): FakeEphemeral[] {
    return this.ephemerals.filter((e) => e.user === userId);
  }

  lastEphemeral(userId: string): FakeEphemeral | undefined {
    return this.ephemeralsFor(userId).at(-1);
  }

  /** The modal on top of the user's stack, if one is open. */
  openModal(userId: string): FakeView | undefined {
    const stack = this.#modalStacks.get(userId) ?? [];
    const id = stack.at(-1);
    return id ? this.views.get(id) : undefined;
  }

  modalStack(userId: string): FakeView[] {
    return (this.#modalStacks.get(userId) ?? []).flatMap((id) => this.views.get(id) ?? []);
  }

  homeView(userId: string): FakeView | undefined {
    const id = this.#homeViews.get(userId);
    return id ? this.views.get(id) : undefined;
  }

  callsTo(method: string): ApiCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  // ---------------------------------------------------------------- acting as people

  /** A person types `/ducha …` (or another command) in a channel. */
  async command(userId: string, channelId: string, text: string, command = "/ducha"): Promise<Delivery> {
    const user = this.#user(userId);
    const channel = this.#channel(channelId);
    const responseUrl = this.#newResponseUrl({ kind: "command", channel: channelId, user: userId });
    const fields = aSlashCommand({
      user: { id: user.id, name: user.name },
      channel: { id: channel.id, name: channel.name },
      text,
      command,
      responseUrl,
      triggerId: this.#newTrigger(userId),
    });
    this.activity.push({ kind: "command", user: userId, channel: channelId, text });
    const delivery = await this.#deliver("slash_commands", fields);
    this.#applyImmediateCommandResponse(delivery, channelId, userId);
    return delivery;
  }

  /**
   * A person posts a message (in a thread when `threadTs` is given), with files attached
   * (`file_share`) or, in a thread, also sent to the channel (`thread_broadcast`); the bot
   * gets the event if it is in the channel.
   */
  async say(
    userId: string,
    channelId: string,
    text: string,
    options: { threadTs?: string; deliveries?: number; files?: FileToShare[]; broadcast?: boolean } = {},
  ): Promise<FakeMessage> {
    const channel = this.#channel(channelId);
    if (!channel.members.has(userId)) channel.members.add(userId);
    const message = this.#store(channel, { user: userId, text, threadTs: options.threadTs });
    for (const shared of options.files ?? []) {
      const file = this.shareFile(userId, shared);
      file.channels.push(channelId);
      message.files.push(file);
    }
    if (channel.members.has(BOT.userId)) {
      const parent = options.threadTs ? this.message(channelId, options.threadTs) : undefined;
      const event = aMessageEvent({
        user: userId,
        channel: channelId,
        channelType: this.#channelType(channel),
        text,
        ts: message.ts,
        threadTs: options.threadTs,
        parentUserId: parent?.user,
        ...(message.files.length ? { files: message.files.map((f) => this.fileObject(f)) } : {}),
        ...(options.broadcast && parent ? { broadcast: { root: this.#messageJson(parent) } } : {}),
      });
      await this.#deliverEvent(event, options.deliveries ?? 1);
    }
    return message;
  }

  /** A file uploaded by a person, not yet in any message. */
  shareFile(userId: string, shared: FileToShare): FakeFile {
    const id = `F${crypto.randomBytes(5).toString("hex").toUpperCase()}`;
    const file: FakeFile = {
      id,
      name: shared.name,
      title: shared.title ?? shared.name,
      bytes: Buffer.isBuffer(shared.bytes)
        ? shared.bytes
        : Buffer.from(shared.bytes ?? `contents of ${shared.name}`),
      channels: [],
      mimetype: shared.mimetype ?? "application/octet-stream",
      user: userId,
      created: Math.floor(this.#now() / 1000),
    };
    this.files.set(id, file);
    return file;
  }

  /** A file as Slack describes it to apps. */
  fileObject(file: FakeFile) {
    return aFileObject({
      id: file.id,
      name: file.name,
      title: file.title,
      mimetype: file.mimetype ?? "application/octet-stream",
      size: file.bytes.length,
      user: file.user ?? BOT.userId,
      created: file.created ?? Math.floor(this.#now() / 1000),
      urlPrivate: `${this.baseUrl}/files-pri/${TEAM.id}-${file.id}/${encodeURIComponent(file.name)}`,
      permalink: `https://${TEAM.domain}.slack.com/files/${file.user ?? BOT.userId}/${file.id}/${encodeURIComponent(file.name)}`,
    });
  }

  /** A person edits their message. */
  async edit(userId: string, channelId: string, ts: string, text: string): Promise<void> {
    const channel = this.#channel(channelId);
    const message = this.message(channelId, ts);
    if (!message || message.user !== userId) throw new Error(`no message ${ts} by ${userId} in ${channelId}`);
    const previous = { user: message.user, text: message.text, ts: message.ts, threadTs: message.threadTs };
    message.text = text;
    message.edited = { user: userId, ts: this.#nextTs() };
    this.activity.push({ kind: "update", channel: channelId, ts });
    if (channel.members.has(BOT.userId)) {
      await this.#deliverEvent(
        aMessageChangedEvent({
          channel: channelId,
          channelType: this.#channelType(channel),
          eventTs: message.edited.ts,
          message: { user: userId, text, ts, threadTs: message.threadTs, editedTs: message.edited.ts },
          previous,
        }),
        1,
      );
    }
  }

  /** A person deletes their message. */
  async delete(userId: string, channelId: string, ts: string): Promise<void> {
    const channel = this.#channel(channelId);
    const index = channel.messages.findIndex((m) => m.ts === ts && m.user === userId);
    const message = channel.messages[index];
    if (!message) throw new Error(`no message ${ts} by ${userId} in ${channelId}`);
    channel.messages.splice(index, 1);
    this.#recountReplies(channel, message.threadTs);
    this.activity.push({ kind: "delete", channel: channelId, ts, text: message.text });
    if (channel.members.has(BOT.userId)) {
      await this.#deliverEvent(
        aMessageDeletedEvent({
          channel: channelId,
          channelType: this.#channelType(channel),
          eventTs: this.#nextTs(),
          deletedTs: ts,
          previous: { user: message.user, text: message.text, threadTs: message.threadTs },
        }),
        1,
      );
    }
  }

  /** A person clicks a button (or picks from a menu) in a message. */
  async clickInMessage(
    userId: string,
    channelId: string,
    ts: string,
    actionId: string,
    options: { value?: string; selected?: string; staleBlocks?: Json[] } = {},
  ): Promise<Delivery> {
    const user = this.#user(userId);
    const channel = this.#channel(channelId);
    const message = this.message(channelId, ts);
    if (!message) throw new Error(`no message ${ts} in ${channelId}`);
    // A client still showing an older version of the message sends its (stale) buttons.
    const blocks = options.staleBlocks ?? message.blocks ?? [];
    const { block, element } = findElement(blocks, actionId, options.value, options.selected);
    const payload = aMessageBlockAction({
      user: { id: user.id, name: user.name },
      channel: { id: channel.id, name: channel.name },
      message: { ...this.#messageJson(message), blocks },
      action: actionPayload(block, element, options.selected, this.#nextTs()),
      triggerId: this.#newTrigger(userId),
      responseUrl: this.#newResponseUrl({ kind: "message", channel: channelId, user: userId, messageTs: ts }),
    });
    return this.#deliver("interactive", { payload: JSON.stringify(payload) });
  }

  /** A person clicks a button in a message only they see (a command's reply). */
  async clickInEphemeral(userId: string, ephemeral: FakeEphemeral, actionId: string): Promise<Delivery> {
    const user = this.#user(userId);
    if (ephemeral.user !== userId)
      throw new Error("only the person an ephemeral message is for can click it");
    const channel = this.channels.get(ephemeral.channel);
    const { block, element } = findElement(ephemeral.blocks ?? [], actionId);
    const payload = anEphemeralBlockAction({
      user: { id: user.id, name: user.name },
      channel: { id: ephemeral.channel, name: channel?.name ?? "directmessage" },
      messageTs: ephemeral.ts ?? this.#nextTs(),
      action: actionPayload(block, element, undefined, this.#nextTs()),
      triggerId: this.#newTrigger(userId),
      responseUrl: this.#newResponseUrl({ kind: "command", channel: ephemeral.channel, user: userId }),
    });
    return this.#deliver("interactive", { payload: JSON.stringify(payload) });
  }

  /** A person clicks a button (or changes a menu) in a modal or on the Home tab. */
  async clickInView(
    userId: string,
    viewId: string,
    actionId: string,
    options: { value?: string; selected?: InputValue } = {},
  ): Promise<Delivery> {
    const user = this.#user(userId);
    const view = this.#view(viewId);
    const { block, element } = findElement(
      asBlocks(view.view.blocks),
      actionId,
      options.value,
      typeof options.selected === "string" ? options.selected : undefined,
    );
    if (block.type === "input" && options.selected !== undefined) {
      this.#setInput(view, String(block.block_id), element, options.selected);
    }
    const payload = aViewBlockAction({
      user: { id: user.id, name: user.name },
      view: this.#viewJson(view),
      action: actionPayload(
        block,
        element,
        typeof options.selected === "string" ? options.selected : undefined,
        this.#nextTs(),
      ),
      triggerId: this.#newTrigger(userId),
    });
    return this.#deliver("interactive", { payload: JSON.stringify(payload) });
  }

  /** A person types into a modal's inputs (by action_id) without submitting: nothing is sent to the app. */
  type(userId: string, viewId: string, inputs: Record<string, InputValue>): void {
    const view = this.#view(viewId);
    if (view.userId !== userId) throw new Error(`view ${viewId} is not ${userId}'s`);
    const blocks = asBlocks(view.view.blocks);
    for (const [key, value] of Object.entries(inputs)) {
      const { block, element } = findInput(blocks, key);
      this.#setInput(view, String(block.block_id), element, value);
    }
  }

  /** A person types into a modal's inputs (by action_id) and presses submit. */
  async submit(
    userId: string,
    viewId: string,
    inputs: Record<string, InputValue> = {},
  ): Promise<SubmitResult> {
    const user = this.#user(userId);
    const view = this.#view(viewId);
    if (!view.open) throw new Error(`view ${viewId} is not open`);
    const blocks = asBlocks(view.view.blocks);
    for (const [key, value] of Object.entries(inputs)) {
      const { block, element } = findInput(blocks, key);
      this.#setInput(view, String(block.block_id), element, value);
    }
    const missing = blocks
      .filter((b) => b.type === "input" && b.optional !== true)
      .filter((b) => isEmptyValue(view.state.values[String(b.block_id)]))
      .map((b) => String(b.block_id));
    if (missing.length > 0) return { outcome: "blocked", errors: {}, missing };
    const payload = JSON.stringify(
      aViewSubmission({
        user: { id: user.id, name: user.name },
        view: this.#viewJson(view),
        triggerId: this.#newTrigger(userId),
      }),
    );
    this.#submissions.set(viewId, payload);
    const delivery = await this.#deliver("interactive", { payload });
    if (delivery.status !== 200) return { outcome: "failed", errors: {}, missing: [], delivery };
    const response = (delivery.body ?? {}) as Json;
    const action = response.response_action;
    view.errors = {};
    if (action === "errors") {
      view.errors = (response.errors ?? {}) as Record<string, string>;
      return { outcome: "errors", errors: view.errors, missing: [], delivery };
    }
    if (action === "update") {
      this.#replaceView(view, response.view as Json);
      return { outcome: "updated", errors: {}, missing: [], delivery };
    }
    if (action === "push") {
      this.#openView(userId, response.view as Json, "push");
      return { outcome: "pushed", errors: {}, missing: [], delivery };
    }
    if (action === "clear") {
      this.#closeStack(userId);
      return { outcome: "cleared", errors: {}, missing: [], delivery };
    }
    this.#popView(userId);
    return { outcome: "closed", errors: {}, missing: [], delivery };
  }

  /**
   * Slack sends a view_submission again (it thought the first went unanswered) or a person
   * double-clicks: the same payload once more, whatever became of the view meanwhile.
   */
  async resubmit(userId: string, viewId: string): Promise<Delivery> {
    const user = this.#user(userId);
    const view = this.#view(viewId);
    const payload =
      this.#submissions.get(viewId) ??
      JSON.stringify(
        aViewSubmission({
          user: { id: user.id, name: user.name },
          view: this.#viewJson(view),
          triggerId: this.#newTrigger(userId),
        }),
      );
    return this.#deliver("interactive", { payload });
  }

  /** A person closes a modal with its close button. */
  async closeModal(userId: string, viewId: string): Promise<void> {
    const view = this.#view(viewId);
    this.#popView(userId);
    if (view.view.notify_on_close === true) {
      const user = this.#user(userId);
      const payload = aViewClosed({ user: { id: user.id, name: user.name }, view: this.#viewJson(view) });
      await this.#deliver("interactive", { payload: JSON.stringify(payload) });
    }
  }

  /** A person picks a message shortcut from a message's menu. */
  async messageShortcut(
    userId: string,
    channelId: string,
    ts: string,
    callbackId: string,
  ): Promise<Delivery> {
    const user = this.#user(userId);
    const channel = this.#channel(channelId);
    const message = this.message(channelId, ts);
    if (!message) throw new Error(`no message ${ts} in ${channelId}`);
    const payload = aMessageShortcut({
      user: { id: user.id, name: user.name },
      channel: { id: channel.id, name: channel.name },
      message: this.#messageJson(message),
      callbackId,
      triggerId: this.#newTrigger(userId),
      responseUrl: this.#newResponseUrl({ kind: "command", channel: channelId, user: userId }),
      actionTs: this.#nextTs(),
    });
    return this.#deliver("interactive", { payload: JSON.stringify(payload) });
  }

  /** A person opens the app's Home tab. */
  async openHome(userId: string): Promise<void> {
    const im = this.#imWith(userId);
    const home = this.homeView(userId);
    await this.#deliverEvent(
      anAppHomeOpenedEvent({
        user: userId,
        channel: im.id,
        eventTs: this.#nextTs(),
        view: home ? this.#viewJson(home) : undefined,
      }),
      1,
    );
  }

  /** A trigger_id as Slack hands one to the app with an interaction, for tests of views.open itself. */
  issueTriggerId(userId: string): string {
    return this.#newTrigger(userId);
  }

  /** Sends the bot a raw, signed HTTP request (for tests of signatures and retries). */
  async sendRaw(body: string, headers: Record<string, string>): Promise<Delivery> {
    if (!this.#httpTarget) throw new Error("no app connected over HTTP");
    const response = await fetch(this.#httpTarget.url, { method: "POST", headers, body });
    return { status: response.status, body: await readBody(response) };
  }

  /** The signing headers Slack would put on this body. */
  sign(body: string, timestamp?: number): Record<string, string> {
    if (!this.#httpTarget) throw new Error("no app connected over HTTP");
    return slackSignatureHeaders(this.#httpTarget.signingSecret, body, timestamp);
  }

  // ---------------------------------------------------------------- delivery to the app

  async #deliverEvent(event: Json, deliveries: number): Promise<Delivery[]> {
    const eventId = `Ev${crypto.randomBytes(5).toString("hex").toUpperCase()}`;
    const envelope = anEventEnvelope(event, { eventId, eventTime: Math.floor(this.#now() / 1000) });
    const results: Delivery[] = [];
    for (let attempt = 0; attempt < deliveries; attempt++) {
      results.push(await this.#deliver("events_api", envelope, attempt));
    }
    return results;
  }

  async #deliver(
    type: "slash_commands" | "events_api" | "interactive",
    body: Json | Record<string, string>,
    retry = 0,
  ): Promise<Delivery> {
    this.#pending++;
    try {
      if (this.#socket) return await this.#deliverOverSocket(type, body, retry);
      if (!this.#httpTarget) throw new Error("no app is connected to the fake Slack");
      const raw =
        type === "events_api"
          ? JSON.stringify(body)
          : new URLSearchParams(body as Record<string, string>).toString();
      const headers: Record<string, string> = {
        "Content-Type": type === "events_api" ? "application/json" : "application/x-www-form-urlencoded",
        "User-Agent": "Slackbot 1.0 (+https://api.slack.com/robots)",
        ...slackSignatureHeaders(this.#httpTarget.signingSecret, raw),
      };
      if (retry > 0) {
        headers["X-Slack-Retry-Num"] = String(retry);
        headers["X-Slack-Retry-Reason"] = "http_timeout";
      }
      const started = Date.now();
      try {
        const response = await fetch(this.#httpTarget.url, {
          method: "POST",
          headers,
          body: raw,
          signal: AbortSignal.timeout(this.#ackDeadlineMs),
        });
        return { status: response.status, body: await readBody(response) };
      } catch (error) {
        if ((error as Error).name !== "TimeoutError" && (error as Error).name !== "AbortError") throw error;
        // Slack stops waiting: the person sees an error, an event is sent again later.
        this.lateAcks.push({ type, waitedMs: Date.now() - started });
        return { status: 0, body: undefined, timedOut: true };
      }
    } finally {
      this.#pending--;
      if (this.#pending === 0) {
        const waiters = this.#idleWaiters;
        this.#idleWaiters = [];
        for (const resolve of waiters) resolve();
      }
    }
  }

  async #deliverOverSocket(type: string, payload: unknown, retry: number): Promise<Delivery> {
    const socket = this.#socket;
    if (!socket) throw new Error("no Socket Mode connection");
    const envelopeId = crypto.randomUUID();
    const started = Date.now();
    const ack = new Promise<unknown>((resolve) => {
      const timer = setTimeout(() => {
        this.#socketAcks.delete(envelopeId);
        this.lateAcks.push({ type, waitedMs: Date.now() - started });
        resolve(undefined);
      }, this.#ackDeadlineMs);
      this.#socketAcks.set(envelopeId, { resolve, timer });
    });
    socket.send(
      JSON.stringify({
        envelope_id: envelopeId,
        type,
        payload,
        accepts_response_payload: type !== "events_api",
        ...(type === "events_api" ? { retry_attempt: retry, retry_reason: retry ? "timeout" : "" } : {}),
      }),
    );
    const body = await ack;
    return body === undefined ? { status: 0, body, timedOut: true } : { status: 200, body };
  }

  #onSocket(ws: WebSocket): void {
    this.#socket = ws;
    const ping = setInterval(() => ws.ping(), 5_000);
    ping.unref();
    ws.on("message", (data) => {
      let message: { envelope_id?: string; payload?: unknown };
      try {
        message = JSON.parse(String(data)) as typeof message;
      } catch {
        return;
      }
      const pending = message.envelope_id ? this.#socketAcks.get(message.envelope_id) : undefined;
      if (!pending || !message.envelope_id) return;
      clearTimeout(pending.timer);
      this.#socketAcks.delete(message.envelope_id);
      const payload = message.payload as Json | undefined;
      pending.resolve(payload && Object.keys(payload).length > 0 ? payload : {});
    });
    ws.on("close", () => {
      clearInterval(ping);
      if (this.#socket === ws) this.#socket = undefined;
    });
    ws.send(
      JSON.stringify({
        type: "hello",
        num_connections: 1,
        debug_info: { host: "fake-slack", build_number: 1, approximate_connection_time: 3600 },
        connection_info: { app_id: APP_ID },
      }),
    );
    const waiters = this.#socketWaiters;
    this.#socketWaiters = [];
    for (const resolve of waiters) resolve();
  }

  #applyImmediateCommandResponse(delivery: Delivery, channel: string, user: string): void {
    const body = delivery.body;
    if (!body || typeof body !== "object") {
      if (typeof body === "string" && body.length > 0) {
        this.#ephemeral({ channel, user, text: body, via: "response_url", at: this.#now() });
      }
      return;
    }
    const message = body as Json;
    if (typeof message.text === "string" || Array.isArray(message.blocks)) {
      this.#ephemeral({
        channel,
        user,
        text: String(message.text ?? ""),
        blocks: message.blocks as Json[] | undefined,
        via: "response_url",
        at: this.#now(),
      });
    }
  }

  // ---------------------------------------------------------------- HTTP routing

  async #route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", this.baseUrl);
    const raw = await readRequest(req);
    try {
      if (url.pathname.startsWith("/api/")) {
        await this.#api(url.pathname.slice("/api/".length), req, raw, res);
      } else if (url.pathname.startsWith("/response/")) {
        this.#responseUrl(url.pathname.slice("/response/".length), raw, res);
      } else if (url.pathname.startsWith("/upload/")) {
        await this.#upload(url.pathname.slice("/upload/".length), req, raw, res);
      } else {
        res.writeHead(404).end();
      }
    } catch (error) {
      res.writeHead(500, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ ok: false, error: "fatal_error", detail: String(error) }));
    }
  }

  async #api(method: string, req: IncomingMessage, raw: Buffer, res: ServerResponse): Promise<void> {
    const args = parseArgs(req.headers["content-type"] ?? "", raw);
    const token =
      bearer(req.headers.authorization) ?? (typeof args.token === "string" ? args.token : undefined);
    const at = this.#now();
    const rule = this.#takeFailure(method);
    if (rule?.afterProcessing) {
      // Slack did the work, but the answer is lost on the way back (a timeout, a proxy's 502).
      const handler = this.#methods[method];
      const done = token === this.botToken && handler ? handler(args) : { ok: false };
      this.calls.push({
        method,
        args,
        ok: false,
        error: `http_${rule.status ?? 502}_after_${done.ok ? "ok" : "error"}`,
        status: rule.status ?? 502,
        at,
      });
      res.writeHead(rule.status ?? 502, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ ok: false, error: "bad_gateway" }));
      return;
    }
    if (rule) {
      const status = rule.status ?? 500;
      if (status === 200) {
        this.calls.push({ method, args, ok: false, error: rule.error, status, at });
        return json(res, 200, { ok: false, error: rule.error ?? "internal_error" });
      }
      this.calls.push({ method, args, ok: false, error: `http_${status}`, status, at });
      const headers: Record<string, string> = { "Content-Type": "application/json" };
      if (status === 429) headers["Retry-After"] = String(rule.retryAfter ?? 1);
      res.writeHead(status, headers);
      res.end(JSON.stringify({ ok: false, error: status === 429 ? "ratelimited" : "internal_error" }));
      return;
    }
    let result: Json;
    if (method === "apps.connections.open") {
      result = token === this.appToken ? this.#appsConnectionsOpen() : { ok: false, error: "invalid_auth" };
    } else if (!token) {
      result = { ok: false, error: "not_authed" };
    } else if (token !== this.botToken) {
      result = { ok: false, error: "invalid_auth" };
    } else {
      const handler = this.#methods[method];
      const needed = scopeNeeded(method, this.#conversationType(args));
      if (!handler || needed === undefined) {
        result = { ok: false, error: "unknown_method" };
      } else if (needed !== null && !this.#scopes.has(needed)) {
        // As Slack answers: what the method needed and what the token has.
        result = { ok: false, error: "missing_scope", needed, provided: this.scopes.join(",") };
      } else {
        result = handler(args);
      }
      res.setHeader("X-OAuth-Scopes", this.scopes.join(","));
      if (needed) res.setHeader("X-Accepted-OAuth-Scopes", needed);
    }
    this.calls.push({
      method,
      args,
      ok: result.ok === true,
      error: typeof result.error === "string" ? result.error : undefined,
      status: 200,
      at,
    });
    json(res, 200, result);
  }

  /** The type of the conversation a call is about, for the scopes that depend on it. */
  #conversationType(args: Json): ConversationType {
    const id = typeof args.channel === "string" ? args.channel : "";
    const channel = this.channels.get(id);
    if (channel?.isIm || id.startsWith("D")) return "im";
    if (channel?.isPrivate || id.startsWith("G")) return "private";
    return "public";
  }

  #takeFailure(method: string): FailureRule | undefined {
    const index = this.#failures.findIndex((rule) => rule.method === undefined || rule.method === method);
    const rule = this.#failures[index];
    if (!rule) return undefined;
    rule.times -= 1;
    if (rule.times <= 0) this.#failures.splice(index, 1);
    return rule;
  }

  readonly #methods: Record<string, (args: Json) => Json> = {
    "auth.test": () => ({
      ok: true,
      url: `https://${TEAM.domain}.slack.com/`,
      team: "ducha demo",
      user: BOT.name,
      team_id: TEAM.id,
      user_id: BOT.userId,
      bot_id: BOT.botId,
      is_enterprise_install: false,
    }),

    "chat.postMessage": (args) => {
      const channel = this.#resolvePostTarget(String(args.channel ?? ""));
      if ("error" in channel) return { ok: false, error: channel.error };
      const invalid = this.#checkMessage(args);
      if (invalid) return invalid;
      const threadTs = typeof args.thread_ts === "string" && args.thread_ts ? args.thread_ts : undefined;
      if (threadTs && !this.message(channel.id, threadTs)) return { ok: false, error: "thread_not_found" };
      const message = this.#store(channel, {
        user: BOT.userId,
        botId: BOT.botId,
        text: String(args.text ?? ""),
        blocks: args.blocks as Json[] | undefined,
        threadTs,
      });
      if (args.metadata && typeof args.metadata === "object") message.metadata = args.metadata as Json;
      if (this.#echoBotMessages && !channel.isIm) {
        void this.#deliverEvent(
          aBotMessageEvent({
            channel: channel.id,
            channelType: this.#channelType(channel),
            text: message.text,
            ts: message.ts,
            threadTs,
          }),
          1,
        ).catch(() => undefined);
      }
      return { ok: true, channel: channel.id, ts: message.ts, message: this.#messageJson(message) };
    },

    "chat.update": (args) => {
      const channel = this.channels.get(String(args.channel ?? ""));
      if (!channel || (channel.isPrivate && !channel.members.has(BOT.userId))) {
        return { ok: false, error: "channel_not_found" };
      }
      const message = channel.messages.find((m) => m.ts === args.ts);
      if (!message) return { ok: false, error: "message_not_found" };
      if (message.botId !== BOT.botId) return { ok: false, error: "cant_update_message" };
      const invalid = this.#checkMessage(args);
      if (invalid) return invalid;
      message.text = String(args.text ?? message.text);
      if (args.blocks !== undefined) message.blocks = args.blocks as Json[];
      message.edited = { user: BOT.userId, ts: this.#nextTs() };
      this.activity.push({ kind: "update", channel: channel.id, ts: message.ts });
      return { ok: true, channel: channel.id, ts: message.ts, text: message.text };
    },

    "chat.delete": (args) => {
      const channel = this.channels.get(String(args.channel ?? ""));
      if (!channel) return { ok: false, error: "channel_not_found" };
      const index = channel.messages.findIndex((m) => m.ts === args.ts);
      const message = channel.messages[index];
      if (!message) return { ok: false, error: "message_not_found" };
      if (message.botId !== BOT.botId) return { ok: false, error: "cant_delete_message" };
      channel.messages.splice(index, 1);
      return { ok: true, channel: channel.id, ts: message.ts };
    },

    "chat.postEphemeral": (args) => {
      const channel = this.channels.get(String(args.channel ?? ""));
      if (!channel || (channel.isPrivate && !channel.members.has(BOT.userId))) {
        return { ok: false, error: "channel_not_found" };
      }
      if (channel.archived) return { ok: false, error: "is_archived" };
      if (!channel.members.has(BOT.userId)) return { ok: false, error: "not_in_channel" };
      const userId = String(args.user ?? "");
      if (!this.users.has(userId)) return { ok: false, error: "user_not_found" };
      if (!channel.members.has(userId)) return { ok: false, error: "user_not_in_channel" };
      const invalid = this.#checkMessage(args);
      if (invalid) return invalid;
      this.#ephemeral({
        channel: channel.id,
        user: userId,
        text: String(args.text ?? ""),
        blocks: args.blocks as Json[] | undefined,
        via: "chat.postEphemeral",
        at: this.#now(),
      });
      return { ok: true, message_ts: this.#nextTs() };
    },

    "chat.getPermalink": (args) => {
      const channel = this.channels.get(String(args.channel ?? ""));
      if (!channel) return { ok: false, error: "channel_not_found" };
      const message = channel.messages.find((m) => m.ts === args.message_ts);
      if (!message) return { ok: false, error: "message_not_found" };
      return { ok: true, channel: channel.id, permalink: this.permalink(channel.id, message.ts) };
    },

    "conversations.info": (args) => {
      const channel = this.channels.get(String(args.channel ?? ""));
      if (!channel || (channel.isPrivate && !channel.members.has(BOT.userId))) {
        return { ok: false, error: "channel_not_found" };
      }
      return {
        ok: true,
        channel: {
          id: channel.id,
          name: channel.name,
          is_channel: !channel.isPrivate && !channel.isIm,
          is_group: channel.isPrivate,
          is_im: channel.isIm,
          is_private: channel.isPrivate,
          is_archived: channel.archived,
          is_member: channel.members.has(BOT.userId),
          num_members: channel.members.size,
        },
      };
    },

    "conversations.open": (args) => {
      const users = String(args.users ?? "")
        .split(",")
        .filter(Boolean);
      const [userId] = users;
      if (!userId || users.length > 1) return { ok: false, error: "users_list_not_supplied" };
      if (!this.users.has(userId)) return { ok: false, error: "user_not_found" };
      const im = this.#imWith(userId);
      return { ok: true, channel: { id: im.id } };
    },

    "conversations.replies": (args) => {
      const channel = this.channels.get(String(args.channel ?? ""));
      if (!channel || (channel.isPrivate && !channel.members.has(BOT.userId))) {
        return { ok: false, error: "channel_not_found" };
      }
      const parent = channel.messages.find((m) => m.ts === args.ts);
      if (!parent) return { ok: false, error: "thread_not_found" };
      const threadTs = parent.threadTs ?? parent.ts;
      const messages = channel.messages
        .filter((m) => m.ts === threadTs || m.threadTs === threadTs)
        .map((m) =>
          this.#messageJson(m, args.include_all_metadata === "true" || args.include_all_metadata === true),
        );
      return { ok: true, messages, has_more: false };
    },

    "conversations.history": (args) => {
      const channel = this.channels.get(String(args.channel ?? ""));
      if (!channel || (channel.isPrivate && !channel.members.has(BOT.userId))) {
        return { ok: false, error: "channel_not_found" };
      }
      if (!channel.members.has(BOT.userId)) return { ok: false, error: "not_in_channel" };
      const oldest = Number(args.oldest ?? 0);
      const messages = this.messages(channel.id)
        .filter((m) => Number(m.ts) >= oldest)
        .reverse()
        .slice(0, Number(args.limit ?? 100))
        .map((m) =>
          this.#messageJson(m, args.include_all_metadata === "true" || args.include_all_metadata === true),
        );
      return { ok: true, messages, has_more: false };
    },

    "users.info": (args) => {
      const user = this.users.get(String(args.user ?? ""));
      if (!user) return { ok: false, error: "user_not_found" };
      return {
        ok: true,
        user: {
          id: user.id,
          team_id: TEAM.id,
          name: user.name,
          real_name: user.realName,
          deleted: user.deleted,
          is_bot: user.isBot,
          tz: "Asia/Shanghai",
          locale: "zh-CN",
          profile: { real_name: user.realName, display_name: user.name },
        },
      };
    },

    "views.open": (args) => {
      const trigger = this.#useTrigger(String(args.trigger_id ?? ""));
      if ("error" in trigger) return { ok: false, error: trigger.error };
      const invalid = this.#checkView(args.view);
      if (invalid) return invalid;
      const view = this.#openView(trigger.userId, args.view as Json, "open");
      return { ok: true, view: this.#viewJson(view) };
    },

    "views.push": (args) => {
      const trigger = this.#useTrigger(String(args.trigger_id ?? ""));
      if ("error" in trigger) return { ok: false, error: trigger.error };
      const stack = this.#modalStacks.get(trigger.userId) ?? [];
      if (stack.length === 0) return { ok: false, error: "not_found" };
      if (stack.length >= 3) return { ok: false, error: "push_limit_reached" };
      const invalid = this.#checkView(args.view);
      if (invalid) return invalid;
      const view = this.#openView(trigger.userId, args.view as Json, "push");
      return { ok: true, view: this.#viewJson(view) };
    },

    "views.update": (args) => {
      const view =
        typeof args.view_id === "string"
          ? this.views.get(args.view_id)
          : [...this.views.values()].find((v) => v.view.external_id === args.external_id);
      if (!view?.open) return { ok: false, error: "not_found" };
      if (typeof args.hash === "string" && args.hash !== view.hash)
        return { ok: false, error: "hash_conflict" };
      const invalid = this.#checkView(args.view);
      if (invalid) return invalid;
      this.#replaceView(view, args.view as Json);
      this.activity.push({ kind: "view", viewId: view.id, how: "update" });
      return { ok: true, view: this.#viewJson(view) };
    },

    "views.publish": (args) => {
      const userId = String(args.user_id ?? "");
      if (!this.users.has(userId)) return { ok: false, error: "user_not_found" };
      const next = args.view as Json | undefined;
      if (next?.type !== "home") return { ok: false, error: "invalid_arguments" };
      const invalid = this.#checkView(next);
      if (invalid) return invalid;
      const existing = this.homeView(userId);
      if (existing && typeof args.hash === "string" && args.hash !== existing.hash) {
        return { ok: false, error: "hash_conflict" };
      }
      if (existing) {
        this.#replaceView(existing, next);
        this.activity.push({ kind: "home", userId });
        return { ok: true, view: this.#viewJson(existing) };
      }
      const view = this.#newView(userId, next, null, null);
      this.#homeViews.set(userId, view.id);
      this.activity.push({ kind: "home", userId });
      return { ok: true, view: this.#viewJson(view) };
    },

    "reactions.add": (args) => {
      const channel = this.channels.get(String(args.channel ?? ""));
      if (!channel) return { ok: false, error: "channel_not_found" };
      if (!channel.members.has(BOT.userId)) return { ok: false, error: "not_in_channel" };
      const message = channel.messages.find((m) => m.ts === args.timestamp);
      if (!message) return { ok: false, error: "message_not_found" };
      const name = String(args.name ?? "");
      if (!/^[a-z0-9_+-]+$/.test(name)) return { ok: false, error: "invalid_name" };
      const users = message.reactions.get(name) ?? new Set<string>();
      if (users.has(BOT.userId)) return { ok: false, error: "already_reacted" };
      users.add(BOT.userId);
      message.reactions.set(name, users);
      this.activity.push({ kind: "reaction", channel: channel.id, ts: message.ts, name });
      return { ok: true };
    },

    "reactions.remove": (args) => {
      const channel = this.channels.get(String(args.channel ?? ""));
      if (!channel) return { ok: false, error: "channel_not_found" };
      const message = channel.messages.find((m) => m.ts === args.timestamp);
      if (!message) return { ok: false, error: "message_not_found" };
      const users = message.reactions.get(String(args.name ?? ""));
      if (!users?.delete(BOT.userId)) return { ok: false, error: "no_reaction" };
      if (users.size === 0) message.reactions.delete(String(args.name));
      return { ok: true };
    },

    "files.getUploadURLExternal": (args) => {
      const filename = String(args.filename ?? "");
      const length = Number(args.length);
      if (!filename) return { ok: false, error: "invalid_arguments" };
      if (!Number.isInteger(length) || length <= 0) return { ok: false, error: "invalid_arguments" };
      const id = `F${crypto.randomBytes(5).toString("hex").toUpperCase()}`;
      this.files.set(id, { id, name: filename, title: filename, bytes: Buffer.alloc(0), channels: [] });
      return { ok: true, upload_url: `${this.baseUrl}/upload/${id}`, file_id: id };
    },

    "files.completeUploadExternal": (args) => {
      const entries = (Array.isArray(args.files) ? args.files : []) as { id?: string; title?: string }[];
      if (entries.length === 0) return { ok: false, error: "invalid_arguments" };
      const files: FakeFile[] = [];
      for (const entry of entries) {
        const file = entry.id ? this.files.get(entry.id) : undefined;
        if (!file || file.bytes.length === 0) return { ok: false, error: "file_not_found" };
        if (entry.title) file.title = entry.title;
        files.push(file);
      }
      const channelId = typeof args.channel_id === "string" ? args.channel_id : undefined;
      if (channelId) {
        const channel = this.#resolvePostTarget(channelId);
        if ("error" in channel) return { ok: false, error: channel.error };
        const threadTs = typeof args.thread_ts === "string" ? args.thread_ts : undefined;
        const message = this.#store(channel, {
          user: BOT.userId,
          botId: BOT.botId,
          text: String(args.initial_comment ?? ""),
          threadTs,
        });
        message.files.push(...files);
        for (const file of files) file.channels.push(channel.id);
      }
      return { ok: true, files: files.map((f) => ({ id: f.id, title: f.title, name: f.name })) };
    },
  };

  #appsConnectionsOpen(): Json {
    return {
      ok: true,
      url: `${this.baseUrl.replace("http:", "ws:")}/socket-mode?ticket=${crypto.randomUUID()}`,
    };
  }

  #responseUrl(id: string, raw: Buffer, res: ServerResponse): void {
    const target = this.#responseUrls.get(id);
    if (!target || target.uses >= RESPONSE_URL_USES) {
      res.writeHead(404).end("expired_url");
      return;
    }
    target.uses += 1;
    let body: Json;
    try {
      body = JSON.parse(raw.toString("utf8")) as Json;
    } catch {
      res.writeHead(400).end("invalid_payload");
      return;
    }
    if (body.text === undefined && body.blocks === undefined && body.delete_original !== true) {
      res.writeHead(400).end("no_text");
      return;
    }
    if (body.blocks !== undefined && blockProblems(body.blocks, "message", "/blocks").length > 0) {
      res.writeHead(400).end("invalid_blocks");
      return;
    }
    const channel = this.channels.get(target.channel);
    if (target.kind === "message" && target.messageTs && channel) {
      const index = channel.messages.findIndex((m) => m.ts === target.messageTs);
      const original = channel.messages[index];
      if (body.delete_original === true && original) {
        channel.messages.splice(index, 1);
        res.writeHead(200).end("ok");
        return;
      }
      if (body.replace_original === true && original) {
        original.text = String(body.text ?? "");
        original.blocks = body.blocks as Json[] | undefined;
        res.writeHead(200).end("ok");
        return;
      }
    }
    if (body.response_type === "in_channel" && channel) {
      this.#store(channel, {
        user: BOT.userId,
        botId: BOT.botId,
        text: String(body.text ?? ""),
        blocks: body.blocks as Json[] | undefined,
      });
    } else {
      this.#ephemeral({
        channel: target.channel,
        user: target.user,
        text: String(body.text ?? ""),
        blocks: body.blocks as Json[] | undefined,
        via: "response_url",
        at: this.#now(),
      });
    }
    res.writeHead(200).end("ok");
  }

  async #upload(id: string, req: IncomingMessage, raw: Buffer, res: ServerResponse): Promise<void> {
    const file = this.files.get(id);
    if (!file) {
      res.writeHead(404).end();
      return;
    }
    const type = req.headers["content-type"] ?? "";
    if (type.startsWith("multipart/form-data")) {
      const form = await new Response(new Uint8Array(raw), { headers: { "Content-Type": type } }).formData();
      for (const value of form.values()) {
        if (typeof value !== "string") file.bytes = Buffer.from(await value.arrayBuffer());
      }
    } else {
      file.bytes = raw;
    }
    res.writeHead(200).end(`OK - ${file.bytes.length}`);
  }

  // ---------------------------------------------------------------- state helpers

  /** A message link as Slack makes them. */
  permalink(channelId: string, ts: string): string {
    const message = this.message(channelId, ts);
    const base = `https://${TEAM.domain}.slack.com/archives/${channelId}/p${ts.replace(".", "")}`;
    return message?.threadTs && message.threadTs !== ts
      ? `${base}?thread_ts=${message.threadTs}&cid=${channelId}`
      : base;
  }

  #ephemeral(entry: FakeEphemeral): void {
    entry.ts ??= this.#nextTs();
    this.ephemerals.push(entry);
    this.activity.push({ kind: "ephemeral", index: this.ephemerals.length - 1 });
  }

  #channel(id: string): FakeChannel {
    const channel = this.channels.get(id);
    if (!channel) throw new Error(`the fake Slack has no channel ${id}`);
    return channel;
  }

  #user(id: string): FakeUser {
    const user = this.users.get(id);
    if (!user) throw new Error(`the fake Slack has no user ${id}`);
    return user;
  }

  #view(id: string): FakeView {
    const view = this.views.get(id);
    if (!view) throw new Error(`the fake Slack has no view ${id}`);
    return view;
  }

  #channelType(channel: FakeChannel): "channel" | "group" | "im" {
    return channel.isIm ? "im" : channel.isPrivate ? "group" : "channel";
  }

  #imWith(userId: string): FakeChannel {
    const existing = [...this.channels.values()].find((c) => c.isIm && c.members.has(userId));
    if (existing) return existing;
    const im: FakeChannel = {
      id: `D${userId.slice(1)}`,
      name: userId,
      isPrivate: true,
      isIm: true,
      archived: false,
      members: new Set([userId, BOT.userId]),
      messages: [],
    };
    this.channels.set(im.id, im);
    return im;
  }

  #resolvePostTarget(id: string): FakeChannel | { error: string } {
    if (/^[UW]/.test(id)) {
      if (!this.users.has(id)) return { error: "channel_not_found" };
      return this.#imWith(id);
    }
    const channel = this.channels.get(id);
    if (!channel || (channel.isPrivate && !channel.members.has(BOT.userId)))
      return { error: "channel_not_found" };
    if (channel.archived) return { error: "is_archived" };
    if (!channel.members.has(BOT.userId)) return { error: "not_in_channel" };
    return channel;
  }

  #checkMessage(args: Json): Json | undefined {
    const text = typeof args.text === "string" ? args.text : "";
    if (!text && args.blocks === undefined) return { ok: false, error: "no_text" };
    if (text.length > 40_000) return { ok: false, error: "msg_too_long" };
    if (args.blocks !== undefined) {
      const problems = blockProblems(args.blocks, "message", "/blocks");
      if (problems.length > 0) {
        return {
          ok: false,
          error: "invalid_blocks",
          errors: problems,
          response_metadata: { messages: problems },
        };
      }
    }
    return undefined;
  }

  #checkView(view: unknown): Json | undefined {
    const problems = viewProblems(view);
    if (problems.length === 0) return undefined;
    return { ok: false, error: "invalid_arguments", response_metadata: { messages: problems } };
  }

  #nextTs(): string {
    const micros = Math.max(this.#now() * 1000, this.#lastTs + 1);
    this.#lastTs = micros;
    const seconds = Math.floor(micros / 1_000_000);
    return `${seconds}.${String(micros % 1_000_000).padStart(6, "0")}`;
  }

  #store(
    channel: FakeChannel,
    fields: { user: string; botId?: string; text: string; blocks?: Json[]; threadTs?: string },
  ): FakeMessage {
    const message: FakeMessage = {
      channel: channel.id,
      ts: this.#nextTs(),
      user: fields.user,
      botId: fields.botId,
      text: fields.text,
      blocks: fields.blocks,
      threadTs: fields.threadTs,
      reactions: new Map(),
      files: [],
      replyCount: 0,
    };
    channel.messages.push(message);
    this.#recountReplies(channel, fields.threadTs);
    this.activity.push({ kind: "message", channel: channel.id, ts: message.ts });
    return message;
  }

  #recountReplies(channel: FakeChannel, threadTs: string | undefined): void {
    if (!threadTs) return;
    const parent = channel.messages.find((m) => m.ts === threadTs);
    if (!parent) return;
    if (!parent.threadTs) parent.threadTs = parent.ts;
    parent.replyCount = channel.messages.filter((m) => m.threadTs === threadTs && m.ts !== threadTs).length;
  }

  #messageJson(message: FakeMessage, withMetadata = false): Json {
    return {
      ...(withMetadata && message.metadata ? { metadata: message.metadata } : {}),
      type: "message",
      ...(message.botId ? { bot_id: message.botId, app_id: APP_ID } : {}),
      user: message.user,
      text: message.text,
      ts: message.ts,
      ...(message.blocks ? { blocks: message.blocks } : {}),
      ...(message.threadTs ? { thread_ts: message.threadTs } : {}),
      ...(message.replyCount ? { reply_count: message.replyCount } : {}),
      ...(message.edited ? { edited: message.edited } : {}),
      ...(message.files.length ? { files: message.files.map((f) => this.fileObject(f)) } : {}),
      team: TEAM.id,
    };
  }

  #newTrigger(userId: string): string {
    const id = `${++this.#counter}.${crypto.randomBytes(6).toString("hex")}`;
    this.#triggers.set(id, { userId, issuedAt: Date.now(), used: false });
    return id;
  }

  #useTrigger(id: string): { userId: string } | { error: string } {
    const trigger = this.#triggers.get(id);
    if (!trigger) return { error: "invalid_trigger_id" };
    if (trigger.used) return { error: "exchanged_trigger_id" };
    if (Date.now() - trigger.issuedAt > this.#triggerLifetimeMs) return { error: "expired_trigger_id" };
    trigger.used = true;
    return { userId: trigger.userId };
  }

  #newResponseUrl(target: {
    kind: "command" | "message";
    channel: string;
    user: string;
    messageTs?: string;
  }): string {
    const id = crypto.randomBytes(8).toString("hex");
    this.#responseUrls.set(id, { ...target, uses: 0 });
    return `${this.baseUrl}/response/${id}`;
  }

  #newView(userId: string, source: Json, rootViewId: string | null, previousViewId: string | null): FakeView {
    const id = `V${crypto.randomBytes(5).toString("hex").toUpperCase()}`;
    const view: FakeView = {
      id,
      userId,
      type: source.type === "home" ? "home" : "modal",
      view: withBlockIds(source),
      hash: crypto.randomBytes(6).toString("hex"),
      rootViewId: rootViewId ?? id,
      previousViewId,
      state: { values: {} },
      errors: {},
      open: true,
    };
    this.#initialState(view);
    this.views.set(id, view);
    return view;
  }

  #openView(userId: string, source: Json, how: "open" | "push"): FakeView {
    const stack = how === "open" ? [] : (this.#modalStacks.get(userId) ?? []);
    if (how === "open") this.#closeStack(userId);
    const previous = stack.at(-1) ?? null;
    const root = stack[0] ?? null;
    const view = this.#newView(userId, source, root, previous);
    this.#modalStacks.set(userId, [...stack, view.id]);
    this.activity.push({ kind: "view", viewId: view.id, how });
    return view;
  }

  #replaceView(view: FakeView, source: Json): void {
    const before = view.state.values;
    view.view = withBlockIds(source);
    view.hash = crypto.randomBytes(6).toString("hex");
    view.errors = {};
    // Slack keeps what the person typed in inputs whose block_id and action_id survive.
    view.state = { values: {} };
    this.#initialState(view);
    for (const [blockId, actions] of Object.entries(before)) {
      const current = view.state.values[blockId];
      if (!current) continue;
      for (const [actionId, value] of Object.entries(actions)) {
        if (current[actionId] && !hasInitial(findInputElement(view, blockId, actionId)))
          current[actionId] = value;
      }
    }
  }

  #popView(userId: string): void {
    const stack = this.#modalStacks.get(userId) ?? [];
    const id = stack.pop();
    if (id) {
      const view = this.views.get(id);
      if (view) view.open = false;
    }
    this.#modalStacks.set(userId, stack);
  }

  #closeStack(userId: string): void {
    for (const id of this.#modalStacks.get(userId) ?? []) {
      const view = this.views.get(id);
      if (view) view.open = false;
    }
    this.#modalStacks.set(userId, []);
  }

  #viewJson(view: FakeView): Json {
    return {
      id: view.id,
      team_id: TEAM.id,
      app_id: APP_ID,
      app_installed_team_id: TEAM.id,
      bot_id: BOT.botId,
      type: view.type,
      blocks: view.view.blocks ?? [],
      private_metadata: view.view.private_metadata ?? "",
      callback_id: view.view.callback_id ?? "",
      external_id: view.view.external_id ?? "",
      title: view.view.title,
      submit: view.view.submit ?? null,
      close: view.view.close ?? null,
      clear_on_close: view.view.clear_on_close ?? false,
      notify_on_close: view.view.notify_on_close ?? false,
      state: view.state,
      hash: view.hash,
      root_view_id: view.rootViewId,
      previous_view_id: view.previousViewId,
    };
  }

  #initialState(view: FakeView): void {
    for (const block of asBlocks(view.view.blocks)) {
      const elements =
        block.type === "input"
          ? [block.element as Json]
          : block.type === "actions"
            ? (block.elements as Json[])
            : block.type === "section" && block.accessory
              ? [block.accessory as Json]
              : [];
      for (const element of elements) {
        if (!element || typeof element.action_id !== "string" || element.type === "button") continue;
        const blockId = String(block.block_id);
        view.state.values[blockId] = {
          ...view.state.values[blockId],
          [element.action_id]: stateOf(element, initialOf(element)),
        };
      }
    }
  }

  #setInput(view: FakeView, blockId: string, element: Json, value: InputValue): void {
    view.state.values[blockId] = {
      ...view.state.values[blockId],
      [String(element.action_id)]: stateOf(element, value),
    };
  }
}

// -------------------------------------------------------------------- helpers

function asBlocks(value: unknown): Json[] {
  return Array.isArray(value) ? (value as Json[]) : [];
}

/** Slack gives blocks without a block_id one of its own; so does the fake, deterministically. */
function withBlockIds(view: Json): Json {
  const blocks = asBlocks(view.blocks).map((block, i) =>
    block.block_id ? block : { ...block, block_id: `b${i}` },
  );
  return { ...view, blocks };
}

function elementsOf(block: Json): Json[] {
  if (block.type === "actions" || block.type === "context") return asBlocks(block.elements);
  if (block.type === "input" && block.element) return [block.element as Json];
  if (block.type === "section" && block.accessory) return [block.accessory as Json];
  return [];
}

/** The element a person clicks: by action_id, and by its value or the option they pick when several share the id. */
function findElement(
  blocks: Json[],
  actionId: string,
  value?: string,
  selected?: string,
): { block: Json; element: Json } {
  for (const block of blocks) {
    for (const element of elementsOf(block)) {
      if (element.action_id !== actionId) continue;
      if (value !== undefined && element.value !== value) continue;
      if (
        selected !== undefined &&
        optionsOf(element).length > 0 &&
        !optionsOf(element).some((o) => o.value === selected)
      ) {
        continue;
      }
      return { block, element };
    }
  }
  throw new Error(
    `no element with action_id ${actionId}${value ? ` and value ${value}` : ""}${selected ? ` offering ${selected}` : ""}`,
  );
}

function findInput(blocks: Json[], key: string): { block: Json; element: Json } {
  const [blockId, actionId] = key.includes("/") ? key.split("/") : [undefined, key];
  const matches = blocks.filter(
    (b) =>
      b.type === "input" &&
      (blockId === undefined || b.block_id === blockId) &&
      (b.element as Json | undefined)?.action_id === actionId,
  );
  const [block, ...others] = matches;
  if (!block) throw new Error(`no input with action_id ${key}`);
  if (others.length > 0)
    throw new Error(`several inputs have action_id ${key}: name it as block_id/action_id`);
  return { block, element: block.element as Json };
}

function findInputElement(view: FakeView, blockId: string, actionId: string): Json | undefined {
  const block = asBlocks(view.view.blocks).find((b) => b.block_id === blockId);
  return block ? elementsOf(block).find((e) => e.action_id === actionId) : undefined;
}

function hasInitial(element: Json | undefined): boolean {
  if (!element) return false;
  return Object.keys(element).some((key) => key.startsWith("initial_"));
}

function optionsOf(element: Json): Json[] {
  const direct = asBlocks(element.options);
  const grouped = asBlocks(element.option_groups).flatMap((group) => asBlocks(group.options));
  return [...direct, ...grouped];
}

function initialOf(element: Json): InputValue {
  const option = element.initial_option as Json | undefined;
  const options = element.initial_options as Json[] | undefined;
  if (option) return String(option.value);
  if (options) return options.map((o) => String(o.value));
  for (const key of [
    "initial_value",
    "initial_user",
    "initial_users",
    "initial_conversation",
    "initial_conversations",
    "initial_channel",
    "initial_channels",
    "initial_date",
    "initial_time",
    "initial_date_time",
  ]) {
    if (element[key] !== undefined) return element[key] as InputValue;
  }
  return null;
}

/** The state value Slack reports for an element holding `value`. */
function stateOf(element: Json, value: InputValue): Json {
  const type = String(element.type);
  const list = value === null ? [] : Array.isArray(value) ? value : [String(value)];
  const pick = (v: string) => {
    const option = optionsOf(element).find((o) => o.value === v);
    if (!option) throw new Error(`${String(element.action_id)} has no option ${v}`);
    return option;
  };
  switch (type) {
    case "static_select":
    case "radio_buttons":
    case "external_select":
      return { type, selected_option: value === null ? null : pick(String(value)) };
    case "multi_static_select":
    case "checkboxes":
    case "multi_external_select":
      return { type, selected_options: list.map(pick) };
    case "users_select":
      return { type, selected_user: value };
    case "multi_users_select":
      return { type, selected_users: list };
    case "conversations_select":
      return { type, selected_conversation: value };
    case "multi_conversations_select":
      return { type, selected_conversations: list };
    case "channels_select":
      return { type, selected_channel: value };
    case "multi_channels_select":
      return { type, selected_channels: list };
    case "datepicker":
      return { type, selected_date: value };
    case "timepicker":
      return { type, selected_time: value };
    case "datetimepicker":
      return { type, selected_date_time: value };
    default:
      return { type, value: value === null ? null : String(value) };
  }
}

function isEmptyValue(actions: Record<string, Json> | undefined): boolean {
  if (!actions) return true;
  return Object.values(actions).every((state) => {
    const { type: _type, ...rest } = state;
    return Object.values(rest).every((v) => v === null || v === "" || (Array.isArray(v) && v.length === 0));
  });
}

function actionPayload(block: Json, element: Json, selected: string | undefined, actionTs: string): Json {
  const base = {
    action_id: element.action_id,
    block_id: block.block_id,
    type: element.type,
    action_ts: actionTs,
  };
  if (element.type === "button") {
    return { ...base, text: element.text, ...(element.value !== undefined ? { value: element.value } : {}) };
  }
  if (element.type === "static_select" || element.type === "overflow") {
    const option = optionsOf(element).find((o) => o.value === selected);
    return { ...base, selected_option: option ?? null };
  }
  return base;
}

function bearer(header: string | undefined): string | undefined {
  return header?.startsWith("Bearer ") ? header.slice("Bearer ".length) : undefined;
}

function parseArgs(contentType: string, raw: Buffer): Json {
  const text = raw.toString("utf8");
  if (contentType.startsWith("application/json")) {
    return text ? (JSON.parse(text) as Json) : {};
  }
  const args: Json = {};
  for (const [key, value] of new URLSearchParams(text)) {
    args[key] = OBJECT_FIELDS.has(key) ? safeParse(value) : value;
  }
  return args;
}

function safeParse(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

async function readRequest(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "Content-Type": "application/json; charset=utf-8" });
  res.end(JSON.stringify(body));
}

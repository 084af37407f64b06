import crypto from "node:crypto";
import { asBlocks, findInputElement, hasInitial, initialOf, stateOf, withBlockIds } from "./helpers.js";
import { APP_ID, aFileObject, BOT, TEAM } from "./payloads.js";
import { manifestBotScopes } from "./scopes.js";
import {
  type Activity,
  type ApiCall,
  type FakeChannel,
  type FakeEphemeral,
  type FakeFile,
  type FakeMessage,
  type FakeSlackOptions,
  type FakeUser,
  type FakeView,
  type FileToShare,
  type InputValue,
  type Json,
  TRIGGER_LIFETIME_MS,
} from "./types.js";

/**
 * The workspace the fake Slack keeps: people, channels with their messages and threads, files,
 * modals and Home tabs, ephemeral messages, trigger_ids and response_urls, and every Web API
 * call made. Its Web API (web-api.ts), its transport (transport.ts) and the people who act in
 * it (fake-slack.ts) build on this.
 */
export abstract class SlackState {
  readonly botToken: string;
  readonly appToken: string;
  readonly users = new Map<string, FakeUser>();
  readonly channels = new Map<string, FakeChannel>();
  readonly views = new Map<string, FakeView>();
  readonly ephemerals: FakeEphemeral[] = [];
  readonly files = new Map<string, FakeFile>();
  readonly calls: ApiCall[] = [];
  readonly activity: Activity[] = [];

  protected triggers = new Map<string, { userId: string; issuedAt: number; used: boolean }>();
  protected responseUrls = new Map<
    string,
    {
      kind: "command" | "message";
      channel: string;
      user: string;
      messageTs?: string;
      uses: number;
      /** When the app first answered through it (Date.now()): the benchmark's answer time. */
      firstUsedAt?: number;
    }
  >();

  /** When the app first answered through a response_url it was given, or undefined. */
  responseUsedAt(responseUrl: string): number | undefined {
    return this.responseUrls.get(responseUrl.slice(responseUrl.lastIndexOf("/") + 1))?.firstUsedAt;
  }
  protected modalStacks = new Map<string, string[]>();
  /** The last view_submission payload of each view, for Slack's resends. */
  protected submissions = new Map<string, string>();
  protected homeViews = new Map<string, string>();
  protected counter = 0;
  protected lastTs = 0;
  protected readonly clockNow: () => number;
  protected readonly echoBotMessages: boolean;
  protected readonly triggerLifetimeMs: number;
  protected grantedScopes: Set<string>;
  /**
   * Slack refuses the bot token: every call with it answers this code (token_revoked when an
   * admin revoked it, invalid_auth, account_inactive, token_expired, not_authed), or null.
   */
  protected tokenRefusal: string | null = null;

  /** The bot token stops working (an admin revoked it, the app was uninstalled, it expired). */
  revokeToken(
    code:
      | "token_revoked"
      | "invalid_auth"
      | "account_inactive"
      | "token_expired"
      | "not_authed" = "token_revoked",
  ): void {
    this.tokenRefusal = code;
  }

  /**
   * Slack's side is away (an outage, or the network between): every Web API call is answered
   * 503, and events are not delivered — Slack gives up on them after its retries.
   */
  protected away = false;

  /** Slack goes away until `comeBack`. */
  goAway(): void {
    this.away = true;
  }

  comeBack(): void {
    this.away = false;
  }

  /** The token works again (reinstalled, the same token restored). */
  restoreToken(): void {
    this.tokenRefusal = null;
  }

  constructor(options: FakeSlackOptions = {}) {
    this.botToken = options.botToken ?? "xoxb-fake-bot-token";
    this.appToken = options.appToken ?? "xapp-fake-app-token";
    this.clockNow = options.now ?? Date.now;
    this.echoBotMessages = options.echoBotMessages ?? true;
    this.triggerLifetimeMs = options.triggerLifetimeMs ?? TRIGGER_LIFETIME_MS;
    this.grantedScopes = new Set(options.scopes ?? manifestBotScopes());
    this.users.set(BOT.userId, {
      id: BOT.userId,
      name: BOT.name,
      realName: "ducha",
      isBot: true,
      deleted: false,
    });
  }

  /** Where the fake Slack serves, for URLs it hands out. */
  abstract get baseUrl(): string;

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
    this.channelOf(channelId).members.add(BOT.userId);
  }

  removeBot(channelId: string): void {
    this.channelOf(channelId).members.delete(BOT.userId);
  }

  archive(channelId: string): void {
    this.channelOf(channelId).archived = true;
  }

  /** The bot scopes granted now. */
  get scopes(): string[] {
    return [...this.grantedScopes].sort();
  }

  /** The app reinstalled with other scopes (the token stays the same, as Slack keeps it). */
  grantScopes(scopes: readonly string[]): void {
    this.grantedScopes = new Set(scopes);
  }

  // ---------------------------------------------------------------- reading the workspace

  /** Top-level messages of a channel, oldest first. */
  messages(channelId: string): FakeMessage[] {
    return this.channelOf(channelId).messages.filter((m) => !m.threadTs || m.threadTs === m.ts);
  }

  /** A thread's replies (without the parent), oldest first. */
  replies(channelId: string, threadTs: string): FakeMessage[] {
    return this.channelOf(channelId).messages.filter((m) => m.threadTs === threadTs && m.ts !== threadTs);
  }

  message(channelId: string, ts: string): FakeMessage | undefined {
    return this.channelOf(channelId).messages.find((m) => m.ts === ts);
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
    const stack = this.modalStacks.get(userId) ?? [];
    const id = stack.at(-1);
    return id ? this.views.get(id) : undefined;
  }

  modalStack(userId: string): FakeView[] {
    return (this.modalStacks.get(userId) ?? []).flatMap((id) => this.views.get(id) ?? []);
  }

  homeView(userId: string): FakeView | undefined {
    const id = this.homeViews.get(userId);
    return id ? this.views.get(id) : undefined;
  }

  callsTo(method: string): ApiCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Every download of a `url_private`, and whether the file was served. */
  readonly downloads: { fileId: string; served: boolean }[] = [];
  /** The next this many downloads fail as Slack's file servers sometimes do (a 503). */
  failNextDownloads = 0;
  /**
   * Where url_private redirects a download the bot may have (Enterprise Grid serves files from
   * its own hosts): to another of Slack's file paths, to a host that is not Slack's, or nowhere.
   */
  redirectDownloads: "slack" | "foreign" | null = null;
  /** Requests that reached the host that is not Slack's, with the Authorization they carried. */
  readonly foreignDownloads: { authorization: string | null }[] = [];

  /** A file the bot may see: its own, or one shared in a conversation it is a member of. */
  botSees(file: FakeFile): boolean {
    return (
      (file.user ?? BOT.userId) === BOT.userId ||
      file.channels.some((id) => this.channels.get(id)?.members.has(BOT.userId) ?? false)
    );
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
      created: Math.floor(this.clockNow() / 1000),
    };
    this.files.set(id, file);
    return file;
  }

  /** A file as Slack describes it to apps. */
  /**
   * A file as a message event carries it: whole, or in a Slack Connect channel or a DM (where
   * `fileStubsInDms`) a stub with only its id, to be looked up with files.info.
   */
  eventFileObject(file: FakeFile, channel: FakeChannel) {
    if (channel.isExtShared || (channel.isIm && this.fileStubsInDms))
      return { id: file.id, file_access: "check_file_info", created: file.created ?? 0, user: file.user };
    return this.fileObject(file);
  }

  /** Whether files in DMs' events arrive as stubs (as Slack does for some DMs). */
  fileStubsInDms = false;

  /** The channel is shared with another organisation (Slack Connect). */
  shareExternally(channelId: string): void {
    const channel = this.channels.get(channelId);
    if (!channel) throw new Error(`no channel ${channelId}`);
    channel.isExtShared = true;
  }

  fileObject(file: FakeFile) {
    return aFileObject({
      id: file.id,
      name: file.name,
      title: file.title,
      mimetype: file.mimetype ?? "application/octet-stream",
      size: file.bytes.length,
      user: file.user ?? BOT.userId,
      created: file.created ?? Math.floor(this.clockNow() / 1000),
      urlPrivate: `${this.baseUrl}/files-pri/${TEAM.id}-${file.id}/${encodeURIComponent(file.name)}`,
      permalink: `https://${TEAM.domain}.slack.com/files/${file.user ?? BOT.userId}/${file.id}/${encodeURIComponent(file.name)}`,
    });
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

  protected addEphemeral(entry: FakeEphemeral): void {
    entry.ts ??= this.nextTs();
    this.ephemerals.push(entry);
    this.activity.push({ kind: "ephemeral", index: this.ephemerals.length - 1 });
  }

  protected channelOf(id: string): FakeChannel {
    const channel = this.channels.get(id);
    if (!channel) throw new Error(`the fake Slack has no channel ${id}`);
    return channel;
  }

  protected userOf(id: string): FakeUser {
    const user = this.users.get(id);
    if (!user) throw new Error(`the fake Slack has no user ${id}`);
    return user;
  }

  protected viewOf(id: string): FakeView {
    const view = this.views.get(id);
    if (!view) throw new Error(`the fake Slack has no view ${id}`);
    return view;
  }

  protected channelType(channel: FakeChannel): "channel" | "group" | "im" {
    return channel.isIm ? "im" : channel.isPrivate ? "group" : "channel";
  }

  protected imWith(userId: string): FakeChannel {
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

  protected resolvePostTarget(id: string): FakeChannel | { error: string } {
    if (/^[UW]/.test(id)) {
      if (!this.users.has(id)) return { error: "channel_not_found" };
      return this.imWith(id);
    }
    const channel = this.channels.get(id);
    if (!channel || (channel.isPrivate && !channel.members.has(BOT.userId)))
      return { error: "channel_not_found" };
    if (channel.archived) return { error: "is_archived" };
    if (!channel.members.has(BOT.userId)) return { error: "not_in_channel" };
    return channel;
  }

  protected nextTs(): string {
    const micros = Math.max(this.clockNow() * 1000, this.lastTs + 1);
    this.lastTs = micros;
    const seconds = Math.floor(micros / 1_000_000);
    return `${seconds}.${String(micros % 1_000_000).padStart(6, "0")}`;
  }

  protected storeMessage(
    channel: FakeChannel,
    fields: { user: string; botId?: string; text: string; blocks?: Json[]; threadTs?: string },
  ): FakeMessage {
    const message: FakeMessage = {
      channel: channel.id,
      ts: this.nextTs(),
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
    this.recountReplies(channel, fields.threadTs);
    this.activity.push({ kind: "message", channel: channel.id, ts: message.ts });
    return message;
  }

  protected recountReplies(channel: FakeChannel, threadTs: string | undefined): void {
    if (!threadTs) return;
    const parent = channel.messages.find((m) => m.ts === threadTs);
    if (!parent) return;
    if (!parent.threadTs) parent.threadTs = parent.ts;
    parent.replyCount = channel.messages.filter((m) => m.threadTs === threadTs && m.ts !== threadTs).length;
  }

  protected messageJson(message: FakeMessage, withMetadata = false): Json {
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

  protected newTrigger(userId: string): string {
    const id = `${++this.counter}.${crypto.randomBytes(6).toString("hex")}`;
    this.triggers.set(id, { userId, issuedAt: Date.now(), used: false });
    return id;
  }

  protected useTrigger(id: string): { userId: string } | { error: string } {
    const trigger = this.triggers.get(id);
    if (!trigger) return { error: "invalid_trigger_id" };
    if (trigger.used) return { error: "exchanged_trigger_id" };
    if (Date.now() - trigger.issuedAt > this.triggerLifetimeMs) return { error: "expired_trigger_id" };
    trigger.used = true;
    return { userId: trigger.userId };
  }

  protected newResponseUrl(target: {
    kind: "command" | "message";
    channel: string;
    user: string;
    messageTs?: string;
  }): string {
    const id = crypto.randomBytes(8).toString("hex");
    this.responseUrls.set(id, { ...target, uses: 0 });
    return `${this.baseUrl}/response/${id}`;
  }

  protected newView(
    userId: string,
    source: Json,
    rootViewId: string | null,
    previousViewId: string | null,
  ): FakeView {
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
    this.initialState(view);
    this.views.set(id, view);
    return view;
  }

  protected openView(userId: string, source: Json, how: "open" | "push"): FakeView {
    const stack = how === "open" ? [] : (this.modalStacks.get(userId) ?? []);
    if (how === "open") this.closeStack(userId);
    const previous = stack.at(-1) ?? null;
    const root = stack[0] ?? null;
    const view = this.newView(userId, source, root, previous);
    this.modalStacks.set(userId, [...stack, view.id]);
    this.activity.push({ kind: "view", viewId: view.id, how });
    return view;
  }

  protected replaceView(view: FakeView, source: Json): void {
    const before = view.state.values;
    view.view = withBlockIds(source);
    view.hash = crypto.randomBytes(6).toString("hex");
    view.errors = {};
    // Slack keeps what the person typed in inputs whose block_id and action_id survive.
    view.state = { values: {} };
    this.initialState(view);
    for (const [blockId, actions] of Object.entries(before)) {
      const current = view.state.values[blockId];
      if (!current) continue;
      for (const [actionId, value] of Object.entries(actions)) {
        if (current[actionId] && !hasInitial(findInputElement(view, blockId, actionId)))
          current[actionId] = value;
      }
    }
  }

  protected popView(userId: string): void {
    const stack = this.modalStacks.get(userId) ?? [];
    const id = stack.pop();
    if (id) {
      const view = this.views.get(id);
      if (view) view.open = false;
    }
    this.modalStacks.set(userId, stack);
  }

  protected closeStack(userId: string): void {
    for (const id of this.modalStacks.get(userId) ?? []) {
      const view = this.views.get(id);
      if (view) view.open = false;
    }
    this.modalStacks.set(userId, []);
  }

  protected viewJson(view: FakeView): Json {
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

  protected initialState(view: FakeView): void {
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

  protected setInput(view: FakeView, blockId: string, element: Json, value: InputValue): void {
    view.state.values[blockId] = {
      ...view.state.values[blockId],
      [String(element.action_id)]: stateOf(element, value),
    };
  }
}

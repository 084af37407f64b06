import crypto from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { blockProblems, blocksTextLength, MESSAGE_BLOCKS_TEXT_MAX, viewProblems } from "./block-kit.js";
import { bearer, json, parseArgs } from "./helpers.js";
import { aBotMessageEvent, BOT, TEAM } from "./payloads.js";
import { type ConversationType, scopeNeeded } from "./scopes.js";
import { SlackState } from "./state.js";
import { type Delivery, type FailureRule, type FakeFile, type Json, RESPONSE_URL_USES } from "./types.js";

/**
 * The fake Slack's Web API: each method Slack documents that the bot calls, answering as Slack
 * does (its error codes, Block Kit limits, scopes, tokens), failures on demand, response_urls
 * and file uploads.
 */
export abstract class SlackWebApi extends SlackState {
  protected failures: (FailureRule & { times: number })[] = [];

  /** Delivers an event to the app (the transport's). */
  protected abstract deliverEvent(event: Json, deliveries: number): Promise<Delivery[]>;

  /** The next `times` calls (to `method`, or any) fail as described. */
  failNext(rule: FailureRule): void {
    this.failures.push({ ...rule, times: rule.times ?? 1 });
  }

  clearFailures(): void {
    this.failures.length = 0;
  }

  protected async answerApi(
    method: string,
    req: IncomingMessage,
    raw: Buffer,
    res: ServerResponse,
  ): Promise<void> {
    const args = parseArgs(req.headers["content-type"] ?? "", raw);
    const token =
      bearer(req.headers.authorization) ?? (typeof args.token === "string" ? args.token : undefined);
    // A slow network or proxy: every call reaches Slack this much later (a trigger_id ages meanwhile).
    if (this.callLatencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.callLatencyMs));
    const at = this.clockNow();
    if (this.away) {
      this.calls.push({ method, args, ok: false, error: "http_503", status: 503, at });
      res.writeHead(503, { "Content-Type": "text/html" });
      res.end("<html><body>Service Unavailable</body></html>");
      return;
    }
    const rule = this.takeFailure(method, args);
    if (rule?.afterProcessing) {
      // Slack did the work, but the answer is lost on the way back (a timeout, a proxy's 502).
      const handler = this.methods[method];
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
      result = token === this.appToken ? this.appsConnectionsOpen() : { ok: false, error: "invalid_auth" };
    } else if (!token) {
      result = { ok: false, error: "not_authed" };
    } else if (token !== this.botToken) {
      result = { ok: false, error: "invalid_auth" };
    } else if (this.tokenRefusal) {
      result = { ok: false, error: this.tokenRefusal };
    } else {
      const handler = this.methods[method];
      const needed = scopeNeeded(method, this.conversationType(args));
      if (!handler || needed === undefined) {
        result = { ok: false, error: "unknown_method" };
      } else if (needed !== null && !this.grantedScopes.has(needed)) {
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
    // Slack has done the work; its answer takes a while on the way back (a slow network).
    const latency = this.answerLatencyMs[method];
    if (latency) await new Promise((resolve) => setTimeout(resolve, latency));
    await this.heldAnswers[method];
    json(res, 200, result);
  }

  /** How long answers to a method take to come back, after the work is done. */
  readonly answerLatencyMs: Record<string, number> = {};

  /** Answers to a method held back, after the work is done, until the promise settles. */
  readonly heldAnswers: Record<string, Promise<void>> = {};

  /** How long after files.completeUploadExternal the file appears in its conversation. */
  shareDelayMs = 0;

  /** How long every Web API call takes to reach Slack (a slow proxy), before the work is done. */
  callLatencyMs = 0;

  /** The type of the conversation a call is about, for the scopes that depend on it. */
  protected conversationType(args: Json): ConversationType {
    const id = typeof args.channel === "string" ? args.channel : "";
    const channel = this.channels.get(id);
    if (channel?.isIm || id.startsWith("D")) return "im";
    if (channel?.isPrivate || id.startsWith("G")) return "private";
    return "public";
  }

  protected takeFailure(method: string, args: Json): FailureRule | undefined {
    const index = this.failures.findIndex(
      (rule) => (rule.method === undefined || rule.method === method) && (rule.when?.(args) ?? true),
    );
    const rule = this.failures[index];
    if (!rule) return undefined;
    rule.times -= 1;
    if (rule.times <= 0) this.failures.splice(index, 1);
    return rule;
  }

  protected readonly methods: Record<string, (args: Json) => Json> = {
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
      const channel = this.resolvePostTarget(String(args.channel ?? ""));
      if ("error" in channel) return { ok: false, error: channel.error };
      const invalid = this.checkMessage(args);
      if (invalid) return invalid;
      const threadTs = typeof args.thread_ts === "string" && args.thread_ts ? args.thread_ts : undefined;
      if (threadTs && !this.message(channel.id, threadTs)) return { ok: false, error: "thread_not_found" };
      const message = this.storeMessage(channel, {
        user: BOT.userId,
        botId: BOT.botId,
        text: String(args.text ?? ""),
        blocks: args.blocks as Json[] | undefined,
        threadTs,
      });
      if (args.metadata && typeof args.metadata === "object") message.metadata = args.metadata as Json;
      if (this.echoBotMessages && !channel.isIm) {
        void this.deliverEvent(
          aBotMessageEvent({
            channel: channel.id,
            channelType: this.channelType(channel),
            text: message.text,
            ts: message.ts,
            threadTs,
          }),
          1,
        ).catch(() => undefined);
      }
      return { ok: true, channel: channel.id, ts: message.ts, message: this.messageJson(message) };
    },

    "chat.update": (args) => {
      const channel = this.channels.get(String(args.channel ?? ""));
      if (!channel || (channel.isPrivate && !channel.members.has(BOT.userId))) {
        return { ok: false, error: "channel_not_found" };
      }
      const message = channel.messages.find((m) => m.ts === args.ts);
      if (!message) return { ok: false, error: "message_not_found" };
      if (message.botId !== BOT.botId) return { ok: false, error: "cant_update_message" };
      const invalid = this.checkMessage(args);
      if (invalid) return invalid;
      message.text = String(args.text ?? message.text);
      if (args.blocks !== undefined) message.blocks = args.blocks as Json[];
      message.edited = { user: BOT.userId, ts: this.nextTs() };
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
      const invalid = this.checkMessage(args);
      if (invalid) return invalid;
      this.addEphemeral({
        channel: channel.id,
        user: userId,
        text: String(args.text ?? ""),
        blocks: args.blocks as Json[] | undefined,
        via: "chat.postEphemeral",
        at: this.clockNow(),
      });
      return { ok: true, message_ts: this.nextTs() };
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
      const im = this.imWith(userId);
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
      // As Slack: the parent first, then the replies after `oldest` (inclusive only when asked),
      // at most `limit` a page, with a cursor to the next.
      const oldest = Number(args.oldest ?? 0);
      const inclusive = args.inclusive === true || args.inclusive === "true";
      const after = (ts: string) => (inclusive ? Number(ts) >= oldest : Number(ts) > oldest);
      const all = channel.messages.filter(
        (m) => m.ts === threadTs || (m.threadTs === threadTs && (!args.oldest || after(m.ts))),
      );
      const start = Number(args.cursor ?? 0) || 0;
      const limit = Math.min(Number(args.limit ?? 1000) || 1000, 1000);
      const page = all.slice(start, start + limit);
      const more = start + limit < all.length;
      const messages = page.map((m) =>
        this.messageJson(m, args.include_all_metadata === "true" || args.include_all_metadata === true),
      );
      return {
        ok: true,
        messages,
        has_more: more,
        ...(more ? { response_metadata: { next_cursor: String(start + limit) } } : {}),
      };
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
          this.messageJson(m, args.include_all_metadata === "true" || args.include_all_metadata === true),
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
          // As Slack: the person's language only when asked for (include_locale).
          ...(args.include_locale === true || args.include_locale === "true"
            ? { locale: user.locale ?? "zh-CN" }
            : {}),
          profile: { real_name: user.realName, display_name: user.name },
        },
      };
    },

    "views.open": (args) => {
      const trigger = this.useTrigger(String(args.trigger_id ?? ""));
      if ("error" in trigger) return { ok: false, error: trigger.error };
      const invalid = this.checkView(args.view);
      if (invalid) return invalid;
      const view = this.openView(trigger.userId, args.view as Json, "open");
      return { ok: true, view: this.viewJson(view) };
    },

    "views.push": (args) => {
      const trigger = this.useTrigger(String(args.trigger_id ?? ""));
      if ("error" in trigger) return { ok: false, error: trigger.error };
      const stack = this.modalStacks.get(trigger.userId) ?? [];
      if (stack.length === 0) return { ok: false, error: "not_found" };
      if (stack.length >= 3) return { ok: false, error: "push_limit_reached" };
      const invalid = this.checkView(args.view);
      if (invalid) return invalid;
      const view = this.openView(trigger.userId, args.view as Json, "push");
      return { ok: true, view: this.viewJson(view) };
    },

    "views.update": (args) => {
      const view =
        typeof args.view_id === "string"
          ? this.views.get(args.view_id)
          : [...this.views.values()].find((v) => v.view.external_id === args.external_id);
      if (!view?.open) return { ok: false, error: "not_found" };
      if (typeof args.hash === "string" && args.hash !== view.hash)
        return { ok: false, error: "hash_conflict" };
      const invalid = this.checkView(args.view);
      if (invalid) return invalid;
      this.replaceView(view, args.view as Json);
      this.activity.push({ kind: "view", viewId: view.id, how: "update" });
      return { ok: true, view: this.viewJson(view) };
    },

    "views.publish": (args) => {
      const userId = String(args.user_id ?? "");
      if (!this.users.has(userId)) return { ok: false, error: "user_not_found" };
      const next = args.view as Json | undefined;
      if (next?.type !== "home") return { ok: false, error: "invalid_arguments" };
      const invalid = this.checkView(next);
      if (invalid) return invalid;
      const existing = this.homeView(userId);
      if (existing && typeof args.hash === "string" && args.hash !== existing.hash) {
        return { ok: false, error: "hash_conflict" };
      }
      if (existing) {
        this.replaceView(existing, next);
        this.activity.push({ kind: "home", userId });
        return { ok: true, view: this.viewJson(existing) };
      }
      const view = this.newView(userId, next, null, null);
      this.homeViews.set(userId, view.id);
      this.activity.push({ kind: "home", userId });
      return { ok: true, view: this.viewJson(view) };
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

    // Slack answers file_not_found for a file the bot cannot see (in no conversation it is in).
    "files.info": (args) => {
      const file = this.files.get(String(args.file ?? ""));
      if (!file || !this.botSees(file)) return { ok: false, error: "file_not_found" };
      return { ok: true, file: this.fileObject(file), comments: [], response_metadata: { next_cursor: "" } };
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
        const channel = this.resolvePostTarget(channelId);
        if ("error" in channel) return { ok: false, error: channel.error };
        const threadTs = typeof args.thread_ts === "string" ? args.thread_ts : undefined;
        const share = () => {
          const message = this.storeMessage(channel, {
            user: BOT.userId,
            botId: BOT.botId,
            text: String(args.initial_comment ?? ""),
            threadTs,
          });
          message.files.push(...files);
          for (const file of files) file.channels.push(channel.id);
        };
        // Slack completes the upload at once and shares the file in the conversation a moment later.
        if (this.shareDelayMs > 0) setTimeout(share, this.shareDelayMs);
        else share();
      }
      return { ok: true, files: files.map((f) => ({ id: f.id, title: f.title, name: f.name })) };
    },
  };

  protected appsConnectionsOpen(): Json {
    return {
      ok: true,
      url: `${this.baseUrl.replace("http:", "ws:")}/socket-mode?ticket=${crypto.randomUUID()}`,
    };
  }

  protected responseUrl(id: string, raw: Buffer, res: ServerResponse): void {
    const target = this.responseUrls.get(id);
    if (!target || target.uses >= RESPONSE_URL_USES) {
      res.writeHead(404).end("expired_url");
      return;
    }
    target.uses += 1;
    target.firstUsedAt ??= Date.now();
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
    if (body.blocks !== undefined && blocksTextLength(body.blocks) > MESSAGE_BLOCKS_TEXT_MAX) {
      res.writeHead(400).end("msg_blocks_too_long");
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
      this.storeMessage(channel, {
        user: BOT.userId,
        botId: BOT.botId,
        text: String(body.text ?? ""),
        blocks: body.blocks as Json[] | undefined,
      });
    } else {
      this.addEphemeral({
        channel: target.channel,
        user: target.user,
        text: String(body.text ?? ""),
        blocks: body.blocks as Json[] | undefined,
        via: "response_url",
        at: this.clockNow(),
      });
    }
    res.writeHead(200).end("ok");
  }

  /**
   * `url_private`: the file's bytes for a request carrying the bot token (with files:read) of
   * a bot that can see the file; anything else gets what Slack gives a browser without a
   * session, a redirect to the sign-in page.
   */
  protected privateFile(
    path: string,
    req: IncomingMessage,
    res: ServerResponse,
    options: { redirected?: boolean } = {},
  ): void {
    const id = path.split("/")[0]?.replace(`${TEAM.id}-`, "") ?? "";
    const file = this.files.get(id);
    const token = (req.headers.authorization ?? "").replace(/^Bearer\s+/i, "");
    if (this.failNextDownloads > 0) {
      this.failNextDownloads--;
      this.downloads.push({ fileId: id, served: false });
      res
        .writeHead(503, { "Content-Type": "text/html" })
        .end("<html><body>Service Unavailable</body></html>");
      return;
    }
    const allowed =
      file !== undefined &&
      token === this.botToken &&
      this.grantedScopes.has("files:read") &&
      this.botSees(file);
    if (allowed && this.redirectDownloads && !options.redirected) {
      const base = new URL(this.baseUrl);
      const to =
        this.redirectDownloads === "slack"
          ? `${this.baseUrl}/files-edge/${path}`
          : `http://localhost:${base.port}/files-foreign/${path}`;
      res
        .writeHead(302, { Location: to, "Content-Type": "text/html" })
        .end("<html><body>Found</body></html>");
      return;
    }
    this.downloads.push({ fileId: id, served: allowed });
    if (!allowed || !file) {
      res
        .writeHead(302, {
          Location: `https://${TEAM.domain}.slack.com/?redir=%2Ffiles-pri%2F${path}`,
          "Content-Type": "text/html",
        })
        .end("<html><body>Sign in to Slack</body></html>");
      return;
    }
    res
      .writeHead(200, {
        "Content-Type": file.mimetype ?? "application/octet-stream",
        "Content-Length": String(file.bytes.length),
      })
      .end(file.bytes);
  }

  protected async upload(id: string, req: IncomingMessage, raw: Buffer, res: ServerResponse): Promise<void> {
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

  protected checkMessage(args: Json): Json | undefined {
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
      if (blocksTextLength(args.blocks) > MESSAGE_BLOCKS_TEXT_MAX)
        return { ok: false, error: "msg_blocks_too_long" };
    }
    return undefined;
  }

  protected checkView(view: unknown): Json | undefined {
    const problems = viewProblems(view);
    if (problems.length === 0) return undefined;
    return { ok: false, error: "invalid_arguments", response_metadata: { messages: problems } };
  }
}

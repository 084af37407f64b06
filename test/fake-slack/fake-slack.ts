import { actionPayload, asBlocks, findElement, findInput, isEmptyValue } from "./helpers.js";
import {
  aMessageBlockAction,
  aMessageChangedEvent,
  aMessageDeletedEvent,
  aMessageEvent,
  aMessageShortcut,
  anAppHomeOpenedEvent,
  anEphemeralBlockAction,
  aSlashCommand,
  aViewBlockAction,
  aViewClosed,
  aViewSubmission,
  BOT,
} from "./payloads.js";
import { SlackTransport } from "./transport.js";
import type {
  Delivery,
  FakeEphemeral,
  FakeMessage,
  FileToShare,
  InputValue,
  Json,
  SubmitResult,
} from "./types.js";

export type * from "./types.js";

/**
 * A fake Slack for tests and the demo, in four parts: the workspace it keeps (state.ts), its
 * Web API (web-api.ts), its transport (transport.ts), and here the people who act in it: they
 * type commands, post and edit messages (with files, in threads), click buttons, fill in and
 * submit modals, open the Home tab — each sent to the app as Slack sends it.
 */
export class FakeSlack extends SlackTransport {
  // ---------------------------------------------------------------- acting as people

  /** A person types `/ducha …` (or another command) in a channel. */
  async command(userId: string, channelId: string, text: string, command = "/ducha"): Promise<Delivery> {
    const user = this.userOf(userId);
    const channel = this.channelOf(channelId);
    const responseUrl = this.newResponseUrl({ kind: "command", channel: channelId, user: userId });
    const fields = aSlashCommand({
      user: { id: user.id, name: user.name },
      channel: { id: channel.id, name: channel.name },
      text,
      command,
      responseUrl,
      triggerId: this.newTrigger(userId),
    });
    this.activity.push({ kind: "command", user: userId, channel: channelId, text });
    const delivery = await this.deliverToApp("slash_commands", fields);
    this.applyImmediateCommandResponse(delivery, channelId, userId);
    return { ...delivery, responseUrl };
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
    const channel = this.channelOf(channelId);
    if (!channel.members.has(userId)) channel.members.add(userId);
    const message = this.storeMessage(channel, { user: userId, text, threadTs: options.threadTs });
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
        channelType: this.channelType(channel),
        text,
        ts: message.ts,
        threadTs: options.threadTs,
        parentUserId: parent?.user,
        ...(message.files.length
          ? { files: message.files.map((f) => this.eventFileObject(f, channel)) }
          : {}),
        ...(options.broadcast && parent ? { broadcast: { root: this.messageJson(parent) } } : {}),
      });
      await this.deliverEvent(event, options.deliveries ?? 1);
    }
    return message;
  }

  /** A person writes to the bot in their DM with it (files attached make it a `file_share`). */
  async dm(
    userId: string,
    text: string,
    options: { deliveries?: number; files?: FileToShare[] } = {},
  ): Promise<FakeMessage> {
    return this.say(userId, this.imWith(userId).id, text, options);
  }

  /** A person edits their message. */
  async edit(userId: string, channelId: string, ts: string, text: string): Promise<void> {
    const channel = this.channelOf(channelId);
    const message = this.message(channelId, ts);
    if (!message || message.user !== userId) throw new Error(`no message ${ts} by ${userId} in ${channelId}`);
    const previous = { user: message.user, text: message.text, ts: message.ts, threadTs: message.threadTs };
    message.text = text;
    message.edited = { user: userId, ts: this.nextTs() };
    this.activity.push({ kind: "update", channel: channelId, ts });
    if (channel.members.has(BOT.userId)) {
      await this.deliverEvent(
        aMessageChangedEvent({
          channel: channelId,
          channelType: this.channelType(channel),
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
    const channel = this.channelOf(channelId);
    const index = channel.messages.findIndex((m) => m.ts === ts && m.user === userId);
    const message = channel.messages[index];
    if (!message) throw new Error(`no message ${ts} by ${userId} in ${channelId}`);
    channel.messages.splice(index, 1);
    this.recountReplies(channel, message.threadTs);
    this.activity.push({ kind: "delete", channel: channelId, ts, text: message.text });
    if (channel.members.has(BOT.userId)) {
      await this.deliverEvent(
        aMessageDeletedEvent({
          channel: channelId,
          channelType: this.channelType(channel),
          eventTs: this.nextTs(),
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
    const user = this.userOf(userId);
    const channel = this.channelOf(channelId);
    const message = this.message(channelId, ts);
    if (!message) throw new Error(`no message ${ts} in ${channelId}`);
    // A client still showing an older version of the message sends its (stale) buttons.
    const blocks = options.staleBlocks ?? message.blocks ?? [];
    const { block, element } = findElement(blocks, actionId, options.value, options.selected);
    const payload = aMessageBlockAction({
      user: { id: user.id, name: user.name },
      channel: { id: channel.id, name: channel.name },
      message: { ...this.messageJson(message), blocks },
      action: actionPayload(block, element, options.selected, this.nextTs()),
      triggerId: this.newTrigger(userId),
      responseUrl: this.newResponseUrl({ kind: "message", channel: channelId, user: userId, messageTs: ts }),
    });
    const delivery = await this.deliverToApp("interactive", { payload: JSON.stringify(payload) });
    return { ...delivery, responseUrl: payload.response_url };
  }

  /** A person clicks a button in a message only they see (a command's reply). */
  async clickInEphemeral(userId: string, ephemeral: FakeEphemeral, actionId: string): Promise<Delivery> {
    const user = this.userOf(userId);
    if (ephemeral.user !== userId)
      throw new Error("only the person an ephemeral message is for can click it");
    const channel = this.channels.get(ephemeral.channel);
    const { block, element } = findElement(ephemeral.blocks ?? [], actionId);
    const payload = anEphemeralBlockAction({
      user: { id: user.id, name: user.name },
      channel: { id: ephemeral.channel, name: channel?.name ?? "directmessage" },
      messageTs: ephemeral.ts ?? this.nextTs(),
      action: actionPayload(block, element, undefined, this.nextTs()),
      triggerId: this.newTrigger(userId),
      responseUrl: this.newResponseUrl({ kind: "command", channel: ephemeral.channel, user: userId }),
    });
    return this.deliverToApp("interactive", { payload: JSON.stringify(payload) });
  }

  /** A person clicks a button (or changes a menu) in a modal or on the Home tab. */
  async clickInView(
    userId: string,
    viewId: string,
    actionId: string,
    options: { value?: string; selected?: InputValue } = {},
  ): Promise<Delivery> {
    const user = this.userOf(userId);
    const view = this.viewOf(viewId);
    const { block, element } = findElement(
      asBlocks(view.view.blocks),
      actionId,
      options.value,
      typeof options.selected === "string" ? options.selected : undefined,
    );
    if (block.type === "input" && options.selected !== undefined) {
      this.setInput(view, String(block.block_id), element, options.selected);
    }
    const payload = aViewBlockAction({
      user: { id: user.id, name: user.name },
      view: this.viewJson(view),
      action: actionPayload(
        block,
        element,
        typeof options.selected === "string" ? options.selected : undefined,
        this.nextTs(),
      ),
      triggerId: this.newTrigger(userId),
    });
    return this.deliverToApp("interactive", { payload: JSON.stringify(payload) });
  }

  /** A person types into a modal's inputs (by action_id) without submitting: nothing is sent to the app. */
  type(userId: string, viewId: string, inputs: Record<string, InputValue>): void {
    const view = this.viewOf(viewId);
    if (view.userId !== userId) throw new Error(`view ${viewId} is not ${userId}'s`);
    const blocks = asBlocks(view.view.blocks);
    for (const [key, value] of Object.entries(inputs)) {
      const { block, element } = findInput(blocks, key);
      this.setInput(view, String(block.block_id), element, value);
    }
  }

  /** A person types into a modal's inputs (by action_id) and presses submit. */
  async submit(
    userId: string,
    viewId: string,
    inputs: Record<string, InputValue> = {},
  ): Promise<SubmitResult> {
    const user = this.userOf(userId);
    const view = this.viewOf(viewId);
    if (!view.open) throw new Error(`view ${viewId} is not open`);
    const blocks = asBlocks(view.view.blocks);
    for (const [key, value] of Object.entries(inputs)) {
      const { block, element } = findInput(blocks, key);
      this.setInput(view, String(block.block_id), element, value);
    }
    const missing = blocks
      .filter((b) => b.type === "input" && b.optional !== true)
      .filter((b) => isEmptyValue(view.state.values[String(b.block_id)]))
      .map((b) => String(b.block_id));
    if (missing.length > 0) return { outcome: "blocked", errors: {}, missing };
    const payload = JSON.stringify(
      aViewSubmission({
        user: { id: user.id, name: user.name },
        view: this.viewJson(view),
        triggerId: this.newTrigger(userId),
      }),
    );
    this.submissions.set(viewId, payload);
    const delivery = await this.deliverToApp("interactive", { payload });
    if (delivery.status !== 200) return { outcome: "failed", errors: {}, missing: [], delivery };
    const response = (delivery.body ?? {}) as Json;
    const action = response.response_action;
    view.errors = {};
    if (action === "errors") {
      view.errors = (response.errors ?? {}) as Record<string, string>;
      return { outcome: "errors", errors: view.errors, missing: [], delivery };
    }
    if (action === "update") {
      this.replaceView(view, response.view as Json);
      return { outcome: "updated", errors: {}, missing: [], delivery };
    }
    if (action === "push") {
      this.openView(userId, response.view as Json, "push");
      return { outcome: "pushed", errors: {}, missing: [], delivery };
    }
    if (action === "clear") {
      this.closeStack(userId);
      return { outcome: "cleared", errors: {}, missing: [], delivery };
    }
    this.popView(userId);
    return { outcome: "closed", errors: {}, missing: [], delivery };
  }

  /**
   * Slack sends a view_submission again (it thought the first went unanswered) or a person
   * double-clicks: the same payload once more, whatever became of the view meanwhile.
   */
  async resubmit(userId: string, viewId: string): Promise<Delivery> {
    const user = this.userOf(userId);
    const view = this.viewOf(viewId);
    const payload =
      this.submissions.get(viewId) ??
      JSON.stringify(
        aViewSubmission({
          user: { id: user.id, name: user.name },
          view: this.viewJson(view),
          triggerId: this.newTrigger(userId),
        }),
      );
    return this.deliverToApp("interactive", { payload });
  }

  /** A person closes a modal with its close button. */
  async closeModal(userId: string, viewId: string): Promise<void> {
    const view = this.viewOf(viewId);
    this.popView(userId);
    if (view.view.notify_on_close === true) {
      const user = this.userOf(userId);
      const payload = aViewClosed({ user: { id: user.id, name: user.name }, view: this.viewJson(view) });
      await this.deliverToApp("interactive", { payload: JSON.stringify(payload) });
    }
  }

  /** A person picks a message shortcut from a message's menu. */
  async messageShortcut(
    userId: string,
    channelId: string,
    ts: string,
    callbackId: string,
  ): Promise<Delivery> {
    const user = this.userOf(userId);
    const channel = this.channelOf(channelId);
    const message = this.message(channelId, ts);
    if (!message) throw new Error(`no message ${ts} in ${channelId}`);
    const payload = aMessageShortcut({
      user: { id: user.id, name: user.name },
      channel: { id: channel.id, name: channel.name },
      message: this.messageJson(message),
      callbackId,
      triggerId: this.newTrigger(userId),
      responseUrl: this.newResponseUrl({ kind: "command", channel: channelId, user: userId }),
      actionTs: this.nextTs(),
    });
    return this.deliverToApp("interactive", { payload: JSON.stringify(payload) });
  }

  /** A person opens the app's Home tab. */
  async openHome(userId: string): Promise<void> {
    const im = this.imWith(userId);
    const home = this.homeView(userId);
    await this.deliverEvent(
      anAppHomeOpenedEvent({
        user: userId,
        channel: im.id,
        eventTs: this.nextTs(),
        view: home ? this.viewJson(home) : undefined,
      }),
      1,
    );
  }

  /** A trigger_id as Slack hands one to the app with an interaction, for tests of views.open itself. */
  issueTriggerId(userId: string): string {
    return this.newTrigger(userId);
  }
}

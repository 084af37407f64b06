/**
 * Payload factories that follow Slack's documented fields, on shared constants. The fake
 * Slack server builds every request it sends to the bot with these; tests may use them to
 * hand-craft a request too.
 */

export const TEAM = { id: "T0DUCHA01", domain: "ducha-demo" } as const;
export const APP_ID = "A0DUCHA01";
export const BOT = { userId: "U0DUCHABOT", botId: "B0DUCHABOT", name: "ducha" } as const;
/** The deprecated verification token Slack still sends; Bolt ignores it in favour of signatures. */
export const VERIFICATION_TOKEN = "legacy-verification-token";

export interface SlackUserRef {
  id: string;
  name: string;
}

const userObject = (user: SlackUserRef) => ({
  id: user.id,
  username: user.name,
  name: user.name,
  team_id: TEAM.id,
});

/** The form fields of a slash command request (application/x-www-form-urlencoded). */
export function aSlashCommand(fields: {
  user: SlackUserRef;
  channel: { id: string; name: string };
  text?: string;
  command?: string;
  responseUrl: string;
  triggerId: string;
}): Record<string, string> {
  return {
    token: VERIFICATION_TOKEN,
    team_id: TEAM.id,
    team_domain: TEAM.domain,
    channel_id: fields.channel.id,
    channel_name: fields.channel.name,
    user_id: fields.user.id,
    user_name: fields.user.name,
    command: fields.command ?? "/ducha",
    text: fields.text ?? "",
    api_app_id: APP_ID,
    is_enterprise_install: "false",
    response_url: fields.responseUrl,
    trigger_id: fields.triggerId,
  };
}

/** An Events API `event_callback` envelope around one event. */
export function anEventEnvelope(
  event: Record<string, unknown>,
  options: { eventId: string; eventTime: number },
) {
  return {
    token: VERIFICATION_TOKEN,
    team_id: TEAM.id,
    context_team_id: TEAM.id,
    context_enterprise_id: null,
    api_app_id: APP_ID,
    event,
    type: "event_callback",
    event_id: options.eventId,
    event_time: options.eventTime,
    authorizations: [
      {
        enterprise_id: null,
        team_id: TEAM.id,
        user_id: BOT.userId,
        is_bot: true,
        is_enterprise_install: false,
      },
    ],
    is_ext_shared_channel: false,
    event_context: `4-${options.eventId}`,
  };
}

/** A file as Slack describes it in a message event (files.info's `file` object, in part). */
export function aFileObject(fields: {
  id: string;
  name: string;
  title?: string;
  mimetype: string;
  size: number;
  user: string;
  created: number;
  urlPrivate: string;
  permalink: string;
}) {
  const filetype = fields.name.includes(".") ? (fields.name.split(".").pop() ?? "binary") : "binary";
  return {
    id: fields.id,
    created: fields.created,
    timestamp: fields.created,
    name: fields.name,
    title: fields.title ?? fields.name,
    mimetype: fields.mimetype,
    filetype,
    pretty_type: filetype.toUpperCase(),
    user: fields.user,
    user_team: TEAM.id,
    editable: false,
    size: fields.size,
    mode: "hosted",
    is_external: false,
    external_type: "",
    is_public: true,
    public_url_shared: false,
    display_as_bot: false,
    username: "",
    url_private: fields.urlPrivate,
    url_private_download: `${fields.urlPrivate}?download=1`,
    permalink: fields.permalink,
    permalink_public: `${fields.permalink}-public`,
    is_starred: false,
    has_rich_preview: false,
    file_access: "visible",
  };
}

/**
 * A `message` event for a person's message in a channel, optionally in a thread. With files,
 * it is a `file_share` message; with `broadcast`, a thread reply also sent to the channel.
 */
export function aMessageEvent(fields: {
  user: string;
  channel: string;
  channelType: "channel" | "group" | "im";
  text: string;
  ts: string;
  threadTs?: string;
  parentUserId?: string;
  files?: Record<string, unknown>[];
  broadcast?: { root: Record<string, unknown> };
}) {
  return {
    type: "message",
    ...(fields.files?.length ? { subtype: "file_share", files: fields.files, upload: false } : {}),
    ...(fields.broadcast ? { subtype: "thread_broadcast", root: fields.broadcast.root } : {}),
    user: fields.user,
    text: fields.text,
    ts: fields.ts,
    ...(fields.threadTs ? { thread_ts: fields.threadTs, parent_user_id: fields.parentUserId } : {}),
    team: TEAM.id,
    channel: fields.channel,
    event_ts: fields.ts,
    channel_type: fields.channelType,
    client_msg_id: `cm-${fields.ts}`,
    blocks: [
      {
        type: "rich_text",
        block_id: `rt${fields.ts.replace(".", "")}`,
        elements: [{ type: "rich_text_section", elements: [{ type: "text", text: fields.text }] }],
      },
    ],
  };
}

/** A message posted by the bot itself, as Slack echoes it to the app. */
export function aBotMessageEvent(fields: {
  channel: string;
  channelType: "channel" | "group" | "im";
  text: string;
  ts: string;
  threadTs?: string;
}) {
  return {
    type: "message",
    subtype: "bot_message",
    bot_id: BOT.botId,
    user: BOT.userId,
    text: fields.text,
    ts: fields.ts,
    ...(fields.threadTs ? { thread_ts: fields.threadTs } : {}),
    channel: fields.channel,
    event_ts: fields.ts,
    channel_type: fields.channelType,
  };
}

/** `message_changed`: a message was edited. */
export function aMessageChangedEvent(fields: {
  channel: string;
  channelType: "channel" | "group" | "im";
  eventTs: string;
  message: { user: string; text: string; ts: string; threadTs?: string; editedTs: string };
  previous: { user: string; text: string; ts: string; threadTs?: string };
}) {
  return {
    type: "message",
    subtype: "message_changed",
    hidden: true,
    channel: fields.channel,
    channel_type: fields.channelType,
    event_ts: fields.eventTs,
    ts: fields.eventTs,
    message: {
      type: "message",
      user: fields.message.user,
      text: fields.message.text,
      ts: fields.message.ts,
      ...(fields.message.threadTs ? { thread_ts: fields.message.threadTs } : {}),
      edited: { user: fields.message.user, ts: fields.message.editedTs },
    },
    previous_message: {
      type: "message",
      user: fields.previous.user,
      text: fields.previous.text,
      ts: fields.previous.ts,
      ...(fields.previous.threadTs ? { thread_ts: fields.previous.threadTs } : {}),
    },
  };
}

/** `message_deleted`: a message was deleted. */
export function aMessageDeletedEvent(fields: {
  channel: string;
  channelType: "channel" | "group" | "im";
  eventTs: string;
  deletedTs: string;
  previous: { user: string; text: string; threadTs?: string };
}) {
  return {
    type: "message",
    subtype: "message_deleted",
    hidden: true,
    channel: fields.channel,
    channel_type: fields.channelType,
    event_ts: fields.eventTs,
    ts: fields.eventTs,
    deleted_ts: fields.deletedTs,
    previous_message: {
      type: "message",
      user: fields.previous.user,
      text: fields.previous.text,
      ts: fields.deletedTs,
      ...(fields.previous.threadTs ? { thread_ts: fields.previous.threadTs } : {}),
    },
  };
}

export function anAppHomeOpenedEvent(fields: {
  user: string;
  channel: string;
  eventTs: string;
  view?: unknown;
}) {
  return {
    type: "app_home_opened",
    user: fields.user,
    channel: fields.channel,
    tab: "home",
    event_ts: fields.eventTs,
    ...(fields.view ? { view: fields.view } : {}),
  };
}

/** `block_actions` from a button or menu in a message. */
export function aMessageBlockAction(fields: {
  user: SlackUserRef;
  channel: { id: string; name: string };
  message: Record<string, unknown>;
  action: Record<string, unknown>;
  triggerId: string;
  responseUrl: string;
}) {
  return {
    type: "block_actions",
    user: userObject(fields.user),
    api_app_id: APP_ID,
    token: VERIFICATION_TOKEN,
    container: {
      type: "message",
      message_ts: fields.message.ts,
      channel_id: fields.channel.id,
      is_ephemeral: false,
    },
    trigger_id: fields.triggerId,
    team: TEAM,
    enterprise: null,
    is_enterprise_install: false,
    channel: fields.channel,
    message: fields.message,
    state: { values: {} },
    response_url: fields.responseUrl,
    actions: [fields.action],
  };
}

/** `block_actions` from a button in a message only the user sees: Slack sends no `message` then. */
export function anEphemeralBlockAction(fields: {
  user: SlackUserRef;
  channel: { id: string; name: string };
  messageTs: string;
  action: Record<string, unknown>;
  triggerId: string;
  responseUrl: string;
}) {
  return {
    type: "block_actions",
    user: userObject(fields.user),
    api_app_id: APP_ID,
    token: VERIFICATION_TOKEN,
    container: {
      type: "message",
      message_ts: fields.messageTs,
      channel_id: fields.channel.id,
      is_ephemeral: true,
    },
    trigger_id: fields.triggerId,
    team: TEAM,
    enterprise: null,
    is_enterprise_install: false,
    channel: fields.channel,
    state: { values: {} },
    response_url: fields.responseUrl,
    actions: [fields.action],
  };
}

/** `block_actions` from an element in a modal or the Home tab. */
export function aViewBlockAction(fields: {
  user: SlackUserRef;
  view: Record<string, unknown>;
  action: Record<string, unknown>;
  triggerId: string;
}) {
  return {
    type: "block_actions",
    user: userObject(fields.user),
    api_app_id: APP_ID,
    token: VERIFICATION_TOKEN,
    container: { type: "view", view_id: fields.view.id },
    trigger_id: fields.triggerId,
    team: TEAM,
    enterprise: null,
    is_enterprise_install: false,
    view: fields.view,
    actions: [fields.action],
  };
}

/** `view_submission`: the person pressed the modal's submit button. */
export function aViewSubmission(fields: {
  user: SlackUserRef;
  view: Record<string, unknown>;
  triggerId: string;
}) {
  return {
    type: "view_submission",
    team: TEAM,
    user: userObject(fields.user),
    api_app_id: APP_ID,
    token: VERIFICATION_TOKEN,
    trigger_id: fields.triggerId,
    view: fields.view,
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  };
}

/** `view_closed`: the person cancelled a modal that asked to be told (notify_on_close). */
export function aViewClosed(fields: { user: SlackUserRef; view: Record<string, unknown> }) {
  return {
    type: "view_closed",
    team: TEAM,
    user: userObject(fields.user),
    api_app_id: APP_ID,
    token: VERIFICATION_TOKEN,
    view: fields.view,
    is_cleared: false,
    is_enterprise_install: false,
    enterprise: null,
  };
}

/** `message_action`: a message shortcut chosen from a message's menu. */
export function aMessageShortcut(fields: {
  user: SlackUserRef;
  channel: { id: string; name: string };
  message: Record<string, unknown>;
  callbackId: string;
  triggerId: string;
  responseUrl: string;
  actionTs: string;
}) {
  return {
    type: "message_action",
    token: VERIFICATION_TOKEN,
    action_ts: fields.actionTs,
    team: TEAM,
    user: userObject(fields.user),
    channel: fields.channel,
    is_enterprise_install: false,
    enterprise: null,
    callback_id: fields.callbackId,
    trigger_id: fields.triggerId,
    response_url: fields.responseUrl,
    message_ts: fields.message.ts,
    message: fields.message,
  };
}

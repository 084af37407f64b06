/**
 * What manifest.yml promises Slack, in one place the code and the manifest test share.
 * Adding a Web API call that needs a new scope means adding it here and to the manifest.
 */

/** The bot scopes ducha uses, each with what needs it. manifest.yml lists exactly these. */
export const BOT_SCOPES = {
  commands: "/ducha",
  "chat:write": "task cards, notices, thread replies, digests, DMs (chat.postMessage, chat.update)",
  "channels:read": "checking a department's public channel (conversations.info)",
  "groups:read": "checking a department's private channel (conversations.info)",
  "channels:history": "thread replies on cards in public channels (message.channels)",
  "groups:history": "thread replies on cards in private channels (message.groups)",
  "im:write": "direct messages to a person (errors, confidential task details, the ledger)",
  "files:write":
    "the ledger (台账) as an XLSX file: bulletins and /ducha export (files.getUploadURLExternal)",
  "users:read": "people's names in the ledger (users.info)",
} as const;

/** The events ducha subscribes to. */
export const BOT_EVENTS = ["message.channels", "message.groups", "app_home_opened"] as const;

/** The slash command. */
export const COMMAND = "/ducha";

/** callback_id of the message shortcut 转为督办事项. */
export const DECISION_SHORTCUT_CALLBACK_ID = "ducha_decision_from_message";

/** The request path for events, commands and interactivity in HTTP mode. */
export const EVENTS_PATH = "/slack/events";

/**
 * What manifest.yml promises Slack, in one place the code and the manifest test share.
 *
 * Every Web API method the code calls is listed in `WEB_API_METHODS` with the bot scopes it
 * needs; every event in `EVENT_SCOPES`; the slash command and the shortcut need `commands`.
 * `BOT_SCOPES` is derived from those tables, and the manifest must ask for exactly it
 * (test/manifest.test.ts). A call the table lacks fails test/scopes.test.ts, which reads the
 * code; the fake Slack grants only the manifest's scopes, so every integration test runs
 * with what a real install grants.
 */

/** The bot scopes ducha may ask for. */
export type BotScope =
  | "commands"
  | "chat:write"
  | "channels:read"
  | "groups:read"
  | "channels:history"
  | "groups:history"
  | "im:history"
  | "im:write"
  | "files:read"
  | "files:write"
  | "users:read"
  | "reactions:write";

/**
 * Each Web API method the code calls, with the scopes it needs (Slack's method reference).
 * Where Slack accepts one scope per conversation type (conversations.info wants
 * channels:read for a public channel, groups:read for a private one), all the types ducha
 * works in are listed: the bot posts to public and private department channels alike.
 */
export const WEB_API_METHODS = {
  "auth.test": { scopes: [], why: "the bot's own identity at start" },
  "chat.postMessage": { scopes: ["chat:write"], why: "task cards, notices, digests, summaries, DMs" },
  "chat.update": { scopes: ["chat:write"], why: "keeping task cards and rollups current" },
  "chat.postEphemeral": { scopes: ["chat:write"], why: "words only one person sees, in a card's thread" },
  "chat.getPermalink": { scopes: [], why: "links to cards and rollups" },
  "conversations.info": {
    scopes: ["channels:read", "groups:read"],
    why: "checking a department's channel before relying on it",
  },
  "conversations.history": {
    scopes: ["channels:history", "groups:history", "im:history"],
    why: "finding a message (a confidential DM, a shared ledger) whose delivery was ambiguous, by its metadata",
  },
  "conversations.replies": {
    scopes: ["channels:history", "groups:history"],
    why: "finding a thread reply whose delivery was ambiguous",
  },
  "conversations.open": {
    scopes: ["im:write"],
    why: "the DM a ledger file is shared in, and a DM looked for after an ambiguous send",
  },
  "users.info": { scopes: ["users:read"], why: "people's names in the ledger" },
  "views.open": { scopes: [], why: "modals" },
  "views.push": { scopes: [], why: "modals on top of modals" },
  "views.update": { scopes: [], why: "modals kept current" },
  "views.publish": { scopes: [], why: "App Home" },
  "reactions.add": { scopes: ["reactions:write"], why: "confirming a thread reply (✅ ⚠️ 🚧)" },
  "reactions.remove": { scopes: ["reactions:write"], why: "taking a confirmation back after an edit" },
  "files.getUploadURLExternal": { scopes: ["files:write"], why: "the ledger (台账) as an XLSX file" },
  "files.completeUploadExternal": { scopes: ["files:write"], why: "sharing the ledger" },
  "files.info": {
    scopes: ["files:read"],
    why: "a decision's file (会议纪要 .docx, .doc, PDF): its details, and its url_private to download it with",
  },
} as const satisfies Record<string, { scopes: readonly BotScope[]; why: string }>;

export type WebApiMethod = keyof typeof WEB_API_METHODS;

/** The events ducha subscribes to, with the scope each needs. */
export const EVENT_SCOPES = {
  "message.channels": "channels:history",
  "message.groups": "groups:history",
  "message.im": "im:history",
  app_home_opened: null,
} as const satisfies Record<string, BotScope | null>;

/** The events ducha subscribes to. */
export const BOT_EVENTS = Object.keys(EVENT_SCOPES) as (keyof typeof EVENT_SCOPES)[];

/** The slash command and the message shortcut need this one. */
const FEATURE_SCOPES: readonly BotScope[] = ["commands"];

/** Every bot scope the code needs, derived from the tables above. manifest.yml lists exactly these. */
export const BOT_SCOPES: readonly BotScope[] = [
  ...new Set<BotScope>([
    ...FEATURE_SCOPES,
    ...Object.values(WEB_API_METHODS).flatMap((m): readonly BotScope[] => m.scopes),
    ...Object.values(EVENT_SCOPES).flatMap((s): BotScope[] => (s === null ? [] : [s])),
  ]),
].sort();

/** The methods (and why they are called) that need a scope: what to tell an admin whose install lacks it. */
export function methodsNeeding(scope: string): WebApiMethod[] {
  return (Object.keys(WEB_API_METHODS) as WebApiMethod[]).filter((method) =>
    (WEB_API_METHODS[method].scopes as readonly string[]).includes(scope),
  );
}

/** The slash command. */
export const COMMAND = "/ducha";

/** callback_id of the message shortcut 转为督办事项. */
export const DECISION_SHORTCUT_CALLBACK_ID = "ducha_decision_from_message";

/** callback_id of the message shortcut 报送信息. */
export const INFO_SHORTCUT_CALLBACK_ID = "ducha_info_from_message";

/** The request path for events, commands and interactivity in HTTP mode. */
export const EVENTS_PATH = "/slack/events";

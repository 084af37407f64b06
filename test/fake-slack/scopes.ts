import fs from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";

/**
 * The bot scopes Slack requires for each Web API method the fake Slack serves, as Slack's
 * method reference gives them: written here independently of the product's own table
 * (src/slack/contract.ts), so that a scope the product forgot is caught, not copied.
 * Methods that take a conversation want the scope of that conversation's type.
 */
type ConversationScopes = { public: string; private: string; im: string; mpim: string };
type Requirement = { scopes: readonly string[] } | { byConversation: ConversationScopes };

const read: ConversationScopes = {
  public: "channels:read",
  private: "groups:read",
  im: "im:read",
  mpim: "mpim:read",
};
const history: ConversationScopes = {
  public: "channels:history",
  private: "groups:history",
  im: "im:history",
  mpim: "mpim:history",
};
const none = { scopes: [] } as const;

export const SLACK_METHOD_SCOPES: Record<string, Requirement> = {
  "auth.test": none,
  "chat.postMessage": { scopes: ["chat:write"] },
  "chat.update": { scopes: ["chat:write"] },
  "chat.delete": { scopes: ["chat:write"] },
  "chat.postEphemeral": { scopes: ["chat:write"] },
  "chat.getPermalink": none,
  "conversations.info": { byConversation: read },
  "conversations.history": { byConversation: history },
  "conversations.replies": { byConversation: history },
  "conversations.open": { scopes: ["im:write"] },
  "users.info": { scopes: ["users:read"] },
  "views.open": none,
  "views.push": none,
  "views.update": none,
  "views.publish": none,
  "reactions.add": { scopes: ["reactions:write"] },
  "reactions.remove": { scopes: ["reactions:write"] },
  "files.getUploadURLExternal": { scopes: ["files:write"] },
  "files.completeUploadExternal": { scopes: ["files:write"] },
  "files.info": { scopes: ["files:read"] },
};

export type ConversationType = keyof ConversationScopes;

/** The scope a call needs, or null when it needs none; undefined when Slack has no such method. */
export function scopeNeeded(method: string, conversation: ConversationType): string | null | undefined {
  const requirement = SLACK_METHOD_SCOPES[method];
  if (!requirement) return undefined;
  if ("byConversation" in requirement) return requirement.byConversation[conversation];
  return requirement.scopes[0] ?? null;
}

const MANIFEST = fileURLToPath(new URL("../../manifest.yml", import.meta.url));

/** The bot scopes manifest.yml requests: exactly what a workspace grants when installed from it. */
export function manifestBotScopes(file = MANIFEST): string[] {
  const manifest = parse(fs.readFileSync(file, "utf8")) as {
    oauth_config?: { scopes?: { bot?: string[] } };
  };
  return [...(manifest.oauth_config?.scopes?.bot ?? [])];
}

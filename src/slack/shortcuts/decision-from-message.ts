import type { App, MessageShortcut } from "@slack/bolt";
import { startDecision } from "../../services/decisions.js";
import { openDecisionModal } from "../actions/decision-draft.js";
import { DECISION_SHORTCUT_CALLBACK_ID } from "../contract.js";
import type { SlackDeps } from "../deps.js";
import { slackToPlain } from "../slack-text.js";

/** 转为督办事项: a leader's message becomes a decision, its text cut into tasks, its link kept as the source. */
export function register(app: App, deps: SlackDeps): void {
  app.shortcut<MessageShortcut>(DECISION_SHORTCUT_CALLBACK_ID, async ({ ack, shortcut, client }) => {
    await ack();
    const channelId = shortcut.channel.id;
    const ts = shortcut.message.ts;
    const url = await client.chat
      .getPermalink({ channel: channelId, message_ts: ts })
      .then((r) => r.permalink)
      .catch(() => undefined);
    const state = await startDecision(deps, {
      actor: shortcut.user.id,
      text: slackToPlain(shortcut.message.text ?? ""),
      sourceMessage: { channelId, ts, ...(url ? { url } : {}) },
    });
    await openDecisionModal(deps, client, shortcut.trigger_id, state);
  });
}

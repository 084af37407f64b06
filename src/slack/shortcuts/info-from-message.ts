import type { App, MessageShortcut } from "@slack/bolt";
import { INFO_SHORTCUT_CALLBACK_ID } from "../contract.js";
import type { SlackDeps } from "../deps.js";
import { openInfoModal } from "../info-start.js";
import { slackToPlain } from "../slack-text.js";

/** 报送信息 on any message: the 报送 modal with the message's text, its files going along. */
export function register(app: App, deps: SlackDeps): void {
  app.shortcut<MessageShortcut>(INFO_SHORTCUT_CALLBACK_ID, async ({ ack, shortcut, client }) => {
    await ack();
    const files = ((shortcut.message.files ?? []) as { name?: string; permalink?: string }[])
      .slice(0, 10)
      .map((f) => ({ name: f.name ?? "", permalink: f.permalink ?? null }));
    await openInfoModal(deps, client, {
      actor: shortcut.user.id,
      triggerId: shortcut.trigger_id,
      text: slackToPlain(shortcut.message.text ?? ""),
      meta: {
        source: { channelId: shortcut.channel.id, ts: shortcut.message.ts },
        ...(files.length ? { files } : {}),
      },
    });
  });
}

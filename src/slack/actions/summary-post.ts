import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { z } from "zod";
import { postSummaryNow } from "../../services/summary.js";
import type { SlackDeps } from "../deps.js";
import { ACTION } from "../ids.js";
import { textReply } from "../render/blocks.js";

const ZKind = z.enum(["week", "month", "year"]);

/**
 * 发布到领导频道 under a summary shown by /ducha summary: the summary of the period so far,
 * composed again now, owed to the leadership channel. One click posts once: the button's
 * message id keys the outbox entry.
 */
export function register(app: App, deps: SlackDeps): void {
  app.action<BlockAction<ButtonAction>>(ACTION.postSummary, async ({ ack, action, body, respond }) => {
    await ack();
    const kind = ZKind.parse(action.value);
    const requestKey = `${body.container?.message_ts ?? body.container?.ts ?? action.action_ts}`;
    const { channel } = await postSummaryNow(deps.services, { actor: body.user.id, kind, requestKey });
    await respond({
      replace_original: false,
      response_type: "ephemeral",
      ...textReply(deps.messages.summary.posted({ channelId: channel })),
    });
  });
}

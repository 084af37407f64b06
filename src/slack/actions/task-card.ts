import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import type { SlackDeps } from "../deps.js";
import { CARD_ACTIONS } from "../ids.js";

/** The card's buttons are routed here; what each one does arrives with the task lifecycle. */
export function register(app: App, deps: SlackDeps): void {
  for (const actionId of CARD_ACTIONS) {
    app.action<BlockAction<ButtonAction>>(actionId, async ({ ack, respond }) => {
      await ack();
      await respond({
        response_type: "ephemeral",
        replace_original: false,
        text: deps.messages.notice.secretTitle,
      });
    });
  }
}

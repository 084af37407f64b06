import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { checkDecisionCreator } from "../../services/decisions.js";
import { decisionFromFile, ZFileButton } from "../decision-start.js";
import type { SlackDeps } from "../deps.js";
import { ACTION } from "../ids.js";

export function register(app: App, deps: SlackDeps): void {
  // 新建督办: the file shared in the DM becomes a decision's text.
  app.action<BlockAction<ButtonAction>>(ACTION.decisionFromFile, async ({ ack, body, action, client }) => {
    await ack();
    const file = ZFileButton.parse(JSON.parse(action.value ?? "{}"));
    await checkDecisionCreator(deps.services, body.user.id);
    await decisionFromFile(deps, client, { actor: body.user.id, triggerId: body.trigger_id, file });
  });
}

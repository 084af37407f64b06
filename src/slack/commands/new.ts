import { startDecision } from "../../services/decisions.js";
import { openDecisionModal } from "../decision-start.js";
import { slackToPlain } from "../slack-text.js";
import type { Subcommand } from "./context.js";

/** `/ducha new [text]` (`新建`): opens the decision modal, the text already cut into tasks. */
export const newDecision: Subcommand = async (ctx) => {
  const state = await startDecision(ctx.deps.services, { actor: ctx.userId, text: slackToPlain(ctx.rest) });
  await openDecisionModal(ctx.deps, ctx.client, ctx.triggerId, state);
  return null;
};

import type { App, MessageShortcut } from "@slack/bolt";
import { checkDecisionCreator, startDecision } from "../../services/decisions.js";
import { DECISION_SHORTCUT_CALLBACK_ID } from "../contract.js";
import { decisionFromFile, linkTo, modalContext } from "../decision-start.js";
import type { SlackDeps } from "../deps.js";
import { pickDocument, type SlackFileRef } from "../documents.js";
import { fillModal } from "../modal-first.js";
import { decisionModal, preparingModal } from "../render/decision-modal.js";
import { slackToPlain } from "../slack-text.js";

/**
 * 转为督办事项: a leader's message becomes a decision, its text cut into tasks, its link kept as
 * the source. A message carrying a file (a 会议纪要 .docx, an instruction .doc or PDF) is cut
 * from the file's text instead.
 */
export function register(app: App, deps: SlackDeps): void {
  app.shortcut<MessageShortcut>(DECISION_SHORTCUT_CALLBACK_ID, async ({ ack, shortcut, client }) => {
    await ack();
    const channelId = shortcut.channel.id;
    const ts = shortcut.message.ts;
    const files = (shortcut.message.files ?? []) as SlackFileRef[];
    const document = pickDocument(files);
    // Who may is a local read; everything that goes to Slack waits until the modal is open
    // (the trigger lasts three seconds, a call through a slow proxy may take most of them).
    await checkDecisionCreator(deps.services, shortcut.user.id);
    if (document) {
      await decisionFromFile(deps, client, {
        actor: shortcut.user.id,
        triggerId: shortcut.trigger_id,
        file: document,
        sourceMessage: () => linkTo(client, channelId, ts),
      });
      return;
    }
    const ctx = modalContext(deps);
    const opened = await client.views.open({ trigger_id: shortcut.trigger_id, view: preparingModal(ctx) });
    await fillModal(deps, client, opened.view?.id, async () => {
      const state = await startDecision(deps.services, {
        actor: shortcut.user.id,
        text: slackToPlain(shortcut.message.text ?? ""),
        sourceMessage: await linkTo(client, channelId, ts),
      });
      return decisionModal(state, ctx);
    });
  });
}

import type { App, MessageShortcut } from "@slack/bolt";
import type { WebClient } from "@slack/web-api";
import { UnreadableDocument } from "../../documents/read.js";
import { checkDecisionCreator, type SourceMessage, startDecision } from "../../services/decisions.js";
import { modalContext } from "../actions/decision-draft.js";
import { DECISION_SHORTCUT_CALLBACK_ID } from "../contract.js";
import type { SlackDeps } from "../deps.js";
import { pickDocument, type SlackFileRef } from "../documents.js";
import { fillModal } from "../modal-first.js";
import {
  decisionModal,
  documentReadingModal,
  documentUnreadableModal,
  preparingModal,
} from "../render/decision-modal.js";
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
    await checkDecisionCreator(deps, shortcut.user.id);
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
      const state = await startDecision(deps, {
        actor: shortcut.user.id,
        text: slackToPlain(shortcut.message.text ?? ""),
        sourceMessage: await linkTo(client, channelId, ts),
      });
      return decisionModal(state, ctx);
    });
  });
}

async function linkTo(client: WebClient, channelId: string, ts: string): Promise<SourceMessage> {
  const url = await client.chat
    .getPermalink({ channel: channelId, message_ts: ts })
    .then((r) => r.permalink)
    .catch(() => undefined);
  return { channelId, ts, ...(url ? { url } : {}) };
}

/**
 * A modal saying the file is being read opens at once (the trigger lasts three seconds, a
 * download may not); it becomes the decision modal with the file's text cut into tasks, or
 * says what could not be read and what to do instead. Nothing is stored for an unreadable file.
 */
export async function decisionFromFile(
  deps: SlackDeps,
  client: WebClient,
  input: {
    actor: string;
    triggerId: string;
    file: SlackFileRef;
    /** The message the file came with: looked up once the modal is open. */
    sourceMessage?: () => Promise<SourceMessage>;
  },
): Promise<void> {
  const ctx = modalContext(deps);
  const name = input.file.name ?? input.file.id;
  const opened = await client.views.open({
    trigger_id: input.triggerId,
    view: documentReadingModal(name, ctx),
  });
  const viewId = opened.view?.id;
  if (!viewId) throw new Error("views.open returned no view");
  const sourceMessage = await input.sourceMessage?.();
  let read: Awaited<ReturnType<SlackDeps["documents"]["read"]>>;
  try {
    read = await deps.documents.read(client, input.file);
  } catch (error) {
    if (!(error instanceof UnreadableDocument)) throw error;
    deps.logger.info(
      { file: input.file.id, reason: error.reason, err: error.cause },
      "a decision's file could not be read",
    );
    await client.views.update({ view_id: viewId, view: documentUnreadableModal(name, error.reason, ctx) });
    return;
  }
  const state = await startDecision(deps, {
    actor: input.actor,
    text: read.text,
    ...(sourceMessage ? { sourceMessage } : {}),
    sourceFile: { name: read.name, ...(read.permalink ? { url: read.permalink } : {}) },
    sourceRef: read.sourceRef,
  });
  await client.views.update({ view_id: viewId, view: decisionModal(state, ctx) });
}

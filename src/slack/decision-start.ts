import type { WebClient } from "@slack/web-api";
import { z } from "zod";
import { documentKind, UnreadableDocument } from "../documents/read.js";
import { isAppError } from "../domain/errors.js";
import {
  checkDecisionCreator,
  type DraftState,
  type SourceMessage,
  startDecision,
} from "../services/decisions.js";
import { oweText } from "../services/outbox.js";
import type { SlackDeps } from "./deps.js";
import { pickDocument, type SlackFileRef } from "./documents.js";
import { ACTION } from "./ids.js";
import { clip, section } from "./render/blocks.js";
import {
  decisionModal,
  documentReadingModal,
  documentUnreadableModal,
  type ModalContext,
} from "./render/decision-modal.js";

/**
 * How a decision starts, whatever surface it starts from: the decision modal opened from typed
 * text (/ducha 新建), from a message (the shortcut 转为督办事项) or from a file (the shortcut on a
 * message with a file, or 新建督办 under a file sent by DM). Shared by the commands, shortcuts,
 * actions and views, so none of them imports another.
 */

export const ZDecisionMeta = z.object({ draftId: z.string() });

export function modalContext(deps: SlackDeps): ModalContext {
  return {
    m: deps.messages,
    locale: deps.locale,
    tz: deps.services.timeZone,
    now: deps.services.clock.now(),
  };
}

export async function openDecisionModal(
  deps: SlackDeps,
  client: WebClient,
  triggerId: string,
  state: DraftState,
): Promise<void> {
  await client.views.open({ trigger_id: triggerId, view: decisionModal(state, modalContext(deps)) });
}

export async function linkTo(client: WebClient, channelId: string, ts: string): Promise<SourceMessage> {
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
  const state = await startDecision(deps.services, {
    actor: input.actor,
    text: read.text,
    ...(sourceMessage ? { sourceMessage } : {}),
    sourceFile: { name: read.name, ...(read.permalink ? { url: read.permalink } : {}) },
    sourceRef: read.sourceRef,
  });
  await client.views.update({ view_id: viewId, view: decisionModal(state, ctx) });
}

/** The file a 新建督办 button stands for. */
export const ZFileButton = z.object({ id: z.string(), name: z.string() });

/**
 * A file shared with the bot in a DM: a supervisor, leader or admin gets 新建督办 under it
 * (pressed, the file is read and cut into tasks as through the message shortcut); anyone
 * else is told what the bot does with files. Answered once, through the outbox.
 */
export async function answerFileInDm(
  deps: SlackDeps,
  message: { user: string; channel: string; ts: string; files: SlackFileRef[] },
): Promise<void> {
  const words = deps.messages.decisionModal.document;
  const file = pickDocument(message.files);
  if (!file) return;
  const name = file.name ?? file.id;
  let reply: { text: string; blocks?: Record<string, unknown>[] };
  try {
    await checkDecisionCreator(deps.services, message.user);
    if (!documentKind(name, file.mimetype)) {
      const text = words.unreadable.unsupported({ name });
      reply = { text, blocks: [section(text) as unknown as Record<string, unknown>] };
    } else {
      const text = words.offer({ name });
      const value = JSON.stringify({ id: file.id, name: clip(name, 200) });
      reply = {
        text,
        blocks: [
          section(text) as unknown as Record<string, unknown>,
          {
            type: "actions",
            elements: [
              {
                type: "button",
                action_id: ACTION.decisionFromFile,
                style: "primary",
                text: { type: "plain_text", text: words.offerButton },
                value,
              },
            ],
          },
        ],
      };
    }
  } catch (error) {
    if (!isAppError(error) || error.code !== "forbidden") throw error;
    reply = { text: words.notForYou };
  }
  await oweText(deps.services, {
    key: `dm-file:${message.channel}:${message.ts}`,
    channel: message.channel,
    reply,
  });
}

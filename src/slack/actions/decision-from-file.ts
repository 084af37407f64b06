import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { z } from "zod";
import { documentKind } from "../../documents/read.js";
import { isAppError } from "../../domain/errors.js";
import { owe } from "../../domain/outbox.js";
import { checkDecisionCreator } from "../../services/decisions.js";
import type { SlackDeps } from "../deps.js";
import { pickDocument, type SlackFileRef } from "../documents.js";
import { ACTION } from "../ids.js";
import { clip, section } from "../render/blocks.js";
import { decisionFromFile } from "../shortcuts/decision-from-message.js";

/** The file a 新建督办 button stands for. */
const ZFileButton = z.object({ id: z.string(), name: z.string() });

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
    await checkDecisionCreator(deps, message.user);
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
  await deps.store.transaction((tx) =>
    tx.outbox.enqueue(owe.text(`dm-file:${message.channel}:${message.ts}`, message.channel, reply)),
  );
  deps.outbox.kick();
}

export function register(app: App, deps: SlackDeps): void {
  // 新建督办: the file shared in the DM becomes a decision's text.
  app.action<BlockAction<ButtonAction>>(ACTION.decisionFromFile, async ({ ack, body, action, client }) => {
    await ack();
    const file = ZFileButton.parse(JSON.parse(action.value ?? "{}"));
    await checkDecisionCreator(deps, body.user.id);
    await decisionFromFile(deps, client, { actor: body.user.id, triggerId: body.trigger_id, file });
  });
}

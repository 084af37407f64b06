import type { types } from "@slack/bolt";
import type { TaskView } from "../../domain/model.js";
import { clip, context, type KnownBlock, LIMITS } from "./blocks.js";
import { type RenderContext, taskNumber } from "./format.js";

/**
 * What every action modal is made of (the task modals, the loops', 信息报送's): plain text within
 * Slack's limits, the modal with its 提交/取消 and metadata, an input block, the task's heading.
 */

export type View = types.ModalView;

export const plain = (text: string, max = 2000) => ({
  type: "plain_text" as const,
  text: clip(text, max),
  emoji: true,
});

export const option = (value: string, text: string) => ({ text: plain(text, LIMITS.optionText), value });

export function modal(
  callbackId: string,
  title: string,
  meta: object,
  blocks: KnownBlock[],
  ctx: Pick<RenderContext, "m">,
): View {
  return {
    type: "modal",
    callback_id: callbackId,
    title: plain(title, LIMITS.modalTitle),
    submit: plain(ctx.m.taskModals.submit, LIMITS.modalTitle),
    close: plain(ctx.m.taskModals.cancel, LIMITS.modalTitle),
    private_metadata: JSON.stringify(meta),
    blocks,
  };
}

/** An input block whose element's action_id is its block_id (as view-state.ts reads them). */
export function input(
  id: string,
  label: string,
  element: Record<string, unknown>,
  options: { optional?: boolean; hint?: string } = {},
): KnownBlock {
  return {
    type: "input",
    block_id: id,
    optional: options.optional ?? false,
    label: plain(label),
    ...(options.hint ? { hint: plain(options.hint) } : {}),
    element: { action_id: id, ...element },
  } as KnownBlock;
}

/** A text input's element: one line or several, at most `max` characters, maybe filled in. */
export const textElement = (multiline: boolean, initial?: string, max = 3000) => ({
  type: "plain_text_input",
  multiline,
  max_length: max,
  ...(initial ? { initial_value: clip(initial, max) } : {}),
});

/** The task a modal is about, as its first line (a 不公开 task's title withheld). */
export function taskHeading(task: TaskView, ctx: RenderContext): KnownBlock {
  const title = task.confidentiality === "secret" ? ctx.m.card.secretTitle : task.title;
  return context(`*${taskNumber(task, ctx)}* ${title}`);
}

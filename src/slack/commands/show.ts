import { AppError } from "../../domain/errors.js";
import { showTask as showTaskService } from "../../services/tasks.js";
import { context, type KnownBlock } from "../render/blocks.js";
import { taskCard } from "../render/task-card.js";
import { renderContext } from "../render-context.js";
import type { Subcommand } from "./context.js";

/** `/ducha show REF` (`查看`): the task as its card shows it, without the buttons, with a link to the card. */
export const showTask: Subcommand = async (ctx) => {
  const [ref, ...rest] = ctx.args;
  if (ref === undefined || rest.length > 0) throw new AppError("usage", { usage: "show" });
  const { task, entitled } = await showTaskService(ctx.deps, { actor: ctx.userId, ref });
  const rctx = await renderContext(ctx.deps);
  // The reply is ephemeral: a confidential task's details show to those entitled to them.
  const visible =
    entitled && task.confidentiality === "secret" ? { ...task, confidentiality: "internal" as const } : task;
  const card = taskCard(visible, rctx);
  const blocks: KnownBlock[] = card.blocks.filter((b) => b.type !== "actions");
  if (task.card?.url) blocks.push(context(rctx.m.notice.cardLink({ url: task.card.url })));
  return { text: card.text, blocks };
};

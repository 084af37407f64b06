import { AppError } from "../../domain/errors.js";
import { showTask as showTaskService } from "../../services/tasks.js";
import { context, type KnownBlock, LIMITS, section, textSections } from "../render/blocks.js";
import { shortDate } from "../render/format.js";
import { historyLines } from "../render/history.js";
import { fileLink, taskCard } from "../render/task-card.js";
import { renderContext } from "../render-context.js";
import type { Subcommand } from "./context.js";

/**
 * `/ducha show REF` (`查看`): the task as its card shows it (without buttons), a link to the
 * card, and its history from the audit trail: who, when, what, before → after.
 */
export const showTask: Subcommand = async (ctx) => {
  const [ref, ...rest] = ctx.args;
  if (ref === undefined || rest.length > 0) throw new AppError("usage", { usage: "show" });
  const { task, entitled, history, files, setup } = await showTaskService(ctx.deps.services, {
    actor: ctx.userId,
    ref,
  });
  const rctx = await renderContext(ctx.deps, setup);
  // The reply is ephemeral: a confidential task's details show to those entitled to them.
  const visible =
    entitled && task.confidentiality === "secret" ? { ...task, confidentiality: "internal" as const } : task;
  const card = taskCard(visible, rctx);
  const blocks: KnownBlock[] = card.blocks.filter(
    (b) => b.type !== "actions" && !(b.type === "context" && String(b.block_id ?? "").startsWith("t_")),
  );
  if (task.card?.url) blocks.push(context(rctx.m.notice.cardLink({ url: task.card.url })));
  // The evidence: every file shared in the thread, with who shared it and when.
  if (entitled && files.length > 0) {
    const lines = files.map((f) =>
      rctx.m.show.file({ link: fileLink(f), userId: f.userId, date: shortDate(f.at, rctx) }),
    );
    blocks.push(...textSections([`*${rctx.m.show.files({ count: files.length })}*`, ...lines]).slice(0, 3));
  }
  blocks.push(section(`*${rctx.m.show.history}*`));
  // The latest events matter most: the oldest give way when the message would be too long.
  const budget = LIMITS.messageBlocks - blocks.length;
  const lines = historyLines(history, rctx, entitled);
  const sections = textSections(lines.length ? lines : [rctx.m.show.noHistory]);
  blocks.push(...sections.slice(Math.max(0, sections.length - budget)));
  return { text: card.text, blocks };
};

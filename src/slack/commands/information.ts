import { AppError } from "../../domain/errors.js";
import { esc } from "../../i18n/format.js";
import { is } from "../../i18n/words.js";
import { listInfo, registerMiss } from "../../services/information.js";
import type { SlackDeps } from "../deps.js";
import { openInfoModal } from "../info-start.js";
import { fitListing, type Reply, textReply } from "../render/blocks.js";
import { infoLine } from "../render/information.js";
import { renderContext } from "../render-context.js";
import type { Subcommand } from "./context.js";

/**
 * `/ducha 报送` (`report`): the 报送 modal; `/ducha 报送 漏报 单位 事件` (office): a 漏报 recorded.
 * `列表 信息` is answered here for list.ts.
 */
export const inform: Subcommand = async (ctx) => {
  const [word, department, ...title] = ctx.args;
  if (word === undefined) {
    await openInfoModal(ctx.deps, ctx.client, { actor: ctx.userId, triggerId: ctx.triggerId });
    return null;
  }
  if (!is(word, "missed") || !department || title.length === 0)
    throw new AppError("usage", { usage: "infoMiss" });
  const done = await registerMiss(ctx.deps.services, {
    actor: ctx.userId,
    department,
    title: title.join(" "),
  });
  return textReply(ctx.deps.messages.info.missDone({ department: esc(done.department) }));
};

/** How many lines a list reads; the message says how many more there are. */
const LIST_LIMIT = 100;

/** `/ducha 列表 信息 [今天|未续报|迟报]`. */
export async function listInformation(
  deps: SlackDeps,
  actor: string,
  args: readonly string[],
): Promise<Reply> {
  const [word, ...rest] = args;
  const filter =
    word === undefined
      ? "recent"
      : is(word, "today")
        ? "today"
        : is(word, "owed")
          ? "owed"
          : is(word, "late")
            ? "late"
            : null;
  if (!filter || rest.length) throw new AppError("usage", { usage: "list" });
  const { reports, total, office } = await listInfo(deps.services, { actor, filter, take: LIST_LIMIT });
  const I = deps.messages.info;
  if (total === 0) return textReply(I.listEmpty);
  const ctx = await renderContext(deps);
  const title = I.listTitle({ what: I.listWhat[filter] ?? filter, count: total });
  const lines = reports.map((r) => ({ text: infoLine(r, ctx, office), counted: true }));
  const more = (count: number) => deps.messages.loops.more({ count: count + (total - reports.length) });
  return { text: title, blocks: fitListing([`*${title}*`], lines, more) };
}

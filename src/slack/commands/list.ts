import { AppError } from "../../domain/errors.js";
import { is } from "../../i18n/words.js";
import { listOpenCoordinations } from "../../services/coordination.js";
import { type ListFilter, listTasks as listTasksService } from "../../services/tasks.js";
import type { SlackDeps } from "../deps.js";
import { fitListing, type Reply, textReply } from "../render/blocks.js";
import { openCoordinationLine } from "../render/coordination.js";
import { taskListReply } from "../render/task-list.js";
import { renderContext } from "../render-context.js";
import type { Subcommand } from "./context.js";
import { listInformation } from "./information.js";
import { listClosures, listRechecks } from "./loops.js";

/** Reads `mine | red | yellow | overdue | stalled | all | dept NAME` in English or Chinese. */
export function parseListFilter(args: readonly string[]): ListFilter {
  const [word, ...rest] = args;
  if (word === undefined || is(word, "mine")) return { kind: "mine" };
  if (is(word, "red")) return { kind: "red" };
  if (is(word, "yellow")) return { kind: "yellow" };
  if (is(word, "overdue")) return { kind: "overdue" };
  if (is(word, "stalled")) return { kind: "stalled" };
  if (is(word, "all")) return { kind: "all" };
  if (is(word, "assigned")) return { kind: "assigned" };
  if (is(word, "dept")) {
    const name = rest.join(" ");
    if (!name) throw new AppError("usage", { usage: "list" });
    return { kind: "dept", name };
  }
  throw new AppError("usage", { usage: "list", detail: word });
}

/** `/ducha list coordination` (`列表 协调`): 协调事项 not yet closed, oldest first. */
async function listCoordinations(deps: SlackDeps, actor: string): Promise<Reply> {
  const requests = await listOpenCoordinations(deps.services, { actor });
  const ctx = await renderContext(deps);
  const c = deps.messages.coordination;
  if (requests.length === 0) return textReply(c.listEmpty);
  const title = c.listTitle({ count: requests.length });
  const lines = requests.map((request) => ({ text: openCoordinationLine(request, ctx), counted: true }));
  // Within one message: the oldest are the ones that matter most.
  const more = (count: number) =>
    deps.messages.digest.more({ count, command: deps.messages.digest.listCoordination });
  return { text: title, blocks: fitListing([`*${title}*`], lines, more) };
}

/** `/ducha list [filter]` (`列表`): open tasks as lines with lights and links, a page at a time. */
export const listTasks: Subcommand = async (ctx) => {
  if (is(ctx.args[0], "coordination")) return listCoordinations(ctx.deps, ctx.userId);
  if (is(ctx.args[0], "recheck")) return listRechecks(ctx.deps, ctx.userId);
  if (is(ctx.args[0], "info")) return listInformation(ctx.deps, ctx.userId, ctx.args.slice(1));
  if (is(ctx.args[0], "closures")) return listClosures(ctx.deps, ctx.userId);
  const filter = parseListFilter(ctx.args);
  const result = await listTasksService(ctx.deps.services, { actor: ctx.userId, filter, page: 1 });
  return taskListReply(result, await renderContext(ctx.deps, result.setup));
};

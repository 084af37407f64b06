import { closureSubject } from "../../bulletin/closure-docx.js";
import { AppError } from "../../domain/errors.js";
import { localDateOf } from "../../domain/time.js";
import { esc } from "../../i18n/format.js";
import { unreadClosures } from "../../services/closures.js";
import { pendingRechecks } from "../../services/rechecks.js";
import { prepareActionWithFiles } from "../../services/task-action.js";
import { showTask as findTaskService } from "../../services/tasks.js";
import type { SlackDeps } from "../deps.js";
import { fitListing, type Reply, textReply } from "../render/blocks.js";
import { type RenderContext, shortDate, taskNumber } from "../render/format.js";
import { siteCheckModal } from "../render/loop-modals.js";
import { renderContext } from "../render-context.js";
import type { Subcommand } from "./context.js";

/** The commands that close the loops: `核查 12`, `列表 回头看`, `列表 报结`. */

/** How many lines a list reads; the message says how many more there are. */
const LIST_LIMIT = 200;

/** `/ducha check 12` (`核查`): the on-site check (or 暗访) modal for a task, for supervisors. */
export const check: Subcommand = async (ctx) => {
  const [ref, ...rest] = ctx.args;
  if (ref === undefined || rest.length > 0) throw new AppError("usage", { usage: "check" });
  const { task } = await findTaskService(ctx.deps.services, { actor: ctx.userId, ref });
  const { files } = await prepareActionWithFiles(ctx.deps.services, {
    actor: ctx.userId,
    taskId: task.id,
    action: "site_check",
  });
  const rctx = await renderContext(ctx.deps);
  const today = localDateOf(ctx.deps.services.clock.now(), ctx.deps.services.timeZone);
  await ctx.client.views.open({ trigger_id: ctx.triggerId, view: siteCheckModal(task, rctx, files, today) });
  return null;
};

const link = (task: { year: number; seq: number; cardUrl: string | null }, ctx: RenderContext) => {
  const number = taskNumber(task, ctx);
  return task.cardUrl ? `<${task.cardUrl}|${number}>` : number;
};

/** `列表 回头看`: every 回头看 not yet decided, by day, for the office and leaders. */
export async function listRechecks(deps: SlackDeps, actor: string): Promise<Reply> {
  const { rows, total } = await pendingRechecks(deps.services, { actor, limit: LIST_LIMIT });
  const L = deps.messages.loops;
  if (total === 0) return textReply(L.rechecksEmpty);
  const ctx = await renderContext(deps);
  const title = L.rechecksTitle({ count: total });
  const lines = rows.map((r) => ({
    text: L.recheckLine({
      task: link(r.task, ctx),
      title: r.task.secret ? ctx.m.card.secretTitle : esc(r.task.title),
      department: r.task.leadDept.name,
      state: L.recheckState[r.state] ?? r.state,
      date: shortDate(r.replyBy ?? r.dueOn, ctx),
    }),
    counted: true,
  }));
  const more = (count: number) => L.more({ count: count + (total - rows.length) });
  return { text: title, blocks: fitListing([`*${title}*`], lines, more) };
}

/** `列表 报结`: the 报结 their leaders have not yet read (阅), oldest first, for the office. */
export async function listClosures(deps: SlackDeps, actor: string): Promise<Reply> {
  const { rows, total } = await unreadClosures(deps.services, { actor, limit: LIST_LIMIT });
  const L = deps.messages.loops;
  if (total === 0) return textReply(L.closuresEmpty);
  const ctx = await renderContext(deps);
  const title = L.closuresTitle({ count: total });
  const lines = rows.map((r) => ({
    text: L.closureOffice({
      decision: esc(r.decision ? closureSubject(r.decision) : String(r.decisionId)),
      leader: r.leaderUserId,
      date: shortDate(r.createdAt, ctx),
    }),
    counted: true,
  }));
  const more = (count: number) => L.more({ count: count + (total - rows.length) });
  return { text: title, blocks: fitListing([`*${title}*`], lines, more) };
}

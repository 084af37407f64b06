import type { TaskView } from "../../domain/model.js";
import { esc } from "../../i18n/format.js";
import { context, type KnownBlock, LIMITS, type Reply, section, textSections } from "./blocks.js";
import { dueLabel, LIGHT_EMOJI, lightOf, type RenderContext, shortDate, taskNumber } from "./format.js";
import { reasonWords } from "./task-notice.js";

export interface DigestGroups {
  overdue: TaskView[];
  dueSoon: TaskView[];
  ackLate: TaskView[];
  reportOwed: TaskView[];
}

function line(task: TaskView, ctx: RenderContext): string {
  const number = taskNumber(task, ctx);
  const title = task.confidentiality === "secret" ? ctx.m.card.secretTitle : esc(task.title);
  const link = task.card?.url ? `<${task.card.url}|${number}>` : number;
  return `${LIGHT_EMOJI[lightOf(task, ctx).light]} ${link} ${title} — ${dueLabel(task, ctx)}`;
}

/** A department's daily digest: one message with its tasks that need attention, grouped, linked. */
export function digestReply(department: string, groups: DigestGroups, ctx: RenderContext): Reply {
  const d = ctx.m.digest;
  const title = d.title({ department, date: shortDate(ctx.now, ctx) });
  const blocks: KnownBlock[] = [section(`*${title}*`)];
  const parts: [string, TaskView[]][] = [
    [d.overdue, groups.overdue],
    [d.dueSoon, groups.dueSoon],
    [d.ackLate, groups.ackLate],
    [d.reportOwed, groups.reportOwed],
  ];
  for (const [name, tasks] of parts) {
    if (tasks.length === 0) continue;
    blocks.push(
      ...textSections([d.group({ name, count: tasks.length }), ...tasks.map((task) => line(task, ctx))]),
    );
  }
  blocks.push(context(d.footer));
  // A digest never drops a task: past Slack's 50 blocks the lines are packed tighter still.
  if (blocks.length > LIMITS.messageBlocks) {
    const lines = parts.flatMap(([name, tasks]) =>
      tasks.length ? [d.group({ name, count: tasks.length }), ...tasks.map((task) => line(task, ctx))] : [],
    );
    return {
      text: title,
      blocks: [
        section(`*${title}*`),
        ...textSections(lines).slice(0, LIMITS.messageBlocks - 2),
        context(d.footer),
      ],
    };
  }
  return { text: title, blocks };
}

/** Escalation step 3: to the supervision channel, or by DM to the decision's leader. */
export function escalationReply(
  task: TaskView,
  reasons: readonly string[],
  to: "supervision" | "leader",
  ctx: RenderContext,
): Reply {
  const e = ctx.m.escalation;
  const common = {
    number: taskNumber(task, ctx),
    url: task.card?.url ?? null,
    title: task.confidentiality === "secret" ? ctx.m.card.secretTitle : esc(task.title),
    lead: task.leadDept.name,
    reasons: reasonWords(reasons, ctx),
  };
  const text =
    to === "supervision" ? e.supervision({ ...common, members: task.leadDept.members }) : e.leader(common);
  return { text, blocks: [section(text)] };
}

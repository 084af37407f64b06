import type { DecisionView, TaskView } from "../../domain/model.js";
import { canSeeConfidential } from "../../domain/permissions.js";
import { esc } from "../../i18n/format.js";
import type { TaskListResult } from "../../services/tasks.js";
import { ACTION } from "../ids.js";
import {
  blocksText,
  context,
  fitListing,
  header,
  type KnownBlock,
  LIMITS,
  type Reply,
  section,
  textSections,
} from "./blocks.js";
import { dueLabel, LIGHT_EMOJI, lightOf, type RenderContext, shortDate, taskNumber } from "./format.js";

/** Whether the person may see a task's title and details (confidential tasks). */
export type Entitled = (task: TaskView) => boolean;

/** One line per task: light, number (linked to the card), title, lead, due date, state. */
export function taskLine(task: TaskView, ctx: RenderContext, entitled: Entitled): string {
  const light = lightOf(task, ctx);
  const title =
    task.confidentiality === "secret" && !entitled(task) ? ctx.m.card.secretTitle : esc(task.title);
  return ctx.m.rollup.line({
    light: LIGHT_EMOJI[light.light],
    number: taskNumber(task, ctx),
    url: task.card?.url ?? null,
    title,
    lead: task.leadDept.name,
    due: dueLabel(task, ctx, false),
    state: ctx.m.stateName[task.state],
  });
}

function totals(tasks: readonly TaskView[], ctx: RenderContext): string {
  const count = { red: 0, yellow: 0, green: 0, done: 0 };
  for (const task of tasks) {
    const { light } = lightOf(task, ctx);
    if (light === "red" || light === "yellow" || light === "green") count[light]++;
    else if (light !== "cancelled") count.done++;
  }
  return ctx.m.rollup.totals(count);
}

/**
 * A decision's rollup: its source and every task with a link and a light. Confidential titles
 * stay hidden here: the rollup lives in a channel.
 */
export function rollup(decision: DecisionView, ctx: RenderContext): Reply {
  const title = ctx.m.rollup.title({
    source: ctx.m.sourceName[decision.source],
    ref: decision.sourceRef,
    date: shortDate(decision.decidedOn, ctx),
    count: decision.tasks.length,
  });
  const lines = decision.tasks.map((task) => ({ text: taskLine(task, ctx, () => false), counted: true }));
  const foot = context(totals(decision.tasks, ctx));
  const listed = fitListing(
    [title],
    lines,
    (count) => ctx.m.digest.more({ count, command: ctx.m.digest.listAll }),
    { blocks: LIMITS.messageBlocks - 1, text: LIMITS.messageText - blocksText([foot]) },
  );
  return { text: title, blocks: [...listed, foot] };
}

export interface ListPage {
  filterLabel: string;
  /** Encoded in the paging buttons: which list and which page. */
  filterValue: string;
  tasks: TaskView[];
  total: number;
  page: number;
  pageSize: number;
  note?: string;
}

/** An ephemeral list of tasks, a page at a time, with buttons for the other pages. */
export function taskListView(page: ListPage, ctx: RenderContext, entitled: Entitled): Reply {
  const { m } = ctx;
  if (page.total === 0) {
    const text = m.list.empty({ filter: page.filterLabel });
    return { text, blocks: [section(page.note ? `${page.note}\n${text}` : text)] };
  }
  const pages = Math.max(1, Math.ceil(page.total / page.pageSize));
  const title = m.list.title({ filter: page.filterLabel, count: page.total, page: page.page, pages });
  const blocks: KnownBlock[] = [header(title)];
  if (page.note) blocks.push(context(page.note));
  blocks.push(...textSections(page.tasks.map((task) => taskLine(task, ctx, entitled))));
  const buttons = [];
  if (page.page > 1) {
    buttons.push({
      type: "button" as const,
      action_id: `${ACTION.listPage}_prev`,
      text: { type: "plain_text" as const, text: m.list.previous },
      value: JSON.stringify({ f: page.filterValue, p: page.page - 1 }),
    });
  }
  if (page.page < pages) {
    buttons.push({
      type: "button" as const,
      action_id: `${ACTION.listPage}_next`,
      text: { type: "plain_text" as const, text: m.list.next },
      value: JSON.stringify({ f: page.filterValue, p: page.page + 1 }),
    });
  }
  if (buttons.length) blocks.push({ type: "actions", elements: buttons });
  return { text: title, blocks };
}

/** A page of `/ducha 列表` as the person asked for it: the filter in words, the page, the buttons. */
export function taskListReply(result: TaskListResult, ctx: RenderContext): Reply {
  const m = ctx.m;
  const filterLabel =
    result.filter.kind === "dept"
      ? m.list.dept({ name: result.departmentName ?? result.filter.name })
      : (m.list.filters[result.filter.kind] ?? "");
  return taskListView(
    {
      filterLabel,
      filterValue:
        result.filter.kind === "dept"
          ? `dept:${result.departmentName ?? result.filter.name}`
          : result.filter.kind,
      tasks: result.tasks,
      total: result.total,
      page: result.page,
      pageSize: result.pageSize,
      note: result.fellBackToAll ? m.list.notMember : undefined,
    },
    ctx,
    (task) => canSeeConfidential(result.viewer, task),
  );
}

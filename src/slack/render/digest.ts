import type { CoordinationView } from "../../domain/coordination.js";
import type { Department, TaskView } from "../../domain/model.js";
import { formatDate } from "../../domain/time.js";
import { esc } from "../../i18n/format.js";
import { blocksText, context, fitListing, type KnownBlock, LIMITS, type Reply, section } from "./blocks.js";
import { coordinationLine } from "./coordination.js";
import { dueLabel, LIGHT_EMOJI, lightOf, type RenderContext, shortDate, taskNumber } from "./format.js";
import { reasonWords } from "./task-notice.js";

export interface DigestGroups {
  overdue: TaskView[];
  dueSoon: TaskView[];
  ackLate: TaskView[];
  reportOwed: TaskView[];
  reminded: TaskView[];
  urged: TaskView[];
  /** 协调事项 asked of this department, past their reply-by time, with their task's card link. */
  coordinations: { request: CoordinationView; url: string | null }[];
}

/** "🔴 <link|督〔2026〕4号> 标题 — what follows": a task's line, linking to its card. */
function taskLine(task: TaskView, after: string, ctx: RenderContext): string {
  const number = taskNumber(task, ctx);
  const title = task.confidentiality === "secret" ? ctx.m.card.secretTitle : esc(task.title);
  const link = task.card?.url ? `<${task.card.url}|${number}>` : number;
  return `${LIGHT_EMOJI[lightOf(task, ctx).light]} ${link} ${title} — ${after}`;
}

/** Why a task is on the ladder now: its light's reasons (stalled, overdue, and what else holds). */
function ladderReasons(task: TaskView, ctx: RenderContext): string {
  const { reasons } = lightOf(task, ctx);
  return reasons.length ? reasonWords(reasons, ctx) : dueLabel(task, ctx);
}

/**
 * A message of grouped lines within one message's limits (50 blocks, 11,000 characters of
 * text): the lines are packed into sections, and past the limits the rest are counted in a last
 * line that says where to find them — a task is never left out without a word. The groups come
 * worst first, so what is cut is the least pressing.
 */
function packed(
  head: readonly string[],
  groups: readonly { heading: string; lines: string[] }[],
  footer: string | null,
  more: (count: number) => string,
): KnownBlock[] {
  const lines = groups.flatMap((g) => [
    { text: g.heading, counted: false },
    ...g.lines.map((text) => ({ text, counted: true })),
  ]);
  const footerBlocks = footer ? [context(footer)] : [];
  const blocks = fitListing(head, lines, more, {
    blocks: LIMITS.messageBlocks - footerBlocks.length,
    text: LIMITS.messageText - blocksText(footerBlocks),
  });
  return [...blocks, ...footerBlocks];
}

/**
 * A department's message from a supervision run: its tasks overdue, due soon, not acknowledged,
 * owing a report, and those the ladder reminded or urged this run, grouped, each linking to its
 * card; the members are named once when something is asked of them.
 */
export function digestReply(
  department: Pick<Department, "name" | "members">,
  groups: DigestGroups,
  ctx: RenderContext,
  options: { urgent?: boolean; madeUpFor?: Date } = {},
): Reply {
  const d = ctx.m.digest;
  const made = options.madeUpFor
    ? d.madeUp({ slot: formatDate(options.madeUpFor, ctx.tz, ctx.locale, ctx.now, true) })
    : "";
  const title = options.urgent
    ? d.urgentTitle({
        department: department.name,
        time: formatDate(ctx.now, ctx.tz, ctx.locale, ctx.now, true),
      })
    : `${d.title({ department: department.name, date: shortDate(ctx.now, ctx) })}${made}`;
  const due = (task: TaskView) => taskLine(task, dueLabel(task, ctx), ctx);
  const ladder = (task: TaskView) => taskLine(task, ladderReasons(task, ctx), ctx);
  const parts: [string, TaskView[], (task: TaskView) => string][] = [
    [d.urged, groups.urged, ladder],
    [d.reminded, groups.reminded, ladder],
    [d.overdue, groups.overdue, due],
    [d.dueSoon, groups.dueSoon, due],
    [d.ackLate, groups.ackLate, due],
    [d.reportOwed, groups.reportOwed, due],
  ];
  const asked =
    groups.urged.length + groups.reminded.length + groups.reportOwed.length + groups.coordinations.length > 0;
  const head = [`*${title}*`, ...(asked ? [d.members({ members: department.members })] : [])];
  const shown = [
    ...(groups.coordinations.length
      ? [
          {
            heading: d.group({ name: ctx.m.coordination.overdueGroup, count: groups.coordinations.length }),
            lines: groups.coordinations.map(({ request, url }) => coordinationLine(request, url, ctx)),
          },
        ]
      : []),
    ...parts
      .filter(([, tasks]) => tasks.length > 0)
      .map(([name, tasks, line]) => ({
        heading: d.group({ name, count: tasks.length }),
        lines: tasks.map(line),
      })),
  ];
  const command = d.listDept({ name: department.name });
  return { text: title, blocks: packed(head, shown, d.footer, (count) => d.more({ count, command })) };
}

/**
 * A run's escalations (step 3) in one message: to the supervision channel every task, grouped
 * by lead department with its members named; to a leader, the tasks they assigned.
 */
export function escalationsReply(
  entries: readonly { task: TaskView; reasons: readonly string[] }[],
  to: "supervision" | "leader",
  ctx: RenderContext,
  coordinations: readonly { request: CoordinationView; url: string | null }[] = [],
): Reply {
  const e = ctx.m.escalation;
  const c = ctx.m.coordination;
  const date = shortDate(ctx.now, ctx);
  // 协调督办 / 需领导协调: grouped by the department that owes the answer.
  const byRequested = new Map<number, { request: CoordinationView; lines: string[] }>();
  for (const { request, url } of coordinations) {
    const group = byRequested.get(request.toDeptId) ?? { request, lines: [] };
    group.lines.push(coordinationLine(request, url, ctx));
    byRequested.set(request.toDeptId, group);
  }
  const coordinationTitle =
    to === "supervision"
      ? c.supervisionTitle({ count: coordinations.length, date })
      : c.leaderTitle({ count: coordinations.length, date });
  const coordinationGroups = [...byRequested.values()].map(({ request, lines }) => ({
    heading: c.requested({ name: request.toDept.name, members: request.toDept.members }),
    lines,
  }));
  if (entries.length === 0) {
    return {
      text: coordinationTitle,
      blocks: packed([coordinationTitle], coordinationGroups, null, (count) =>
        ctx.m.digest.more({ count, command: ctx.m.digest.listCoordination }),
      ),
    };
  }
  const title =
    to === "supervision"
      ? e.supervisionTitle({ count: entries.length, date })
      : e.leaderTitle({ count: entries.length, date });
  const byDepartment = new Map<number, { department: TaskView["leadDept"]; lines: string[] }>();
  for (const { task, reasons } of entries) {
    const group = byDepartment.get(task.leadDept.id) ?? { department: task.leadDept, lines: [] };
    group.lines.push(taskLine(task, reasonWords(reasons, ctx), ctx));
    byDepartment.set(task.leadDept.id, group);
  }
  const groups = [...byDepartment.values()].map(({ department, lines }) => ({
    heading:
      to === "supervision"
        ? e.department({ name: department.name, members: department.members })
        : `*${esc(department.name)}*`,
    lines,
  }));
  const all = coordinations.length
    ? [...groups, { heading: coordinationTitle, lines: [] }, ...coordinationGroups]
    : groups;
  return {
    text: title,
    blocks: packed([title], all, null, (count) =>
      ctx.m.digest.more({ count, command: ctx.m.digest.listRed }),
    ),
  };
}

/** Escalation step 3 of one task (an entry stored before escalations were listed per run). */
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

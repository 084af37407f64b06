import type { types } from "@slack/bolt";
import { workdaysBetween } from "../../domain/calendar.js";
import type { TaskView } from "../../domain/model.js";
import type { TaskState } from "../../domain/task-state.js";
import { localDateOf } from "../../domain/time.js";
import { channel, esc } from "../../i18n/format.js";
import { ACTION } from "../ids.js";
import { clip, context, header, type KnownBlock, LIMITS, type Reply, section } from "./blocks.js";
import {
  dueLabel,
  LIGHT_EMOJI,
  labelled,
  lightLabel,
  lightOf,
  names,
  type RenderContext,
  shortDate,
  taskNumber,
} from "./format.js";

type Button = types.Button;

/** The most of a report or requirement a card shows; the thread and `/ducha 查看` have the rest. */
const EXCERPT = 600;

function excerpt(text: string): string {
  return clip(text.trim(), EXCERPT);
}

type CardAction = (typeof ACTION)[keyof typeof ACTION];

/** Department members' buttons by state, then supervisors'. Pending extensions add two. */
const MEMBER_BUTTONS: Record<TaskState, CardAction[]> = {
  dispatched: [ACTION.ack, ACTION.report, ACTION.extend],
  in_progress: [ACTION.report, ACTION.claim, ACTION.extend],
  pending_review: [],
  closed: [],
  cancelled: [],
};
const SUPERVISOR_BUTTONS: Record<TaskState, CardAction[]> = {
  dispatched: [ACTION.urge, ACTION.coordinate, ACTION.cancel],
  in_progress: [ACTION.urge, ACTION.coordinate, ACTION.cancel],
  pending_review: [ACTION.verify, ACTION.siteCheck, ACTION.return, ACTION.cancel],
  closed: [ACTION.reopen],
  cancelled: [ACTION.reopen],
};

function button(actionId: CardAction, task: TaskView, ctx: RenderContext): Button {
  const b = ctx.m.card.buttons;
  const text: Record<CardAction, string> = {
    [ACTION.ack]: b.ack,
    [ACTION.report]: b.report,
    [ACTION.claim]: b.claim,
    [ACTION.extend]: b.extend,
    [ACTION.urge]: b.urge,
    [ACTION.verify]: b.verify,
    [ACTION.return]: b.return,
    [ACTION.approveExtension]: b.approveExtension,
    [ACTION.rejectExtension]: b.rejectExtension,
    [ACTION.cancel]: b.cancel,
    [ACTION.reopen]: b.reopen,
    [ACTION.coordinate]: b.coordinate,
    [ACTION.siteCheck]: ctx.m.loops.siteButton,
  } as Record<CardAction, string>;
  const style =
    actionId === ACTION.ack || actionId === ACTION.verify || actionId === ACTION.approveExtension
      ? "primary"
      : actionId === ACTION.cancel || actionId === ACTION.return
        ? "danger"
        : undefined;
  return {
    type: "button",
    action_id: actionId,
    text: { type: "plain_text", text: clip(text[actionId], LIMITS.buttonText) },
    value: String(task.id),
    ...(style ? { style } : {}),
  };
}

/** Buttons for a card: what members can do, then what supervisors can do. */
export function cardButtons(task: TaskView, ctx: RenderContext): { member: Button[]; supervisor: Button[] } {
  const supervisor = [...SUPERVISOR_BUTTONS[task.state]];
  if (task.pendingExtension && (task.state === "dispatched" || task.state === "in_progress")) {
    supervisor.unshift(ACTION.approveExtension, ACTION.rejectExtension);
  }
  return {
    member: MEMBER_BUTTONS[task.state].map((id) => button(id, task, ctx)),
    supervisor: supervisor.map((id) => button(id, task, ctx)),
  };
}

/** A shared file as a link to it in Slack, its name escaped. */
export function fileLink(file: { name: string; permalink: string | null }): string {
  const name = esc(file.name).replace(/\|/g, "｜");
  return file.permalink && /^https:\/\/[^\s|<>]+$/.test(file.permalink)
    ? `<${file.permalink}|${name}>`
    : name;
}

function field(label: string, value: string): { type: "mrkdwn"; text: string } {
  return { type: "mrkdwn", text: `*${label}*\n${value}` };
}

/**
 * The task card in the lead department's channel: number, title, departments, due date,
 * cadence, state, light, latest report, and the buttons the state allows. A confidential
 * task shows only its number, lead, due date and light.
 */
export function taskCard(task: TaskView, ctx: RenderContext): Reply {
  const { m } = ctx;
  const number = taskNumber(task, ctx);
  const light = lightOf(task, ctx);
  const secret = task.confidentiality === "secret";
  const title = secret ? m.card.secretTitle : task.title;
  const id = `${task.id}_${task.version}`;
  const blocks: KnownBlock[] = [{ ...header(`${number} ${title}`), block_id: `h_${id}` } as KnownBlock];
  const fields = [
    field(m.card.lead, esc(task.leadDept.name)),
    ...(secret ? [] : [field(m.card.co, task.coDepts.length ? esc(names(task.coDepts, ctx)) : m.none)]),
    // No countdown on the card: it is updated when its light changes, not every day.
    field(m.card.due, dueLabel(task, ctx, false)),
    ...(secret ? [] : [field(m.card.cadence, m.cadence(task.cadence))]),
    field(m.card.state, m.stateName[task.state]),
    field(m.card.light, lightLabel(light, ctx)),
  ];
  blocks.push({ type: "section", block_id: `f_${id}`, fields });
  if (secret) {
    blocks.push({ ...section(m.card.secret), block_id: `s_${id}` } as KnownBlock);
  } else {
    if (task.requirement) {
      blocks.push({
        ...section(`*${m.card.requirement}*\n${esc(excerpt(task.requirement))}`),
        block_id: `r_${id}`,
      } as KnownBlock);
    }
    const report = task.lastReport;
    // Where the task stands, whatever the latest report says: a report without a number
    // does not hide the progress known, and an edited percentage shows.
    const latest = report
      ? [
          m.card.standing({ progress: task.progress, date: shortDate(report.at, ctx) }),
          report.text.trim()
            ? m.card.report({
                userId: report.userId,
                date: shortDate(report.at, ctx),
                text: excerpt(report.text),
              })
            : "",
          report.files.length ? m.card.files({ links: report.files.map(fileLink) }) : "",
        ]
          .filter(Boolean)
          .join("\n")
      : m.card.noReport;
    const extra = [
      task.openBlocker
        ? m.card.blocker({
            cause: m.causeName[task.openBlocker.cause ?? "other"] ?? m.causeName.other ?? "",
            // The latest report already says it: the blocker line only names the cause then.
            text: task.openBlocker.text === report?.text ? "" : esc(excerpt(task.openBlocker.text)),
            since: shortDate(task.openBlocker.since, ctx),
          })
        : "",
      task.pendingExtension
        ? m.card.pendingExtension({
            date: shortDate(new Date(task.pendingExtension.newDueAt.getTime() - 1), ctx),
            reason: excerpt(task.pendingExtension.reason),
            userId: task.pendingExtension.requestedBy,
            late: task.pendingExtension.late,
          })
        : "",
      task.coordinations.length
        ? m.card.coordinating({
            items: task.coordinations.map((c) => ({
              name: c.department.name,
              answered: c.answered,
              workdays: workdaysBetween(
                ctx.calendar,
                localDateOf(c.openedAt, ctx.tz),
                localDateOf(ctx.now, ctx.tz),
              ),
            })),
          })
        : "",
      light.reasons.includes("stalled") ? m.card.stalledFlag : "",
      report?.starredBy ? m.taskModals.starred({ by: report.starredBy }) : "",
    ].filter(Boolean);
    blocks.push({
      type: "section",
      block_id: `l_${id}`,
      text: {
        type: "mrkdwn",
        text: clip([`*${m.card.latest}*\n${latest}`, ...extra].join("\n"), LIMITS.sectionText),
      },
      // ⭐ for supervisors and leaders: the latest report as an example for others.
      ...(report
        ? {
            accessory: {
              type: "button",
              action_id: ACTION.star,
              text: { type: "plain_text", text: report.starred ? m.taskModals.unstar : m.taskModals.star },
              value: `${task.id}:${report.id}`,
            },
          }
        : {}),
    });
  }
  const meta = [
    m.card.source({ source: m.sourceName[task.decision.source], ref: task.decision.sourceRef }),
    // The original document, linked; a confidential task's card never names it.
    !secret && task.decision.sourceFileName
      ? m.card.sourceFile({ name: task.decision.sourceFileName, url: task.decision.sourceFileUrl })
      : "",
    task.decision.leaderUserId ? m.card.leader({ userId: task.decision.leaderUserId }) : "",
    m.card.dispatched({ date: shortDate(task.dispatchedAt, ctx) }),
    task.extensionCount ? m.card.extensions({ count: task.extensionCount }) : "",
    task.urgent ? m.card.urgent : "",
    secret ? "" : task.tags.map(esc).join(m.listSeparator),
  ].filter(Boolean);
  blocks.push({ ...context(meta.join(" · ")), block_id: `c_${id}` } as KnownBlock);
  const { member, supervisor } = cardButtons(task, ctx);
  if (member.length) blocks.push({ type: "actions", block_id: `am_${id}`, elements: member });
  if (supervisor.length) blocks.push({ type: "actions", block_id: `as_${id}`, elements: supervisor });
  // 协调已解决: the lead department or a supervisor closes the open coordination requests.
  if (task.coordinations.length && (task.state === "dispatched" || task.state === "in_progress")) {
    blocks.push({
      type: "actions",
      block_id: `ac_${id}`,
      elements: [
        {
          type: "button",
          action_id: ACTION.coordinationResolve,
          text: { type: "plain_text", text: clip(m.coordination.resolve, LIMITS.buttonText) },
          value: String(task.id),
        },
      ],
    });
  }
  if (task.state === "dispatched" || task.state === "in_progress") {
    blocks.push({ ...context(m.card.threadHint), block_id: `t_${id}` } as KnownBlock);
  }
  const text = m.card.fallback({
    number,
    title: secret ? m.card.secretTitle : esc(task.title),
    lead: esc(task.leadDept.name),
    due: dueLabel(task, ctx, false),
    light: `${LIGHT_EMOJI[light.light]} ${m.lightName[light.light]}`,
  });
  return { text, blocks };
}

/** The notice in a co-operating department's channel. */
export function coNotice(task: TaskView, coName: string, ctx: RenderContext): Reply {
  const text = ctx.m.notice.co({
    number: taskNumber(task, ctx),
    title: task.confidentiality === "secret" ? ctx.m.notice.secretTitle : task.title,
    lead: task.leadDept.name,
    co: coName,
    due: dueLabel(task, ctx, false),
    url: task.card?.url ?? null,
  });
  return { text, blocks: [section(text)] };
}

/** A confidential task's details, for a member of its lead department only. */
export function secretDetails(task: TaskView, ctx: RenderContext): Reply {
  const { m } = ctx;
  const number = taskNumber(task, ctx);
  const lines = [
    m.notice.secretDm({ number, lead: task.leadDept.name }),
    `*${esc(task.title)}*`,
    task.requirement ? labelled(m.card.requirement, esc(excerpt(task.requirement)), ctx) : "",
    labelled(m.card.co, task.coDepts.length ? esc(names(task.coDepts, ctx)) : m.none, ctx),
    labelled(m.card.due, `${dueLabel(task, ctx, false)} · ${m.cadence(task.cadence)}`, ctx),
    task.card?.url
      ? m.notice.cardLink({ url: task.card.url })
      : task.card
        ? channel(task.card.channelId)
        : "",
    task.decision.leaderUserId ? m.card.leader({ userId: task.decision.leaderUserId }) : "",
  ].filter(Boolean);
  const text = lines.join("\n");
  return { text: `${number} ${m.card.secretTitle}`, blocks: [section(text)] };
}

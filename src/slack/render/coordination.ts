import type { types } from "@slack/bolt";
import { workdaysBetween } from "../../domain/calendar.js";
import type { CoordinationView } from "../../domain/coordination.js";
import { formatDue, localDateOf } from "../../domain/time.js";
import { esc } from "../../i18n/format.js";
import { ACTION, CALLBACK, COORDINATION_INPUT } from "../ids.js";
import { clip, context, LIMITS, type Reply, section } from "./blocks.js";
import { type RenderContext, taskNumber } from "./format.js";

/**
 * 协调事项 in the requested department's channel: the task, what is needed and by when, a link
 * to the task's thread where it answers. A confidential task's notice carries its number only
 * (the members get the details by DM). Without a channel of its own, the supervision channel
 * gets it, saying so.
 */
export function coordinationNoticeReply(
  request: CoordinationView,
  task: { card: { url: string | null } | null },
  ctx: RenderContext,
  options: { fallback: boolean },
): Reply {
  const c = ctx.m.coordination;
  const number = taskNumber(request.task, ctx);
  const replyBy = formatDue(request.replyBy, ctx.tz, ctx.locale, ctx.now);
  const body =
    request.task.confidentiality === "secret"
      ? c.secretNotice({ number, lead: request.fromDept.name, replyBy })
      : c.notice({
          number,
          url: task.card?.url ?? null,
          title: esc(request.task.title),
          lead: request.fromDept.name,
          need: esc(clip(request.need, 1_500)),
          replyBy,
        });
  const text = options.fallback ? `${body}\n${c.noChannel({ department: request.toDept.name })}` : body;
  const button = (actionId: string, label: string, style?: "primary") => ({
    type: "button" as const,
    action_id: actionId,
    text: { type: "plain_text" as const, text: clip(label, LIMITS.buttonText) },
    value: String(request.id),
    ...(style ? { style } : {}),
  });
  return {
    text,
    blocks: [
      section(clip(text, LIMITS.sectionText)),
      {
        type: "actions",
        elements: [
          button(ACTION.coordinationAccept, c.accept),
          button(ACTION.coordinationAnswer, c.answer, "primary"),
        ],
      },
    ],
  };
}

/** A request declined: the supervision channel is told by whom and why. */
export function coordinationDeclinedReply(request: CoordinationView, ctx: RenderContext): Reply {
  const secret = request.task.confidentiality === "secret";
  const text = ctx.m.coordination.declined({
    number: taskNumber(request.task, ctx),
    url: request.task.cardUrl,
    from: request.fromDept.name,
    to: request.toDept.name,
    by: request.answeredBy ?? "",
    reason: secret ? ctx.m.coordination.secretNeed : esc(clip(request.declineReason, 1_500)),
  });
  return { text, blocks: [section(clip(text, LIMITS.sectionText))] };
}

/** 答复: the answer's words, or why the department cannot help. */
export function coordinationAnswerModal(request: CoordinationView, ctx: RenderContext): types.View {
  const c = ctx.m.coordination;
  const number = taskNumber(request.task, ctx);
  const title = request.task.confidentiality === "secret" ? ctx.m.card.secretTitle : request.task.title;
  const need = request.task.confidentiality === "secret" ? c.secretNeed : request.need;
  return {
    type: "modal",
    callback_id: CALLBACK.coordinationAnswer,
    title: { type: "plain_text", text: clip(c.modalTitle, LIMITS.modalTitle) },
    submit: { type: "plain_text", text: clip(ctx.m.taskModals.submit, LIMITS.modalTitle) },
    close: { type: "plain_text", text: clip(ctx.m.taskModals.cancel, LIMITS.modalTitle) },
    private_metadata: JSON.stringify({ coordinationId: request.id }),
    blocks: [
      context(clip(`*${number}* ${esc(title)}：${esc(need)}`, LIMITS.sectionText)),
      {
        type: "input",
        block_id: COORDINATION_INPUT.text,
        label: { type: "plain_text", text: c.modalText },
        hint: { type: "plain_text", text: c.modalHint },
        element: {
          type: "plain_text_input",
          action_id: COORDINATION_INPUT.text,
          multiline: true,
          max_length: 3000,
        },
      },
      {
        type: "input",
        block_id: COORDINATION_INPUT.decline,
        optional: true,
        label: { type: "plain_text", text: c.answer },
        element: {
          type: "checkboxes",
          action_id: COORDINATION_INPUT.decline,
          options: [
            { text: { type: "plain_text", text: clip(c.modalDecline, LIMITS.optionText) }, value: "decline" },
          ],
        },
      },
    ],
  };
}

/** A request as a line of a run's message: its task, the lead, what is needed, by when. */
export function coordinationLine(request: CoordinationView, url: string | null, ctx: RenderContext): string {
  const number = taskNumber(request.task, ctx);
  const secret = request.task.confidentiality === "secret";
  return ctx.m.coordination.line({
    link: url ? `<${url}|${number}>` : number,
    title: secret ? ctx.m.card.secretTitle : esc(request.task.title),
    lead: request.fromDept.name,
    need: secret ? ctx.m.coordination.secretNeed : esc(clip(request.need.replace(/\n/g, " "), 300)),
    replyBy: formatDue(request.replyBy, ctx.tz, ctx.locale, ctx.now),
  });
}

/**
 * A request still open, as App Home and `/ducha 列表 协调` list it: its task, who asked whom, how
 * long it has waited (working days), and its reply-by time or that it was answered.
 */
export function openCoordinationLine(request: CoordinationView, ctx: RenderContext): string {
  const number = taskNumber(request.task, ctx);
  const link = request.task.cardUrl ? `<${request.task.cardUrl}|${number}>` : number;
  return ctx.m.coordination.openLine({
    link,
    title: request.task.confidentiality === "secret" ? ctx.m.card.secretTitle : esc(request.task.title),
    from: request.fromDept.name,
    to: request.toDept.name,
    workdays: workdaysBetween(
      ctx.calendar,
      localDateOf(request.openedAt, ctx.tz),
      localDateOf(ctx.now, ctx.tz),
    ),
    answered: request.state === "answered",
    replyBy: formatDue(request.replyBy, ctx.tz, ctx.locale, ctx.now),
    late: request.state !== "answered" && request.replyBy <= ctx.now,
  });
}

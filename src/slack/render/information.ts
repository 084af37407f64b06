import { followUpOwed, type InfoReportView, minutesTaken } from "../../domain/information.js";
import { formatDate } from "../../domain/time.js";
import { esc, user } from "../../i18n/format.js";
import { ACTION } from "../ids.js";
import { clip, context, header, type KnownBlock, LIMITS, type Reply, section } from "./blocks.js";
import type { RenderContext } from "./format.js";
import { fileLink } from "./task-card.js";

/** 信息报送 as Slack shows it: the office's card, the unit's copy, thread notices, the 要情 post, lists. */

const EXCERPT = 2_500;

export function infoNumber(
  report: Pick<InfoReportView, "year" | "seq">,
  ctx: Pick<RenderContext, "m">,
): string {
  return ctx.m.info.number(report);
}

export const when = (at: Date, ctx: Pick<RenderContext, "tz" | "locale" | "now">) =>
  formatDate(at, ctx.tz, ctx.locale, ctx.now, true);

/** 报送用时 2小时15分（时限 4小时）, or ⚠️ 迟报 2小时1分. */
export function clockLine(report: InfoReportView, ctx: RenderContext): string {
  const I = ctx.m.info;
  const taken = minutesTaken(report.occurredAt, report.reportedAt);
  return report.late
    ? I.clockLate({
        taken: I.duration({ minutes: taken }),
        over: I.duration({ minutes: taken - report.limitMinutes }),
      })
    : I.clockOk({
        taken: I.duration({ minutes: taken }),
        limit: I.duration({ minutes: report.limitMinutes }),
      });
}

function button(actionId: string, text: string, value: string, style?: "primary" | "danger") {
  return {
    type: "button" as const,
    action_id: actionId,
    text: { type: "plain_text" as const, text: clip(text, LIMITS.buttonText) },
    value,
    ...(style ? { style } : {}),
  };
}

/**
 * The report as a card: in the office's 信息 channel (with 采用, 不采用, 退回补充, 要求续报 until it
 * goes into a 要情) or as the unit's copy in its channel (with 续报 and 终报 until 终报).
 */
export function infoCard(report: InfoReportView, ctx: RenderContext, where: "card" | "copy"): Reply {
  const I = ctx.m.info;
  const number = infoNumber(report, ctx);
  const title = clip(I.head({ number, title: report.title }), LIMITS.headerText);
  const blocks: KnownBlock[] = [
    header(title),
    context(
      esc(
        I.meta({
          unit: report.department.name,
          category: I.categoryName[report.category] ?? report.category,
          urgency: I.urgencyName[report.urgency] ?? report.urgency,
          occurred: when(report.occurredAt, ctx),
          place: report.place,
        }),
      ),
    ),
    section(clip(esc(report.text), EXCERPT)),
    context(
      `${clockLine(report, ctx)} · ${I.reportedBy({ user: user(report.reportedBy), at: when(report.reportedAt, ctx) })}`,
    ),
  ];
  const standing = [
    I.standing({
      verdict: I.verdictName[report.verdict] ?? report.verdict,
      state: I.stateName[report.state] ?? report.state,
      by: report.verdictBy,
      note: esc(clip(report.verdictNote, 300)),
    }),
    ...(report.followUps.length ? [I.followUps({ count: report.followUps.length })] : []),
    ...(followUpOwed(report) && report.followUpBy
      ? [I.followUpAsk({ by: when(report.followUpBy, ctx) })]
      : []),
  ];
  blocks.push(context(standing.join(" · ")));
  if (report.files.length)
    blocks.push(context(I.files({ links: report.files.map(fileLink).join(ctx.m.listSeparator) })));
  const value = String(report.id);
  if (where === "card" && report.digestNo === null) {
    blocks.push({
      type: "actions",
      elements: [
        button(ACTION.infoAdopt, I.adopt, value, "primary"),
        button(ACTION.infoReject, I.reject, value),
        button(ACTION.infoReturn, I.returnIt, value),
        ...(report.state === "open" ? [button(ACTION.infoAsk, I.ask, value)] : []),
      ],
    } as KnownBlock);
  }
  if (where === "copy") {
    blocks.push(context(I.copyNote));
    if (report.state === "open")
      blocks.push({
        type: "actions",
        elements: [
          button(ACTION.infoFollow, I.follow, value, "primary"),
          button(ACTION.infoFinal, I.final, value),
        ],
      } as KnownBlock);
  }
  return { text: title, blocks };
}

export type InfoNotice =
  | { type: "verdict" }
  | { type: "asked"; by: string }
  | { type: "follow_up"; followUpId: number }
  | { type: "ladder"; step: number };

/** A notice in the thread of a report's card or copy; empty when there is nothing (any more) to say. */
export function infoNoticeReply(report: InfoReportView, notice: InfoNotice, ctx: RenderContext): Reply {
  const I = ctx.m.info;
  const members = report.department.members.map(user).join(ctx.m.listSeparator);
  const until = report.followUpBy ? when(report.followUpBy, ctx) : "";
  let text = "";
  switch (notice.type) {
    case "verdict":
      if (report.verdict === "rejected" || report.verdict === "returned")
        text = I.verdictNotice({
          verdict: I.verdictName[report.verdict] ?? report.verdict,
          by: report.verdictBy ?? "",
          note: esc(clip(report.verdictNote, EXCERPT)),
        });
      break;
    case "asked":
      text = I.askedNotice({ by: notice.by, until, members });
      break;
    case "follow_up": {
      const f = report.followUps.find((x) => x.id === notice.followUpId);
      if (f)
        text = I.followNotice({
          kind: f.kind === "final" ? I.final : I.follow,
          by: f.userId,
          text: esc(clip(f.text, EXCERPT)),
        });
      break;
    }
    case "ladder":
      text = I.ladder({ step: notice.step, until, members });
      break;
  }
  return { text, blocks: text ? [section(clip(text, LIMITS.sectionText))] : [] };
}

/** An owed 续报 at the top of its ladder, in the supervision channel. */
export function infoEscalationReply(report: InfoReportView, ctx: RenderContext): Reply {
  const number = infoNumber(report, ctx);
  const text = ctx.m.info.escalation({
    number,
    title: report.confidentiality === "secret" ? ctx.m.info.secretTitle : esc(report.title),
    unit: esc(report.department.name),
    until: report.followUpBy ? when(report.followUpBy, ctx) : "",
    link: report.card?.url ? `<${report.card.url}|${number}>` : number,
  });
  return { text, blocks: [section(clip(text, LIMITS.sectionText))] };
}

/** A report's title where the leaders read it: a 不公开 one's stays with the office and the unit. */
export const shownTitle = (report: InfoReportView, ctx: Pick<RenderContext, "m">) =>
  report.confidentiality === "secret" ? ctx.m.info.secretTitle : report.title;

/** The most items a 要情 post carries with a 批示 button each (Slack: 50 blocks a message). */
const DIGEST_BUTTONS = 40;

/** 《要情》第N期 in the leaders' channel: each item with its unit, time and a 批示 button. */
export function digestReply(digestNo: number, reports: readonly InfoReportView[], ctx: RenderContext): Reply {
  const I = ctx.m.info;
  const title = I.digestTitle({ no: digestNo });
  const blocks: KnownBlock[] = [
    header(title),
    context(I.digestIntro({ count: reports.length, date: when(ctx.now, ctx) })),
  ];
  reports.forEach((report, i) => {
    const secret = report.confidentiality === "secret";
    const line = I.digestItem({
      order: i + 1,
      title: esc(shownTitle(report, ctx)),
      unit: esc(report.department.name),
      occurred: when(report.occurredAt, ctx),
      text: secret ? "" : esc(clip(report.text, 600)),
      late: report.late,
    });
    blocks.push(
      i < DIGEST_BUTTONS
        ? ({
            type: "section",
            text: { type: "mrkdwn", text: clip(line, LIMITS.sectionText) },
            accessory: button(ACTION.infoInstruct, I.instruct, `${digestNo}:${report.id}`),
          } as KnownBlock)
        : section(clip(line, LIMITS.sectionText)),
    );
  });
  return { text: title, blocks };
}

/** One report as a line of a list. */
export function infoLine(report: InfoReportView, ctx: RenderContext, reveal: boolean): string {
  const I = ctx.m.info;
  const number = infoNumber(report, ctx);
  return I.listLine({
    number: report.card?.url ? `<${report.card.url}|${number}>` : number,
    title: esc(reveal ? report.title : shownTitle(report, ctx)),
    unit: esc(report.department.name),
    at: when(report.reportedAt, ctx),
    verdict: I.verdictName[report.verdict] ?? report.verdict,
    late: report.late,
    owed: followUpOwed(report),
  });
}

import type { CoordinationView } from "../../domain/coordination.js";
import type { LightReason } from "../../domain/lights.js";
import type { StoredReport, TaskView } from "../../domain/model.js";
import type { TaskNotice } from "../../domain/outbox.js";
import { formatDue, isLocalDate, startOfDay } from "../../domain/time.js";
import { esc } from "../../i18n/format.js";
import { ACTION } from "../ids.js";
import { clip, LIMITS, type Reply, section } from "./blocks.js";
import { type RenderContext, shortDate, taskNumber } from "./format.js";

/** "已超期、长期无实质进展" from the light's reasons. */
export function reasonWords(reasons: readonly string[], ctx: RenderContext): string {
  return reasons.map((r) => ctx.m.reasonName[r as LightReason] ?? r).join(ctx.m.listSeparator);
}

/** The most of a report or a reason a thread notice repeats. */
const EXCERPT = 1_500;

/**
 * What happened to a task, as a reply in its card's thread. A confidential task's notices
 * leave out the words people wrote (reasons, reports, evidence): its channel may hold others.
 */
export function taskNoticeReply(
  task: TaskView,
  notice: TaskNotice,
  ctx: RenderContext,
  report: StoredReport | null,
  coordination: CoordinationView | null = null,
): Reply {
  const n = ctx.m.taskNotice;
  const secret = task.confidentiality === "secret";
  const words = (text: string) => (secret ? n.secretDetail : esc(clip(text.trim(), EXCERPT)));
  const date = (instant: Date) => shortDate(new Date(instant.getTime() - 1), ctx);
  let text: string;
  switch (notice.type) {
    case "acked":
      text = n.acked({ by: notice.by });
      break;
    case "reported":
      text = n.reported({
        by: notice.by,
        progress: report?.progress ?? null,
        text: words(report?.text ?? ""),
        blocker: report?.blocker ? (ctx.m.causeName[report.cause ?? "other"] ?? "") : "",
      });
      break;
    case "claimed":
      text = n.claimed({ by: notice.by, evidence: words(report?.text ?? "") });
      break;
    case "urged":
      text = n.urged({ by: notice.by, members: task.leadDept.members });
      break;
    case "verified": {
      const L = ctx.m.loops;
      text = [
        n.verified({ by: notice.by }),
        notice.note ? L.verifiedNote({ note: words(notice.note) }) : "",
        notice.recheckOn ? L.verifiedRecheck({ date: localDay(notice.recheckOn, ctx) }) : "",
      ]
        .filter(Boolean)
        .join("\n");
      break;
    }
    case "recheck_asked": {
      text = ctx.m.loops.recheckAsked({
        members: task.leadDept.members,
        replyBy: formatDue(new Date(notice.replyBy), ctx.tz, ctx.locale, ctx.now),
      });
      return {
        text,
        blocks: [
          section(clip(text, LIMITS.sectionText)),
          {
            type: "actions",
            elements: [
              {
                type: "button",
                action_id: ACTION.recheckHeld,
                style: "primary",
                text: { type: "plain_text", text: clip(ctx.m.loops.heldButton, LIMITS.buttonText) },
                value: String(notice.recheckId),
              },
              {
                type: "button",
                action_id: ACTION.recheckRelapsed,
                style: "danger",
                text: { type: "plain_text", text: clip(ctx.m.loops.relapsedButton, LIMITS.buttonText) },
                value: String(notice.recheckId),
              },
            ],
          },
        ],
      };
    }
    case "recheck_decided":
      text = notice.held
        ? ctx.m.loops.recheckHeld({ by: notice.by, note: notice.note ? words(notice.note) : "" })
        : ctx.m.loops.recheckRelapsed({ by: notice.by, note: words(notice.note) });
      break;
    case "reinstructed":
      text = ctx.m.loops.reinstructed({
        by: notice.by,
        text: words(notice.text),
        members: task.leadDept.members,
      });
      break;
    case "site_checked":
      text = ctx.m.loops.siteChecked({
        by: notice.by,
        finding: ctx.m.loops.findingName[notice.finding] ?? notice.finding,
        covert: notice.covert,
        falseClaim: notice.falseClaim,
      });
      break;
    case "returned":
      text = n.returned({ by: notice.by, reason: words(notice.reason) });
      break;
    case "extension_requested":
      text = n.extensionRequested({
        by: notice.by,
        date: date(notice.newDueAt),
        reason: words(notice.reason),
        late: notice.late,
      });
      break;
    case "extension_decided":
      text = notice.approved
        ? n.extensionApproved({
            by: notice.by,
            date: date(notice.newDueAt),
            note: notice.note ? words(notice.note) : "",
          })
        : n.extensionRejected({ by: notice.by, note: notice.note ? words(notice.note) : "" });
      break;
    case "cancelled":
      text = n.cancelled({ by: notice.by, reason: words(notice.reason) });
      break;
    case "reopened":
      text = n.reopened({ by: notice.by, reason: words(notice.reason) });
      break;
    case "starred": {
      text = n.starred({ by: notice.by, author: report?.userId ?? notice.by });
      // The office may spread it to every unit (a confidential task's stays in its thread).
      if (secret) break;
      return {
        text,
        blocks: [
          section(text),
          {
            type: "actions",
            elements: [
              {
                type: "button",
                action_id: ACTION.spread,
                text: { type: "plain_text", text: clip(n.spreadButton, LIMITS.buttonText) },
                value: `${task.id}:${notice.reportId}`,
              },
            ],
          },
        ],
      };
    }
    case "report_requested":
      text = n.reportRequested({ members: task.leadDept.members, cadence: ctx.m.cadence(task.cadence) });
      break;
    case "reminded":
      text = n.reminded({ reasons: reasonWords(notice.reasons, ctx) });
      break;
    case "escalation_urge":
      text = n.escalationUrge({ reasons: reasonWords(notice.reasons, ctx), members: task.leadDept.members });
      break;
    case "coordination_asked":
      if (!coordination) return { text: "", blocks: [] };
      text = n.coordinationAsked({
        department: coordination.toDept.name,
        members: coordination.toDept.members,
        need: secret ? ctx.m.coordination.secretNeed : words(coordination.need),
        replyBy: formatDue(coordination.replyBy, ctx.tz, ctx.locale, ctx.now),
      });
      break;
    case "coordination_answered": {
      if (!coordination?.answeredBy) return { text: "", blocks: [] };
      const said = {
        by: coordination.answeredBy,
        department: coordination.toDept.name,
        text: secret
          ? n.secretDetail
          : esc(
              clip(
                (coordination.state === "declined" ? coordination.declineReason : coordination.answer).trim(),
                EXCERPT,
              ),
            ),
      };
      text =
        coordination.state === "declined"
          ? ctx.m.coordination.declinedThread(said)
          : ctx.m.coordination.answered(said);
      break;
    }
    case "offer_claim":
      return {
        text: n.offerClaim,
        blocks: [
          section(n.offerClaim),
          {
            type: "actions",
            elements: [
              {
                type: "button",
                action_id: ACTION.claim,
                style: "primary",
                text: { type: "plain_text", text: clip(ctx.m.card.buttons.claim, LIMITS.buttonText) },
                value: String(task.id),
              },
            ],
          },
        ],
      };
  }
  return { text, blocks: [section(clip(text, LIMITS.sectionText))] };
}

/** A YYYY-MM-DD day as the thread shows dates. */
function localDay(day: string, ctx: RenderContext): string {
  return isLocalDate(day) ? shortDate(startOfDay(day, ctx.tz), ctx) : day;
}

/** 推广先进经验 in a unit's channel: which unit did what on which task, and who wrote it. */
export function experienceReply(task: TaskView, report: StoredReport, ctx: RenderContext): Reply {
  const number = taskNumber(task, ctx);
  const text = ctx.m.taskNotice.experience({
    department: task.leadDept.name,
    task: task.card?.url ? `<${task.card.url}|${number}>` : number,
    title: esc(task.title),
    text: esc(clip(report.text.trim(), EXCERPT)),
    author: report.userId,
  });
  return { text, blocks: [section(text)] };
}

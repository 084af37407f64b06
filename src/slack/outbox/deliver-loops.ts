import { closureDocx, closureSubject } from "../../bulletin/closure-docx.js";
import { bulletinDocx } from "../../bulletin/docx.js";
import type { OutboxEntry, OwedMessage } from "../../domain/outbox.js";
import { esc } from "../../i18n/format.js";
import { closureReport } from "../../services/closures.js";
import { loadLightSetup } from "../../services/lights.js";
import { loadSettings } from "../../services/settings.js";
import { ACTION } from "../ids.js";
import { clip, LIMITS, type Reply, section } from "../render/blocks.js";
import { taskNumber } from "../render/format.js";
import { periodLabel } from "../render/summary.js";
import { shareFiles, userNames } from "./upload.js";

/** How the messages that close the loops are sent: 报结 to the leader (a line, the .docx, 阅/再批示). */

type Delivered = { outcome: "sent"; ts?: string } | { outcome: "moot"; why: string };

export interface LoopDelivery {
  post(
    channel: string,
    reply: Reply,
    entry: OutboxEntry,
    threadTs?: string,
  ): Promise<{ outcome: "sent"; ts?: string }>;
  ctx: import("./deliver.js").DeliveryContext;
}

type LoopKind = "closure.line" | "closure.report" | "closure.notice" | "bulletin.docx";
type Handler<K extends LoopKind> = (
  message: Extract<OwedMessage, { kind: K }>,
  entry: OutboxEntry,
  d: LoopDelivery,
) => Promise<Delivered>;

export const LOOP_HANDLERS: { [K in LoopKind]: Handler<K> } = {
  // 通报范围: the units read the bulletin as the office prints it (the ledger, with every unit's
  // tasks, stays with the leaders).
  "bulletin.docx": async (message, _entry, { ctx }) => {
    const { summary } = message;
    const settings = await loadSettings(ctx.services);
    const label = periodLabel(summary, ctx.render);
    const bytes = await bulletinDocx({
      summary,
      office: settings.officeName,
      distribution: settings.bulletinDistribution,
      label,
      m: ctx.render.m,
      locale: ctx.render.locale,
      tz: ctx.render.tz,
    });
    const B = ctx.render.m.bulletin;
    const title = B.fileTitle({ no: summary.issueNo, label });
    await shareFiles({
      web: ctx.web,
      target: message.channel,
      files: [
        { filename: summary.issueNo ? `${title}.docx` : B.fileName({ key: summary.key }), title, bytes },
      ],
      comment: title,
      reconcile: ctx.reconcile,
      shareSettleMs: ctx.shareSettleMs,
      fetch: ctx.fetch,
    });
    return { outcome: "sent" };
  },

  "closure.line": async (message, entry, { ctx, post }) => {
    const task = await ctx.reads.task(message.taskId);
    if (!task) return { outcome: "moot", why: "task not found" };
    const decision = await ctx.reads.decision(task.decision.id);
    if (!decision) return { outcome: "moot", why: "decision not found" };
    const number = taskNumber(task, ctx.render);
    const text = ctx.render.m.loops.closureLine({
      decision: esc(closureSubject(decision)),
      task: `${task.card?.url ? `<${task.card.url}|${number}>` : number} ${esc(task.title)}`,
      closed: message.closed,
      total: message.total,
    });
    return post(message.channel, { text, blocks: [section(clip(text, LIMITS.sectionText))] }, entry);
  },

  "closure.report": async (message, _entry, { ctx }) => {
    const report = await closureReport(ctx.services, message.closureId);
    if (!report) return { outcome: "moot", why: "closure not found" };
    const settings = await loadSettings(ctx.services);
    const setup = await ctx.services.store.read((tx) => loadLightSetup(tx));
    const ids = [report.closure.leaderUserId, ...report.tasks.flatMap((t) => t.reports.map((r) => r.userId))];
    const bytes = await closureDocx({
      report,
      names: await userNames(ctx.web)(ids),
      office: settings.officeName,
      m: ctx.render.m,
      locale: ctx.render.locale,
      tz: ctx.render.tz,
      calendar: setup.calendar,
      now: report.closure.createdAt,
    });
    const W = ctx.render.m.closureDoc;
    const title = W.title({ subject: closureSubject(report.decision) });
    await shareFiles({
      web: ctx.web,
      target: message.channel,
      files: [
        {
          filename: W.fileName({ decisionId: report.decision.id, round: report.closure.round }),
          title,
          bytes,
        },
      ],
      comment: title,
      reconcile: ctx.reconcile,
      shareSettleMs: ctx.shareSettleMs,
      fetch: ctx.fetch,
    });
    return { outcome: "sent" };
  },

  "closure.notice": async (message, entry, { ctx, post }) => {
    const report = await closureReport(ctx.services, message.closureId);
    if (!report) return { outcome: "moot", why: "closure not found" };
    const L = ctx.render.m.loops;
    const text = L.closureReady({
      decision: esc(closureSubject(report.decision)),
      count: report.tasks.filter((t) => t.task.state !== "cancelled").length,
      round: report.closure.round,
    });
    const button = (action_id: string, label: string, primary: boolean) => ({
      type: "button" as const,
      action_id,
      text: { type: "plain_text" as const, text: clip(label, LIMITS.buttonText) },
      value: String(report.closure.id),
      ...(primary ? { style: "primary" as const } : {}),
    });
    const reply: Reply = {
      text,
      blocks: [
        section(clip(text, LIMITS.sectionText)),
        {
          type: "actions",
          elements: [
            button(ACTION.closureRead, L.readButton, true),
            button(ACTION.closureReinstruct, L.reinstructButton, false),
          ],
        },
      ],
    };
    return post(message.channel, reply, entry);
  },
};

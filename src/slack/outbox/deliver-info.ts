import { digestDocx } from "../../bulletin/digest-docx.js";
import type { OutboxEntry, OwedMessage } from "../../domain/outbox.js";
import { digestItems, infoPosted, infoReport } from "../../services/information.js";
import { loadSettings } from "../../services/settings.js";
import type { Reply } from "../render/blocks.js";
import { digestReply, infoCard, infoEscalationReply, infoNoticeReply } from "../render/information.js";
import type { LoopDelivery } from "./deliver-loops.js";
import { shareFiles } from "./upload.js";

/** How the 信息报送 messages are sent: the office's card, the unit's copy, notices, the 要情. */

type Delivered =
  | { outcome: "sent"; ts?: string }
  | { outcome: "moot"; why: string }
  | { outcome: "wait"; why: string };
type InfoKind = "info.card" | "info.copy" | "info.update" | "info.notice" | "info.escalation" | "info.digest";
type Handler<K extends InfoKind> = (
  message: Extract<OwedMessage, { kind: K }>,
  entry: OutboxEntry,
  d: LoopDelivery & { permalink(channel: string, ts: string): Promise<string | null> },
) => Promise<Delivered>;

const NOT_FOUND = { outcome: "moot", why: "report not found" } as const;

export const INFO_HANDLERS: { [K in InfoKind]: Handler<K> } = {
  "info.card": async (message, entry, { ctx, post, permalink }) => {
    const report = await infoReport(ctx.services, message.reportId);
    if (!report) return NOT_FOUND;
    if (report.card) return { outcome: "moot", why: "card already posted" };
    const posted = await post(message.channel, infoCard(report, ctx.render, "card"), entry);
    const ts = posted.ts ?? "";
    await infoPosted(ctx.services, {
      reportId: report.id,
      where: "card",
      channelId: message.channel,
      ts,
      url: await permalink(message.channel, ts),
    });
    return posted;
  },

  "info.copy": async (message, entry, { ctx, post }) => {
    const report = await infoReport(ctx.services, message.reportId);
    if (!report) return NOT_FOUND;
    if (report.unitCopy) return { outcome: "moot", why: "copy already posted" };
    const posted = await post(message.channel, infoCard(report, ctx.render, "copy"), entry);
    await infoPosted(ctx.services, {
      reportId: report.id,
      where: "copy",
      channelId: message.channel,
      ts: posted.ts ?? "",
      url: null,
    });
    return posted;
  },

  "info.update": async (message, _entry, { ctx }) => {
    const report = await infoReport(ctx.services, message.reportId);
    if (!report) return NOT_FOUND;
    if (!report.card && !report.unitCopy) return { outcome: "wait", why: "the cards are not posted yet" };
    for (const [where, at] of [
      ["card", report.card],
      ["copy", report.unitCopy],
    ] as const) {
      if (!at) continue;
      const reply = infoCard(report, ctx.render, where);
      await ctx.web.chat.update({ channel: at.channelId, ts: at.ts, text: reply.text, blocks: reply.blocks });
    }
    return { outcome: "sent" };
  },

  "info.notice": async (message, entry, { ctx, post }) => {
    const report = await infoReport(ctx.services, message.reportId);
    if (!report) return NOT_FOUND;
    const at = message.where === "card" ? report.card : report.unitCopy;
    if (!at) return { outcome: "wait", why: "the card is not posted yet" };
    const reply: Reply = infoNoticeReply(report, message.notice, ctx.render);
    if (!reply.text) return { outcome: "moot", why: "nothing to say" };
    return post(at.channelId, reply, entry, at.ts);
  },

  "info.escalation": async (message, entry, { ctx, post }) => {
    const report = await infoReport(ctx.services, message.reportId);
    if (!report) return NOT_FOUND;
    return post(message.channel, infoEscalationReply(report, ctx.render), entry);
  },

  "info.digest": async (message, entry, { ctx, post }) => {
    const reports = await digestItems(ctx.services, message.digestNo);
    if (reports.length === 0) return { outcome: "moot", why: "empty digest" };
    const posted = await post(message.channel, digestReply(message.digestNo, reports, ctx.render), entry);
    const settings = await loadSettings(ctx.services);
    const bytes = await digestDocx({
      digestNo: message.digestNo,
      reports,
      office: settings.officeName,
      distribution: settings.bulletinDistribution,
      m: ctx.render.m,
      tz: ctx.render.tz,
      now: ctx.createdAt,
    });
    const I = ctx.render.m.info;
    await shareFiles({
      web: ctx.web,
      target: message.channel,
      files: [
        {
          filename: I.digestFile({ no: message.digestNo }),
          title: I.digestTitle({ no: message.digestNo }),
          bytes,
        },
      ],
      comment: I.digestTitle({ no: message.digestNo }),
      // The post went: a retry of the file looks for it before sharing it again.
      reconcile: true,
      shareSettleMs: ctx.shareSettleMs,
      fetch: ctx.fetch,
    });
    return posted;
  },
};

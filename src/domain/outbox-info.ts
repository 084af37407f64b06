import { z } from "zod";
import type { OutboxRequest, OwedMessage } from "./outbox.js";

/**
 * The messages 信息报送 owes (src/domain/outbox.ts holds them with the rest): their shapes, and
 * how each is owed — its key (written once) and its lane (kept in order).
 */
export const INFO_MESSAGES = [
  /** 信息报送: the office's card (信息频道), the unit's copy, both brought up to date. */
  z.object({ kind: z.literal("info.card"), reportId: z.number().int(), channel: z.string() }),
  z.object({ kind: z.literal("info.copy"), reportId: z.number().int(), channel: z.string() }),
  z.object({ kind: z.literal("info.update"), reportId: z.number().int() }),
  /** A notice in the thread of a report's card or copy. */
  z.object({
    kind: z.literal("info.notice"),
    reportId: z.number().int(),
    where: z.enum(["card", "copy"]),
    notice: z.discriminatedUnion("type", [
      z.object({ type: z.literal("verdict") }),
      z.object({ type: z.literal("asked"), by: z.string() }),
      z.object({ type: z.literal("follow_up"), followUpId: z.number().int() }),
      z.object({ type: z.literal("ladder"), step: z.number().int() }),
    ]),
  }),
  /** An owed 续报 at the ladder's top: told in the supervision channel. */
  z.object({ kind: z.literal("info.escalation"), reportId: z.number().int(), channel: z.string() }),
  /** 《要情》第N期 to the leaders: its post, then its .docx. */
  z.object({ kind: z.literal("info.digest"), digestNo: z.number().int(), channel: z.string() }),
] as const;

type InfoNotice = Extract<OwedMessage, { kind: "info.notice" }>["notice"];

export const oweInfo = {
  infoCard(reportId: number, channel: string): OutboxRequest {
    return { key: `info.card:${reportId}`, lane: channel, message: { kind: "info.card", reportId, channel } };
  },
  infoCopy(reportId: number, channel: string): OutboxRequest {
    return { key: `info.copy:${reportId}`, lane: channel, message: { kind: "info.copy", reportId, channel } };
  },
  /** Both the card and the copy show the report as it stands (coalesced; its own lane). */
  infoUpdate(reportId: number): OutboxRequest {
    return {
      key: `info.update:${reportId}`,
      lane: `info:${reportId}`,
      message: { kind: "info.update", reportId },
    };
  },
  infoNotice(reportId: number, where: "card" | "copy", occasion: string, notice: InfoNotice): OutboxRequest {
    return {
      key: `info.notice:${reportId}:${where}:${occasion}`,
      lane: `info:${reportId}`,
      message: { kind: "info.notice", reportId, where, notice },
    };
  },
  infoEscalation(reportId: number, channel: string): OutboxRequest {
    return {
      key: `info.escalation:${reportId}`,
      lane: channel,
      message: { kind: "info.escalation", reportId, channel },
    };
  },
  infoDigest(digestNo: number, channel: string): OutboxRequest {
    return {
      key: `info.digest:${digestNo}`,
      lane: channel,
      message: { kind: "info.digest", digestNo, channel },
    };
  },
};

import { INFO_CATEGORIES, INFO_URGENCIES, type InfoReportView } from "../../domain/information.js";
import type { Department } from "../../domain/model.js";
import { CALLBACK, INFO_INPUT } from "../ids.js";
import { context, type KnownBlock } from "./blocks.js";
import type { RenderContext } from "./format.js";
import { infoNumber } from "./information.js";
import { input, modal, option, textElement, type View } from "./modal-kit.js";

/** The 信息报送 modals: 报送, a reason (不采用 / 退回补充), 要求续报, 续报 / 终报, a leader's 批示. */

const text = textElement;

export interface InfoModalMeta {
  /** The units the person may report for, when they are more than one (else the one). */
  unitId?: number;
  source?: { channelId: string; ts: string };
  files?: { name: string; permalink: string | null }[];
}

/** 报送信息: 标题, 事发时间 (date and time, now by default), 地点, 类别, 紧急程度, 情况, 知悉范围. */
export function infoModal(
  units: readonly Department[],
  ctx: RenderContext,
  prefill: { text?: string; date: string; time: string; meta: InfoModalMeta },
): View {
  const I = ctx.m.info;
  const blocks: KnownBlock[] = [];
  const [only] = units;
  const meta: InfoModalMeta = { ...prefill.meta, ...(units.length === 1 && only ? { unitId: only.id } : {}) };
  if (units.length > 1)
    blocks.push(
      input(INFO_INPUT.unit, I.modalUnit, {
        type: "static_select",
        options: units.slice(0, 100).map((d) => option(String(d.id), d.name)),
      }),
    );
  else if (only) blocks.push(context(`${I.modalUnit}：${only.name}`));
  const firstLine = (prefill.text ?? "").split("\n")[0]?.trim() ?? "";
  blocks.push(
    input(INFO_INPUT.title, I.modalTitleLabel, text(false, firstLine.slice(0, 60), 100)),
    input(INFO_INPUT.date, I.modalDate, { type: "datepicker", initial_date: prefill.date }),
    input(INFO_INPUT.time, I.modalTime, { type: "timepicker", initial_time: prefill.time }),
    input(INFO_INPUT.place, I.modalPlace, text(false, undefined, 100), { optional: true }),
    input(INFO_INPUT.category, I.modalCategory, {
      type: "static_select",
      options: INFO_CATEGORIES.map((c) => option(c, I.categoryName[c] ?? c)),
      initial_option: option("incident", I.categoryName.incident ?? "incident"),
    }),
    input(INFO_INPUT.urgency, I.modalUrgency, {
      type: "radio_buttons",
      options: INFO_URGENCIES.map((u) => option(u, I.urgencyName[u] ?? u)),
      initial_option: option("urgent", I.urgencyName.urgent ?? "urgent"),
    }),
    input(INFO_INPUT.text, I.modalText, text(true, prefill.text), { hint: I.modalTextHint }),
    input(INFO_INPUT.confidentiality, I.modalConfidentiality, {
      type: "radio_buttons",
      options: (["public", "internal", "secret"] as const).map((c) =>
        option(c, ctx.m.confidentialityName[c]),
      ),
      initial_option: option("internal", ctx.m.confidentialityName.internal),
    }),
  );
  if (meta.files?.length) blocks.push(context(I.modalFiles({ count: meta.files.length })));
  return modal(CALLBACK.info, I.modalTitle, meta, blocks, ctx);
}

/** 不采用 / 退回补充: the reason the unit is told. */
export function infoReasonModal(
  report: InfoReportView,
  verdict: "rejected" | "returned",
  ctx: RenderContext,
): View {
  const I = ctx.m.info;
  return modal(
    CALLBACK.infoReason,
    I.reasonTitle({ verdict: I.verdictName[verdict] ?? verdict }),
    { reportId: report.id, verdict },
    [
      context(`*${infoNumber(report, ctx)}* ${report.title}`),
      input(INFO_INPUT.reason, I.reasonLabel, text(true)),
    ],
    ctx,
  );
}

/** 要求续报: by a date and time (in two hours by default). */
export function infoAskModal(
  report: InfoReportView,
  ctx: RenderContext,
  by: { date: string; time: string },
): View {
  const I = ctx.m.info;
  return modal(
    CALLBACK.infoAsk,
    I.askTitle,
    { reportId: report.id },
    [
      context(`*${infoNumber(report, ctx)}* ${report.title}`),
      input(INFO_INPUT.date, I.askDate, { type: "datepicker", initial_date: by.date }),
      input(INFO_INPUT.time, I.askTime, { type: "timepicker", initial_time: by.time }),
    ],
    ctx,
  );
}

/** 续报 / 终报: what is new. */
export function infoFollowModal(report: InfoReportView, kind: "follow" | "final", ctx: RenderContext): View {
  const I = ctx.m.info;
  const title = kind === "final" ? I.final : I.follow;
  return modal(
    CALLBACK.infoFollow,
    I.followTitle({ kind: title }),
    { reportId: report.id, kind },
    [
      context(`*${infoNumber(report, ctx)}* ${report.title}`),
      input(INFO_INPUT.text, I.followLabel, text(true)),
    ],
    ctx,
  );
}

/** A leader's 批示 on a 要情 item; submitted, it becomes the decision modal, pre-filled. */
export function infoInstructModal(digestNo: number, report: InfoReportView, ctx: RenderContext): View {
  const I = ctx.m.info;
  return modal(
    CALLBACK.infoInstruct,
    I.instructTitle,
    { digestNo, reportId: report.id },
    [
      context(`*${I.digestTitle({ no: digestNo })}* ${report.title}`),
      input(INFO_INPUT.text, I.instructLabel, text(true)),
    ],
    ctx,
  );
}

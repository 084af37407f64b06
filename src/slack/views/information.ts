import type { App } from "@slack/bolt";
import { z } from "zod";
import { CONFIDENTIALITIES } from "../../domain/decision.js";
import { isAppError } from "../../domain/errors.js";
import { INFO_CATEGORIES, INFO_URGENCIES } from "../../domain/information.js";
import { startDecision } from "../../services/decisions.js";
import {
  addFollowUp,
  askFollowUp,
  decideInfo,
  infoReport,
  submitInfoReport,
} from "../../services/information.js";
import { modalContext } from "../decision-start.js";
import type { SlackDeps } from "../deps.js";
import { CALLBACK, INFO_INPUT } from "../ids.js";
import { instantOf } from "../info-start.js";
import { decisionModal } from "../render/decision-modal.js";
import { doneModal } from "../render/loop-modals.js";
import { renderContext } from "../render-context.js";
import { readMeta, StateReader } from "../view-state.js";
import { submitView } from "../within-deadline.js";

const ZSubmitMeta = z.object({
  unitId: z.number().int().optional(),
  source: z.object({ channelId: z.string(), ts: z.string() }).optional(),
  files: z.array(z.object({ name: z.string(), permalink: z.string().nullable() })).optional(),
});
const ZReport = z.object({ reportId: z.number().int() });
const ZReason = ZReport.extend({ verdict: z.enum(["rejected", "returned"]) });
const ZFollow = ZReport.extend({ kind: z.enum(["follow", "final"]) });
const ZInstruct = ZReport.extend({ digestNo: z.number().int() });

/** The 信息报送 modals' submissions. */
export function register(app: App, deps: SlackDeps): void {
  const I = () => deps.messages.info;
  const tz = () => deps.services.timeZone;

  app.view(CALLBACK.info, async ({ ack, body, view, client }) => {
    const meta = readMeta(ZSubmitMeta, view.private_metadata);
    const state = new StateReader(view.state);
    const unitId = meta.unitId ?? Number(state.option(INFO_INPUT.unit));
    const title = (state.text(INFO_INPUT.title) ?? "").trim();
    const text = (state.text(INFO_INPUT.text) ?? "").trim();
    const occurredAt = instantOf(state.date(INFO_INPUT.date), state.time(INFO_INPUT.time), tz());
    const category = z.enum(INFO_CATEGORIES).safeParse(state.option(INFO_INPUT.category));
    const urgency = z.enum(INFO_URGENCIES).safeParse(state.option(INFO_INPUT.urgency));
    const confidentiality = z
      .enum(CONFIDENTIALITIES)
      .catch("internal")
      .parse(state.option(INFO_INPUT.confidentiality));
    const errors: Record<string, string> = {};
    const missing = deps.messages.loops.missing;
    if (!Number.isInteger(unitId) || unitId <= 0) errors[INFO_INPUT.unit] = missing;
    if (!title) errors[INFO_INPUT.title] = missing;
    if (!text) errors[INFO_INPUT.text] = missing;
    if (!occurredAt) errors[INFO_INPUT.time] = missing;
    if (!category.success) errors[INFO_INPUT.category] = missing;
    if (!urgency.success) errors[INFO_INPUT.urgency] = missing;
    if (Object.keys(errors).length || !occurredAt || !category.success || !urgency.success) {
      await ack({ response_action: "errors", errors });
      return;
    }
    await submitView(
      deps,
      { ack, client, viewId: view.id },
      {
        work: async () => {
          try {
            const stored = await submitInfoReport(deps.services, {
              actor: body.user.id,
              departmentId: unitId,
              title,
              occurredAt,
              place: state.text(INFO_INPUT.place) ?? "",
              category: category.data,
              urgency: urgency.data,
              text,
              confidentiality,
              ...(meta.files ? { files: meta.files } : {}),
              ...(meta.source ? { source: meta.source } : {}),
              submissionKey: `view:${view.id}`,
            });
            const report = await infoReport(deps.services, stored.id);
            return { stored, report, refused: null, ctx: await renderContext(deps) };
          } catch (error) {
            if (isAppError(error) && error.code === "info_refused") {
              const why = (error.params as { why: string }).why;
              if (why === "future" || why === "too_old")
                return {
                  stored: null,
                  report: null,
                  refused: deps.messages.errors.info_refused({ why }),
                  ctx: null,
                };
            }
            throw error;
          }
        },
        answer: ({ stored, report, refused, ctx }) => {
          if (refused) return { response_action: "errors", errors: { [INFO_INPUT.time]: refused } };
          if (!stored || !report || !ctx) return undefined;
          const duration = (minutes: number) => I().duration({ minutes: Math.max(0, minutes) });
          return {
            response_action: "update",
            view: doneModal(
              I().modalTitle,
              I().submitted({
                number: I().number(report),
                late: stored.late,
                taken: duration(stored.minutes),
                over: duration(stored.minutes - stored.limitMinutes),
              }),
              ctx,
            ),
          };
        },
      },
    );
  });

  app.view(CALLBACK.infoReason, async ({ ack, body, view, client }) => {
    const { reportId, verdict } = readMeta(ZReason, view.private_metadata);
    const note = (new StateReader(view.state).text(INFO_INPUT.reason) ?? "").trim();
    if (!note) {
      await ack({ response_action: "errors", errors: { [INFO_INPUT.reason]: deps.messages.loops.missing } });
      return;
    }
    await submitView(
      deps,
      { ack, client, viewId: view.id },
      {
        work: () => decideInfo(deps.services, { actor: body.user.id, reportId, verdict, note }),
        answer: () => undefined,
      },
    );
  });

  app.view(CALLBACK.infoAsk, async ({ ack, body, view, client }) => {
    const { reportId } = readMeta(ZReport, view.private_metadata);
    const state = new StateReader(view.state);
    const by = instantOf(state.date(INFO_INPUT.date), state.time(INFO_INPUT.time), tz());
    if (!by || by <= deps.services.clock.now()) {
      await ack({
        response_action: "errors",
        errors: { [INFO_INPUT.time]: deps.messages.errors.info_refused({ why: "past" }) },
      });
      return;
    }
    await submitView(
      deps,
      { ack, client, viewId: view.id },
      {
        work: () => askFollowUp(deps.services, { actor: body.user.id, reportId, by }),
        answer: () => undefined,
      },
    );
  });

  app.view(CALLBACK.infoFollow, async ({ ack, body, view, client }) => {
    const { reportId, kind } = readMeta(ZFollow, view.private_metadata);
    const text = (new StateReader(view.state).text(INFO_INPUT.text) ?? "").trim();
    if (!text) {
      await ack({ response_action: "errors", errors: { [INFO_INPUT.text]: deps.messages.loops.missing } });
      return;
    }
    await submitView(
      deps,
      { ack, client, viewId: view.id },
      {
        work: () => addFollowUp(deps.services, { actor: body.user.id, reportId, kind, text }),
        answer: () => undefined,
      },
    );
  });

  // A leader's 批示 on a 要情 item: the decision modal takes its place, the item and the 批示 in it.
  app.view(CALLBACK.infoInstruct, async ({ ack, body, view, client }) => {
    const { reportId, digestNo } = readMeta(ZInstruct, view.private_metadata);
    const instruction = (new StateReader(view.state).text(INFO_INPUT.text) ?? "").trim();
    if (!instruction) {
      await ack({ response_action: "errors", errors: { [INFO_INPUT.text]: deps.messages.loops.missing } });
      return;
    }
    await submitView(
      deps,
      { ack, client, viewId: view.id },
      {
        work: async () => {
          const report = await infoReport(deps.services, reportId);
          const state = await startDecision(deps.services, {
            actor: body.user.id,
            text: instruction,
            source: "instruction",
            sourceRef: I().instructRef({ no: digestNo, title: (report?.title ?? "").slice(0, 40) }),
          });
          return decisionModal(state, modalContext(deps));
        },
        answer: (modal) => ({ response_action: "update", view: modal }),
      },
    );
  });
}

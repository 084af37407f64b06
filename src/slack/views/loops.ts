import type { App, ViewResponseAction } from "@slack/bolt";
import { z } from "zod";
import { isAppError } from "../../domain/errors.js";
import { SITE_FINDINGS } from "../../domain/loops.js";
import { isLocalDate } from "../../domain/time.js";
import { reinstruct } from "../../services/closures.js";
import { verifyTask } from "../../services/office-actions.js";
import { decideRecheck } from "../../services/rechecks.js";
import { recordSiteCheck } from "../../services/site-checks.js";
import type { SlackDeps } from "../deps.js";
import { CALLBACK, LOOP_INPUT } from "../ids.js";
import { doneModal } from "../render/loop-modals.js";
import { renderContext } from "../render-context.js";
import { readMeta, StateReader } from "../view-state.js";
import { submitView } from "../within-deadline.js";

const ZTask = z.object({ taskId: z.number().int() });
const ZRecheck = z.object({ recheckId: z.number().int() });
const ZClosure = z.object({ closureId: z.number().int() });
const ZFinding = z.enum(SITE_FINDINGS);

/** The loop modals' submissions: 验收, 问题反弹, 再批示, 实地核查. */
export function register(app: App, deps: SlackDeps): void {
  const words = () => deps.messages.loops;

  app.view(CALLBACK.verify, async ({ ack, body, view, client }) => {
    const { taskId } = readMeta(ZTask, view.private_metadata);
    const state = new StateReader(view.state);
    const note = (state.text(LOOP_INPUT.note) ?? "").trim();
    const recheckOn = state.date(LOOP_INPUT.recheckOn) ?? null;
    await submitView(
      deps,
      { ack, client, viewId: view.id },
      {
        work: async () => {
          try {
            await verifyTask(deps.services, { actor: body.user.id, taskId, once: view.id, note, recheckOn });
            return { badDate: false };
          } catch (error) {
            if (isAppError(error) && error.code === "recheck_date") return { badDate: true };
            throw error;
          }
        },
        answer: ({ badDate }): ViewResponseAction | undefined =>
          badDate
            ? {
                response_action: "errors",
                errors: {
                  [LOOP_INPUT.recheckOn]: deps.messages.errors.recheck_date({ date: recheckOn ?? "" }),
                },
              }
            : undefined,
      },
    );
  });

  app.view(CALLBACK.relapse, async ({ ack, body, view, client }) => {
    const { recheckId } = readMeta(ZRecheck, view.private_metadata);
    const note = (new StateReader(view.state).text(LOOP_INPUT.note) ?? "").trim();
    if (!note) {
      await ack({ response_action: "errors", errors: { [LOOP_INPUT.note]: words().missing } });
      return;
    }
    await submitView(
      deps,
      { ack, client, viewId: view.id },
      {
        work: () =>
          decideRecheck(deps.services, { actor: body.user.id, recheckId, held: false, note, once: view.id }),
        answer: () => undefined,
      },
    );
  });

  app.view(CALLBACK.reinstruct, async ({ ack, body, view, client }) => {
    const { closureId } = readMeta(ZClosure, view.private_metadata);
    const state = new StateReader(view.state);
    const text = (state.text(LOOP_INPUT.text) ?? "").trim();
    if (!text) {
      await ack({ response_action: "errors", errors: { [LOOP_INPUT.text]: words().missing } });
      return;
    }
    const action = state.option(LOOP_INPUT.action) === "reopen" ? "reopen" : "record";
    const dueDate = state.date(LOOP_INPUT.due) ?? null;
    await submitView(
      deps,
      { ack, client, viewId: view.id },
      {
        work: async () => ({
          result: await reinstruct(deps.services, {
            actor: body.user.id,
            closureId,
            text,
            action,
            dueDate,
            once: view.id,
          }),
          ctx: await renderContext(deps),
        }),
        answer: ({ result, ctx }) => ({
          response_action: "update",
          view: doneModal(
            words().reinstructTitle,
            words().reinstructDone({ count: result?.reopened.length ?? 0 }),
            ctx,
          ),
        }),
      },
    );
  });

  app.view(CALLBACK.siteCheck, async ({ ack, body, view, client }) => {
    const { taskId } = readMeta(ZTask, view.private_metadata);
    const state = new StateReader(view.state);
    const checkers = (state.text(LOOP_INPUT.checkers) ?? "").trim();
    const place = (state.text(LOOP_INPUT.place) ?? "").trim();
    const date = state.date(LOOP_INPUT.date);
    const finding = ZFinding.safeParse(state.option(LOOP_INPUT.finding));
    const errors: Record<string, string> = {};
    if (!checkers) errors[LOOP_INPUT.checkers] = words().missing;
    if (!place) errors[LOOP_INPUT.place] = words().missing;
    if (!date || !isLocalDate(date)) errors[LOOP_INPUT.date] = words().missing;
    if (!finding.success) errors[LOOP_INPUT.finding] = words().missing;
    if (Object.keys(errors).length || !date || !isLocalDate(date) || !finding.success) {
      await ack({ response_action: "errors", errors });
      return;
    }
    await submitView(
      deps,
      { ack, client, viewId: view.id },
      {
        work: async () => ({
          falseClaim: await recordSiteCheck(deps.services, {
            actor: body.user.id,
            taskId,
            once: view.id,
            checkers,
            checkedOn: date,
            place,
            finding: finding.data,
            note: (state.text(LOOP_INPUT.note) ?? "").trim(),
            covert: state.options(LOOP_INPUT.covert).includes("covert"),
            fileIds: state.options(LOOP_INPUT.files),
          }),
          ctx: await renderContext(deps),
        }),
        answer: ({ falseClaim, ctx }) => ({
          response_action: "update",
          view: doneModal(words().siteTitle, words().siteDone({ falseClaim }), ctx),
        }),
      },
    );
  });
}

import type { App, ViewResponseAction } from "@slack/bolt";
import type { WebClient } from "@slack/web-api";
import { z } from "zod";
import { isAppError } from "../../domain/errors.js";
import { CAUSES } from "../../domain/report-reading.js";
import { isLocalDate } from "../../domain/time.js";
import { requestCoordination } from "../../services/coordination.js";
import { claimCompletion, requestExtension, submitReport } from "../../services/department-actions.js";
import { cancelTask, decideExtension, reopenTask, returnTask } from "../../services/office-actions.js";
import type { SlackDeps } from "../deps.js";
import { ACTION_INPUT, CALLBACK } from "../ids.js";
import { readMeta, StateReader } from "../view-state.js";
import { type SubmitWithin, submitView } from "../within-deadline.js";

const ZMeta = z.object({
  taskId: z.number().int(),
  reason: z.enum(["return", "cancel", "reject_extension", "reopen"]).optional(),
});
const ZCause = z.enum(CAUSES);

/** The modal closes when the change is made in time; else it says "正在处理" and then "已提交". */
function within(
  deps: SlackDeps,
  ack: SubmitWithin<unknown>["ack"],
  client: WebClient,
  viewId: string,
  work: () => Promise<unknown>,
) {
  return submitView(
    deps,
    { ack, client, viewId },
    {
      work,
      answer: () => undefined,
    },
  );
}

/** The task action modals: report, claim, extension, and the reasons for return, cancel, rejection, reopening. */
export function register(app: App, deps: SlackDeps): void {
  // Read when answering, in the language of the person answered.
  const words = () => deps.messages.taskModals;

  app.view(CALLBACK.report, async ({ ack, body, view, client }) => {
    const { taskId } = readMeta(ZMeta, view.private_metadata);
    const state = new StateReader(view.state);
    const text = (state.text(ACTION_INPUT.text) ?? "").trim();
    const raw = state.text(ACTION_INPUT.progress);
    const progress = raw === undefined || raw === "" ? null : Number(raw);
    if (!text) {
      await ack({ response_action: "errors", errors: { [ACTION_INPUT.text]: words().report.missingText } });
      return;
    }
    const blocker = state.options(ACTION_INPUT.blocker).includes("blocked");
    await within(deps, ack, client, view.id, () =>
      submitReport(deps.services, {
        actor: body.user.id,
        taskId,
        once: view.id,
        text,
        progress:
          progress !== null && Number.isInteger(progress) && progress >= 0 && progress <= 100
            ? progress
            : null,
        blocker,
        cause: blocker ? ZCause.catch("other").parse(state.option(ACTION_INPUT.cause)) : null,
        coordinate: state
          .options(ACTION_INPUT.coordinate)
          .map(Number)
          .filter((id) => Number.isInteger(id) && id > 0),
      }),
    );
  });

  app.view(CALLBACK.coordinate, async ({ ack, body, view, client }) => {
    const { taskId } = readMeta(ZMeta, view.private_metadata);
    const state = new StateReader(view.state);
    const need = (state.text(ACTION_INPUT.need) ?? "").trim();
    const departmentIds = state
      .options(ACTION_INPUT.coordinate)
      .map(Number)
      .filter((id) => Number.isInteger(id) && id > 0);
    const errors: Record<string, string> = {};
    if (departmentIds.length === 0) errors[ACTION_INPUT.coordinate] = words().report.missingDepartments;
    if (!need) errors[ACTION_INPUT.need] = words().report.missingNeed;
    if (Object.keys(errors).length) {
      await ack({ response_action: "errors", errors });
      return;
    }
    await within(deps, ack, client, view.id, () =>
      requestCoordination(deps.services, { actor: body.user.id, taskId, once: view.id, departmentIds, need }),
    );
  });

  app.view(CALLBACK.claim, async ({ ack, body, view, client }) => {
    const { taskId } = readMeta(ZMeta, view.private_metadata);
    const state = new StateReader(view.state);
    const evidence = (state.text(ACTION_INPUT.text) ?? "").trim();
    if (!evidence) {
      await ack({ response_action: "errors", errors: { [ACTION_INPUT.text]: words().claim.missing } });
      return;
    }
    await within(deps, ack, client, view.id, () =>
      claimCompletion(deps.services, {
        actor: body.user.id,
        taskId,
        once: view.id,
        evidence,
        fileIds: state.options(ACTION_INPUT.files),
      }),
    );
  });

  app.view(CALLBACK.extend, async ({ ack, body, view, client }) => {
    const { taskId } = readMeta(ZMeta, view.private_metadata);
    const state = new StateReader(view.state);
    const date = state.date(ACTION_INPUT.date);
    const reason = (state.text(ACTION_INPUT.reason) ?? "").trim();
    const errors: Record<string, string> = {};
    if (!date || !isLocalDate(date)) errors[ACTION_INPUT.date] = words().extend.missingDate;
    if (!reason) errors[ACTION_INPUT.reason] = words().extend.missingReason;
    if (Object.keys(errors).length || !date) {
      await ack({ response_action: "errors", errors });
      return;
    }
    await submitView(
      deps,
      { ack, client, viewId: view.id },
      {
        work: async () => {
          try {
            await requestExtension(deps.services, {
              actor: body.user.id,
              taskId,
              newDate: date,
              reason,
              once: view.id,
            });
            return { notLater: false };
          } catch (error) {
            if (isAppError(error) && error.code === "extension_not_later") return { notLater: true };
            throw error;
          }
        },
        answer: ({ notLater }): ViewResponseAction | undefined =>
          notLater
            ? {
                response_action: "errors",
                errors: { [ACTION_INPUT.date]: deps.messages.errors.extension_not_later() },
              }
            : undefined,
      },
    );
  });

  app.view(CALLBACK.reason, async ({ ack, body, view, client }) => {
    const { taskId, reason: kind } = readMeta(ZMeta, view.private_metadata);
    const reason = (new StateReader(view.state).text(ACTION_INPUT.reason) ?? "").trim();
    if (!reason && kind !== "reject_extension") {
      await ack({ response_action: "errors", errors: { [ACTION_INPUT.reason]: words().reason.missing } });
      return;
    }
    const actor = body.user.id;
    const once = view.id;
    await within(deps, ack, client, view.id, async () => {
      if (kind === "return") await returnTask(deps.services, { actor, taskId, reason, once });
      else if (kind === "cancel") await cancelTask(deps.services, { actor, taskId, reason, once });
      else if (kind === "reopen") await reopenTask(deps.services, { actor, taskId, reason, once });
      else await decideExtension(deps.services, { actor, taskId, approve: false, note: reason, once });
    });
  });
}

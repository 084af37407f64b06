import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import type { WebClient } from "@slack/web-api";
import { z } from "zod";
import type { TaskAction } from "../../domain/lifecycle.js";
import { acknowledgeTask } from "../../services/department-actions.js";
import { decideExtension, spreadExperience, starReport, urgeTask } from "../../services/office-actions.js";
import { prepareActionWithFiles } from "../../services/task-action.js";
import type { SlackDeps } from "../deps.js";
import { ACTION } from "../ids.js";
import {
  claimModal,
  coordinateModal,
  extendModal,
  type ReasonKind,
  reasonModal,
  reportModal,
} from "../render/task-modals.js";
import { renderContext } from "../render-context.js";

const ZTaskId = z.coerce.number().int().positive();
const ZStar = z.string().regex(/^\d+:\d+$/);

type Args = { actor: string; taskId: number; triggerId: string; client: WebClient };

async function openModal(
  deps: SlackDeps,
  args: Args,
  action: TaskAction,
  kind: "report" | "claim" | "extend" | "coordinate" | ReasonKind,
) {
  const { task, files, departments } = await prepareActionWithFiles(deps.services, {
    actor: args.actor,
    taskId: args.taskId,
    action,
    withFiles: kind === "claim",
    withDepartments: kind === "report" || kind === "coordinate",
  });
  const ctx = await renderContext(deps);
  const view =
    kind === "coordinate"
      ? coordinateModal(task, ctx, departments)
      : kind === "report"
        ? reportModal(task, ctx, departments)
        : kind === "claim"
          ? claimModal(task, ctx, files)
          : kind === "extend"
            ? extendModal(task, ctx)
            : reasonModal(task, kind, ctx);
  await args.client.views.open({ trigger_id: args.triggerId, view });
}

/** What each card button does: act at once, or ask for details in a modal first. */
const HANDLERS: Record<string, (deps: SlackDeps, args: Args) => Promise<void>> = {
  [ACTION.ack]: (deps, a) => acknowledgeTask(deps.services, { actor: a.actor, taskId: a.taskId }),
  [ACTION.report]: (deps, a) => openModal(deps, a, "report", "report"),
  [ACTION.claim]: (deps, a) => openModal(deps, a, "claim", "claim"),
  [ACTION.extend]: (deps, a) => openModal(deps, a, "extend", "extend"),
  [ACTION.urge]: (deps, a) => urgeTask(deps.services, { actor: a.actor, taskId: a.taskId }),
  [ACTION.return]: (deps, a) => openModal(deps, a, "return", "return"),
  [ACTION.approveExtension]: (deps, a) =>
    decideExtension(deps.services, { actor: a.actor, taskId: a.taskId, approve: true, note: "" }),
  [ACTION.rejectExtension]: (deps, a) => openModal(deps, a, "reject_extension", "reject_extension"),
  [ACTION.cancel]: (deps, a) => openModal(deps, a, "cancel", "cancel"),
  [ACTION.reopen]: (deps, a) => openModal(deps, a, "reopen", "reopen"),
  [ACTION.coordinate]: (deps, a) => openModal(deps, a, "coordinate", "coordinate"),
};

/** The task card's buttons. Who may press which is the permission table's to say; refusals come back ephemeral. */
export function register(app: App, deps: SlackDeps): void {
  for (const [actionId, handle] of Object.entries(HANDLERS)) {
    app.action<BlockAction<ButtonAction>>(actionId, async ({ ack, action, body, client }) => {
      await ack();
      const taskId = ZTaskId.parse(action.value);
      await handle(deps, { actor: body.user.id, taskId, triggerId: body.trigger_id, client });
    });
  }
  // ⭐ on the card's latest report.
  app.action<BlockAction<ButtonAction>>(ACTION.star, async ({ ack, action, body }) => {
    await ack();
    const [taskId, reportId] = ZStar.parse(action.value).split(":").map(Number);
    await starReport(deps.services, { actor: body.user.id, taskId: taskId ?? 0, reportId: reportId ?? 0 });
  });
  // 推广到各单位, under the thread's 列为先进经验: the starred report to every unit's channel.
  app.action<BlockAction<ButtonAction>>(ACTION.spread, async ({ ack, action, body, respond }) => {
    await ack();
    const [taskId, reportId] = ZStar.parse(action.value).split(":").map(Number);
    const count = await spreadExperience(deps.services, {
      actor: body.user.id,
      taskId: taskId ?? 0,
      reportId: reportId ?? 0,
    });
    await respond({
      response_type: "ephemeral",
      replace_original: false,
      text: deps.messages.taskNotice.spreadDone({ count }),
    });
  });
}

import type { App, BlockAction, OverflowAction } from "@slack/bolt";
import type { WebClient } from "@slack/web-api";
import {
  type DraftState,
  loadDraftState,
  newDraftTask,
  rememberDecisionFields,
  removeDraftTask,
  resplitDraft,
} from "../../services/decisions.js";
import { readDecisionFields } from "../decision-input.js";
import { modalContext, ZDecisionMeta } from "../decision-start.js";
import type { SlackDeps } from "../deps.js";
import { ACTION } from "../ids.js";
import { decisionModal, taskModal } from "../render/decision-modal.js";
import { readMeta, StateReader } from "../view-state.js";

/** The root decision modal a button was pressed in, with what the person typed so far. */
function rootOf(body: BlockAction) {
  const view = body.view;
  if (!view) throw new Error("a decision modal action without a view");
  const { draftId } = readMeta(ZDecisionMeta, view.private_metadata);
  return { view, draftId, reader: new StateReader(view.state) };
}

async function refresh(
  deps: SlackDeps,
  client: WebClient,
  view: { id: string; hash: string },
  state: DraftState,
) {
  await client.views.update({
    view_id: view.id,
    hash: view.hash,
    view: decisionModal(state, modalContext(deps)),
  });
}

export function register(app: App, deps: SlackDeps): void {
  // 按原文重新拆分: cut the (edited) text again.
  app.action<BlockAction>(ACTION.resplit, async ({ ack, body, client }) => {
    await ack();
    const { view, draftId, reader } = rootOf(body);
    const current = await loadDraftState(deps.services, { actor: body.user.id, draftId });
    const fields = readDecisionFields(reader, current.draft);
    const state = await resplitDraft(deps.services, { actor: body.user.id, draftId, fields });
    await refresh(deps, client, view, state);
  });

  // ⋯ on a task: edit it in a modal on top, or remove it.
  app.action<BlockAction<OverflowAction>>(ACTION.taskMenu, async ({ ack, body, action, client }) => {
    await ack();
    const { view, draftId, reader } = rootOf(body);
    const [verb, key] = action.selected_option.value.split(":");
    if (!key) return;
    const current = await loadDraftState(deps.services, { actor: body.user.id, draftId });
    const fields = readDecisionFields(reader, current.draft);
    await rememberDecisionFields(deps.services, { actor: body.user.id, draftId, fields });
    if (verb === "remove") {
      await refresh(
        deps,
        client,
        view,
        await removeDraftTask(deps.services, { actor: body.user.id, draftId, key }),
      );
      return;
    }
    const task = current.draft.tasks.find((t) => t.key === key);
    if (!task) return;
    await client.views.push({
      trigger_id: body.trigger_id,
      view: taskModal(
        {
          task,
          departments: current.departments,
          meta: { draftId, key, rootViewId: view.root_view_id ?? view.id, isNew: false },
          decidedOn: fields.decidedOn,
        },
        modalContext(deps),
      ),
    });
  });

  // ＋ 添加事项
  app.action<BlockAction>(ACTION.addTask, async ({ ack, body, client }) => {
    await ack();
    const { view, draftId, reader } = rootOf(body);
    const current = await loadDraftState(deps.services, { actor: body.user.id, draftId });
    const fields = readDecisionFields(reader, current.draft);
    await rememberDecisionFields(deps.services, { actor: body.user.id, draftId, fields });
    const task = await newDraftTask(deps.services, { actor: body.user.id, draftId });
    await client.views.push({
      trigger_id: body.trigger_id,
      view: taskModal(
        {
          task,
          departments: current.departments,
          meta: { draftId, key: task.key, rootViewId: view.root_view_id ?? view.id, isNew: true },
          decidedOn: fields.decidedOn,
        },
        modalContext(deps),
      ),
    });
  });
}

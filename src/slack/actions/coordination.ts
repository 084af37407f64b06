import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { z } from "zod";
import {
  acceptCoordination,
  answerCoordination,
  coordinationToAnswer,
  resolveCoordinations,
} from "../../services/coordination.js";
import type { SlackDeps } from "../deps.js";
import { ACTION, CALLBACK, COORDINATION_INPUT } from "../ids.js";
import { textReply } from "../render/blocks.js";
import { coordinationAnswerModal } from "../render/coordination.js";
import { renderContext } from "../render-context.js";
import { readMeta, StateReader } from "../view-state.js";
import { submitView } from "../within-deadline.js";

const ZId = z.coerce.number().int().positive();
const ZMeta = z.object({ coordinationId: z.number().int() });

/**
 * The 协调事项 notice's buttons in the requested department's channel: 接办 takes it on, 答复
 * opens a modal for the answer (or why the department cannot help). Only its members may.
 */
export function register(app: App, deps: SlackDeps): void {
  app.action<BlockAction<ButtonAction>>(ACTION.coordinationAccept, async ({ ack, action, body, respond }) => {
    await ack();
    const department = await acceptCoordination(deps.services, {
      actor: body.user.id,
      coordinationId: ZId.parse(action.value),
    });
    await respond({
      replace_original: false,
      response_type: "ephemeral",
      ...textReply(deps.messages.coordination.accepted({ department })),
    });
  });

  // 协调已解决 on the card: the lead department or a supervisor closes the open requests.
  app.action<BlockAction<ButtonAction>>(ACTION.coordinationResolve, async ({ ack, action, body }) => {
    await ack();
    await resolveCoordinations(deps.services, { actor: body.user.id, taskId: ZId.parse(action.value) });
  });

  app.action<BlockAction<ButtonAction>>(ACTION.coordinationAnswer, async ({ ack, action, body, client }) => {
    await ack();
    const request = await coordinationToAnswer(deps.services, {
      actor: body.user.id,
      coordinationId: ZId.parse(action.value),
    });
    await client.views.open({
      trigger_id: body.trigger_id,
      view: coordinationAnswerModal(request, await renderContext(deps)),
    });
  });

  app.view(CALLBACK.coordinationAnswer, async ({ ack, body, view, client }) => {
    const { coordinationId } = readMeta(ZMeta, view.private_metadata);
    const state = new StateReader(view.state);
    const text = (state.text(COORDINATION_INPUT.text) ?? "").trim();
    if (!text) {
      await ack({
        response_action: "errors",
        errors: { [COORDINATION_INPUT.text]: deps.messages.coordination.modalMissing },
      });
      return;
    }
    const decline = state.options(COORDINATION_INPUT.decline).includes("decline");
    await submitView(
      deps,
      { ack, client, viewId: view.id },
      {
        work: () => answerCoordination(deps.services, { actor: body.user.id, coordinationId, text, decline }),
        answer: () => undefined,
      },
    );
  });
}

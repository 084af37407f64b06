import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { z } from "zod";
import { localDateOf } from "../../domain/time.js";
import { closureOf, readClosure } from "../../services/closures.js";
import { prepareVerify } from "../../services/office-actions.js";
import { decideRecheck, pendingRecheck } from "../../services/rechecks.js";
import { prepareActionWithFiles } from "../../services/task-action.js";
import type { SlackDeps } from "../deps.js";
import { ACTION } from "../ids.js";
import { section } from "../render/blocks.js";
import { shortDate } from "../render/format.js";
import { reinstructModal, relapseModal, siteCheckModal, verifyModal } from "../render/loop-modals.js";
import { renderContext } from "../render-context.js";

const ZId = z.coerce.number().int().positive();

/**
 * The buttons that close the loops: 验收 and 实地核查 on a card (each opens its modal), 巩固 and
 * 反弹 under a 回头看 question, 阅 and 再批示 under a 报结 in the leader's DM.
 */
export function register(app: App, deps: SlackDeps): void {
  app.action<BlockAction<ButtonAction>>(ACTION.verify, async ({ ack, action, body, client }) => {
    await ack();
    const { task, recheckOn } = await prepareVerify(deps.services, {
      actor: body.user.id,
      taskId: ZId.parse(action.value),
    });
    const ctx = await renderContext(deps);
    await client.views.open({ trigger_id: body.trigger_id, view: verifyModal(task, ctx, recheckOn) });
  });

  app.action<BlockAction<ButtonAction>>(ACTION.siteCheck, async ({ ack, action, body, client }) => {
    await ack();
    const { task, files } = await prepareActionWithFiles(deps.services, {
      actor: body.user.id,
      taskId: ZId.parse(action.value),
      action: "site_check",
    });
    const ctx = await renderContext(deps);
    const today = localDateOf(deps.services.clock.now(), deps.services.timeZone);
    await client.views.open({ trigger_id: body.trigger_id, view: siteCheckModal(task, ctx, files, today) });
  });

  app.action<BlockAction<ButtonAction>>(ACTION.recheckHeld, async ({ ack, action, body, respond }) => {
    await ack();
    await decideRecheck(deps.services, {
      actor: body.user.id,
      recheckId: ZId.parse(action.value),
      held: true,
      note: "",
    });
    await respond({
      response_type: "ephemeral",
      replace_original: false,
      text: deps.messages.loops.recheckDone({ held: true }),
    });
  });

  app.action<BlockAction<ButtonAction>>(ACTION.recheckRelapsed, async ({ ack, action, body, client }) => {
    await ack();
    const recheckId = ZId.parse(action.value);
    // Refused before the modal opens when the person may not decide, or it is decided already.
    await pendingRecheck(deps.services, { actor: body.user.id, recheckId });
    const ctx = await renderContext(deps);
    await client.views.open({ trigger_id: body.trigger_id, view: relapseModal(recheckId, ctx) });
  });

  app.action<BlockAction<ButtonAction>>(ACTION.closureRead, async ({ ack, action, body, respond }) => {
    await ack();
    const closure = await readClosure(deps.services, {
      actor: body.user.id,
      closureId: ZId.parse(action.value),
    });
    const ctx = await renderContext(deps);
    const text = deps.messages.loops.readDone({ at: shortDate(closure.readAt ?? ctx.now, ctx) });
    await respond({ response_type: "ephemeral", replace_original: false, text, blocks: [section(text)] });
  });

  app.action<BlockAction<ButtonAction>>(ACTION.closureReinstruct, async ({ ack, action, body, client }) => {
    await ack();
    const closureId = ZId.parse(action.value);
    await closureOf(deps.services, { actor: body.user.id, closureId });
    const ctx = await renderContext(deps);
    await client.views.open({ trigger_id: body.trigger_id, view: reinstructModal(closureId, ctx) });
  });
}

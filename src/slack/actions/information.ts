import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { DateTime } from "luxon";
import { z } from "zod";
import { AppError } from "../../domain/errors.js";
import { checkDecisionCreator } from "../../services/decisions.js";
import { decideInfo, infoForAction, infoReport } from "../../services/information.js";
import type { SlackDeps } from "../deps.js";
import { ACTION } from "../ids.js";
import { infoAskModal, infoFollowModal, infoInstructModal, infoReasonModal } from "../render/info-modals.js";
import { renderContext } from "../render-context.js";

const ZId = z.coerce.number().int().positive();
const ZDigestItem = z.string().regex(/^\d+:\d+$/);

/**
 * The 信息报送 buttons: on the office's card 采用 (at once), 不采用 and 退回补充 (a reason), 要求续报
 * (a time); on the unit's copy 续报 and 终报; on a 要情 item a leader's 批示. Who may press which is
 * the service's to say (the modal's submission is checked again).
 */
export function register(app: App, deps: SlackDeps): void {
  const report = (value: string | undefined, actor: string, who: "office" | "unit") =>
    infoForAction(deps.services, { actor, reportId: ZId.parse(value), who });

  app.action<BlockAction<ButtonAction>>(ACTION.infoAdopt, async ({ ack, action, body, respond }) => {
    await ack();
    const { digestNo } = await decideInfo(deps.services, {
      actor: body.user.id,
      reportId: ZId.parse(action.value),
      verdict: "adopted",
      note: "",
    });
    const I = deps.messages.info;
    await respond({
      response_type: "ephemeral",
      replace_original: false,
      text: I.decided({ verdict: I.adopt, digestNo }),
    });
  });

  for (const [actionId, verdict] of [
    [ACTION.infoReject, "rejected"],
    [ACTION.infoReturn, "returned"],
  ] as const) {
    app.action<BlockAction<ButtonAction>>(actionId, async ({ ack, action, body, client }) => {
      await ack();
      const found = await report(action.value, body.user.id, "office");
      await client.views.open({
        trigger_id: body.trigger_id,
        view: infoReasonModal(found, verdict, await renderContext(deps)),
      });
    });
  }

  app.action<BlockAction<ButtonAction>>(ACTION.infoAsk, async ({ ack, action, body, client }) => {
    await ack();
    const found = await report(action.value, body.user.id, "office");
    const by = DateTime.fromJSDate(deps.services.clock.now(), { zone: deps.services.timeZone }).plus({
      hours: 2,
    });
    await client.views.open({
      trigger_id: body.trigger_id,
      view: infoAskModal(found, await renderContext(deps), {
        date: by.toISODate() ?? "",
        time: by.toFormat("HH:mm"),
      }),
    });
  });

  for (const [actionId, kind] of [
    [ACTION.infoFollow, "follow"],
    [ACTION.infoFinal, "final"],
  ] as const) {
    app.action<BlockAction<ButtonAction>>(actionId, async ({ ack, action, body, client }) => {
      await ack();
      const found = await report(action.value, body.user.id, "unit");
      await client.views.open({
        trigger_id: body.trigger_id,
        view: infoFollowModal(found, kind, await renderContext(deps)),
      });
    });
  }

  app.action<BlockAction<ButtonAction>>(ACTION.infoInstruct, async ({ ack, action, body, client }) => {
    await ack();
    const [digestNo, reportId] = ZDigestItem.parse(action.value).split(":").map(Number);
    await checkDecisionCreator(deps.services, body.user.id);
    const found = await infoReport(deps.services, reportId ?? 0);
    if (!found) throw new AppError("info_refused", { why: "not_found" });
    await client.views.open({
      trigger_id: body.trigger_id,
      view: infoInstructModal(digestNo ?? 0, found, await renderContext(deps)),
    });
  });
}

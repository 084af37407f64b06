import type { types } from "@slack/bolt";
import type { WebClient } from "@slack/web-api";
import type { SlackDeps } from "./deps.js";
import { describeError } from "./errors.js";

type View = types.ModalView;

/**
 * Fills a modal opened at once with a placeholder (Slack's trigger lasts three seconds, and
 * what fills it may take longer: a call through a slow proxy, a file to read). If filling it
 * fails, the modal says so in the person's words instead of waiting forever; the error still
 * goes to the error boundary, which logs it.
 */
export async function fillModal(
  deps: Pick<SlackDeps, "messages">,
  client: WebClient,
  viewId: string | undefined,
  fill: () => Promise<View>,
): Promise<void> {
  if (!viewId) throw new Error("views.open returned no view");
  let view: View;
  try {
    view = await fill();
  } catch (error) {
    const { text } = describeError(error, deps.messages);
    await client.views
      .update({
        view_id: viewId,
        view: {
          type: "modal",
          title: { type: "plain_text", text: deps.messages.modalFailed.title },
          close: { type: "plain_text", text: deps.messages.modalFailed.close },
          blocks: [{ type: "section", text: { type: "mrkdwn", text: `:warning: ${text}` } }],
        },
      })
      .catch(() => undefined);
    throw error;
  }
  await client.views.update({ view_id: viewId, view });
}

import type { App, BlockAction, PlainTextInputAction } from "@slack/bolt";
import { isAppError } from "../../domain/errors.js";
import { homeFor } from "../../services/home.js";
import type { SlackDeps } from "../deps.js";
import { describeError } from "../errors.js";
import { ACTION } from "../ids.js";
import { type Reply, textReply } from "../render/blocks.js";
import { homeView } from "../render/home.js";
import { renderContext } from "../render-context.js";
import { searchPage } from "../search-start.js";

/** The office's search box on the App Home: Enter searches, and the Home is drawn again with the hits. */
export function register(app: App, deps: SlackDeps): void {
  app.action<BlockAction<PlainTextInputAction>>(ACTION.homeSearch, async ({ ack, action, body, client }) => {
    await ack();
    const user = body.user.id;
    const typed = (action.value ?? "").trim();
    let found: Reply;
    try {
      found = await searchPage(deps, user, typed, 1);
    } catch (error) {
      if (!isAppError(error)) throw error;
      found = textReply(describeError(error, deps.messages).text);
    }
    const data = await homeFor(deps.services, { userId: user });
    const ctx = { ...(await renderContext(deps)), ...data.setup };
    await client.views.publish({ user_id: user, view: homeView(data, ctx, found) });
  });
}

import type { App } from "@slack/bolt";
import { homeFor } from "../../services/home.js";
import type { SlackDeps } from "../deps.js";
import { homeView } from "../render/home.js";
import { renderContext } from "../render-context.js";

/** The App Home is drawn fresh each time the person opens it. */
export function register(app: App, deps: SlackDeps): void {
  app.event("app_home_opened", async ({ event, client }) => {
    if (event.tab !== "home") return;
    const data = await homeFor(deps, { userId: event.user });
    const ctx = { ...(await renderContext(deps)), ...data.setup };
    await client.views.publish({ user_id: event.user, view: homeView(data, ctx) });
  });
}

import type { WebClient } from "@slack/web-api";
import { z } from "zod";
import { homeFor } from "../../services/home.js";
import type { SlackDeps } from "../deps.js";
import { homeView } from "../render/home.js";
import { renderContext } from "../render-context.js";

const ZAppHomeOpened = z.object({ user: z.string(), tab: z.string().optional() });

/** `app_home_opened`, taken from the inbox: the App Home is drawn fresh each time the person opens it. */
export async function handleAppHomeOpened(deps: SlackDeps, web: WebClient, event: unknown): Promise<void> {
  const parsed = ZAppHomeOpened.safeParse(event);
  if (!parsed.success || parsed.data.tab !== "home") return;
  const data = await homeFor(deps.services, { userId: parsed.data.user });
  const ctx = { ...(await renderContext(deps)), ...data.setup };
  await web.views.publish({ user_id: parsed.data.user, view: homeView(data, ctx) });
}

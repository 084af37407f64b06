import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { z } from "zod";
import type { SlackDeps } from "../deps.js";
import { ACTION } from "../ids.js";
import { searchPage } from "../search-start.js";

const ZPage = z.object({ q: z.string(), p: z.number().int().min(1) });

/** 查找's 下一页: the same search, the next page, in place of the answer. */
export function register(app: App, deps: SlackDeps): void {
  app.action<BlockAction<ButtonAction>>(ACTION.searchPage, async ({ ack, action, body, respond }) => {
    await ack();
    const { q, p } = ZPage.parse(JSON.parse(action.value ?? "{}"));
    const reply = await searchPage(deps, body.user.id, q, p);
    await respond({
      response_type: "ephemeral",
      replace_original: true,
      text: reply.text,
      blocks: reply.blocks,
    });
  });
}

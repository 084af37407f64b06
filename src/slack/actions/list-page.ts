import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { z } from "zod";
import type { ListFilter } from "../../services/tasks.js";
import { listTasks } from "../../services/tasks.js";
import type { SlackDeps } from "../deps.js";
import { ACTION } from "../ids.js";
import { taskListReply } from "../render/task-list.js";
import { renderContext } from "../render-context.js";

const ZPage = z.object({ f: z.string(), p: z.number().int().min(1) });

function filterOf(value: string): ListFilter {
  if (value.startsWith("dept:")) return { kind: "dept", name: value.slice("dept:".length) };
  const kind = z
    .enum(["mine", "red", "yellow", "overdue", "stalled", "all", "assigned"])
    .catch("mine")
    .parse(value);
  return { kind };
}

/** 上一页 / 下一页 on a list: the same list, another page, in place of the old one. */
export function register(app: App, deps: SlackDeps): void {
  app.action<BlockAction<ButtonAction>>(
    new RegExp(`^${ACTION.listPage}_(prev|next)$`),
    async ({ ack, action, body, respond }) => {
      await ack();
      const { f, p } = ZPage.parse(JSON.parse(action.value ?? "{}"));
      const result = await listTasks(deps.services, { actor: body.user.id, filter: filterOf(f), page: p });
      const reply = taskListReply(result, await renderContext(deps, result.setup));
      await respond({ replace_original: true, ...reply });
    },
  );
}

import { AppError } from "../../domain/errors.js";
import { parseRole, type RoleName } from "../../domain/roles.js";
import { is } from "../../i18n/words.js";
import { grantRole, listRoles, revokeRole } from "../../services/roles.js";
import { requireUser } from "../parse.js";
import { roleListView } from "../render/admin-views.js";
import { textReply } from "../render/blocks.js";
import type { CommandContext, Subcommand } from "./context.js";

function parseGrant(
  ctx: CommandContext,
  usage: "roleAdd" | "roleRemove",
): { userId: string; role: RoleName } {
  const [, who, roleWord, ...rest] = ctx.args;
  if (who === undefined || roleWord === undefined || rest.length > 0) throw new AppError("usage", { usage });
  const userId = requireUser(who);
  const role = parseRole(roleWord);
  if (!role) throw new AppError("unknown_role", { given: roleWord });
  return { userId, role };
}

/** `/ducha role add|remove @user ROLE`, `/ducha role list` (`角色 添加|删除|列表`). */
export const role: Subcommand = async (ctx) => {
  const m = ctx.deps.messages;
  const action = ctx.args[0];
  if (action === undefined || is(action, "list")) {
    return roleListView(m, await listRoles(ctx.deps.services));
  }
  if (is(action, "add")) {
    const input = parseGrant(ctx, "roleAdd");
    const granted = await grantRole(ctx.deps.services, { actor: ctx.userId, ...input });
    return textReply(granted ? m.role.added(input) : m.role.already(input));
  }
  if (is(action, "remove")) {
    const input = parseGrant(ctx, "roleRemove");
    await revokeRole(ctx.deps.services, { actor: ctx.userId, ...input });
    return textReply(m.role.removed(input));
  }
  throw new AppError("usage", { usage: "roleAdd", detail: action });
};

import { AppError } from "../../domain/errors.js";
import { is } from "../../i18n/words.js";
import {
  addDepartment,
  listDepartments,
  removeDepartment,
  setDepartmentMembers,
  showDepartmentMembers,
} from "../../services/departments.js";
import { channelMention, isMention, looksLikeHandMention, requireUser, userMention } from "../parse.js";
import { departmentAddedView, departmentListView } from "../render/admin-views.js";
import { textReply } from "../render/blocks.js";
import type { CommandContext, Subcommand } from "./context.js";

const ALIAS_PREFIX = /^(?:别名|简称|aliases?)[:：](.*)$/i;

/** A department name is a plain word; a mention in its place means the words are in the wrong order. */
function requireName(token: string | undefined, usage: "deptAdd" | "deptRemove" | "deptMembers"): string {
  if (token === undefined || isMention(token)) throw new AppError("usage", { usage });
  return token;
}

function parseAdd(args: readonly string[]) {
  const name = requireName(args[0], "deptAdd");
  const channels: string[] = [];
  const members: string[] = [];
  const aliases: string[] = [];
  for (const token of args.slice(1)) {
    const aliasSpec = ALIAS_PREFIX.exec(token);
    const channelId = channelMention(token);
    const userId = userMention(token);
    if (aliasSpec) {
      aliases.push(
        ...(aliasSpec[1] ?? "")
          .split(/[,，、]/)
          .map((a) => a.trim())
          .filter(Boolean),
      );
    } else if (channelId) {
      channels.push(channelId);
    } else if (userId) {
      members.push(userId);
    } else if (looksLikeHandMention(token) === "channel") {
      throw new AppError("need_channel_mention", { given: token });
    } else if (looksLikeHandMention(token) === "user") {
      throw new AppError("need_user_mention", { given: token });
    } else {
      throw new AppError("usage", { usage: "deptAdd", detail: token });
    }
  }
  const [channelId, ...extra] = channels;
  if (!channelId || extra.length > 0) throw new AppError("usage", { usage: "deptAdd" });
  return { name, channelId, members, aliases };
}

async function add(ctx: CommandContext) {
  const input = parseAdd(ctx.args.slice(1));
  const result = await addDepartment(ctx.deps.services, { actor: ctx.userId, ...input });
  return departmentAddedView(ctx.deps.messages, result);
}

async function list(ctx: CommandContext) {
  return departmentListView(ctx.deps.messages, await listDepartments(ctx.deps.services));
}

async function remove(ctx: CommandContext) {
  const name = requireName(ctx.args[1], "deptRemove");
  if (ctx.args.length > 2) throw new AppError("usage", { usage: "deptRemove" });
  const department = await removeDepartment(ctx.deps.services, { actor: ctx.userId, name });
  return textReply(ctx.deps.messages.dept.removed({ name: department.name }));
}

async function members(ctx: CommandContext) {
  const m = ctx.deps.messages;
  const name = requireName(ctx.args[1], "deptMembers");
  const mentions = ctx.args.slice(2);
  if (mentions.length === 0) {
    const department = await showDepartmentMembers(ctx.deps.services, { name });
    return textReply(m.dept.membersShow({ name: department.name, members: department.members }));
  }
  const userIds = mentions.map(requireUser);
  const result = await setDepartmentMembers(ctx.deps.services, { actor: ctx.userId, name, members: userIds });
  return textReply(
    m.dept.membersSet({
      name: result.department.name,
      members: result.department.members,
      added: result.added,
      removed: result.removed,
    }),
  );
}

/** `/ducha dept add|list|remove|members …` (`单位 添加|列表|删除|成员`). */
export const dept: Subcommand = async (ctx) => {
  const action = ctx.args[0];
  if (action === undefined || is(action, "list")) return list(ctx);
  if (is(action, "add")) return add(ctx);
  if (is(action, "remove")) return remove(ctx);
  if (is(action, "members")) return members(ctx);
  throw new AppError("usage", { usage: "deptAdd", detail: action });
};

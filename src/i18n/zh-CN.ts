import type { ErrorParams, UsageKey } from "../domain/errors.js";
import type { RoleName } from "../domain/roles.js";
import { channel, esc, user } from "./format.js";

const roleNames: Record<RoleName, string> = {
  supervisor: "督查员",
  leader: "领导",
  admin: "管理员",
};

const usage: Record<UsageKey, string> = {
  deptAdd: "`/ducha 单位 添加 名称 #频道 [@成员 …] [别名:简称1,简称2]`",
  deptRemove: "`/ducha 单位 删除 名称`",
  deptMembers: "`/ducha 单位 成员 名称 @成员 …`（设定成员名单；只写名称则查看）",
  roleAdd: "`/ducha 角色 添加 @用户 督查员|领导|管理员`",
  roleRemove: "`/ducha 角色 删除 @用户 督查员|领导|管理员`",
  settings: "`/ducha 设置`、`/ducha 设置 领导频道 #频道`、`/ducha 设置 督查频道 #频道`",
  settingsChannel: "`/ducha 设置 领导频道 #频道` 或 `/ducha 设置 督查频道 #频道`",
};

const list = (items: readonly string[]) => items.join("、");

export const zhCN = {
  listSeparator: "、",
  roleName: (role: RoleName) => roleNames[role],
  usage: (key: UsageKey) => usage[key],
  notSet: "未设置",
  none: "无",

  help: {
    title: "督查助手 ducha 使用说明",
    intro: "把领导的决策变成督办事项，交办到单位，跟踪签收、进展和办结，红黄绿灯亮明进度。",
    sections: [
      {
        heading: "常用",
        lines: ["`/ducha 帮助` — 显示本说明"],
      },
      {
        heading: "单位（管理员）",
        lines: [
          `${usage.deptAdd} — 添加单位及其频道`,
          "`/ducha 单位 列表` — 查看全部单位",
          `${usage.deptRemove} — 删除单位（仍有在办事项的不能删除）`,
          `${usage.deptMembers}`,
        ],
      },
      {
        heading: "角色（管理员）",
        lines: [`${usage.roleAdd}`, `${usage.roleRemove}`, "`/ducha 角色 列表` — 查看督查员、领导和管理员"],
      },
      {
        heading: "设置（管理员）",
        lines: [
          "`/ducha 设置` — 查看当前设置",
          "`/ducha 设置 领导频道 #频道` — 汇总和通报发到这里",
          "`/ducha 设置 督查频道 #频道` — 督办升级和系统提醒发到这里",
        ],
      },
    ],
    english:
      "英文子命令同样可用：`help`、`dept add|list|remove|members`、`role add|remove|list`、`settings leadership|supervision`。",
  },

  dept: {
    added: (p: { name: string; channelId: string; members: readonly string[]; aliases: readonly string[] }) =>
      `已添加单位 *${esc(p.name)}*，频道 ${channel(p.channelId)}` +
      (p.members.length ? `，成员 ${list(p.members.map(user))}` : "，暂无成员") +
      (p.aliases.length ? `，别名 ${list(p.aliases.map(esc))}` : "") +
      "。",
    reactivated: (p: { name: string }) => `单位 *${esc(p.name)}* 此前已删除，现已恢复。`,
    botNotInChannel: (p: { channelId: string }) =>
      `:warning: ducha 还不在 ${channel(p.channelId)}，请在该频道输入 \`/invite @ducha\`，否则事项卡片发不进去。`,
    channelNotFound: (p: { channelId: string }) =>
      `:warning: 找不到频道 ${channel(p.channelId)}，或 ducha 无权查看（私有频道需先 \`/invite @ducha\`）。`,
    removed: (p: { name: string }) => `已删除单位 *${esc(p.name)}*。历史事项和记录仍保留。`,
    listTitle: (p: { count: number }) => `单位列表（共 ${p.count} 个）`,
    listEmpty: "还没有单位。管理员可用 `/ducha 单位 添加 名称 #频道` 添加。",
    line: (p: { name: string; channelId: string; aliases: readonly string[]; members: readonly string[] }) =>
      `*${esc(p.name)}* ${channel(p.channelId)}` +
      (p.aliases.length ? `（别名：${list(p.aliases.map(esc))}）` : "") +
      ` — 成员：${p.members.length ? list(p.members.map(user)) : "无"}`,
    membersSet: (p: {
      name: string;
      members: readonly string[];
      added: readonly string[];
      removed: readonly string[];
    }) =>
      `*${esc(p.name)}* 成员已更新：${p.members.length ? list(p.members.map(user)) : "无"}` +
      (p.added.length ? `\n新增：${list(p.added.map(user))}` : "") +
      (p.removed.length ? `\n移出：${list(p.removed.map(user))}` : ""),
    membersShow: (p: { name: string; members: readonly string[] }) =>
      `*${esc(p.name)}* 的成员：${p.members.length ? list(p.members.map(user)) : "无"}`,
  },

  role: {
    added: (p: { userId: string; role: RoleName }) => `已将 ${user(p.userId)} 设为${roleNames[p.role]}。`,
    already: (p: { userId: string; role: RoleName }) => `${user(p.userId)} 已经是${roleNames[p.role]}。`,
    removed: (p: { userId: string; role: RoleName }) =>
      `已取消 ${user(p.userId)} 的${roleNames[p.role]}角色。`,
    listTitle: "角色",
    listLine: (p: { role: RoleName; users: readonly string[]; envUsers: readonly string[] }) =>
      `*${roleNames[p.role]}*：` +
      (p.users.length || p.envUsers.length
        ? list([...p.envUsers.map((u) => `${user(u)}（启动配置）`), ...p.users.map(user)])
        : "无"),
  },

  settings: {
    title: "当前设置",
    leadershipChannel: "领导频道（汇总、通报）",
    supervisionChannel: "督查频道（升级、系统提醒）",
    set: (p: { label: string; channelId: string }) => `已将${p.label}设为 ${channel(p.channelId)}。`,
    timezone: "时区",
    language: "界面语言",
  },

  errors: {
    unknown_command: (p: ErrorParams["unknown_command"]) =>
      `没有“${esc(p.input)}”这个命令。输入 \`/ducha 帮助\` 查看全部命令。`,
    usage: (p: ErrorParams["usage"]) =>
      `${p.detail ? `${esc(p.detail)}\n` : "格式不对。"}正确的写法：${usage[p.usage]}`,
    admin_only: (p: ErrorParams["admin_only"]) =>
      `只有管理员可以修改单位、角色和设置。${p.admins.length ? `请联系管理员：${list(p.admins.map(user))}` : "目前还没有管理员，请在启动配置 DUCHA_ADMINS 中指定。"}`,
    need_user_mention: (p: ErrorParams["need_user_mention"]) =>
      `“${esc(p.given)}”不是成员提及。请输入 @ 并从列表中选择人员。`,
    need_channel_mention: (p: ErrorParams["need_channel_mention"]) =>
      `“${esc(p.given)}”不是频道提及。请输入 # 并从列表中选择频道。`,
    dept_exists: (p: ErrorParams["dept_exists"]) => `单位 *${esc(p.name)}* 已存在。`,
    dept_not_found: (p: ErrorParams["dept_not_found"]) =>
      `没有找到单位“${esc(p.name)}”。输入 \`/ducha 单位 列表\` 查看全部单位。`,
    name_taken: (p: ErrorParams["name_taken"]) =>
      `“${esc(p.name)}”已被单位 *${esc(p.by)}* 使用（名称或别名）。`,
    dept_has_open_tasks: (p: ErrorParams["dept_has_open_tasks"]) =>
      `单位 *${esc(p.name)}* 还牵头 ${p.count} 项未办结事项，不能删除。请先办结、撤销或改由其他单位牵头。`,
    unknown_role: (p: ErrorParams["unknown_role"]) =>
      `没有“${esc(p.given)}”这个角色。可选：督查员、领导、管理员。`,
    role_not_held: (p: ErrorParams["role_not_held"]) => `${user(p.userId)} 不是${roleNames[p.role]}。`,
    last_admin: (p: ErrorParams["last_admin"]) =>
      `${user(p.userId)} 是唯一的管理员，不能取消。请先指定另一位管理员。`,
    role_from_env: (p: ErrorParams["role_from_env"]) =>
      `${user(p.userId)} 是启动配置 DUCHA_ADMINS 指定的管理员，只能在配置中修改。`,
    internal: (p: ErrorParams["internal"]) =>
      `抱歉，处理时出错了，请稍后再试。如仍有问题请联系管理员（错误编号 ${p.ref}）。`,
  },

  config: {
    title: "配置有误，ducha 无法启动：",
    missing: "未设置",
    hint: "请检查环境变量或 .env 文件（说明见 .env.example）。",
    expect: {
      SLACK_BOT_TOKEN: "机器人令牌，以 xoxb- 开头（Slack 应用 OAuth & Permissions 页面）",
      SLACK_SIGNING_SECRET:
        "签名密钥（Basic Information 页面）；HTTP 模式必填，或改设 SLACK_APP_TOKEN 使用 Socket Mode",
      SLACK_APP_TOKEN: "应用级令牌，以 xapp- 开头，需 connections:write 权限（Socket Mode）",
      SLACK_API_URL: "Web API 地址，http(s):// 开头，例如 https://slack.com/api/",
      DATABASE_URL: "数据库地址：file:./data/ducha.db 这样的 SQLite 文件",
      PORT: "端口号，0 到 65535 的整数",
      DUCHA_TZ: "IANA 时区名称，例如 Asia/Shanghai",
      DUCHA_LOCALE: "界面语言：zh-CN 或 en",
      DUCHA_ADMINS: "逗号分隔的 Slack 用户 ID，例如 U012AB3CD,U045EF6GH",
      LOG_LEVEL: "日志级别：fatal、error、warn、info、debug 或 trace",
    } as Record<string, string>,
  },
};

export type Messages = typeof zhCN;

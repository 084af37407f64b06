import type { ErrorParams, UsageKey } from "../domain/errors.js";
import type { RoleName } from "../domain/roles.js";
import { channel, esc, user } from "./format.js";
import type { Messages } from "./zh-CN.js";

const roleNames: Record<RoleName, string> = {
  supervisor: "supervisor",
  leader: "leader",
  admin: "admin",
};

const usage: Record<UsageKey, string> = {
  deptAdd: "`/ducha dept add NAME #channel [@member …] [aliases:A,B]`",
  deptRemove: "`/ducha dept remove NAME`",
  deptMembers: "`/ducha dept members NAME @member …` (sets the member list; NAME alone shows it)",
  roleAdd: "`/ducha role add @user supervisor|leader|admin`",
  roleRemove: "`/ducha role remove @user supervisor|leader|admin`",
  settings:
    "`/ducha settings`, `/ducha settings leadership #channel`, `/ducha settings supervision #channel`",
  settingsChannel: "`/ducha settings leadership #channel` or `/ducha settings supervision #channel`",
};

const list = (items: readonly string[]) => items.join(", ");

export const en: Messages = {
  listSeparator: ", ",
  roleName: (role: RoleName) => roleNames[role],
  usage: (key: UsageKey) => usage[key],
  notSet: "not set",
  none: "none",

  help: {
    title: "ducha — supervision assistant",
    intro:
      "Turns leaders' decisions into supervised tasks for departments, tracks acknowledgement, progress and completion, and keeps every traffic light honest.",
    sections: [
      { heading: "General", lines: ["`/ducha help` — this help"] },
      {
        heading: "Departments (admins)",
        lines: [
          `${usage.deptAdd} — add a department and its channel`,
          "`/ducha dept list` — all departments",
          `${usage.deptRemove} — remove a department (not while it leads open tasks)`,
          `${usage.deptMembers}`,
        ],
      },
      {
        heading: "Roles (admins)",
        lines: [
          `${usage.roleAdd}`,
          `${usage.roleRemove}`,
          "`/ducha role list` — supervisors, leaders and admins",
        ],
      },
      {
        heading: "Settings (admins)",
        lines: [
          "`/ducha settings` — show the settings",
          "`/ducha settings leadership #channel` — summaries and bulletins go here",
          "`/ducha settings supervision #channel` — escalations and system notices go here",
        ],
      },
    ],
    english:
      "Chinese subcommands work too: `帮助`, `单位 添加|列表|删除|成员`, `角色 添加|删除|列表`, `设置 领导频道|督查频道`.",
  },

  dept: {
    added: (p) =>
      `Added department *${esc(p.name)}* with channel ${channel(p.channelId)}` +
      (p.members.length ? `, members ${list(p.members.map(user))}` : ", no members yet") +
      (p.aliases.length ? `, aliases ${list(p.aliases.map(esc))}` : "") +
      ".",
    reactivated: (p) => `Department *${esc(p.name)}* had been removed and is restored.`,
    botNotInChannel: (p) =>
      `:warning: ducha is not in ${channel(p.channelId)} yet: type \`/invite @ducha\` there, or task cards cannot be posted.`,
    channelNotFound: (p) =>
      `:warning: Channel ${channel(p.channelId)} was not found or ducha cannot see it (invite ducha to private channels first).`,
    removed: (p) => `Removed department *${esc(p.name)}*. Its past tasks and records are kept.`,
    listTitle: (p) => `Departments (${p.count})`,
    listEmpty: "No departments yet. Admins add one with `/ducha dept add NAME #channel`.",
    line: (p) =>
      `*${esc(p.name)}* ${channel(p.channelId)}` +
      (p.aliases.length ? ` (aliases: ${list(p.aliases.map(esc))})` : "") +
      ` — members: ${p.members.length ? list(p.members.map(user)) : "none"}`,
    membersSet: (p) =>
      `Members of *${esc(p.name)}*: ${p.members.length ? list(p.members.map(user)) : "none"}` +
      (p.added.length ? `\nAdded: ${list(p.added.map(user))}` : "") +
      (p.removed.length ? `\nRemoved: ${list(p.removed.map(user))}` : ""),
    membersShow: (p) =>
      `Members of *${esc(p.name)}*: ${p.members.length ? list(p.members.map(user)) : "none"}`,
  },

  role: {
    added: (p) => `${user(p.userId)} is now a ${roleNames[p.role]}.`,
    already: (p) => `${user(p.userId)} is already a ${roleNames[p.role]}.`,
    removed: (p) => `${user(p.userId)} is no longer a ${roleNames[p.role]}.`,
    listTitle: "Roles",
    listLine: (p) =>
      `*${roleNames[p.role]}*: ` +
      (p.users.length || p.envUsers.length
        ? list([...p.envUsers.map((u) => `${user(u)} (from configuration)`), ...p.users.map(user)])
        : "none"),
  },

  settings: {
    title: "Settings",
    leadershipChannel: "Leadership channel (summaries, bulletins)",
    supervisionChannel: "Supervision channel (escalations, system notices)",
    set: (p) => `${p.label} is now ${channel(p.channelId)}.`,
    timezone: "Time zone",
    language: "Language",
  },

  errors: {
    unknown_command: (p: ErrorParams["unknown_command"]) =>
      `There is no command “${esc(p.input)}”. Type \`/ducha help\` for the list.`,
    usage: (p: ErrorParams["usage"]) =>
      `${p.detail ? `${esc(p.detail)}\n` : "That is not the right form. "}Use: ${usage[p.usage]}`,
    admin_only: (p: ErrorParams["admin_only"]) =>
      `Only admins change departments, roles and settings. ${p.admins.length ? `Ask an admin: ${list(p.admins.map(user))}` : "There is no admin yet: name one in DUCHA_ADMINS."}`,
    need_user_mention: (p: ErrorParams["need_user_mention"]) =>
      `“${esc(p.given)}” is not a mention. Type @ and pick the person from the list.`,
    need_channel_mention: (p: ErrorParams["need_channel_mention"]) =>
      `“${esc(p.given)}” is not a channel mention. Type # and pick the channel from the list.`,
    dept_exists: (p: ErrorParams["dept_exists"]) => `Department *${esc(p.name)}* already exists.`,
    dept_not_found: (p: ErrorParams["dept_not_found"]) =>
      `No department “${esc(p.name)}”. Type \`/ducha dept list\` to see them all.`,
    name_taken: (p: ErrorParams["name_taken"]) =>
      `“${esc(p.name)}” is already used by department *${esc(p.by)}* (name or alias).`,
    dept_has_open_tasks: (p: ErrorParams["dept_has_open_tasks"]) =>
      `Department *${esc(p.name)}* still leads ${p.count} open task(s) and cannot be removed. Close, cancel or reassign them first.`,
    unknown_role: (p: ErrorParams["unknown_role"]) =>
      `There is no role “${esc(p.given)}”. Choose supervisor, leader or admin.`,
    role_not_held: (p: ErrorParams["role_not_held"]) => `${user(p.userId)} is not a ${roleNames[p.role]}.`,
    last_admin: (p: ErrorParams["last_admin"]) =>
      `${user(p.userId)} is the only admin and cannot give it up. Make someone else an admin first.`,
    role_from_env: (p: ErrorParams["role_from_env"]) =>
      `${user(p.userId)} is an admin named in DUCHA_ADMINS and can only be changed there.`,
    internal: (p: ErrorParams["internal"]) =>
      `Sorry, something went wrong. Please try again; if it persists tell an admin (reference ${p.ref}).`,
  },

  config: {
    title: "ducha cannot start: the configuration is wrong:",
    missing: "not set",
    hint: "Check the environment or the .env file (see .env.example).",
    expect: {
      SLACK_BOT_TOKEN: "the bot token, starting with xoxb- (OAuth & Permissions page of the Slack app)",
      SLACK_SIGNING_SECRET:
        "the signing secret (Basic Information page); required in HTTP mode, or set SLACK_APP_TOKEN for Socket Mode",
      SLACK_APP_TOKEN: "an app-level token starting with xapp-, with connections:write (Socket Mode)",
      SLACK_API_URL: "the Web API base URL, http(s)://…, e.g. https://slack.com/api/",
      DATABASE_URL: "the database: a SQLite file such as file:./data/ducha.db",
      PORT: "a port number, an integer from 0 to 65535",
      DUCHA_TZ: "an IANA time zone name such as Asia/Shanghai",
      DUCHA_LOCALE: "the interface language: zh-CN or en",
      DUCHA_ADMINS: "comma-separated Slack user IDs such as U012AB3CD,U045EF6GH",
      LOG_LEVEL: "the log level: fatal, error, warn, info, debug or trace",
    },
  },
};

import { AppError } from "../../domain/errors.js";
import { loopSettingsOf } from "../../domain/settings.js";
import { formatDate, isLocalDate } from "../../domain/time.js";
import { is, jobOf, thresholdOf } from "../../i18n/words.js";
import { importHolidayNotice } from "../../services/calendar.js";
import { deliveryOverview, resendDead } from "../../services/delivery-admin.js";
import {
  setBulletinScope,
  setCalendarDay,
  setCatchUpHours,
  setChannelSetting,
  setDistributionLine,
  setInfoLimit,
  setJobTimeZone,
  setLoopSetting,
  setOfficeName,
  setSchedule,
  setSummarySetting,
  setThreshold,
  settingsOverview,
} from "../../services/settings.js";
import { requireChannel } from "../parse.js";
import {
  calendarImportModal,
  channelSettingView,
  importedText,
  loopsLine,
  settingsView,
} from "../render/admin-views.js";
import { textReply } from "../render/blocks.js";
import type { CommandContext, Subcommand } from "./context.js";

async function schedule(ctx: CommandContext, args: string[]) {
  const [jobWord, ...cron] = args;
  const job = jobOf(jobWord);
  if (!job || cron.length === 0) throw new AppError("usage", { usage: "settingsSchedule", detail: jobWord });
  const expression = cron.join(" ");
  await setSchedule(ctx.deps.services, { actor: ctx.userId, job, expression });
  const m = ctx.deps.messages.settings;
  return textReply(m.changed({ what: m.jobName[job], value: `\`${expression}\`` }));
}

async function threshold(ctx: CommandContext, args: string[]) {
  const [nameWord, valueWord, ...rest] = args;
  const name = nameWord === undefined ? undefined : thresholdOf(nameWord);
  const value = Number(valueWord);
  if (!name || valueWord === undefined || rest.length > 0 || !Number.isFinite(value)) {
    throw new AppError("usage", { usage: "settingsThreshold", detail: nameWord });
  }
  await setThreshold(ctx.deps.services, { actor: ctx.userId, name, value });
  const m = ctx.deps.messages.settings;
  return textReply(m.changed({ what: m.thresholdName[name], value: String(value) }));
}

/** The text typed after `日历 导入`: the pasted notice, newlines kept. */
function textAfterImport(rest: string): string {
  const match = /(?:^|\s)(?:导入|import)(?:\s|$)/i.exec(rest);
  return match ? rest.slice(match.index + match[0].length).trim() : "";
}

async function calendarImport(ctx: CommandContext) {
  const text = textAfterImport(ctx.rest);
  if (!text) {
    // Nothing pasted with the command: a modal takes the whole notice.
    await ctx.client.views.open({ trigger_id: ctx.triggerId, view: calendarImportModal(ctx.deps.messages) });
    return null;
  }
  const imported = await importHolidayNotice(ctx.deps.services, { actor: ctx.userId, text });
  return textReply(importedText(ctx.deps.messages, imported));
}

/** `设置 投递`: messages given up on; `设置 投递 重发 12 15|全部`: send them again. */
async function delivery(ctx: CommandContext, args: string[]) {
  const m = ctx.deps.messages;
  const [verb, ...rest] = args;
  if (verb === undefined) {
    const { dead, counts } = await deliveryOverview(ctx.deps.services, ctx.userId);
    const at = (d: Date) =>
      formatDate(d, ctx.deps.services.timeZone, ctx.deps.locale, ctx.deps.services.clock.now(), true);
    return textReply(
      m.outbox.deadList({
        items: dead.map((e) => ({
          id: e.id,
          what: m.outbox.kindName[e.message.kind] ?? m.outbox.kindName.text ?? "",
          target: /^[CG]/.test(e.lane) ? `<#${e.lane}>` : /^[UW]/.test(e.lane) ? `<@${e.lane}>` : e.lane,
          error: e.lastError ?? "",
          at: at(e.lastAttemptAt ?? e.createdAt),
        })),
        waiting: (counts.pending ?? 0) + (counts.sending ?? 0),
      }),
    );
  }
  const all = rest.length === 1 && is(rest[0], "all");
  const ids = rest.map((r) => r.replace(/^#/, ""));
  if (!is(verb, "resend") || rest.length === 0 || (!all && !ids.every((r) => /^\d{1,9}$/.test(r)))) {
    throw new AppError("usage", { usage: "settingsDelivery" });
  }
  const count = await resendDead(ctx.deps.services, { actor: ctx.userId, ids: all ? null : ids.map(Number) });
  return textReply(m.outbox.resent({ count }));
}

async function calendar(ctx: CommandContext, args: string[]) {
  if (is(args[0], "import")) return calendarImport(ctx);
  const [date, kindWord, ...rest] = args;
  const kind = is(kindWord, "holiday")
    ? "holiday"
    : is(kindWord, "workday")
      ? "workday"
      : is(kindWord, "clear")
        ? null
        : undefined;
  if (!date || !isLocalDate(date) || kind === undefined || rest.length > 0) {
    throw new AppError("usage", { usage: "settingsHoliday", detail: date });
  }
  await setCalendarDay(ctx.deps.services, { actor: ctx.userId, date, kind });
  const m = ctx.deps.messages.settings;
  return textReply(m.calendarSet({ date, kind: m.calendarKinds[kind ?? "clear"] ?? "" }));
}

async function summarySetting(ctx: CommandContext, args: string[]) {
  const [nameWord, ...values] = args;
  const m = ctx.deps.messages.settings;
  const value = values.join(" ");
  if (!value) throw new AppError("usage", { usage: "settingsSummary", detail: nameWord });
  if (is(nameWord, "hot")) {
    const tags = value.split(/[,，、\s]+/).filter(Boolean);
    await setSummarySetting(ctx.deps.services, { actor: ctx.userId, name: "hotTags", value: tags });
    return textReply(m.changed({ what: m.summaryName.hotTags, value: tags.join("、") }));
  }
  const name = is(nameWord, "ends") ? "ends" : is(nameWord, "sample") ? "minSample" : undefined;
  if (!name || !/^\d+$/.test(value))
    throw new AppError("usage", { usage: "settingsSummary", detail: nameWord });
  await setSummarySetting(ctx.deps.services, { actor: ctx.userId, name, value: Number(value) });
  return textReply(m.changed({ what: m.summaryName[name], value }));
}

/** `信息 时限 突发事件 紧急 4`: the hours within which that category's 初报 is due. */
async function infoLimit(ctx: CommandContext, args: string[]) {
  const [limitWord, categoryWord, urgencyWord, hoursWord, ...rest] = args;
  const I = ctx.deps.messages.info;
  const find = (names: Record<string, string>, word: string | undefined) =>
    Object.entries(names).find(([key, name]) => name === word || key === word)?.[0];
  const category = find(I.categoryName, categoryWord);
  const urgency = find(I.urgencyName, urgencyWord);
  const hours = Number((hoursWord ?? "").replace(/小时$/, ""));
  if (!is(limitWord, "limit") || !category || !urgency || !Number.isFinite(hours) || rest.length)
    throw new AppError("usage", { usage: "settingsInfo" });
  await setInfoLimit(ctx.deps.services, { actor: ctx.userId, category, urgency, hours });
  return textReply(
    ctx.deps.messages.settings.changed({
      what: `${I.categoryName[category]}（${I.urgencyName[urgency]}）`,
      value: I.duration({ minutes: Math.round(hours * 60) }),
    }),
  );
}

const SOURCE_WORDS: Record<string, string> = {
  批示: "instruction",
  instruction: "instruction",
  会议: "meeting",
  meeting: "meeting",
  文件: "document",
  document: "document",
  其他: "other",
  other: "other",
  信访件: "petition",
  信访: "petition",
  petition: "petition",
  建议提案: "proposal",
  提案: "proposal",
  proposal: "proposal",
  上级督查: "inspection",
  inspection: "inspection",
};

/** `整改期限 5`, `回头看 期限 5`, `回头看 批示|标签 90`, `实地核查 标签…`. */
async function loops(ctx: CommandContext, which: string, args: string[]) {
  const m = ctx.deps.messages;
  const usage = () => new AppError("usage", { usage: "settingsLoops" });
  const days = (word: string | undefined) => {
    if (word === undefined || !/^\d{1,3}$/.test(word.replace(/天$/, ""))) throw usage();
    return Number(word.replace(/天$/, ""));
  };
  const actor = ctx.userId;
  if (is(which, "rectifyDays")) {
    if (args.length !== 1) throw usage();
    await setLoopSetting(ctx.deps.services, { actor, name: "rectifyWorkdays", value: days(args[0]) });
  } else if (is(which, "siteCheck")) {
    const tags = args
      .join(" ")
      .split(/[,，、\s]+/)
      .filter(Boolean)
      .map((t) => t.replace(/^#/, ""));
    await setLoopSetting(ctx.deps.services, { actor, name: "siteCheckTags", value: tags });
  } else {
    const [what, value, ...rest] = args;
    if (what === undefined || rest.length > 0) throw usage();
    if (is(what, "replyDays"))
      await setLoopSetting(ctx.deps.services, { actor, name: "recheckReplyWorkdays", value: days(value) });
    else {
      const source = SOURCE_WORDS[what.toLowerCase()];
      const key = source ? `source:${source}` : `tag:${what.replace(/^#/, "")}`;
      await setLoopSetting(ctx.deps.services, { actor, name: "recheckAfterDays", key, days: days(value) });
    }
  }
  const overview = await settingsOverview(ctx.deps.services);
  return textReply(
    m.settings.changed({ what: which, value: args.join(" ") || m.notSet }) +
      "\n" +
      loopsLine(m, loopSettingsOf(overview.settings)),
  );
}

/**
 * `/ducha settings …` (`设置 …`): show everything; set the leadership and supervision
 * channels, a job's schedule, a light threshold, the jobs' time zone, the catch-up window,
 * and holidays or make-up workdays. Admins only, each change logged.
 */
export const settings: Subcommand = async (ctx) => {
  const m = ctx.deps.messages;
  const [which, ...args] = ctx.args;
  if (which === undefined) {
    const overview = await settingsOverview(ctx.deps.services);
    return settingsView(m, overview, { timeZone: ctx.deps.services.timeZone, locale: ctx.deps.locale });
  }
  if (is(which, "schedule")) return schedule(ctx, args);
  if (is(which, "threshold")) return threshold(ctx, args);
  if (is(which, "calendar")) return calendar(ctx, args);
  if (is(which, "summary")) return summarySetting(ctx, args);
  if (is(which, "timezone")) {
    const [zone, ...rest] = args;
    if (!zone || rest.length) throw new AppError("usage", { usage: "settingsTimezone" });
    await setJobTimeZone(ctx.deps.services, { actor: ctx.userId, timeZone: zone });
    return textReply(m.settings.changed({ what: m.settings.jobTimeZone, value: zone }));
  }
  if (is(which, "delivery")) return delivery(ctx, args);
  if (is(which, "rectifyDays") || is(which, "recheck") || is(which, "siteCheck"))
    return loops(ctx, which, args);
  if (is(which, "office")) {
    const name = await setOfficeName(ctx.deps.services, { actor: ctx.userId, name: args.join(" ") });
    return textReply(m.settings.changed({ what: m.settings.officeName, value: name }));
  }
  if (is(which, "distribution")) {
    const [lineWord, ...text] = args;
    const line = is(lineWord, "lineReport")
      ? "report"
      : is(lineWord, "lineSend")
        ? "send"
        : is(lineWord, "lineIssue")
          ? "issue"
          : null;
    if (!line) throw new AppError("usage", { usage: "settingsDistribution" });
    const set = await setDistributionLine(ctx.deps.services, {
      actor: ctx.userId,
      line,
      text: text.join(" "),
    });
    const label = m.settings.distributionLine[line] ?? line;
    return textReply(
      m.settings.changed({ what: `${m.settings.distribution}（${label}）`, value: set || m.notSet }),
    );
  }
  if (is(which, "bulletinScope")) {
    const [to, channelToken, ...rest] = args;
    const scope = is(to, "scopeLeaders")
      ? ({ to: "leaders" } as const)
      : is(to, "scopeUnits")
        ? ({ to: "units" } as const)
        : is(to, "scopeChannel") && channelToken !== undefined
          ? ({ to: "channel", channel: requireChannel(channelToken) } as const)
          : null;
    const extra = scope?.to === "channel" ? rest : [channelToken, ...rest].filter((a) => a !== undefined);
    if (!scope || extra.length > 0) throw new AppError("usage", { usage: "settingsBulletinScope" });
    await setBulletinScope(ctx.deps.services, { actor: ctx.userId, scope });
    return textReply(
      m.settings.changed({ what: m.settings.bulletinScope, value: m.settings.bulletinScopeName(scope) }),
    );
  }
  if (is(which, "catchup")) {
    const [hours, ...rest] = args;
    if (hours === undefined || rest.length || !/^\d+$/.test(hours))
      throw new AppError("usage", { usage: "settingsCatchUp" });
    await setCatchUpHours(ctx.deps.services, { actor: ctx.userId, hours: Number(hours) });
    return textReply(
      m.settings.changed({ what: m.settings.catchUp({ hours: Number(hours) }), value: hours }),
    );
  }
  if (is(which, "info")) return infoLimit(ctx, args);
  const setting = is(which, "leadership")
    ? "leadershipChannel"
    : is(which, "supervision")
      ? "supervisionChannel"
      : is(which, "infoChannel")
        ? "infoChannel"
        : null;
  if (!setting) throw new AppError("usage", { usage: "settings", detail: which });
  const [channelToken, ...rest] = args;
  if (channelToken === undefined || rest.length > 0)
    throw new AppError("usage", { usage: "settingsChannel" });
  const channelId = requireChannel(channelToken);
  const { channelStatus } = await setChannelSetting(ctx.deps.services, {
    actor: ctx.userId,
    setting,
    channelId,
  });
  const label =
    setting === "leadershipChannel"
      ? m.settings.leadershipChannel
      : setting === "supervisionChannel"
        ? m.settings.supervisionChannel
        : m.settings.infoChannel;
  return channelSettingView(m, { label, channelId, channelStatus });
};

import type { types } from "@slack/bolt";
import type { DecisionSource } from "../../domain/decision.js";
import type { Department } from "../../domain/model.js";
import {
  DISTRIBUTION_LINES,
  JOB_IDS,
  type LoopSettings,
  loopSettingsOf,
  type Settings,
  schedulesOf,
  summarySettingsOf,
  thresholdsOf,
} from "../../domain/settings.js";
import { channel, esc } from "../../i18n/format.js";
import type { Messages } from "../../i18n/index.js";
import { COMMANDS, type CommandWord, HELP_SECTIONS, WORDS } from "../../i18n/words.js";
import type { CalendarStatus, ImportedNotice } from "../../services/calendar.js";
import type { ChannelStatus } from "../../services/ports.js";
import type { RoleListing } from "../../services/roles.js";
import { CALLBACK } from "../ids.js";
import { context, header, type Reply, section, textReply, textSections } from "./blocks.js";

/**
 * `/ducha 帮助`, generated from the table of commands (src/i18n/words.ts): every subcommand
 * the dispatcher knows is described, in its section, and the other language's words listed.
 */
export function helpView(m: Messages, locale: string): Reply {
  const blocks = [header(m.help.title), section(m.help.intro)];
  for (const heading of HELP_SECTIONS) {
    const lines = COMMANDS.filter((c) => c.section === heading).flatMap((c) =>
      c.lines.map((l) => m.help.lines[l]),
    );
    blocks.push(section(`*${m.help.sectionHeading[heading]}*\n${lines.join("\n")}`));
  }
  // The words of the language the help is not in: English for zh-CN, Chinese for en.
  const other = (word: CommandWord) =>
    WORDS[word].find((w) => (locale === "en" ? /[\u4e00-\u9fff]/.test(w) : /^[a-z-]+$/.test(w))) ?? word;
  const words = COMMANDS.map((c) => `\`${other(c.word)}\``).join(locale === "en" ? ", " : "、");
  blocks.push(context(m.help.english({ words })));
  return { text: m.help.title, blocks };
}

/** A warning to add when the bot cannot post in a channel it was given. */
function channelHint(m: Messages, channelId: string, status: ChannelStatus): string | undefined {
  if (status === "not_member") return m.dept.botNotInChannel({ channelId });
  if (status === "not_found") return m.dept.channelNotFound({ channelId });
  return undefined;
}

export function departmentAddedView(
  m: Messages,
  result: { department: Department; reactivated: boolean; channelStatus: ChannelStatus },
): Reply {
  const { department } = result;
  const lines = [
    ...(result.reactivated ? [m.dept.reactivated({ name: department.name })] : []),
    m.dept.added({
      name: department.name,
      channelId: department.channelId,
      members: department.members,
      aliases: department.aliases,
    }),
  ];
  const hint = channelHint(m, department.channelId, result.channelStatus);
  if (hint) lines.push(hint);
  return { text: lines.join("\n"), blocks: textSections(lines) };
}

export function departmentListView(m: Messages, departments: readonly Department[]): Reply {
  if (departments.length === 0) return textReply(m.dept.listEmpty);
  const title = m.dept.listTitle({ count: departments.length });
  const lines = departments.map((d) =>
    m.dept.line({ name: d.name, channelId: d.channelId, aliases: d.aliases, members: d.members }),
  );
  return { text: title, blocks: [header(title), ...textSections(lines)] };
}

export function roleListView(m: Messages, listing: readonly RoleListing[]): Reply {
  const lines = listing.map((entry) => m.role.listLine(entry));
  return { text: m.role.listTitle, blocks: [header(m.role.listTitle), ...textSections(lines)] };
}

export function settingsView(
  m: Messages,
  overview: { settings: Settings; calendar: CalendarStatus },
  environment: { timeZone: string; locale: string },
): Reply {
  const { settings } = overview;
  const show = (id: string | null) => (id ? channel(id) : m.notSet);
  const schedules = schedulesOf(settings);
  const thresholds = thresholdsOf(settings);
  const summary = summarySettingsOf(settings);
  const lines = [
    `*${m.settings.leadershipChannel}*：${show(settings.leadershipChannel)}`,
    `*${m.settings.supervisionChannel}*：${show(settings.supervisionChannel)}`,
    `*${m.settings.infoChannel}*：${show(settings.infoChannel)}`,
    `*${m.settings.bulletinScope}*：${m.settings.bulletinScopeName(settings.bulletinScope)}`,
    ...DISTRIBUTION_LINES.flatMap((line) => {
      const text = settings.bulletinDistribution[line];
      return text
        ? [`${m.settings.distribution}（${m.settings.distributionLine[line] ?? line}）：${esc(text)}`]
        : [];
    }),
    loopsLine(m, loopSettingsOf(settings)),
    `*${m.settings.timezone}*：${environment.timeZone}`,
    `*${m.settings.jobTimeZone}*：${settings.jobTimeZone ?? environment.timeZone}`,
    `*${m.settings.language}*：${m.settings.languageName[environment.locale] ?? environment.locale}`,
    m.settings.catchUp({ hours: settings.catchUpHours }),
    m.settings.calendar({ count: overview.calendar.overrides }),
    m.settings.calendarKnown({
      builtIn: overview.calendar.builtInUntil,
      imported: overview.calendar.imported,
    }),
    ...overview.calendar.unknown.map((year) => m.settings.calendarUnknown({ year })),
    "",
    `*${m.settings.schedules}*`,
    ...JOB_IDS.map((job) => `${m.settings.jobName[job]}：\`${schedules[job]}\``),
    "",
    `*${m.settings.thresholds}*`,
    ...(Object.keys(thresholds) as (keyof typeof thresholds)[]).map(
      (key) => `${m.settings.thresholdName[key]}：${thresholds[key]}`,
    ),
    "",
    `*${m.settings.summaryTitle}*`,
    `${m.settings.summaryName.ends}：${summary.ends}`,
    `${m.settings.summaryName.minSample}：${summary.minSample}`,
    `${m.settings.summaryName.hotTags}：${summary.hotTags.join(m.listSeparator)}`,
  ];
  return { text: m.settings.title, blocks: [header(m.settings.title), ...textSections(lines)] };
}

export function channelSettingView(
  m: Messages,
  input: { label: string; channelId: string; channelStatus: ChannelStatus },
): Reply {
  const lines = [m.settings.set({ label: input.label, channelId: input.channelId })];
  const hint = channelHint(m, input.channelId, input.channelStatus);
  if (hint) lines.push(hint);
  return { text: lines.join("\n"), blocks: textSections(lines) };
}

/** The modal an admin pastes the State Council's holiday notice into. */
export function calendarImportModal(m: Messages): types.ModalView {
  const t = m.settings.importModal;
  return {
    type: "modal",
    callback_id: CALLBACK.calendarImport,
    title: { type: "plain_text", text: t.title },
    submit: { type: "plain_text", text: t.submit },
    close: { type: "plain_text", text: m.taskModals.cancel },
    blocks: [
      {
        type: "input",
        block_id: CALENDAR_NOTICE_INPUT,
        label: { type: "plain_text", text: t.label },
        hint: { type: "plain_text", text: t.hint },
        element: {
          type: "plain_text_input",
          action_id: CALENDAR_NOTICE_INPUT,
          multiline: true,
          max_length: 3000,
        },
      },
    ],
  };
}

/** The input of the calendar import modal (block_id = action_id). */
export const CALENDAR_NOTICE_INPUT = "c_notice";

/** What an imported notice set, holiday by holiday. */
export function importedText(m: Messages, imported: ImportedNotice): string {
  return m.settings.imported({
    year: imported.year,
    replaced: imported.replaced,
    holidays: imported.holidays.map((h) =>
      m.settings.holidayLine({
        name: h.name,
        from: h.days[0] ?? "",
        to: h.days.at(-1) ?? "",
        days: h.days.length,
      }),
    ),
    workdays: imported.workdays,
  });
}

/** 整改 and 回头看 periods, the default 回头看 dates by source or tag, the tags needing 实地核查. */
export function loopsLine(m: Messages, loops: LoopSettings): string {
  const recheck = Object.entries(loops.recheckAfterDays)
    .map(([key, days]) => {
      const [kind, name = ""] = key.split(":");
      const what = kind === "source" ? (m.sourceName[name as DecisionSource] ?? name) : `#${esc(name)}`;
      return m.settings.recheckAfter({ what, days });
    })
    .join(m.listSeparator);
  return m.settings.loops({
    rectify: loops.rectifyWorkdays,
    reply: loops.recheckReplyWorkdays,
    recheck,
    siteTags: loops.siteCheckTags.map(esc).join(m.listSeparator),
  });
}

import type { LightThresholds } from "../domain/lights.js";
import type { JobId } from "../domain/settings.js";

/**
 * Every word a person types to ducha, in one table: subcommands, their options, job names,
 * calendar kinds, light thresholds. The command parser reads only this; help is generated
 * from COMMANDS below; the zh-CN catalogue names jobs and thresholds with these words.
 * The first English word of each list is the canonical one, the first Chinese the one shown.
 */
export const WORDS = {
  help: ["help", "帮助", "?", "？"],
  dept: ["dept", "单位", "部门"],
  role: ["role", "角色"],
  settings: ["settings", "设置"],
  new: ["new", "新建", "交办"],
  show: ["show", "查看"],
  add: ["add", "添加", "新增"],
  list: ["list", "列表"],
  remove: ["remove", "删除", "移除", "取消"],
  members: ["members", "成员"],
  mine: ["mine", "我的"],
  /** 本单位: the department of the person asking (得分 本单位). */
  own: ["own", "本单位", "我单位"],
  red: ["red", "红灯", "红"],
  yellow: ["yellow", "黄灯", "黄"],
  overdue: ["overdue", "超期", "逾期"],
  stalled: ["stalled", "停滞"],
  coordination: ["coordination", "协调"],
  /** 我交办的: a leader's own decisions' tasks; 报结 not yet read; 核查: an on-site check. */
  assigned: ["assigned", "我交办的", "我交办"],
  closures: ["closures", "报结"],
  check: ["check", "核查", "暗访"],
  /** 查考: 查找 and its filters (单位 and 领导 words are shared). */
  search: ["search", "查找", "查询", "搜索"],
  archive: ["archive", "归档", "立卷归档"],
  source: ["source", "来源"],
  leader: ["leader", "领导"],
  closed: ["closed", "已办结", "办结"],
  cancelled: ["cancelled", "已撤销", "撤销"],
  /** 信息报送: 报送, 漏报; 列表 信息 今天|未续报|迟报; 汇总 信息. */
  inform: ["report", "报送", "报送信息"],
  missed: ["missed", "漏报"],
  info: ["info", "信息"],
  today: ["today", "今天", "今日"],
  owed: ["owed", "未续报", "待续报"],
  late: ["late", "迟报"],
  infoChannel: ["info-channel", "信息频道"],
  limit: ["limit", "时限"],
  all: ["all", "全部"],
  schedule: ["schedule", "计划"],
  threshold: ["threshold", "阈值"],
  timezone: ["timezone", "时区"],
  catchup: ["catchup", "补跑"],
  office: ["office", "发文机关"],
  /** 通报范围 and its three answers. */
  bulletinScope: ["bulletin-scope", "通报范围"],
  scopeLeaders: ["leaders", "领导频道", "仅领导"],
  scopeUnits: ["units", "各单位", "各单位频道"],
  scopeChannel: ["channel", "通报频道"],
  /** The 报/送/发 lines of the 督查通报. */
  distribution: ["distribution", "报送"],
  lineReport: ["report", "报"],
  lineSend: ["send", "送"],
  lineIssue: ["issue", "发"],
  delivery: ["delivery", "投递"],
  /** The loops: 整改期限 N, 回头看 期限 N | 回头看 来源或标签 N, 实地核查 标签… */
  rectifyDays: ["rectify-days", "整改期限"],
  recheck: ["recheck", "回头看"],
  replyDays: ["reply-days", "期限", "答复期限"],
  siteCheck: ["site-check", "实地核查"],
  resend: ["resend", "重发"],
  calendar: ["calendar", "日历"],
  import: ["import", "导入"],
  holiday: ["off", "holiday", "休", "休息", "假"],
  workday: ["work", "workday", "班", "上班"],
  clear: ["clear", "删除", "清除"],
  leadership: ["leadership", "领导频道"],
  supervision: ["supervision", "督查频道"],
  summary: ["summary", "汇总", "总结"],
  export: ["export", "导出", "台账"],
  score: ["score", "得分", "评分"],
  week: ["week", "本周", "周", "weekly"],
  month: ["month", "本月", "月", "monthly"],
  year: ["year", "本年", "年", "全年", "yearly"],
  lastWeek: ["last-week", "上周"],
  lastMonth: ["last-month", "上月"],
  lastYear: ["last-year", "去年", "上年"],
  open: ["open", "在办", "未办结"],
  ends: ["ends", "两头"],
  sample: ["sample", "样本"],
  hot: ["hot", "热点"],
} as const;

export type Word = keyof typeof WORDS;

export function is(token: string | undefined, word: Word): boolean {
  return token !== undefined && (WORDS[word] as readonly string[]).includes(token.toLowerCase());
}

/** Job names as typed in `/ducha 设置 计划 每日 0 9 * * *`; the Chinese is also how they are shown. */
export const JOB_WORDS: Record<JobId, readonly [string, string, ...string[]]> = {
  daily: ["daily", "每日提醒", "每日"],
  urgent: ["urgent", "急件检查", "急件"],
  weekly: ["weekly", "每周汇总", "每周"],
  monthly: ["monthly", "月度通报", "每月"],
  housekeeping: ["housekeeping", "清理"],
  info: ["info", "每日要情", "要情"],
};

/** Light thresholds as typed in `/ducha 设置 阈值 临期工作日 3`; the Chinese is also how they are shown. */
export const THRESHOLD_WORDS: Record<keyof LightThresholds, readonly [string, string]> = {
  dueSoonWorkdays: ["dueSoonWorkdays", "临期工作日"],
  ackWorkdays: ["ackWorkdays", "签收工作日"],
  stallCadences: ["stallCadences", "停滞周期"],
  stallWorkdaysWithoutCadence: ["stallWorkdaysWithoutCadence", "停滞工作日"],
  blockerRedWorkdays: ["blockerRedWorkdays", "困难红灯工作日"],
  farBehindPoints: ["farBehindPoints", "严重滞后百分点"],
  behindPoints: ["behindPoints", "滞后百分点"],
  urgentDueSoonHours: ["urgentDueSoonHours", "急件临期小时"],
  urgentAckHours: ["urgentAckHours", "急件签收小时"],
  urgentStallHours: ["urgentStallHours", "急件停滞小时"],
  urgentBlockerRedHours: ["urgentBlockerRedHours", "急件困难红灯小时"],
  coordinationReplyWorkdays: ["coordinationReplyWorkdays", "协调答复工作日"],
  urgentCoordinationReplyHours: ["urgentCoordinationReplyHours", "急件协调答复小时"],
};

function find<K extends string>(
  table: Record<K, readonly string[]>,
  token: string | undefined,
): K | undefined {
  if (token === undefined) return undefined;
  const word = token.toLowerCase();
  return (Object.keys(table) as K[]).find((key) => table[key].some((w) => w.toLowerCase() === word));
}

export const jobOf = (token: string | undefined): JobId | undefined => find(JOB_WORDS, token);
export const thresholdOf = (token: string | undefined): keyof LightThresholds | undefined =>
  find(THRESHOLD_WORDS, token);

/** The sections of the help, in order. */
export const HELP_SECTIONS = ["common", "summary", "dept", "role", "settings"] as const;
export type HelpSection = (typeof HELP_SECTIONS)[number];

/**
 * Every subcommand, with the help lines that describe it (their words are in the catalogues,
 * under `help.lines`), in the order help shows them. The dispatcher has a handler for each,
 * and a test holds the two to each other.
 */
export const COMMANDS = [
  { word: "help", section: "common", lines: ["help"] },
  { word: "new", section: "common", lines: ["new", "shortcut"] },
  { word: "list", section: "common", lines: ["list"] },
  { word: "show", section: "common", lines: ["show", "thread"] },
  { word: "check", section: "common", lines: ["check"] },
  { word: "search", section: "common", lines: ["search"] },
  { word: "archive", section: "settings", lines: ["archive"] },
  { word: "inform", section: "common", lines: ["inform", "informMiss"] },
  { word: "summary", section: "summary", lines: ["summary"] },
  { word: "score", section: "summary", lines: ["score"] },
  { word: "export", section: "summary", lines: ["export"] },
  { word: "dept", section: "dept", lines: ["deptAdd", "deptList", "deptRemove", "deptMembers"] },
  { word: "role", section: "role", lines: ["roleAdd", "roleRemove", "roleList"] },
  {
    word: "settings",
    section: "settings",
    lines: [
      "settings",
      "settingsLeadership",
      "settingsSupervision",
      "settingsSchedule",
      "settingsThreshold",
      "settingsTimezone",
      "settingsCatchUp",
      "settingsOffice",
      "settingsBulletinScope",
      "settingsDistribution",
      "settingsLoops",
      "settingsInfo",
      "settingsHoliday",
      "settingsImport",
      "settingsSummary",
      "settingsDelivery",
    ],
  },
] as const satisfies readonly { word: Word; section: HelpSection; lines: readonly string[] }[];

export type CommandWord = (typeof COMMANDS)[number]["word"];
export type HelpLine = (typeof COMMANDS)[number]["lines"][number];

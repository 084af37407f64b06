/** Subcommand words, English and Chinese. The first word of each list is the canonical one. */
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
  red: ["red", "红灯", "红"],
  yellow: ["yellow", "黄灯", "黄"],
  overdue: ["overdue", "超期", "逾期"],
  stalled: ["stalled", "停滞"],
  all: ["all", "全部"],
  schedule: ["schedule", "计划"],
  threshold: ["threshold", "阈值"],
  timezone: ["timezone", "时区"],
  catchup: ["catchup", "补跑"],
  calendar: ["calendar", "日历"],
  import: ["import", "导入"],
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

import type { ErrorParams, UsageKey } from "../domain/errors.js";
import type { RoleName } from "../domain/roles.js";
import { channel, esc, user } from "./format.js";
import { JOB_WORDS, THRESHOLD_WORDS } from "./words.js";

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
  show: "`/ducha 查看 12` 或 `/ducha 查看 2026-12`",
  list: "`/ducha 列表 [我的|红灯|黄灯|超期|协调|单位 名称|全部|我交办的|回头看|报结]`",
  check: "`/ducha 核查 12`（记录实地核查或暗访，督查员）",
  settingsSchedule: "`/ducha 设置 计划 每日|急件|每周|每月|清理|要情 0 9 * * *`（cron：分 时 日 月 周）",
  settingsThreshold: "`/ducha 设置 阈值 名称 数值`，例如 `/ducha 设置 阈值 临期工作日 3`",
  settingsTimezone: "`/ducha 设置 时区 Asia/Shanghai`",
  settingsCatchUp: "`/ducha 设置 补跑 24`（小时，0 到 168）",
  settingsOffice: "`/ducha 设置 发文机关 市政府督查室`（督查通报上的发文机关，40 字以内）",
  settingsDistribution:
    "`/ducha 设置 报送 报|送|发 市委、市政府领导`（督查通报文末的报、送、发；只写“报”等则清除）",
  settingsBulletinScope:
    "`/ducha 设置 通报范围 领导频道|各单位|通报频道 #频道`（汇总和督查通报除领导频道外还发到哪里）",
  siteCheck: "实地核查须写明核查人员、核查日期（YYYY-MM-DD）和地点。",
  info: "`/ducha 报送`（打开报送表单）或 `/ducha 报送 漏报 单位 事件`（督查员登记漏报）",
  infoMiss: "`/ducha 报送 漏报 单位名称 事件简述`",
  archive: "`/ducha 归档 2026`（也可在服务器上 `npm run archive -- 2026 目录`）",
  search:
    "`/ducha 查找 供暖 [单位 名称] [来源 会议|批示|文件|信访件|建议提案|上级督查] [领导 @某人] [2025|本年|上月] [在办|已办结|已撤销]`：查找的词至少两个字",
  settingsInfo:
    "`/ducha 设置 信息频道 #频道`、`/ducha 设置 信息 时限 突发事件|重要情况|社情民意|预警信息 紧急|一般 4`（小时，从事发时间起算）",
  reinstruct: "再批示请写明批示内容；新的办理时限为 YYYY-MM-DD 格式的日期。",
  settingsLoops:
    "`/ducha 设置 整改期限 5`（工作日）、`/ducha 设置 回头看 期限 5`（工作日）、`/ducha 设置 回头看 批示|会议|文件|其他|标签 90`（验收后多少天回头看，0 为不设）、`/ducha 设置 实地核查 民生 热点`（这些标签的事项验收前须实地核查）",
  settingsHoliday: "`/ducha 设置 日历 2027-02-06 休|班|删除`",
  settingsSummary:
    "`/ducha 设置 汇总 两头 3`、`/ducha 设置 汇总 样本 2` 或 `/ducha 设置 汇总 热点 民生,安全生产`",
  settingsDelivery: "`/ducha 设置 投递`（查看投递失败的消息）、`/ducha 设置 投递 重发 编号…|全部`",
  summary: "`/ducha 汇总 [本周|本月|本年|上周|上月|去年]`",
  export: "`/ducha 导出 [本周|本月|本年|上周|上月] [在办|红灯|黄灯|停滞] [单位 名称]`",
  score: "`/ducha 得分 单位名称|本单位 [本周|本月|本年|上周|上月]`",
};

const zhActionNames: Record<import("../domain/lifecycle.js").TaskAction, string> = {
  ack: "签收",
  report: "反馈进展",
  claim: "申请办结",
  extend: "申请延期",
  urge: "催办",
  verify: "验收",
  return: "退回",
  approve_extension: "批准延期",
  reject_extension: "驳回延期",
  cancel: "撤销",
  reopen: "重新督办",
  star: "列为先进经验",
  coordinate: "请单位协调",
  site_check: "实地核查",
};

const list = (items: readonly string[]) => items.join("、");

export const zhCN = {
  listSeparator: "、",
  usage: (key: UsageKey) => usage[key],
  notSet: "未设置",
  none: "无",

  actionName: zhActionNames,
  lightName: {
    red: "红灯",
    yellow: "黄灯",
    green: "绿灯",
    on_time: "按期办结",
    late: "逾期办结",
    cancelled: "已撤销",
  } as Record<import("../domain/lights.js").Light, string>,
  reasonName: {
    overdue: "已超期",
    stalled: "长期无实质进展",
    blocker_long: "困难久拖未解",
    far_behind: "进度严重滞后",
    due_soon: "临近时限",
    ack_late: "逾期未签收",
    report_owed: "未按时反馈",
    blocker_open: "有困难待协调",
    behind: "进度滞后",
  } as Record<import("../domain/lights.js").LightReason, string>,
  stateName: {
    dispatched: "待签收",
    in_progress: "办理中",
    pending_review: "已申请办结",
    closed: "已办结",
    cancelled: "已撤销",
  } as Record<import("../domain/task-state.js").TaskState, string>,
  sourceName: {
    meeting: "会议",
    instruction: "批示",
    document: "文件",
    petition: "信访件",
    proposal: "建议提案",
    inspection: "上级督查",
    other: "其他",
  } as Record<import("../domain/decision.js").DecisionSource, string>,
  confidentialityName: {
    public: "公开",
    internal: "内部",
    secret: "不公开",
  } as Record<import("../domain/decision.js").Confidentiality, string>,
  causeName: {
    funding: "资金",
    policy: "政策",
    coordination: "部门协调",
    staffing: "人手",
    other: "其他",
  } as Record<string, string>,
  cadence: (c: import("../domain/splitter/splitter.js").Cadence) =>
    c.kind === "none"
      ? "不要求定期反馈"
      : c.kind === "weekly"
        ? "每周反馈"
        : c.kind === "fortnightly"
          ? "每两周反馈"
          : c.kind === "monthly"
            ? "每月反馈"
            : `每${c.hours}小时反馈`,
  workdaysLeft: (n: number) => (n <= 0 ? "今天到期" : `还有${n}个工作日`),
  hoursLeft: (n: number) => (n <= 0 ? "即将到期" : `还有${n}小时`),
  overdueBy: (days: number) => (days <= 0 ? "已到期" : `已超期${days}天`),

  card: {
    lead: "牵头单位",
    co: "配合单位",
    due: "办理时限",
    cadence: "反馈要求",
    state: "办理状态",
    light: "亮灯",
    requirement: "工作要求",
    latest: "最新进展",
    noReport: "暂无反馈",
    secret: ":lock: 不公开事项，详情已私信承办人。",
    secretTitle: "不公开事项",
    source: (p: { source: string; ref: string }) => `来源：${p.source}${p.ref ? ` ${esc(p.ref)}` : ""}`,
    sourceFile: (p: { name: string; url: string | null }) =>
      p.url ? `原件 <${p.url}|《${esc(p.name)}》>` : `原件《${esc(p.name)}》`,
    leader: (p: { userId: string }) => `交办领导 ${user(p.userId)}`,
    dispatched: (p: { date: string }) => `${p.date}交办`,
    extensions: (p: { count: number }) => `延期 ${p.count} 次`,
    urgent: ":rotating_light: 急件",
    blocker: (p: { cause: string; text: string; since: string }) =>
      `:construction: 困难（${p.cause}，${p.since}起）${p.text ? `：${p.text}` : ""}`,
    pendingExtension: (p: { date: string; reason: string; userId: string; late: boolean }) =>
      `:hourglass_flowing_sand: ${user(p.userId)} 申请延期至 ${p.date}${p.late ? "（超期后申请）" : ""}：${esc(p.reason)}`,
    report: (p: { userId: string; date: string; text: string }) =>
      `${user(p.userId)} ${p.date}：${esc(p.text)}`,
    /** Where the task stands: its standing progress and when it was last reported. */
    standing: (p: { progress: number | null; date: string }) =>
      `${p.progress === null ? "" : `*进度 ${p.progress}%* · `}最近反馈 ${p.date}`,
    files: (p: { links: string[] }) => `:paperclip: ${p.links.join("、")}`,
    threadHint: "在本消息的消息列中回复即可反馈进展，例如“进度60%，已完成招标”。",
    stalledFlag: ":warning: 已列为停滞事项",
    coordinating: (p: { items: readonly { name: string; answered: boolean; workdays: number }[] }) =>
      `:handshake: 协调中：${list(
        p.items.map(
          (i) =>
            `${esc(i.name)}（${i.answered ? "已答复" : i.workdays === 0 ? "今日提请，待答复" : `已提请${i.workdays}个工作日，待答复`}）`,
        ),
      )}`,
    buttons: {
      ack: "签收",
      report: "反馈进展",
      claim: "申请办结",
      extend: "申请延期",
      urge: "催办",
      verify: "验收通过",
      return: "退回",
      approveExtension: "批准延期",
      rejectExtension: "驳回延期",
      cancel: "撤销",
      reopen: "重新督办",
      coordinate: "协调",
    },
    fallback: (p: { number: string; title: string; lead: string; due: string; light: string }) =>
      `${p.number} ${p.title} — 牵头：${p.lead}，时限：${p.due}，${p.light}`,
  },

  taskNotice: {
    spreadButton: "推广到各单位",
    experience: (p: { department: string; task: string; title: string; text: string; author: string }) =>
      `:star: *推广先进经验*：${esc(p.department)}在${p.task}“${p.title}”中的做法——${p.text}（${user(p.author)}）\n请各单位学习借鉴。`,
    spreadDone: (p: { count: number }) => `已推广到 ${p.count} 个单位的频道。`,
    acked: (p: { by: string }) => `:white_check_mark: ${user(p.by)} 已签收。`,
    reported: (p: { by: string; progress: number | null; text: string; blocker: string }) =>
      `:memo: ${user(p.by)} 反馈进展：${p.progress === null ? "" : `进度 ${p.progress}%。`}${p.text}${p.blocker ? `\n:construction: 困难（${p.blocker}）` : ""}`,
    claimed: (p: { by: string; evidence: string }) =>
      `:inbox_tray: ${user(p.by)} 申请办结，请督查员验收。办结情况：${p.evidence}`,
    urged: (p: { by: string; members: readonly string[] }) =>
      `:mega: 催办：请 ${p.members.length ? list(p.members.map(user)) : "承办人"} 抓紧推进，并在本消息列中反馈进展。（${user(p.by)}）`,
    verified: (p: { by: string }) => `:white_check_mark: ${user(p.by)} 验收通过，事项办结。`,
    returned: (p: { by: string; reason: string }) =>
      `:leftwards_arrow_with_hook: ${user(p.by)} 退回，请继续办理：${p.reason}`,
    extensionRequested: (p: { by: string; date: string; reason: string; late: boolean }) =>
      `:hourglass_flowing_sand: ${user(p.by)} 申请延期至 ${p.date}${p.late ? "（超期后申请）" : ""}：${p.reason}。请督查员审批。`,
    extensionApproved: (p: { by: string; date: string; note: string }) =>
      `:white_check_mark: ${user(p.by)} 批准延期，办理时限改为 ${p.date}。${p.note}`,
    extensionRejected: (p: { by: string; note: string }) => `:x: ${user(p.by)} 驳回延期申请。${p.note}`,
    cancelled: (p: { by: string; reason: string }) =>
      `:white_circle: ${user(p.by)} 撤销了此事项：${p.reason}`,
    reopened: (p: { by: string; reason: string }) =>
      `:arrows_counterclockwise: ${user(p.by)} 重新督办：${p.reason}`,
    starred: (p: { by: string; author: string }) =>
      `:star: ${user(p.by)} 将 ${user(p.author)} 的反馈列为先进经验，供各单位学习借鉴。`,
    reportRequested: (p: { members: readonly string[]; cadence: string }) =>
      `:spiral_calendar_pad: 请 ${p.members.length ? list(p.members.map(user)) : "承办人"} 在本消息列中反馈本期进展（${p.cadence}）。`,
    reminded: (p: { reasons: string }) =>
      `:alarm_clock: 提醒：本事项${p.reasons}，请尽快在本消息列中反馈实质进展。`,
    escalationUrge: (p: { reasons: string; members: readonly string[] }) =>
      `:mega: 催办：本事项${p.reasons}，请 ${p.members.length ? list(p.members.map(user)) : "承办人"} 抓紧推进并反馈。下一个工作日仍无实质进展，将报督查室和交办领导。`,
    coordinationAsked: (p: {
      department: string;
      members: readonly string[];
      need: string;
      replyBy: string;
    }) =>
      `:handshake: 协调事项：已请 *${esc(p.department)}*${p.members.length ? `（${list(p.members.map(user))}）` : ""}协调：${p.need}\n请于 *${p.replyBy}* 前在本消息列中答复。`,
    offerClaim:
      "看起来事项已经完成。如已办结，请点“申请办结”并附上办结情况，督查员验收后办结；系统不会自动办结。",
    secretDetail: "（不公开事项，详情略）",
  },

  /** A modal whose work took longer than Slack waits: it says so, then what came of it. */
  slow: {
    title: "督查助手",
    close: "关闭",
    working:
      ":hourglass_flowing_sand: 正在处理，请稍候……数据库暂时繁忙，处理完成后这里会显示结果，不必重复提交。",
    done: ":white_check_mark: 已提交。可以关闭此窗口。",
    savedTask: ":white_check_mark: 事项已保存，交办窗口已更新。可以关闭此窗口。",
  },

  taskModals: {
    submit: "提交",
    cancel: "取消",
    report: {
      title: "反馈进展",
      progress: "完成进度（%）",
      text: "进展情况",
      textHint: "写明做了什么、取得什么成效、下一步计划；只写“正在推进”会被记为反馈内容空泛。",
      blocker: "困难",
      blockerOption: "遇到困难，需要协调",
      cause: "困难原因",
      coordinate: "需协调单位",
      coordinateTitle: "请单位协调",
      departments: "请哪些单位协调",
      need: "需协调什么",
      needHint: "写明需要对方做什么、何时前；对方单位会在频道里收到通知并限期答复。",
      missingDepartments: "请选择至少一个单位",
      missingNeed: "请写明需协调的内容",
      coordinateHint: "选了的单位会收到协调事项通知，限期答复；进展情况即需协调的内容。",
      missingText: "请写明进展情况",
    },
    claim: {
      title: "申请办结",
      evidence: "办结情况和材料",
      hint: "写明完成了什么、成效如何，附上文件、照片或系统的链接。",
      missing: "请写明办结情况",
      files: "附件证明（消息列中已上传的文件）",
      fileOption: (p: { date: string }) => `${p.date} 上传`,
    },
    extend: {
      title: "申请延期",
      date: "延期至",
      reason: "延期理由",
      late: ":warning: 已超过办理时限，本次申请将标注为“超期后申请”。",
      missingReason: "请写明延期理由",
      missingDate: "请选择延期后的时限",
    },
    reason: {
      returnTitle: "退回",
      cancelTitle: "撤销督办事项",
      rejectTitle: "驳回延期",
      reopenTitle: "重新督办",
      label: "理由",
      missing: "请写明理由",
    },
    star: "⭐ 列为先进经验",
    unstar: "取消先进经验",
    starred: (p: { by: string }) => `:star: 已由 ${user(p.by)} 列为先进经验`,
  },

  /** A modal opened at once whose contents could not be prepared. */
  modalFailed: { title: "未能打开", close: "关闭" },

  /** A message too long for one, continued in numbered messages. */
  continued: {
    first: (p: { of: number }) => `（本消息共${p.of}条，未完，接下条）`,
    next: (p: { part: number; of: number }) => `（接上条，第${p.part}/${p.of}条）`,
    cut: (p: { count: number }) =>
      `（另有${p.count}段超出 Slack 单条消息的长度，未能显示，请用 \`/ducha 导出\` 导出台账查看）`,
  },

  digest: {
    title: (p: { department: string; date: string }) =>
      `:clipboard: 督查提醒 · ${esc(p.department)}（${p.date}）`,
    overdue: "已超期",
    dueSoon: "临近时限",
    ackLate: "尚未签收",
    reportOwed: "应反馈未反馈",
    reminded: "提醒：请尽快反馈实质进展",
    urged: "催办：仍无实质进展的，将报督查室和交办领导",
    urgentTitle: (p: { department: string; time: string }) =>
      `:rotating_light: 紧急事项督查提醒 · ${esc(p.department)}（${p.time}）`,
    group: (p: { name: string; count: number }) => `*${p.name}*（${p.count} 项）`,
    members: (p: { members: readonly string[] }) =>
      `请 ${p.members.length ? list(p.members.map(user)) : "承办人"} 在各事项的消息列中反馈实质进展。`,
    more: (p: { count: number; command: string }) =>
      `……另有${p.count}项未列出，请用 \`${p.command}\` 或在督查助手主页查看。`,
    footer: "请在各事项卡片的消息列中反馈进展，或点卡片上的按钮。",
    /** Where the rest of a cut list is, as the command a person types. */
    listDept: (p: { name: string }) => `/ducha 列表 单位 ${p.name}`,
    listRed: "/ducha 列表 红灯",
    listCoordination: "/ducha 列表 协调",
    listAll: "/ducha 列表 全部",
    /** After the title of a run made up late: which slot it stands for. */
    madeUp: (p: { slot: string }) => `（补发：${p.slot}应发的提醒，因系统暂停未按时发出）`,
  },

  coordination: {
    notice: (p: {
      number: string;
      url: string | null;
      title: string;
      lead: string;
      need: string;
      replyBy: string;
    }) =>
      `:handshake: *协调事项* ${p.url ? `<${p.url}|${p.number}>` : p.number}“${p.title}”（牵头：${esc(p.lead)}）需要贵单位协调：${p.need}\n请于 *${p.replyBy}* 前答复：在事项的消息列中回复即可${p.url ? `（<${p.url}|打开事项>）` : ""}。`,
    secretNotice: (p: { number: string; lead: string; replyBy: string }) =>
      `:handshake: *协调事项* ${p.number}（不公开事项，牵头：${esc(p.lead)}）需要贵单位协调，详情已私信贵单位承办人。请于 *${p.replyBy}* 前在事项消息列中答复。`,
    noChannel: (p: { department: string }) => `（${esc(p.department)}未设置单位频道，请督查室转告。）`,
    secretNeed: "（不公开事项，详情见私信）",
    line: (p: { link: string; title: string; lead: string; need: string; replyBy: string }) =>
      `:handshake: ${p.link} ${p.title} — 牵头：${esc(p.lead)}，需：${p.need}（应于 ${p.replyBy} 前答复）`,
    openLine: (p: {
      link: string;
      title: string;
      from: string;
      to: string;
      workdays: number;
      answered: boolean;
      replyBy: string;
      late: boolean;
    }) =>
      `:handshake: ${p.link} ${p.title} — ${esc(p.from)} → *${esc(p.to)}*，${p.workdays === 0 ? "今日提请" : `已提请${p.workdays}个工作日`}，${p.answered ? "已答复，待牵头单位确认" : p.late ? `:red_circle: 已过答复时限（${p.replyBy}）` : `应于 ${p.replyBy} 前答复`}`,
    listTitle: (p: { count: number }) => `协调事项（未办结 ${p.count} 项，最久的在前）`,
    listEmpty: "目前没有未办结的协调事项。",
    homeTitle: (p: { count: number }) => `*协调事项*（未办结 ${p.count} 项，最久的在前）`,
    overdueGroup: "协调事项：已过答复时限，请尽快在事项消息列中答复",
    accept: "接办",
    resolve: "协调已解决",
    answer: "答复",
    accepted: (p: { department: string }) =>
      `:ok_hand: 已代表${esc(p.department)}接办。答复时点“答复”，或在事项的消息列中回复。`,
    answered: (p: { by: string; department: string; text: string }) =>
      `:handshake: ${esc(p.department)} ${user(p.by)} 答复协调事项：${p.text}`,
    declinedThread: (p: { by: string; department: string; text: string }) =>
      `:no_entry_sign: ${esc(p.department)} ${user(p.by)} 答复无法协调：${p.text}。已报督查室。`,
    declined: (p: {
      number: string;
      url: string | null;
      from: string;
      to: string;
      by: string;
      reason: string;
    }) =>
      `:no_entry_sign: *协调事项无法办理* ${p.url ? `<${p.url}|${p.number}>` : p.number}：${esc(p.from)} 请 ${esc(p.to)} 协调，${user(p.by)} 答复无法协调，理由：${p.reason}。请督查室研究。`,
    modalTitle: "答复协调事项",
    modalText: "答复内容",
    modalHint: "写明怎么办、何时办好；无法协调时写明理由。",
    modalDecline: "无法协调（理由写在上面，报督查室）",
    modalMissing: "请写明答复内容或无法协调的理由",
    supervisionTitle: (p: { count: number; date: string }) =>
      `:rotating_light: *协调督办*（${p.date}）：以下 ${p.count} 项协调事项已过答复时限，经提醒仍未答复，请督查室协调。`,
    leaderTitle: (p: { count: number; date: string }) =>
      `:rotating_light: *需领导协调*（${p.date}）：您交办的事项有以下 ${p.count} 项需其他单位协调，经提醒、督办仍未答复。`,
    requested: (p: { name: string; members: readonly string[] }) =>
      `*${esc(p.name)}* 待答复（承办人：${p.members.length ? list(p.members.map(user)) : "未设置"}）`,
  },

  escalation: {
    supervision: (p: {
      number: string;
      url: string | null;
      title: string;
      lead: string;
      reasons: string;
      members: readonly string[];
    }) =>
      `:rotating_light: *提级督办* ${p.url ? `<${p.url}|${p.number}>` : p.number}“${p.title}”（牵头：${esc(p.lead)}）${p.reasons}，经提醒、催办仍无实质进展。承办人：${p.members.length ? list(p.members.map(user)) : "未设置"}。请督查室跟进。`,
    leader: (p: { number: string; url: string | null; title: string; lead: string; reasons: string }) =>
      `:rotating_light: 督办报告：您交办的 ${p.url ? `<${p.url}|${p.number}>` : p.number}“${p.title}”（牵头：${esc(p.lead)}）${p.reasons}，经提醒、催办仍无实质进展，督查室正在跟进。`,
    supervisionTitle: (p: { count: number; date: string }) =>
      `:rotating_light: *提级督办*（${p.date}）：以下 ${p.count} 项经提醒、催办仍无实质进展，请督查室跟进。`,
    leaderTitle: (p: { count: number; date: string }) =>
      `:rotating_light: 督办报告（${p.date}）：您交办的以下 ${p.count} 项经提醒、催办仍无实质进展，督查室正在跟进。`,
    department: (p: { name: string; members: readonly string[] }) =>
      `*${esc(p.name)}*（承办人：${p.members.length ? list(p.members.map(user)) : "未设置"}）`,
  },

  notice: {
    co: (p: { number: string; title: string; lead: string; co: string; due: string; url: string | null }) =>
      `:pushpin: ${p.number}“${esc(p.title)}”由${esc(p.lead)}牵头，${esc(p.co)}为配合单位，办理时限${p.due}。` +
      (p.url ? ` <${p.url}|查看事项卡片>` : ""),
    secretTitle: "一项不公开的督办事项",
    secretDm: (p: { number: string; lead: string }) =>
      `:lock: 不公开的督办事项 ${p.number}，由贵单位（${esc(p.lead)}）牵头。详情如下，请勿转发：`,
    cardLink: (p: { url: string }) => `<${p.url}|事项卡片>`,
  },

  rollup: {
    title: (p: { source: string; ref: string; date: string; count: number }) =>
      `*决策已交办*：${p.source}${p.ref ? ` ${esc(p.ref)}` : ""}（${p.date}），共 ${p.count} 项`,
    line: (p: {
      light: string;
      number: string;
      url: string | null;
      title: string;
      lead: string;
      due: string;
      state: string;
    }) =>
      `${p.light} ${p.url ? `<${p.url}|${p.number}>` : p.number} ${p.title} — ${esc(p.lead)} — ${p.due} — ${p.state}`,
    totals: (p: { red: number; yellow: number; green: number; done: number }) =>
      `红灯 ${p.red} · 黄灯 ${p.yellow} · 绿灯 ${p.green} · 已办结 ${p.done}`,
  },

  decisionModal: {
    title: "交办督办事项",
    submit: "交办",
    close: "取消",
    source: "事项来源",
    sourceRef: "文号或会议名称",
    sourceRefPlaceholder: "如：市政府常务会议纪要〔2026〕15号",
    leader: "交办领导",
    date: "决策日期",
    confidentiality: "知悉范围",
    confidentialityHint:
      "“不公开”的事项标题和详情只有承办单位和督查室可见。涉密事项（绝密、机密、秘密）不得在 Slack 中办理。",
    text: "决策原文",
    textHint: "修改原文后点“按原文重新拆分”，事项会重新生成。",
    textTooLong: (p: { length: number }) =>
      `原文共 ${p.length} 字，超出输入框的 3000 字，已完整保存；此处只显示开头。`,
    resplit: "按原文重新拆分",
    tasksHeader: (p: { count: number }) => `督办事项（${p.count} 项）`,
    noTasks: "还没有督办事项。可在原文中写明事项后重新拆分，或点“添加事项”。",
    addTask: "＋ 添加事项",
    edit: "编辑",
    remove: "删除",
    guessed: "（推断）",
    taskLine: (p: { index: number; title: string }) => `*${p.index}. ${esc(p.title)}*`,
    leadLine: (p: { lead: string; co: string }) => `牵头：${p.lead}${p.co ? ` · 配合：${p.co}` : ""}`,
    dueLine: (p: { due: string; extras: readonly string[] }) =>
      `时限：${p.due}${p.extras.length ? ` · ${p.extras.join(" · ")}` : ""}`,
    missing: "未填写",
    unknownDepartment: (p: { name: string }) => `文中提到的“${esc(p.name)}”尚未登记为单位`,
    guessHint: "标“推断”的内容是根据原文识别的，请逐项核对；点每项右侧的 ⋯ 可编辑或删除。",
    fromMessage: (p: { url: string }) => `来自 <${p.url}|这条消息>`,
    fromFile: (p: { name: string; url?: string }) =>
      p.url ? `读取自文件 <${p.url}|《${esc(p.name)}》>` : `读取自文件《${esc(p.name)}》`,
    document: {
      readingTitle: "读取文件",
      preparingTitle: "转为督办事项",
      preparing: "正在读取这条消息，稍候列出拆分出的督办事项……",
      unreadableTitle: "无法读取文件",
      close: "关闭",
      reading: (p: { name: string }) => `正在读取《${esc(p.name)}》的正文，稍候列出拆分出的督办事项……`,
      unreadable: {
        unsupported: (p: { name: string }) =>
          `《${esc(p.name)}》不是督查助手能读取的文件。能读取的是 Word 文档（.docx、.doc）、带文字的 PDF 和纯文本（.txt）。`,
        too_large: (p: { name: string }) => `《${esc(p.name)}》超过 10 MB，督查助手不读取这么大的文件。`,
        no_text: (p: { name: string }) => `《${esc(p.name)}》里没有可读取的文字，可能是扫描件或图片。`,
        encrypted: (p: { name: string }) =>
          `《${esc(p.name)}》设有密码，督查助手打不开。可去掉密码后重新上传。`,
        broken: (p: { name: string }) =>
          `《${esc(p.name)}》已损坏或不是它声称的格式，读不出文字。可用 Word 另存一份后重新上传。`,
        not_visible: (p: { name: string }) =>
          `督查助手看不到《${esc(p.name)}》：请先把督查助手添加到这个频道，或把文件私信发给督查助手后点“新建督办”。`,
        download_failed: (p: { name: string }) => `没能从 Slack 下载《${esc(p.name)}》，请稍后再试。`,
      },
      offer: (p: { name: string }) =>
        `收到《${esc(p.name)}》。点“新建督办”，督查助手读取正文并拆分为督办事项，交办前可以逐项修改。`,
      offerButton: "新建督办",
      notForYou:
        "督查助手只把督查员、领导或管理员发来的文件拆分为督办事项。反馈进展的材料，请发在督办事项卡片的消息列中。",
      pasteInstead: "也可以把决策原文复制下来，粘贴在“/ducha 新建”后面交办。什么都没有保存。",
    },
    problemNoTasks: "还没有督办事项：请在原文中写明事项后重新拆分，或点“添加事项”。",
    problemTask: (p: { index: number; title: string; problems: string }) =>
      `第 ${p.index} 项“${esc(p.title) || "未命名"}”${p.problems}。请点该项右侧的 ⋯ → 编辑。`,
    problemDate: "决策日期晚于某些事项的办理时限，请核对。",
    done: {
      title: "已交办",
      text: (p: { count: number }) => `已交办 ${p.count} 项督办事项，事项卡片正在发往各牵头单位频道：`,
      line: (p: { number: string; title: string; lead: string }) =>
        `${p.number} ${esc(p.title)} — ${esc(p.lead)}`,
      duplicate: "这份决策此前已经交办，没有重复创建。",
      close: "完成",
    },
  },

  taskModal: {
    titleNew: "添加督办事项",
    titleEdit: "编辑督办事项",
    submit: "保存",
    close: "返回",
    name: "事项名称",
    requirement: "工作要求",
    lead: "牵头单位",
    co: "配合单位",
    due: "办理时限",
    dueTime: "时点（急件按小时计）",
    cadence: "反馈要求",
    cadenceHours: "按小时反馈的间隔（小时）",
    urgent: "急件（突击性任务，按小时计）",
    urgentOption: "急件",
    tags: "标签（逗号分隔，如：民生）",
    choose: "请选择",
    guessedNote: (p: { fields: string }) => `:mag: 以下内容为推断，请核对：${p.fields}`,
    unknownNote: (p: { names: string }) =>
      `:warning: 文中提到的${p.names}尚未登记为单位，请从列表中选择，或请管理员先添加该单位。`,
    cadenceOptions: {
      none: "不要求",
      weekly: "每周",
      fortnightly: "每两周",
      monthly: "每月",
      hours: "按小时",
    },
    fieldName: {
      title: "事项名称",
      lead: "牵头单位",
      co: "配合单位",
      due: "办理时限",
      urgent: "急件",
      cadence: "反馈要求",
      tags: "标签",
    } as Record<string, string>,
    problems: {
      title_missing: "请填写事项名称",
      title_too_long: "事项名称不能超过 200 字",
      lead_missing: "请选择牵头单位",
      lead_unknown: "所选牵头单位已删除，请重新选择",
      co_unknown: "有配合单位已删除，请重新选择",
      co_same_as_lead: "配合单位不能包括牵头单位",
      due_missing: "请填写办理时限",
      due_before_decision: "办理时限不能早于决策日期",
      cadence_hours_missing: "按小时反馈请填写间隔",
    } as Record<string, string>,
  },

  home: {
    title: "我的督办事项",
    boardTitle: "督查总览",
    empty: "您所在单位目前没有在办的督办事项。",
    notMember: "您还不是任何单位的成员。管理员可用 `/ducha 单位 成员` 添加。",
    group: (p: { light: string; count: number }) => `*${p.light}（${p.count} 项）*`,
    pendingReview: "待验收",
    totals: (p: { open: number; red: number; yellow: number; green: number; review: number }) =>
      `在办 *${p.open}* 项 · :red_circle: 红灯 ${p.red} · :large_yellow_circle: 黄灯 ${p.yellow} · :large_green_circle: 绿灯 ${p.green} · 待验收 ${p.review}`,
    deptLine: (p: { name: string; open: number; red: number; yellow: number; green: number }) =>
      `*${esc(p.name)}* 在办 ${p.open}：:red_circle: ${p.red} :large_yellow_circle: ${p.yellow} :large_green_circle: ${p.green}`,
    byDepartment: "*各单位情况*",
    redTasks: "*红灯事项*",
    reviewTasks: "*待验收事项*",
    more: (p: { count: number; command: string }) =>
      `还有 ${p.count} 项未列出，请用 \`${p.command}\` 查看全部。`,
    updated: (p: { time: string }) => `更新于 ${p.time}`,
  },

  history: {
    line: (p: { time: string; actor: string; what: string }) => `${p.time} ${p.actor} ${p.what}`,
    system: "系统",
    events: {
      "task.dispatched": "交办",
      "task.acknowledged": "签收",
      "report.added": "反馈进展",
      "report.perfunctory": "反馈（内容空泛）",
      "report.edited": "修改了反馈",
      "report.retracted": "删除了反馈",
      "report.starred": "列为先进经验",
      "report.unstarred": "取消先进经验",
      "comment.added": "留言",
      "task.claimed": "申请办结",
      "task.verified": "验收通过",
      "task.returned": "退回",
      "extension.requested": "申请延期",
      "extension.approved": "批准延期",
      "extension.rejected": "驳回延期",
      "task.urged": "催办",
      "task.cancelled": "撤销",
      "task.reopened": "重新督办",
      "task.reminded": "提醒",
      "task.escalated": "提级督办",
      "coordination.opened": "申请协调",
      "coordination.added": "补充协调需求",
      "coordination.accepted": "接办协调事项",
      "coordination.answered": "答复协调事项",
      "coordination.resolved": "协调事项已解决",
      "coordination.declined": "无法协调",
      "coordination.reminded": "提醒答复协调事项",
      "coordination.escalated": "协调督办",
      "report.spread": "推广先进经验",
      "recheck.asked": "回头看：请单位确认成果巩固",
      "recheck.answered": "回头看：单位已答复",
      "recheck.held": "回头看：成果巩固",
      "recheck.relapsed": "回头看：问题反弹",
      "sitecheck.recorded": "实地核查",
      "closure.reported": "向交办领导报结",
      "closure.read": "领导已阅",
      "closure.reinstructed": "领导再批示",
      "rectification.created": "督查通报整改",
    } as Record<string, string>,
    state: (p: { from: string; to: string }) => `（${p.from} → ${p.to}）`,
    due: (p: { from: string; to: string }) => `（时限 ${p.from} → ${p.to}）`,
    requestedDue: (p: { to: string }) => `（申请延至 ${p.to}）`,
    coordination: (p: { department: string }) => `（${esc(p.department)}）`,
    progress: (p: { value: number }) => `（进度 ${p.value}%）`,
    reason: (p: { text: string }) => `：${p.text}`,
    files: (p: { links: string }) => ` :paperclip: ${p.links}`,
  },

  list: {
    title: (p: { filter: string; count: number; page: number; pages: number }) =>
      `督办事项 · ${p.filter}（共 ${p.count} 项${p.pages > 1 ? `，第 ${p.page}/${p.pages} 页` : ""}）`,
    empty: (p: { filter: string }) => `没有${p.filter}的督办事项。`,
    filters: {
      mine: "我的",
      red: "红灯",
      yellow: "黄灯",
      overdue: "超期",
      stalled: "停滞",
      all: "全部在办",
      assigned: "我交办的",
    } as Record<string, string>,
    dept: (p: { name: string }) => `${esc(p.name)}`,
    previous: "上一页",
    next: "下一页",
    notMember: "您还不是任何单位的成员，下面是全部在办事项。",
  },

  show: {
    files: (p: { count: number }) => `附件（${p.count} 个）`,
    file: (p: { link: string; userId: string; date: string }) =>
      `:paperclip: ${p.link} · ${user(p.userId)} ${p.date}`,
    title: (p: { number: string }) => `督办事项 ${p.number}`,
    history: "办理记录",
    noHistory: "暂无记录",
  },

  outbox: {
    deadList: (p: {
      items: readonly { id: number; what: string; target: string; error: string; at: string }[];
      waiting: number;
    }) =>
      p.items.length === 0
        ? `没有投递失败的消息。${p.waiting ? `另有 ${p.waiting} 条正在排队投递。` : ""}`
        : `*投递失败的消息*（最近 ${p.items.length} 条）\n${p.items
            .map(
              (i) => `• #${i.id} ${i.what} → ${i.target} · \`${i.error.replace(/[`<>&]/g, "")}\` · ${i.at}`,
            )
            .join(
              "\n",
            )}\n原因排除后，输入 \`/ducha 设置 投递 重发 编号\` 或 \`/ducha 设置 投递 重发 全部\` 重新投递。${
            p.waiting ? `另有 ${p.waiting} 条正在排队投递。` : ""
          }`,
    resent: (p: { count: number }) => `已重新投递 ${p.count} 条消息，将按原顺序送达。`,
    blockedDm: (p: { channelId: string; code: string }) =>
      `:warning: 督查助手无法在 ${channel(p.channelId)} 发消息（${p.code}），您交办的督办事项卡片暂时发不出去。请在该频道输入 \`/invite @ducha\`，邀请后会自动补发，不会丢失。`,
    blockedSupervision: (p: { channelId: string; code: string }) =>
      `:warning: 督查助手不在 ${channel(p.channelId)}（${p.code}），发往该频道的消息已暂停，邀请督查助手后自动补发。`,
    gaveUp: (p: { channelId: string; code: string }) =>
      `:x: 发往 ${channel(p.channelId)} 的一条消息无法送达（${p.code}），已放弃。`,
    kindName: {
      archive: "立卷归档",
      "bulletin.docx": "督查通报（Word）",
      "closure.line": "报结（单项办结）",
      "closure.report": "批示件办理情况报告",
      "closure.notice": "报结（阅、再批示）",
      "card.post": "督办事项卡片",
      "card.update": "卡片更新",
      "notice.co": "配合单位通知",
      "secret.dm": "不公开事项私信",
      "rollup.post": "交办汇总",
      "rollup.update": "交办汇总更新",
      "task.notice": "消息列提示",
      experience: "推广先进经验",
      digest: "督查提醒",
      escalation: "督办通知",
      escalations: "督办通知",
      "coordination.notice": "协调事项通知",
      reaction: "回复确认表情",
      ephemeral: "个人提示",
      "summary.post": "汇总通报",
      "ledger.upload": "台账文件",
      text: "消息",
      "delivery.problem": "投递问题提示",
    } as Record<string, string>,
    authRestored: (p: { code: string; since: string; until: string }) =>
      `:warning: Slack 自 ${p.since} 起拒绝了督查助手的令牌（${p.code}），其间消息投递暂停；${p.until} 令牌恢复有效，积压的卡片、通知和汇总已按原顺序补发，没有丢失。` +
      "如果令牌不是有意更换的，请检查谁改动了本应用的安装。",
    missingScope: (p: { scope: string; what: string }) =>
      `:no_entry: 督查助手缺少 Slack 权限 \`${p.scope}\`，${p.what}发不出去（Slack 返回 missing_scope），这条已放弃。` +
      `请管理员在 https://api.slack.com/apps 打开本应用，用督查助手自带的 manifest.yml 更新应用配置（App Manifest）后重新安装到工作区（Reinstall to Workspace），授予 \`${p.scope}\`。授予之后同类消息恢复正常。`,
    channelGone: (p: { channelId: string; what: string }) =>
      `:no_entry: ${channel(p.channelId)} 不存在，或是督查助手未加入的私有频道，${p.what}无法送达，这条已放弃。` +
      "请在该频道输入 `/invite @ducha`，或用 `/ducha 单位` 为该单位改设频道。",
    archived: (p: { channelId: string; what: string }) =>
      `:no_entry: ${channel(p.channelId)} 已归档，${p.what}无法送达，这条已放弃。请恢复该频道，或用 \`/ducha 单位\` 为该单位改设频道。`,
    refused: (p: { code: string; what: string }) =>
      `:no_entry: Slack 拒收了一条${p.what}（${p.code}），已放弃。这是督查助手自身的问题，请把这条提示转给技术支持。`,
  },

  summary: {
    title: (p: {
      kind: "week" | "month" | "year";
      label: string;
      issueNo: number | null;
      complete: boolean;
    }) =>
      p.issueNo !== null
        ? `督查通报 第${p.issueNo}期 · ${p.label}`
        : p.kind === "week"
          ? `督查周报（${p.label}）`
          : `${p.kind === "month" ? "月度汇总" : "年度汇总"} · 抓两头带中间 · ${p.label}`,
    /** "12月7日—13日": the month once when both ends are in it (no ISO week numbers: offices do not count them). */
    weekLabel: (p: { week: number; from: string; to: string }) =>
      `${p.from}—${p.to.startsWith(p.from.replace(/\d+日.*$/, "")) ? p.to.replace(/^\d+月/, "") : p.to}`,
    monthLabel: (p: { year: number; month: number }) => `${p.year}年${p.month}月`,
    yearLabel: (p: { year: number }) => `${p.year}年`,
    /** Joined to the period without a space: “12月7日—13日，截至12月12日 10:00”. */
    asOf: (p: { at: string }) => `，截至${p.at}`,
    totals: (p: {
      total: number;
      closed: number;
      pct: number;
      open: number;
      overdue: number;
      closedLate: number;
    }) =>
      `*${p.total} 项*：办结 ${p.closed} 项 ${p.pct}%，办理中 ${p.open} 项，超期 ${p.overdue} 项` +
      (p.closedLate ? `；逾期办结 ${p.closedLate} 项` : ""),
    lightsNow: (p: { red: number; yellow: number }) => `当前红灯 ${p.red} 项、黄灯 ${p.yellow} 项`,
    change: (p: { since: string; total: string; closed: string; overdue: string }) =>
      `较${p.since}：总数 ${p.total}，办结 ${p.closed}，超期 ${p.overdue}`,
    since: { week: "上周", month: "上月", year: "上年" } as Record<"week" | "month" | "year", string>,
    empty: "本期没有督办事项。",
    bestHeading: (p: { count: number }) => `:trophy: *推广先进经验*（前${p.count}名）`,
    worstHeading: (p: { count: number }) => `:warning: *排名靠后单位*（后${p.count}名，帮助分析原因）`,
    notRanked: (p: { min: number }) =>
      `参与排名的单位不足两个（每个单位至少 ${p.min} 项计分事项），本期不排两头。`,
    department: (p: { rank: number; name: string; score: number; change: string }) =>
      `*${p.rank}. ${esc(p.name)}*　${p.score} 分${p.change ? ` ${p.change}` : ""}`,
    closedOnTime: (p: { count: number }) => `按期办结 ${p.count} 项`,
    starredNone: "本期暂无典型经验做法",
    quote: (p: { number: string; title: string; text: string; by: string }) =>
      `:star: ${p.number}“${p.title}”：${p.text}（${p.by}）`,
    secretQuote: (p: { number: string }) => `:star: ${p.number}（不公开事项，内容从略）`,
    red: (p: { count: number; stalled: number }) =>
      `红灯 ${p.count} 项${p.stalled ? `（其中停滞 ${p.stalled} 项）` : ""}`,
    points: (p: { items: string }) => `扣分：${p.items}`,
    noDeductions: "无扣分",
    causes: (p: { items: string }) => `困难原因：${p.items}`,
    more: (p: { count: number }) => `…另有 ${p.count} 项，详见台账`,
    middleNamed: (p: { items: string }) => `*中间单位*：${p.items}`,
    middleRange: (p: { count: number; min: number; max: number; average: number }) =>
      `*中间单位*：其余${p.count}个单位${p.min}—${p.max}分，平均${p.average}分`,
    middleItem: (p: { name: string; score: number; change: string }) =>
      `${esc(p.name)} ${p.score} 分${p.change}`,
    insufficient: (p: { names: string; min: number }) =>
      `样本不足（计分事项少于 ${p.min} 项，不排名）：${p.names}`,
    difficultiesHeading: (p: { count: number }) => `:construction: *难点*（未解决的困难 ${p.count} 项）`,
    difficulty: (p: { line: string; cause: string; since: string }) =>
      `${p.line} · ${p.cause} · ${p.since}起`,
    coordinationsHeading: (p: { count: number }) => `:handshake: *协调事项*（未办结 ${p.count} 项）`,
    coordination: (p: {
      link: string;
      title: string;
      from: string;
      to: string;
      workdays: number;
      answered: boolean;
    }) =>
      `${p.link}“${p.title}”：${esc(p.from)} 请 *${esc(p.to)}* 协调，已提请${p.workdays}个工作日${p.answered ? "（已答复）" : ""}`,
    hotspotsHeading: (p: { tags: string; count: number }) => `:fire: *热点*（${p.tags}，${p.count} 项）`,
    barsHeading: "*各单位得分*",
    rankUp: (n: number) => `↑${n}`,
    rankDown: (n: number) => `↓${n}`,
    rankSame: "→",
    rankNew: "（新）",
    rules: (p: { items: string; base: number; min: number }) =>
      `评分：基础分 ${p.base}，${p.items}。同分依次比按期办结多、超期少、计分事项多。计分事项少于 ${p.min} 项的不排名。`,
    overflow: ":page_facing_up: 篇幅所限，未列出的事项见所附台账。",
    bulletinLedger: ":page_facing_up: 本期台账见附件。",
    postButton: "发布到领导频道",
    cancel: "取消",
    postConfirm: "发布到领导频道？领导频道的所有人都会看到这份汇总。",
    posted: (p: { channelId: string }) => `已发布到 ${channel(p.channelId)}。`,
    preview: "仅您可见。",
    previewCanPost: "仅您可见。确认无误后，可点下面的按钮发布到领导频道。",
    ruleName: {
      overdue: "超期",
      reportMissed: "漏报",
      lateAck: "逾期签收",
      returned: "退回",
      perfunctory: "反馈内容空泛",
      closedOnTime: "按期办结",
      starred: "先进经验",
      coordinationLapsed: "协调不力",
      relapsed: "回头看问题反弹",
      falseClaim: "虚报",
      rectificationOwed: "整改逾期未报",
    } as Record<import("../domain/scoring.js").ScoreRule, string>,
    periodWords: {
      week: "本周",
      month: "本月",
      year: "本年",
      "last-week": "上周",
      "last-month": "上月",
      "last-year": "去年",
    } as Record<"week" | "month" | "year" | "last-week" | "last-month" | "last-year", string>,
  },

  /** The summary's picture (src/charts/scores.ts). */
  chart: {
    title: (p: { title: string }) => `${p.title} · 各单位得分`,
    legend: "名次 · 单位 · 在办事项红/黄/绿灯 · 得分（0—100）；绿色为先进，红色为后进",
    middle: (p: { count: number }) => `中间 ${p.count} 个单位`,
    average: (p: { average: number }) => `平均 ${p.average}`,
    range: (p: { min: number; max: number }) => `${p.min}—${p.max}`,
    unranked: (p: { count: number }) => `样本不足 ${p.count} 个单位`,
    footnote: (p: { min: number }) => `名次“—”：计分事项少于 ${p.min} 项，样本不足，不排名（灰色）。`,
    fileName: (p: { key: string }) => `各单位得分_${p.key}.png`,
    comment: (p: { label: string }) => `各单位得分图：${p.label}`,
  },

  /** 督查通报 as a Word document, laid out as offices lay them out (src/bulletin/docx.ts). */
  bulletin: {
    heading: "督查通报",
    issue: (p: { no: number }) => `第${p.no}期`,
    defaultOffice: "督查室",
    date: (p: { year: number; month: number; day: number }) => `${p.year}年${p.month}月${p.day}日`,
    subject: (p: { label: string }) => `关于${p.label}督办事项落实情况的通报`,
    sections: [
      "一、总体情况",
      "二、先进典型",
      "三、存在问题",
      "四、难点与协调事项",
      "五、下步工作",
    ] as readonly string[],
    totals: (p: {
      label: string;
      total: number;
      closed: number;
      pct: number;
      open: number;
      overdue: number;
      closedLate: number;
      red: number;
      yellow: number;
    }) =>
      `${p.label}，纳入督办的事项共${p.total}项，已办结${p.closed}项（${p.pct}%），在办${p.open}项；超期未办结${p.overdue}项，逾期办结${p.closedLate}项。截至发文时，红灯${p.red}项、黄灯${p.yellow}项。`,
    middle: (p: { count: number; min: number; max: number; average: number }) =>
      p.min === p.max
        ? `其余${p.count}个单位得分均为${p.min}分，工作总体平稳。`
        : `其余${p.count}个单位得分在${p.min}—${p.max}分之间，平均${p.average}分，工作总体平稳。`,
    department: (p: { order: string; name: string; score: number; rank: number }) =>
      `（${p.order}）${p.name}（得分${p.score}，第${p.rank}名）`,
    bestLine: (p: { closedOnTime: number }) => `按期办结${p.closedOnTime}项。`,
    starred: (p: { number: string; title: string; text: string }) => `${p.number}“${p.title}”：${p.text}`,
    noStarred: "本期暂无典型经验做法。",
    worstLine: (p: { red: number; stalled: number; deductions: string }) =>
      `红灯${p.red}项，其中停滞${p.stalled}项${p.deductions ? `；${p.deductions}` : ""}。`,
    redItem: (p: { number: string; title: string; reasons: string }) =>
      `${p.number}“${p.title}”${p.reasons ? `（${p.reasons}）` : ""}`,
    causes: (p: { items: string }) => `主要原因：${p.items}。`,
    /** One deduction as a bulletin prints it: 超期扣10分. */
    deduction: (p: { rule: string; points: number }) => `${p.rule}扣${p.points}分`,
    /** A cause and how many blockers gave it: 资金3项. */
    causeCount: (p: { cause: string; count: number }) => `${p.cause}${p.count}项`,
    noProblems: "本期没有需要通报的问题单位。",
    difficulty: (p: { number: string; title: string; department: string; cause: string; since: string }) =>
      `${p.department}反映${p.number}“${p.title}”存在${p.cause}困难，自${p.since}起尚未解决。`,
    coordination: (p: {
      number: string;
      title: string;
      from: string;
      to: string;
      workdays: number;
      answered: boolean;
    }) =>
      `${p.number}“${p.title}”：${p.from}请${p.to}协调，已提请${p.workdays}个工作日${p.answered ? "（已答复）" : ""}。`,
    noDifficulties: "本期没有反映困难或待协调的事项。",
    more: (p: { count: number }) => `另有${p.count}项，详见所附台账。`,
    nextWorst: (p: { names: string }) =>
      `请${p.names}对照红灯事项逐项分析原因，明确整改措施和时限，在下周督查前反馈整改情况。`,
    nextCoordination: (p: { names: string }) => `请${p.names}尽快答复待协调事项，不得推诿。`,
    nextBest: (p: { names: string }) => `${p.names}的经验做法请各单位学习借鉴。`,
    nextAlways: "督查室将继续跟踪督办，对整改不力、问题反弹的单位和事项予以通报。",
    scoresTitle: "附：各单位得分",
    scoresHeader: ["名次", "单位", "得分", "名次变化"] as readonly string[],
    notRanked: "不排名",
    rankChange: (p: { change: number | null }) =>
      p.change === null
        ? "—"
        : p.change > 0
          ? `上升${p.change}位`
          : p.change < 0
            ? `下降${-p.change}位`
            : "持平",
    fileTitle: (p: { no: number | null; label: string }) =>
      p.no ? `督查通报第${p.no}期（${p.label}）` : `督查通报（${p.label}）`,
    /** The foot of the document: "报：市委、市政府领导". */
    distribution: (p: { line: string; text: string }) => `${p.line}：${p.text}`,
    fileName: (p: { key: string }) => `督查通报_${p.key}.docx`,
  },

  score: {
    title: (p: { name: string; period: string; score: number; rank: string }) =>
      `*${esc(p.name)}* · ${p.period}得分 *${p.score}*（${p.rank}）`,
    rank: (p: { rank: number; of: number }) => `第 ${p.rank} 名，共 ${p.of} 个单位参与排名`,
    insufficient: (p: { count: number; min: number }) => `计分事项 ${p.count} 项，少于 ${p.min} 项，不排名`,
    item: (p: { number: string; title: string; rule: string; count: number; points: number }) =>
      `• ${p.number}“${p.title}”${p.rule}${p.count > 1 ? ` ×${p.count}` : ""}　${p.points > 0 ? "+" : ""}${p.points}`,
    noItems: "本期没有加减分事项，得分为基础分。",
    moreItems: (p: { count: number }) => `…另有 ${p.count} 条，请导出台账查看。`,
  },

  ledger: {
    fileTitle: (p: { label: string }) => `督查台账 · ${p.label}`,
    filePrefix: "督查台账",
    allTasks: "全部事项",
    sheetTasks: "督办事项",
    sheetReports: "反馈记录",
    sheetScores: "单位得分",
    taskHeaders: [
      "序号",
      "督办编号",
      "事项来源",
      "交办领导",
      "督办事项",
      "工作要求",
      "牵头单位",
      "配合单位",
      "责任人",
      "交办时间",
      "办理时限",
      "紧急程度",
      "最新进展",
      "最近反馈日期",
      "亮灯",
      "办理状态",
      "延期次数",
      "实际办结时间",
      "备注",
    ],
    reportHeaders: [
      "督办编号",
      "督办事项",
      "反馈单位",
      "反馈人",
      "反馈时间",
      "类型",
      "方式",
      "进度",
      "内容",
      "困难",
      "原因",
      "反馈内容空泛",
      "先进经验",
      "备注",
      "附件",
    ],
    scoreHeaders: ["排名", "单位", "得分", "计分事项", "按期办结", "超期", "扣分", "加分", "明细"],
    sheetInformation: "信息报送",
    informationHeaders: [
      "编号",
      "报送单位",
      "标题",
      "类别",
      "紧急程度",
      "事发时间",
      "报送时间",
      "报送用时（分钟）",
      "迟报",
      "精选",
      "续报次数",
      "状态",
    ],
    sheetCoordinations: "协调事项",
    coordinationHeaders: [
      "督办编号",
      "事项",
      "请求单位",
      "被请求单位",
      "需协调内容",
      "提出时间",
      "答复时限",
      "状态",
      "答复时间",
      "答复内容或无法协调的理由",
    ],
    coordinationState: {
      open: "待答复",
      accepted: "已接办",
      answered: "已答复",
      resolved: "已解决",
      declined: "无法协调",
    } as Record<string, string>,
    urgent: "急件",
    normal: "一般",
    yes: "是",
    secretTitle: "（不公开事项）",
    kindName: { report: "反馈", claim: "申请办结", comment: "评论" } as Record<string, string>,
    viaName: { thread: "消息列回复", modal: "表单" } as Record<string, string>,
    blocker: (p: { cause: string; since: string }) => `困难：${p.cause}（${p.since}起）`,
    returned: (p: { count: number }) => `退回 ${p.count} 次`,
    extensionPending: (p: { date: string }) => `延期申请待批（至 ${p.date}）`,
    originalDue: (p: { date: string }) => `原定时限 ${p.date}`,
    retracted: "已撤回",
    edited: "已修改",
    insufficient: "样本不足",
    progress: (p: { percent: number }) => `${p.percent}%`,
    item: (p: { number: string; rule: string; count: number; points: number }) =>
      `${p.number} ${p.rule}${p.count > 1 ? `×${p.count}` : ""} ${p.points > 0 ? "+" : ""}${p.points}`,
  },

  export: {
    started: (p: { count: number; filter: string }) =>
      `:hourglass_flowing_sand: 正在生成台账（${p.filter}，${p.count} 项事项），完成后私信发给您。`,
    empty: (p: { filter: string }) => `没有符合条件（${p.filter}）的督办事项，未生成台账。`,
    progress: {
      ledger: (p: { label: string }) => `台账（${p.label}）`,
      bulletin: (p: { no: number | null }) => `${p.no ? `第${p.no}期` : ""}通报的 Word 文件和台账`,
      overflow: "汇总所附台账",
      building: (p: { what: string; percent: number }) =>
        `:hourglass_flowing_sand: 正在生成${p.what}……已完成 ${p.percent}%`,
      ready: (p: { what: string; seconds: number }) =>
        `:white_check_mark: ${p.what}已生成（用时 ${p.seconds} 秒），见下方文件。`,
      failed: (p: { what: string }) => `:warning: 生成${p.what}时出错，稍后自动重试。`,
    },
    comment: (p: { filter: string; count: number }) => `督查台账：${p.filter}，共 ${p.count} 项。`,
    filterWords: {
      all: "全部事项",
      open: "在办",
      red: "红灯",
      yellow: "黄灯",
      stalled: "停滞",
    } as Record<string, string>,
  },

  help: {
    title: "督查助手使用说明",
    intro: "把领导的决策变成督办事项，交办到单位，跟踪签收、进展和办结，红黄绿灯亮明进度。",
    sectionHeading: {
      common: "常用",
      summary: "汇总与台账",
      dept: "单位（管理员）",
      role: "角色（管理员）",
      settings: "设置（管理员）",
    } as Record<import("./words.js").HelpSection, string>,
    lines: {
      help: "`/ducha 帮助` — 显示本说明",
      new: "`/ducha 新建 [决策原文]` — 把会议决定、领导批示或文件拆分为督办事项并交办（督查员、领导、管理员）",
      shortcut: "在消息的 ⋯ 菜单里选“转为督办事项”，同样可以交办",
      list: `${usage.list} — 查看督办事项（默认本单位的）；领导看“我交办的”，督查员看“回头看”“报结”`,
      check: `${usage.check} — 实地核查、暗访的记录：核查人员、日期、地点、照片和结论`,
      inform:
        "`/ducha 报送` — 各单位报送信息（突发事件、重要情况、社情民意、预警信息）：紧急的 4 小时内；也可对消息用快捷方式“报送信息”；`/ducha 列表 信息 [今天|未续报|迟报]`、`/ducha 汇总 信息 本月`",
      informMiss: `${usage.infoMiss} — 督查员登记漏报，计入信息工作通报`,
      archive: `${usage.archive} — 管理员把一年的督办事项立卷归档：每项一个文件夹（交办单、反馈记录、佐证材料），附目录，打包为 ZIP 存在服务器上`,
      search: `${usage.search} — 查找各年度的决策、事项、反馈、协调和信息，已办结、已撤销的也在内`,
      show: `${usage.show} — 查看一个事项的详情、附件和历史`,
      thread: "在事项卡片的消息列中回复（可附文件），即可反馈进展",
      summary: `${usage.summary} — 抓两头带中间：得分前几名、后几名和中间，难点、热点（督查员可发布到领导频道）`,
      score: `${usage.score} — 单位得分及每一项加减分`,
      export: `${usage.export} — 导出台账（Excel），私信发送`,
      deptAdd: `${usage.deptAdd} — 添加单位及其频道`,
      deptList: "`/ducha 单位 列表` — 查看全部单位",
      deptRemove: `${usage.deptRemove} — 删除单位（仍有在办事项的不能删除）`,
      deptMembers: `${usage.deptMembers}`,
      roleAdd: `${usage.roleAdd}`,
      roleRemove: `${usage.roleRemove}`,
      roleList: "`/ducha 角色 列表` — 查看督查员、领导和管理员",
      settings: "`/ducha 设置` — 查看当前设置",
      settingsLeadership: "`/ducha 设置 领导频道 #频道` — 汇总和通报发到这里",
      settingsSupervision: "`/ducha 设置 督查频道 #频道` — 提级督办和系统提醒发到这里",
      settingsSchedule: `${usage.settingsSchedule}`,
      settingsThreshold: `${usage.settingsThreshold}`,
      settingsTimezone: `${usage.settingsTimezone}`,
      settingsCatchUp: `${usage.settingsCatchUp}`,
      settingsOffice: `${usage.settingsOffice}`,
      settingsBulletinScope: `${usage.settingsBulletinScope}`,
      settingsDistribution: `${usage.settingsDistribution}`,
      settingsLoops: `${usage.settingsLoops}`,
      settingsInfo: `${usage.settingsInfo}`,
      settingsHoliday: `${usage.settingsHoliday}`,
      settingsImport: "`/ducha 设置 日历 导入 [通知全文]` — 导入国务院办公厅的年度节假日安排",
      settingsSummary: `${usage.settingsSummary}`,
      settingsDelivery: `${usage.settingsDelivery}`,
    } as Record<import("./words.js").HelpLine, string>,
    english: (p: { words: string }) => `英文子命令同样可用：${p.words}。`,
  },

  dept: {
    added: (p: { name: string; channelId: string; members: readonly string[]; aliases: readonly string[] }) =>
      `已添加单位“${esc(p.name)}”，频道 ${channel(p.channelId)}` +
      (p.members.length ? `，成员 ${list(p.members.map(user))}` : "，暂无成员") +
      (p.aliases.length ? `，别名 ${list(p.aliases.map(esc))}` : "") +
      "。",
    reactivated: (p: { name: string }) => `单位“${esc(p.name)}”此前已删除，现已恢复。`,
    botNotInChannel: (p: { channelId: string }) =>
      `:warning: 督查助手还不在 ${channel(p.channelId)}，请在该频道输入 \`/invite @ducha\`，否则事项卡片发不进去。`,
    channelNotFound: (p: { channelId: string }) =>
      `:warning: 找不到频道 ${channel(p.channelId)}，或督查助手无权查看（私有频道需先 \`/invite @ducha\`）。`,
    removed: (p: { name: string }) => `已删除单位“${esc(p.name)}”。历史事项和记录仍保留。`,
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
    infoChannel: "信息频道（各单位报送的信息）",
    supervisionChannel: "督查频道（提级督办、系统提醒）",
    set: (p: { label: string; channelId: string }) => `已将${p.label}设为 ${channel(p.channelId)}。`,
    timezone: "时区",
    language: "界面语言",
    languageName: { "zh-CN": "中文", en: "英文" } as Record<string, string>,
    jobTimeZone: "计划时区",
    officeName: "发文机关",
    bulletinScope: "通报范围",
    loops: (p: { rectify: number; reply: number; recheck: string; siteTags: string }) =>
      `*整改和回头看*：整改措施 ${p.rectify} 个工作日内报送；回头看 ${p.reply} 个工作日内答复；验收时默认回头看：${p.recheck || "不设"}；须实地核查的标签：${p.siteTags || "无"}`,
    recheckAfter: (p: { what: string; days: number }) => `${p.what} ${p.days} 天后`,
    distribution: "督查通报的报送",
    distributionLine: { report: "报", send: "送", issue: "发" } as Record<string, string>,
    bulletinScopeName: (p: { to: "leaders" | "units" | "channel"; channel?: string }) =>
      p.to === "units"
        ? "领导频道和各单位频道"
        : p.to === "channel"
          ? `领导频道和通报频道 ${channel(p.channel ?? "")}`
          : "仅领导频道",
    catchUp: (p: { hours: number }) => `停机期间错过的计划，${p.hours} 小时内的在启动时补跑一次`,
    schedules: "计划（cron：分 时 日 月 周）",
    thresholds: "亮灯阈值",
    calendar: (p: { count: number }) => `日历调整：${p.count} 天（\`/ducha 设置 日历\`）`,
    calendarKnown: (p: { builtIn: number; imported: number[] }) =>
      `节假日数据：内置至 ${p.builtIn} 年${p.imported.length ? `，已导入 ${p.imported.join("、")} 年国务院通知` : ""}`,
    calendarUnknown: (p: { year: number }) =>
      `:warning: 督查助手不知道 ${p.year} 年的法定节假日和调休安排，目前只按周末和元旦、劳动节、国庆节的固定日期计算工作日：春节等假期会被当作工作日，调休上班的周末会被当作休息日。` +
      `请管理员把《国务院办公厅关于${p.year}年部分节假日安排的通知》全文粘贴到 \`/ducha 设置 日历 导入\`。`,
    imported: (p: { year: number; holidays: string[]; workdays: string[]; replaced: boolean }) =>
      `:white_check_mark: 已${p.replaced ? "重新" : ""}导入 ${p.year} 年节假日安排：\n${p.holidays.map((h) => `• ${h}`).join("\n")}\n` +
      (p.workdays.length ? `调休上班：${p.workdays.join("、")}` : "无调休上班日"),
    holidayLine: (p: { name: string; from: string; to: string; days: number }) =>
      `${p.name}：${p.from === p.to ? p.from : `${p.from}至${p.to}`}，共 ${p.days} 天`,
    importModal: {
      title: "导入节假日通知",
      label: "国务院办公厅通知全文",
      hint: "把《国务院办公厅关于YYYY年部分节假日安排的通知》连同标题整篇粘贴进来；读不准的行会被指出，整份不导入。",
      submit: "导入",
    },
    // Named with the words people type (src/i18n/words.ts): what is shown is what is typed.
    jobName: Object.fromEntries(Object.entries(JOB_WORDS).map(([job, words]) => [job, words[1]])) as Record<
      import("../domain/settings.js").JobId,
      string
    >,
    thresholdName: Object.fromEntries(
      Object.entries(THRESHOLD_WORDS).map(([key, words]) => [key, words[1]]),
    ) as Record<keyof import("../domain/lights.js").LightThresholds, string>,
    changed: (p: { what: string; value: string }) => `已将${p.what}设为 ${p.value}。`,
    calendarSet: (p: { date: string; kind: string }) => `已将 ${p.date} 设为${p.kind}。`,
    calendarKinds: { holiday: "休息日", workday: "工作日", clear: "按内置日历" } as Record<string, string>,
    summaryTitle: "汇总（抓两头带中间）",
    summaryName: {
      ends: "两头各列单位数",
      minSample: "参与排名的最少计分事项",
      hotTags: "热点标签",
    } as Record<"ends" | "minSample" | "hotTags", string>,
  },

  archive: {
    fileName: (p: { year: number }) => `督查档案-${p.year}.zip`,
    folder: (p: { year: number; seq: number }) => `${p.year}-督-${String(p.seq).padStart(4, "0")}`,
    catalogue: "目录.xlsx",
    catalogueSheet: "目录",
    catalogueHeaders: [
      "档号",
      "督办编号",
      "事项",
      "牵头单位",
      "配合单位",
      "交办日期",
      "办结日期",
      "办理结果",
      "文件数",
      "缺失文件",
    ],
    order: "交办单.docx",
    reports: "反馈记录.xlsx",
    reportsSheet: "反馈记录",
    reportHeaders: ["时间", "报送人", "类型", "内容", "进度", "附件"],
    extensionsSheet: "延期",
    extensionHeaders: ["原时限", "新时限", "理由"],
    coordinationsSheet: "协调事项",
    coordinationHeaders: ["提出时间", "被请求单位", "需协调内容", "状态", "答复"],
    evidence: "佐证材料",
    orderTitle: "督办事项交办单",
    orderLines: {
      number: "督办编号",
      archiveNo: "档号",
      title: "事项",
      requirement: "工作要求",
      lead: "牵头单位",
      co: "配合单位",
      dispatched: "交办时间",
      due: "办理时限",
      source: "来源",
      leader: "交办领导",
      decision: "决策原文",
      result: "办理结果",
      verify: "验收意见",
      siteCheck: "实地核查",
    } as Record<string, string>,
    none: "无",
    started: (p: { year: number; tasks: number; open: number }) =>
      `:file_cabinet: 开始归档 ${p.year} 年督办事项，共 ${p.tasks} 项${p.open ? `（其中 ${p.open} 项尚未办结，按现状归档）` : ""}。完成后在此告知。`,
    progress: (p: { done: number; total: number }) =>
      `:file_cabinet: 归档中：已完成 ${p.done}/${p.total} 项。`,
    done: (p: { file: string; size: string; tasks: number; files: number; missing: number }) =>
      `:white_check_mark: 归档完成：${p.file}（${p.size}），${p.tasks} 项事项、${p.files} 个文件${p.missing ? `；${p.missing} 个文件 Slack 已不再提供，已在目录中列为缺失` : ""}。`,
    failed: (p: { reason: string }) =>
      `:x: 归档未完成：${p.reason}。已完成的部分保留，再次执行 \`/ducha 归档\` 会接着做。`,
    diskFull: "服务器磁盘已满",
    requested: (p: { year: number; tasks: number }) =>
      `已开始归档 ${p.year} 年的 ${p.tasks} 项事项，进度和结果会私信告知。`,
  },

  search: {
    title: (p: { words: string; page: number }) =>
      `查找“${p.words}”${p.page > 1 ? `（第 ${p.page} 页）` : ""}`,
    empty: (p: { words: string }) => `没有找到含“${p.words}”的记录。`,
    kindName: {
      decision: "决策",
      task: "事项",
      report: "反馈",
      coordination: "协调",
      info: "信息",
      info_follow: "续报",
    } as Record<string, string>,
    decision: (p: { ref: string }) => `决策 ${p.ref}`,
    line: (p: { kind: string; head: string; unit: string; state: string; date: string; excerpt: string }) =>
      `${p.kind} · ${p.head}${p.unit ? ` — ${p.unit}` : ""}${p.state ? ` · ${p.state}` : ""} · ${p.date}\n> ${p.excerpt}`,
    infoState: { open: "续报中", final: "已终报" } as Record<string, string>,
    next: "下一页",
    box: "查找（输入后按回车）",
    placeholder: "如：供暖 单位 住建局 2025 已办结",
  },

  info: {
    categoryName: {
      incident: "突发事件",
      important: "重要情况",
      opinion: "社情民意",
      warning: "预警信息",
    } as Record<string, string>,
    urgencyName: { urgent: "紧急", normal: "一般" } as Record<string, string>,
    verdictName: { pending: "待精选", adopted: "已采用", rejected: "不采用", returned: "退回补充" } as Record<
      string,
      string
    >,
    number: (p: { year: number; seq: number }) => `信〔${p.year}〕${p.seq}号`,
    duration: (p: { minutes: number }) =>
      p.minutes >= 60
        ? `${Math.floor(p.minutes / 60)}小时${p.minutes % 60 ? `${p.minutes % 60}分` : ""}`
        : `${p.minutes}分钟`,
    secretTitle: "不公开信息",
    head: (p: { number: string; title: string }) => `${p.number} ${p.title}`,
    meta: (p: { unit: string; category: string; urgency: string; occurred: string; place: string }) =>
      `报送单位：${p.unit} · ${p.category} · ${p.urgency} · 事发 ${p.occurred}${p.place ? ` · ${p.place}` : ""}`,
    clockOk: (p: { taken: string; limit: string }) => `:stopwatch: 报送用时 ${p.taken}（时限 ${p.limit}）`,
    clockLate: (p: { taken: string; over: string }) => `:warning: *迟报* ${p.over}（报送用时 ${p.taken}）`,
    standing: (p: { verdict: string; state: string; by: string | null; note: string }) =>
      `精选：${p.verdict}${p.by ? `（<@${p.by}>）` : ""}${p.note ? `：${p.note}` : ""} · ${p.state}`,
    stateName: { open: "续报中", final: "已终报" } as Record<string, string>,
    followUpAsk: (p: { by: string }) => `:hourglass_flowing_sand: 要求 ${p.by} 前续报`,
    followUps: (p: { count: number }) => `续报 ${p.count} 次`,
    files: (p: { links: string }) => `:paperclip: ${p.links}`,
    reportedBy: (p: { user: string; at: string }) => `${p.user} ${p.at} 报送`,
    copyNote: "本单位报送的信息。情况有新进展请点“续报”，或在本消息列直接回复；事件处置完毕请点“终报”。",
    adopt: "采用",
    reject: "不采用",
    returnIt: "退回补充",
    ask: "要求续报",
    follow: "续报",
    final: "终报",
    instruct: "批示",
    verdictNotice: (p: { verdict: string; by: string; note: string }) =>
      `:leftwards_arrow_with_hook: <@${p.by}> ${p.verdict}：${p.note}`,
    askedNotice: (p: { by: string; until: string; members: string }) =>
      `:hourglass_flowing_sand: <@${p.by}> 要求 ${p.until} 前续报。${p.members}`,
    followNotice: (p: { kind: string; by: string; text: string }) =>
      `:memo: ${p.kind}（<@${p.by}>）：${p.text}`,
    ladder: (p: { step: number; until: string; members: string }) =>
      p.step === 1
        ? `:bell: 提醒：要求 ${p.until} 前的续报尚未报送，请尽快续报。`
        : `:mega: 催报：${p.members} 要求 ${p.until} 前的续报仍未报送，请立即续报。`,
    escalation: (p: { number: string; title: string; unit: string; until: string; link: string }) =>
      `:rotating_light: *续报逾期*：${p.unit}的${p.link}“${p.title}”要求 ${p.until} 前续报，至今未报。`,
    submitted: (p: { number: string; late: boolean; taken: string; over: string }) =>
      p.late
        ? `已报送 ${p.number}。:warning: 距事发已 ${p.taken}，超过时限 ${p.over}，记为迟报。请尽快续报详情。`
        : `已报送 ${p.number}（报送用时 ${p.taken}）。详细情况请续报。`,
    decided: (p: { verdict: string; digestNo: number | null }) =>
      `已${p.verdict}。${p.digestNo !== null ? `紧急信息已编入《要情》第${p.digestNo}期，即时呈送领导。` : ""}`,
    missDone: (p: { department: string }) => `已登记${p.department}漏报一次，计入信息工作通报。`,
    modalTitle: "报送信息",
    modalUnit: "报送单位",
    modalTitleLabel: "标题",
    modalDate: "事发日期",
    modalTime: "事发时间",
    modalPlace: "地点",
    modalCategory: "类别",
    modalUrgency: "紧急程度",
    modalText: "目前掌握的情况",
    modalTextHint: "先报告发生了什么事情，详细情况以后再续报。",
    modalConfidentiality: "知悉范围",
    modalFiles: (p: { count: number }) => `随附原消息中的 ${p.count} 个文件。`,
    reasonTitle: (p: { verdict: string }) => p.verdict,
    reasonLabel: "理由（告知报送单位）",
    askTitle: "要求续报",
    askDate: "续报日期",
    askTime: "续报时间",
    followTitle: (p: { kind: string }) => p.kind,
    followLabel: "新情况",
    instructTitle: "领导批示",
    instructLabel: "批示内容",
    instructRef: (p: { no: number; title: string }) => `《要情》第${p.no}期批示：${p.title}`,
    digestTitle: (p: { no: number }) => `《要情》第${p.no}期`,
    digestIntro: (p: { count: number; date: string }) => `${p.date}，共 ${p.count} 条。`,
    digestItem: (p: {
      order: number;
      title: string;
      unit: string;
      occurred: string;
      text: string;
      late: boolean;
    }) => `${p.order}. *${p.title}*（${p.unit}，事发 ${p.occurred}${p.late ? "，迟报" : ""}）${p.text}`,
    digestFile: (p: { no: number }) => `要情第${p.no}期.docx`,
    docHeading: "要情",
    docIssue: (p: { no: number }) => `第${p.no}期`,
    docEditor: (p: { office: string }) => `${p.office}编`,
    docSource: (p: { unit: string; at: string }) => `（${p.unit} ${p.at}报送）`,
    listTitle: (p: { what: string; count: number }) => `信息报送 · ${p.what}（${p.count} 条）`,
    listWhat: { recent: "最近", today: "今天", owed: "未续报", late: "迟报" } as Record<string, string>,
    listEmpty: "没有符合条件的信息。",
    listLine: (p: {
      number: string;
      title: string;
      unit: string;
      at: string;
      verdict: string;
      late: boolean;
      owed: boolean;
    }) =>
      `${p.number} ${p.title} — ${p.unit}，${p.at}，${p.verdict}${p.late ? " · :warning: 迟报" : ""}${p.owed ? " · :hourglass_flowing_sand: 待续报" : ""}`,
    rankingTitle: (p: { label: string }) => `信息工作通报 · ${p.label}`,
    rankingRules: "评分：基础分 100，每条被采用 +2，迟报 −3，漏报 −5。",
    rankingLine: (p: {
      rank: number | null;
      unit: string;
      score: number;
      sent: number;
      adopted: number;
      late: number;
      missed: number;
    }) =>
      `${p.rank === null ? "—" : `${p.rank}.`} *${p.unit}* ${p.score} 分 — 报送 ${p.sent} 条，采用 ${p.adopted}，迟报 ${p.late}，漏报 ${p.missed}`,
    rankingBest: "报送及时、采用多的单位",
    rankingWorst: "迟报漏报较多的单位",
    rankingMiddle: (p: { count: number }) => `其余 ${p.count} 个单位居中。`,
    rankingEmpty: "本期没有信息报送记录。",
    bulletinSection: "附：信息工作情况",
    bulletinTotals: (p: { sent: number; adopted: number; late: number; missed: number }) =>
      `信息工作：各单位报送 ${p.sent} 条，采用 ${p.adopted} 条，迟报 ${p.late} 条，漏报 ${p.missed} 条。`,
    homeOffice: (p: { today: number; owed: number; pending: number }) =>
      `*信息报送*：今天 ${p.today} 条，待精选 ${p.pending} 条，待续报 ${p.owed} 条 — \`/ducha 列表 信息\``,
    homeUnit: (p: { open: number; owed: number }) =>
      `*本单位报送的信息*：续报中 ${p.open} 条${p.owed ? `，其中 ${p.owed} 条要求续报` : ""} — \`/ducha 报送\``,
  },

  closureDoc: {
    title: (p: { subject: string }) => `关于“${p.subject}”批示件办理情况的报告`,
    salutation: (p: { leader: string }) => `${p.leader}：`,
    opening: (p: { date: string; subject: string; count: number; round: number }) =>
      `您于${p.date}就“${p.subject}”作出批示${p.round > 1 ? "，并作再批示" : ""}。督查室将批示分解为 ${p.count} 项督办事项交有关单位办理，现已全部办结。现将办理情况报告如下：`,
    sections: ["一、批示要求", "二、办理情况", "三、佐证材料", "四、办理时效", "五、验收意见"],
    taskRequired: (p: { number: string; title: string; lead: string; requirement: string }) =>
      `${p.number} ${p.title}（牵头单位：${p.lead}）${p.requirement ? `：${p.requirement}` : ""}`,
    taskDone: (p: { number: string; title: string; lead: string }) => `${p.number} ${p.title}（${p.lead}）：`,
    report: (p: { date: string; by: string; text: string }) => `${p.date}，${p.by}：${p.text}`,
    noReports: "（无书面反馈）",
    file: (p: { number: string; name: string; link: string }) =>
      `${p.number}：${p.name}${p.link ? `（${p.link}）` : ""}`,
    noFiles: "（无附件）",
    timing: (p: {
      number: string;
      dispatched: string;
      closed: string;
      limit: string;
      due: string;
      workdays: number;
      onTime: boolean;
    }) =>
      `${p.number}：${p.dispatched}交办，时限${p.limit}，${p.closed}验收办结，用时 ${p.workdays} 个工作日，${p.onTime ? "按期办结" : "逾期办结"}。`,
    notClosed: "尚未",
    extension: (p: { from: string; to: string; reason: string }) =>
      `经批准延期：${p.from}延至${p.to}，理由：${p.reason}`,
    verdict: (p: { number: string; note: string }) => `${p.number}：${p.note}`,
    noNote: "验收通过。",
    siteCheck: (p: {
      date: string;
      checkers: string;
      place: string;
      finding: string;
      covert: boolean;
      note: string;
    }) =>
      `${p.date}，${p.checkers}${p.covert ? "暗访" : "实地核查"}${p.place}，结论：${p.finding}${p.note ? `。${p.note}` : ""}`,
    closing: "特此报告。",
    date: (p: { year: number; month: number; day: number }) => `${p.year}年${p.month}月${p.day}日`,
    fileName: (p: { decisionId: number; round: number }) =>
      `批示件办理情况报告-${p.decisionId}-${p.round}.docx`,
  },

  loops: {
    verifiedNote: (p: { note: string }) => `验收意见：${p.note}`,
    flagged: (p: { rule: "relapsed" | "falseClaim"; department: string; task: string; title: string }) =>
      `${p.rule === "relapsed" ? "回头看问题反弹" : "虚报办结"}：${p.department} ${p.task}“${p.title}”`,
    rectified: (p: { issueNo: number; done: string; owed: string }) =>
      `第${p.issueNo}期通报点名单位整改情况：${p.done ? `已报送整改措施 ${p.done}` : ""}${p.done && p.owed ? "；" : ""}${p.owed ? `尚未整改 ${p.owed}` : ""}。`,
    rectifyTitle: (p: { issueNo: number }) => `落实《督查通报》第${p.issueNo}期整改要求`,
    rectifyRequirement: (p: { issueNo: number; score: number; items: string }) =>
      `本单位在第${p.issueNo}期督查通报中排名靠后（得分 ${p.score}）。请对照通报指出的问题（${p.items}）分析原因，报送整改措施。`,
    verifiedRecheck: (p: { date: string }) => `:calendar: 将于 ${p.date} 回头看（遇节假日顺延）。`,
    recheckAsked: (p: { members: readonly string[]; replyBy: string }) =>
      `:mag: *回头看*：本事项办结已有一段时间。请 ${p.members.length ? list(p.members.map(user)) : "承办人"} 于 ${p.replyBy} 前在本消息列回复成果是否巩固、问题有无反弹，并附近期照片或材料。`,
    recheckHeld: (p: { by: string; note: string }) =>
      `:white_check_mark: ${user(p.by)} 认定回头看成果巩固。${p.note ? `说明：${p.note}` : ""}`,
    recheckRelapsed: (p: { by: string; note: string }) =>
      `:warning: ${user(p.by)} 认定问题反弹，事项重新督办：${p.note}`,
    heldButton: "成果巩固",
    relapsedButton: "问题反弹",
    relapseTitle: "认定问题反弹",
    relapseLabel: "发现的问题",
    relapseHint: "事项将重新督办，单位扣 5 分，并在下期通报中点名。",
    recheckDone: (p: { held: boolean }): string =>
      p.held ? "已认定成果巩固。" : "已认定问题反弹，事项已重新督办。",
    reinstructed: (p: { by: string; text: string; members: readonly string[] }) =>
      `:memo: ${user(p.by)} 再批示：${p.text}\n事项重新督办，请 ${p.members.length ? list(p.members.map(user)) : "承办人"} 抓紧办理，并在本消息列反馈。`,
    siteChecked: (p: { by: string; finding: string; covert: boolean; falseClaim: boolean }) =>
      `:round_pushpin: ${user(p.by)} ${p.covert ? "暗访" : "实地核查"}：${p.finding}。${p.falseClaim ? "办结情况与实际不符，申请退回，记为虚报（扣 10 分）。" : ""}`,
    covertMark: "（暗访）",
    findingName: { true: "属实", partly: "部分属实", false: "不属实" } as Record<string, string>,
    closureLine: (p: { decision: string; task: string; closed: number; total: number }) =>
      `:white_check_mark: 您交办的“${p.decision}”中，${p.task} 已验收办结（已办结 ${p.closed}/${p.total} 项）。全部办结后将呈报办理情况报告。`,
    closureReady: (p: { decision: string; count: number; round: number }) =>
      `:page_facing_up: 您交办的“${p.decision}”${p.round > 1 ? "经再批示后" : ""}已全部办结（${p.count} 项）。附《办理情况报告》，请审阅。`,
    readButton: "阅",
    reinstructButton: "再批示",
    readDone: (p: { at: string }) => `:ballot_box_with_check: 已阅（${p.at}）。`,
    reinstructTitle: "再批示",
    reinstructText: "批示内容",
    reinstructAction: "办理方式",
    actionRecord: "记录批示，不再交办",
    actionReopen: "重新交办原承办单位办理",
    reinstructDue: "新的办理时限（可不填）",
    reinstructDone: (p: { count: number }) =>
      p.count ? `已记录再批示，${p.count} 项事项已重新交办。` : "已记录再批示。",
    rechecksTitle: (p: { count: number }) => `回头看（${p.count} 项待认定）`,
    rechecksEmpty: "没有待办的回头看。",
    recheckState: {
      scheduled: "待回头看",
      asked: "待单位答复",
      answered: "单位已答复，待认定",
    } as Record<string, string>,
    recheckLine: (p: { task: string; title: string; department: string; state: string; date: string }) =>
      `${p.task} ${p.title} — ${esc(p.department)}，${p.date}，${p.state}`,
    closuresTitle: (p: { count: number }) => `报结未阅（${p.count} 件）`,
    closuresEmpty: "报结均已阅。",
    closureOffice: (p: { decision: string; leader: string; date: string }) =>
      `“${p.decision}” — ${user(p.leader)}，${p.date} 报结，未阅`,
    more: (p: { count: number }) => `……另有 ${p.count} 项未列出。`,
    verifyTitle: "验收",
    verifyNote: "验收意见",
    verifyNoteHint: "写入呈报领导的办理情况报告。",
    recheckDate: "回头看日期（可不填）",
    recheckHint: "到那一天（遇节假日顺延到下一个工作日），请单位在本消息列确认成果巩固。",
    siteTitle: "实地核查",
    siteButton: "实地核查",
    siteCheckers: "核查人员",
    siteDate: "核查日期",
    sitePlace: "核查地点",
    siteFinding: "核查结论",
    siteNote: "核查情况",
    siteCovert: "暗访（不打招呼、直奔现场）",
    siteFiles: "照片和记录（本消息列中已上传的文件）",
    siteDone: (p: { falseClaim: boolean }): string =>
      p.falseClaim ? "已记录实地核查：不属实，申请已退回并记为虚报。" : "已记录实地核查。",
    missing: "请填写此项。",
    homeRechecks: (p: { count: number }) => `*回头看*：${p.count} 项待认定 — \`/ducha 列表 回头看\``,
    homeClosures: (p: { count: number }) => `*批示件报结*：${p.count} 件领导未阅 — \`/ducha 列表 报结\``,
    homeAssigned: (p: { red: number; yellow: number; green: number }) =>
      `*我交办的*：红灯 ${p.red} 项，黄灯 ${p.yellow} 项，绿灯 ${p.green} 项 — \`/ducha 列表 我交办的\``,
  },

  errors: {
    not_allowed: (p: ErrorParams["not_allowed"]) => {
      const number = `督〔${p.year}〕${p.seq}号`;
      const action = zhActionNames[p.action];
      switch (p.reason) {
        case "not_lead_member":
          return `只有牵头单位（${esc(p.lead)}）的成员可以${action}${number}。`;
        case "not_member":
          return `只有牵头单位或配合单位的成员可以${action}。如需发表意见，可直接在卡片消息列中留言。`;
        case "not_supervisor":
          return `只有督查员可以${action}。`;
        case "not_overseer":
          return `只有督查员、领导和管理员可以${action}。`;
        case "already_acknowledged":
          return `${number}已经签收过了。`;
        case "not_open":
          return `${number}已${p.state === "closed" ? "办结" : "撤销"}，不能再${action}。如需继续，请督查员“重新督办”。`;
        case "not_claimed":
          return `${number}尚未申请办结，无需${action}。`;
        case "awaiting_review":
          return `${number}已申请办结，正在验收，暂不能${action}。`;
        case "extension_pending":
          return `${number}已有一份延期申请待审批。`;
        case "no_extension":
          return `${number}没有待审批的延期申请。`;
        case "not_closed":
          return `${number}仍在办理中，无需重新督办。`;
      }
    },
    extension_not_later: () => "延期后的时限必须晚于现在的办理时限。",
    coordination_resolve_forbidden: () => "只有牵头单位的承办人或督查员可以确认协调事项已解决。",
    coordination_not_yours: (p: { department: string }) =>
      `这项协调事项是请${esc(p.department)}协调的，只有该单位的承办人可以接办或答复。`,
    coordination_closed: (p: { department: string; state: string }) =>
      `这项请${esc(p.department)}协调的事项已${p.state === "answered" ? "答复" : p.state === "declined" ? "答复无法协调" : "办结"}，无需再操作。`,
    bad_cron: (p: ErrorParams["bad_cron"]) =>
      `“${esc(p.expression)}”不是有效的计划（${esc(p.problems.join("；"))}）。正确的写法：${usage.settingsSchedule}`,
    bad_timezone: (p: ErrorParams["bad_timezone"]) =>
      `“${esc(p.given)}”不是时区名称。正确的写法：${usage.settingsTimezone}`,
    bad_threshold: (p: ErrorParams["bad_threshold"]) => `${esc(p.name)} 应为 0 到 ${p.max} 的整数。`,
    forbidden: (p: ErrorParams["forbidden"]) =>
      `只有${list(p.roles.map((r) => roleNames[r]))}可以${
        {
          create_decision: "交办督办事项",
          post_summary: "发布汇总",
          view_summary: "查看汇总",
          export: "导出台账",
          score: "查看单位得分",
        }[p.action]
      }。如需开通，请联系管理员。`,
    summary_channel_unset: () =>
      "还没有设置领导频道（也没有督查频道），汇总无处发布。请管理员输入 `/ducha 设置 领导频道 #频道`。",
    summary_conflict: (p: ErrorParams["summary_conflict"]) => `${esc(p.key)} 的汇总已由另一个进程发布。`,
    draft_gone: () => "这份决策草稿已提交或已过期，请重新输入 `/ducha 新建`。",
    task_not_found: (p: ErrorParams["task_not_found"]) =>
      `没有找到督办事项“${esc(p.ref)}”。请写编号，例如 \`/ducha 查看 12\` 或 \`/ducha 查看 2026-12\`。`,
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
    dept_exists: (p: ErrorParams["dept_exists"]) => `单位“${esc(p.name)}”已存在。`,
    info_refused: (p: ErrorParams["info_refused"]): string =>
      ({
        not_member:
          "只有各单位的联络员（和督查室）可以报送信息。请管理员用 `/ducha 单位 成员` 把您加入单位。",
        not_office: "只有督查室（督查员、管理员）可以精选信息、要求续报、登记漏报。",
        not_unit: "只有报送单位的成员可以续报、终报。",
        empty: "标题和情况都要填写。",
        future: "事发时间不能晚于现在。",
        too_old: "事发时间不能早于一年以前。",
        no_channel: "还没有设置信息频道（或督查频道），信息无处可送。请管理员 `/ducha 设置 信息频道 #频道`。",
        not_found: "没有找到这条信息。",
        no_reason: "请写明理由，报送单位会看到。",
        in_digest: "这条信息已编入《要情》，不能再改精选结果。",
        past: "续报时间须晚于现在。",
        final: "这条信息已经终报。",
      })[p.why],
    recheck_date: (p: ErrorParams["recheck_date"]): string =>
      `回头看日期“${esc(p.date)}”须是今天以后的日期。`,
    recheck_refused: (p: ErrorParams["recheck_refused"]): string =>
      ({
        role: "只有督查员可以认定回头看结果。",
        not_asked: "回头看还没到日子，单位尚未被询问。",
        decided: "这次回头看已经认定过了。",
        no_finding: "认定问题反弹，请写明发现的问题。",
      })[p.why],
    site_check_needed: (p: ErrorParams["site_check_needed"]): string =>
      `带有“${esc(p.tags)}”标签的事项，验收前须先实地核查并认定属实或部分属实（卡片上的“实地核查”，或 \`/ducha 核查 编号\`）。`,
    site_check_refused: (): string => "只有督查员可以记录实地核查。",
    closure_not_yours: (p: ErrorParams["closure_not_yours"]): string =>
      `这份报结是报给 <@${p.leader}> 的，只有交办领导本人（或管理员）可以阅示、再批示。`,
    not_a_leader: (): string => "“我交办的”供领导、督查员和管理员查看。",
    spread_refused: (p: ErrorParams["spread_refused"]): string =>
      p.why === "secret"
        ? "不公开事项的反馈不推广到各单位。"
        : "这条反馈已不是先进经验（已取消），不再推广。",
    no_department: () =>
      "您还不是任何单位的成员，没有“本单位”的得分可看。管理员可用 `/ducha 单位 成员` 添加。",
    dept_not_found: (p: ErrorParams["dept_not_found"]) =>
      `没有找到单位“${esc(p.name)}”。输入 \`/ducha 单位 列表\` 查看全部单位。`,
    name_taken: (p: ErrorParams["name_taken"]) =>
      `“${esc(p.name)}”已被单位“${esc(p.by)}”使用（名称或别名）。`,
    dept_has_open_tasks: (p: ErrorParams["dept_has_open_tasks"]) =>
      `单位“${esc(p.name)}”还牵头 ${p.count} 项未办结事项，不能删除。请先办结、撤销或改由其他单位牵头。`,
    unknown_role: (p: ErrorParams["unknown_role"]) =>
      `没有“${esc(p.given)}”这个角色。可选：督查员、领导、管理员。`,
    role_not_held: (p: ErrorParams["role_not_held"]) => `${user(p.userId)} 不是${roleNames[p.role]}。`,
    last_admin: (p: ErrorParams["last_admin"]) =>
      `${user(p.userId)} 是唯一的管理员，不能取消。请先指定另一位管理员。`,
    role_from_env: (p: ErrorParams["role_from_env"]) =>
      `${user(p.userId)} 是启动配置 DUCHA_ADMINS 指定的管理员，只能在配置中修改。`,
    notice_unreadable: (p: ErrorParams["notice_unreadable"]) =>
      p.problem === "no_year"
        ? "没有读到年份：请连同标题（国务院办公厅关于YYYY年部分节假日安排的通知）一起粘贴。日历未作改动。"
        : p.problem === "no_holidays"
          ? "没有读到节假日安排：请粘贴通知全文，其中每个节日一行，如“一、元旦：1月1日（周五）放假1天。”。日历未作改动。"
          : `以下 ${p.lines.length} 行读不准（日期、星期或天数对不上），整份通知未导入，日历未作改动：\n${p.lines.map((l) => `> ${esc(l)}`).join("\n")}\n请核对后重新粘贴，或用 \`/ducha 设置 日历 日期 休|班\` 逐日设置。`,
    busy: () => "督查助手此刻正忙，本次操作没有执行，请稍后再试。",
    internal: (p: ErrorParams["internal"]) =>
      `抱歉，处理时出错了，请稍后再试。如仍有问题请联系管理员（错误编号 ${p.ref}）。`,
    shortened: (p: { total: number }) => `……（原文 ${p.total} 字，过长已截断）`,
    database: (p: ErrorParams["database"]) =>
      `${
        {
          full: "数据库所在磁盘已满",
          corrupt: "数据库文件已损坏",
          busy: "数据库正忙",
          readonly: "数据库当前只读",
          unavailable: "数据库暂时无法访问",
        }[p.kind]
      }，本次操作没有保存，请稍后再试。已记录并报告管理员（错误编号 ${p.ref}）。`,
  },

  /** Why ducha did not start, in words for whoever runs it. */
  startup: {
    slackRefusedBotToken: (p: { code: string; apiUrl: string }) =>
      `督查助手无法启动：Slack 拒绝了 SLACK_BOT_TOKEN（${p.code}）。请检查机器人令牌（Slack 应用的 OAuth & Permissions 页面，以 xoxb- 开头），以及 SLACK_API_URL（当前为 ${p.apiUrl}）。`,
    slackRefusedAppToken: (p: { code: string }) =>
      `督查助手无法启动：Slack 拒绝了 SLACK_APP_TOKEN（${p.code}）。请检查应用级令牌（Basic Information → App-Level Tokens，以 xapp- 开头，需 connections:write 权限）。`,
    slackUnreachable: (p: { apiUrl: string; message: string }) =>
      `督查助手无法启动：连不上 Slack（${p.apiUrl}）：${p.message}。请检查网络、SLACK_API_URL，以及需要时的 HTTPS_PROXY / NO_PROXY。`,
    portInUse: (p: { port: number }) =>
      `督查助手无法启动：端口 ${p.port} 已被占用（PORT）。请换一个端口，或先停止占用它的程序。`,
    database: {
      ahead: (p: { url: string; migration: string }) =>
        `督查助手无法启动：数据库 ${p.url} 已由更新版本的督查助手迁移过（本版本不认识迁移 ${p.migration}）。请运行更新的版本，或把 DATABASE_URL 指向另一个数据库。`,
      modified: (p: { url: string; migration: string }) =>
        `督查助手无法启动：数据库 ${p.url} 中的迁移 ${p.migration} 在应用后被改动过。请从发布包恢复 prisma/migrations。`,
      unfinished: (p: { url: string; migration: string }) =>
        `督查助手无法启动：数据库 ${p.url} 的迁移 ${p.migration} 开始后没有完成。请从备份恢复数据库（见 README“备份”一节）。`,
      orphans: (p: { url: string; migration: string }) =>
        `督查助手无法启动：迁移 ${p.migration} 会让部分记录失去关联，已全部撤回，数据库 ${p.url} 未被改动。请联系技术支持。`,
      unavailable: (p: { url: string; detail: string }) =>
        `督查助手无法启动：无法打开或迁移数据库 ${p.url}（${p.detail}）。请检查 DATABASE_URL、目录权限和磁盘空间。`,
    },
    failed: (p: { message: string }) => `督查助手无法启动：${p.message}`,
  },

  config: {
    title: "配置有误，督查助手无法启动：",
    missing: "未设置",
    hint: "请检查环境变量或 .env 文件（说明见 .env.example）。",
    expect: {
      SLACK_BOT_TOKEN: "机器人令牌，以 xoxb- 开头（Slack 应用 OAuth & Permissions 页面）",
      SLACK_SIGNING_SECRET:
        "签名密钥（Basic Information 页面）；HTTP 模式必填，或改设 SLACK_APP_TOKEN 使用 Socket Mode",
      SLACK_APP_TOKEN: "应用级令牌，以 xapp- 开头，需 connections:write 权限（Socket Mode）",
      SLACK_API_URL: "Web API 地址，http(s):// 开头，例如 https://slack.com/api/",
      DATABASE_URL:
        "数据库地址：file:./data/ducha.db 这样的 SQLite 文件，或 postgresql://ducha:密码@db.example:5432/ducha 这样的 PostgreSQL 数据库",
      PORT: "端口号，0 到 65535 的整数",
      DUCHA_TZ: "IANA 时区名称，例如 Asia/Shanghai",
      DUCHA_LOCALE: "界面语言：zh-CN 或 en",
      DUCHA_ADMINS: "逗号分隔的 Slack 用户 ID，例如 U012AB3CD,U045EF6GH",
      LOG_LEVEL: "日志级别：fatal、error、warn、info、debug 或 trace",
      DUCHA_WORKERS: "本机运行的进程数，1至16的整数（默认1；多核机器可设为核数）",
      HTTPS_PROXY: "代理地址，例如 http://proxy.example.gov.cn:3128",
      HTTP_PROXY: "代理地址，例如 http://proxy.example.gov.cn:3128",
    } as Record<string, string>,
  },
};

export type Messages = typeof zhCN;

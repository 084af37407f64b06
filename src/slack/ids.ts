/**
 * Every action_id, callback_id and input block_id ducha puts into Slack, in one place, so a
 * newcomer finds the listener for a button by its id.
 */

/** Buttons and menus. */
export const ACTION = {
  // The decision modal.
  resplit: "decision_resplit",
  taskMenu: "decision_task_menu",
  addTask: "decision_task_add",
  // A task card.
  ack: "task_ack",
  report: "task_report",
  claim: "task_claim",
  extend: "task_extend",
  urge: "task_urge",
  verify: "task_verify",
  return: "task_return",
  approveExtension: "task_extension_approve",
  rejectExtension: "task_extension_reject",
  cancel: "task_cancel",
  reopen: "task_reopen",
  coordinate: "task_coordinate",
  star: "report_star",
  /** 推广先进经验: a starred report to every unit. */
  spread: "report_spread",
  /** 回头看: the office's 巩固 / 反弹 under the thread's question. */
  recheckHeld: "recheck_held",
  recheckRelapsed: "recheck_relapsed",
  /** 报结: the leader's 阅 / 再批示 in the DM. */
  closureRead: "closure_read",
  closureReinstruct: "closure_reinstruct",
  /** 信息报送: the office's card (采用, 不采用, 退回补充, 要求续报), the unit's copy (续报, 终报), a 要情 item (批示). */
  infoAdopt: "info_adopt",
  infoReject: "info_reject",
  infoReturn: "info_return",
  infoAsk: "info_ask",
  infoFollow: "info_follow",
  infoFinal: "info_final",
  infoInstruct: "info_instruct",
  /** 实地核查 on a card awaiting 验收 that needs one. */
  siteCheck: "task_site_check",
  // Lists.
  listPage: "list_page",
  /** 查找's next page; the office's search box on the App Home. */
  searchPage: "search_page",
  homeSearch: "home_search",
  // A summary shown with /ducha summary.
  postSummary: "summary_post",
  // A 协调事项 notice in the requested department's channel.
  coordinationAccept: "coordination_accept",
  coordinationAnswer: "coordination_answer",
  coordinationResolve: "coordination_resolve",
  // 新建督办 under a file shared with the bot in a DM.
  decisionFromFile: "decision_from_file",
} as const;

/** Modal callback_ids. */
export const CALLBACK = {
  decision: "decision_submit",
  task: "decision_task_submit",
  report: "task_report_submit",
  claim: "task_claim_submit",
  extend: "task_extend_submit",
  reason: "task_reason_submit",
  calendarImport: "calendar_import_submit",
  coordinationAnswer: "coordination_answer_submit",
  coordinate: "task_coordinate_submit",
  verify: "task_verify_submit",
  relapse: "recheck_relapse_submit",
  reinstruct: "closure_reinstruct_submit",
  siteCheck: "task_site_check_submit",
  info: "info_submit",
  infoReason: "info_reason_submit",
  infoAsk: "info_ask_submit",
  infoFollow: "info_follow_submit",
  infoInstruct: "info_instruct_submit",
} as const;

/** Inputs of the 信息报送 modals (block_id = action_id). */
export const INFO_INPUT = {
  unit: "i_unit",
  title: "i_title",
  date: "i_date",
  time: "i_time",
  place: "i_place",
  category: "i_category",
  urgency: "i_urgency",
  text: "i_text",
  confidentiality: "i_conf",
  reason: "i_reason",
} as const;

/** Inputs of the loop modals: 验收, 反弹, 再批示, 实地核查 (block_id = action_id). */
export const LOOP_INPUT = {
  note: "l_note",
  recheckOn: "l_recheck_on",
  text: "l_text",
  action: "l_action",
  due: "l_due",
  checkers: "l_checkers",
  date: "l_date",
  place: "l_place",
  finding: "l_finding",
  covert: "l_covert",
  files: "l_files",
} as const;

/** Inputs of the 协调事项 answer modal (block_id = action_id). */
export const COORDINATION_INPUT = {
  text: "c_text",
  decline: "c_decline",
} as const;

/** Inputs of the task action modals (block_id = action_id). */
export const ACTION_INPUT = {
  progress: "a_progress",
  text: "a_text",
  blocker: "a_blocker",
  cause: "a_cause",
  date: "a_date",
  reason: "a_reason",
  files: "a_files",
  coordinate: "a_coordinate",
  need: "a_need",
} as const;

/** Input blocks of the decision modal (block_id = action_id). */
export const DECISION_INPUT = {
  source: "d_source",
  sourceRef: "d_ref",
  leader: "d_leader",
  date: "d_date",
  confidentiality: "d_conf",
  text: "d_text",
} as const;

/** Input blocks of the task modal (block_id = action_id). */
export const TASK_INPUT = {
  title: "t_title",
  requirement: "t_req",
  lead: "t_lead",
  co: "t_co",
  due: "t_due",
  dueTime: "t_due_time",
  cadence: "t_cadence",
  cadenceHours: "t_cadence_hours",
  urgent: "t_urgent",
  tags: "t_tags",
} as const;

import type { RoleName } from "./roles.js";

/**
 * The forms of `/ducha` a person can be shown when they typed something else.
 * Each has a line in the message catalogue (`usage`).
 */
export type UsageKey =
  | "deptAdd"
  | "deptRemove"
  | "deptMembers"
  | "roleAdd"
  | "roleRemove"
  | "settings"
  | "settingsChannel"
  | "show"
  | "list"
  | "settingsSchedule"
  | "settingsThreshold"
  | "settingsTimezone"
  | "settingsCatchUp"
  | "settingsOffice"
  | "settingsBulletinScope"
  | "settingsLoops"
  | "reinstruct"
  | "siteCheck"
  | "check"
  | "info"
  | "infoMiss"
  | "settingsInfo"
  | "search"
  | "archive"
  | "settingsDistribution"
  | "settingsHoliday"
  | "settingsSummary"
  | "settingsDelivery"
  | "summary"
  | "export"
  | "score";

/**
 * Every refusal a person can see, with the facts its message needs. The words live in the
 * message catalogue (`src/i18n`), one per language; code only ever names the code.
 */
export interface ErrorParams {
  /** The first word of the command is not a subcommand. */
  unknown_command: { input: string };
  /** The subcommand is known but its arguments do not fit. */
  usage: { usage: UsageKey; detail?: string };
  /** Only admins change departments, roles and settings. */
  admin_only: { admins: readonly string[] };
  /** A user was named by plain text where an @mention is needed. */
  need_user_mention: { given: string };
  /** A channel was named by plain text where a #channel mention is needed. */
  need_channel_mention: { given: string };
  dept_exists: { name: string };
  dept_not_found: { name: string };
  /** 推广先进经验 of a report that is not starred (any more), or of a confidential task's. */
  spread_refused: { why: "not_starred" | "secret" };
  /** 信息报送 refused, and why. */
  info_refused: {
    why:
      | "not_member"
      | "not_office"
      | "not_unit"
      | "empty"
      | "future"
      | "too_old"
      | "no_channel"
      | "not_found"
      | "no_reason"
      | "in_digest"
      | "past"
      | "final";
  };
  /** A 回头看 day must be a date after today. */
  recheck_date: { date: string };
  /** 巩固/反弹 only by supervisors, on a 回头看 asked and not yet decided; 反弹 needs the finding. */
  recheck_refused: { why: "role" | "not_asked" | "decided" | "no_finding" };
  /** 验收 of a task whose tags need 实地核查 waits for a check that found the claim true. */
  site_check_needed: { tags: string };
  /** Only supervisors record on-site checks. */
  site_check_refused: Record<string, never>;
  /** 阅/再批示 only by the leader reported to (or an admin). */
  closure_not_yours: { leader: string };
  /** 我交办的 asked by someone who is not a leader, supervisor or admin. */
  not_a_leader: Record<string, never>;
  /** 本单位 asked by someone who is in no department. */
  no_department: Record<string, never>;
  /** A department name or alias is already used by another department. */
  name_taken: { name: string; by: string };
  /** A department that still leads open tasks cannot be removed. */
  dept_has_open_tasks: { name: string; count: number };
  unknown_role: { given: string };
  role_not_held: { userId: string; role: RoleName };
  /** The only admin cannot give up the role: nobody could manage ducha afterwards. */
  last_admin: { userId: string };
  /** Admins named in DUCHA_ADMINS are not changed from Slack. */
  role_from_env: { userId: string };
  /** The person's roles do not allow the action; `roles` are the ones that do. */
  forbidden: {
    action: import("./lifecycle.js").OfficeAction;
    roles: readonly RoleName[];
  };
  /** The decision being edited is gone (submitted, or forgotten after a day). */
  draft_gone: Record<string, never>;
  /** The permission table refuses the action (see src/domain/lifecycle.ts). */
  not_allowed: {
    reason: import("./lifecycle.js").Refusal;
    action: import("./lifecycle.js").TaskAction;
    year: number;
    seq: number;
    lead: string;
    state: import("./task-state.js").TaskState;
  };
  /** A schedule that is not a cron expression node-cron runs. */
  bad_cron: { expression: string; problems: readonly string[] };
  /** Not an IANA time zone. */
  bad_timezone: { given: string };
  /** A threshold out of its range. */
  bad_threshold: { name: string; max: number };
  /** A holiday notice that cannot be read for sure: nothing of it was stored. */
  notice_unreadable: { problem: "no_year" | "no_holidays" | "unreadable"; lines: readonly string[] };
  /** Only the requested department's members take on or answer a 协调事项. */
  coordination_not_yours: { department: string };
  /** Only the lead department's members and supervisors say a 协调事项 is resolved. */
  coordination_resolve_forbidden: Record<string, never>;
  /** The 协调事项 was answered, resolved or declined already. */
  coordination_closed: { department: string; state: string };
  /** An extension must move the due date later. */
  extension_not_later: Record<string, never>;
  /** No task has this number. */
  task_not_found: { ref: string };
  /** Neither the leadership nor the supervision channel is set: a summary has nowhere to go. */
  summary_channel_unset: Record<string, never>;
  /** Two runs recorded the same period's summary at once; the other one posts it. */
  summary_conflict: { key: string };
  /** Something failed that the person cannot fix; `ref` lets an operator find it in the log. */
  internal: { ref: string };
  /** The database cannot do the work now (full disk, damaged file, away): nothing was changed. */
  database: { kind: DatabaseProblemKind; ref: string };
}

/** What is wrong with the database, as people are told and /healthz reports it. */
export type DatabaseProblemKind = "full" | "corrupt" | "busy" | "readonly" | "unavailable";

export type ErrorCode = keyof ErrorParams;

/** An expected failure with a code; turned into the person's language in one place (src/slack/errors.ts). */
export class AppError<C extends ErrorCode = ErrorCode> extends Error {
  readonly code: C;
  readonly params: ErrorParams[C];

  constructor(code: C, params: ErrorParams[C]) {
    super(`${code} ${JSON.stringify(params)}`);
    this.name = "AppError";
    this.code = code;
    this.params = params;
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

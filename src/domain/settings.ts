import { z } from "zod";
import { DEFAULT_THRESHOLDS, type LightThresholds } from "./lights.js";
import { DEFAULT_ENDS, DEFAULT_MIN_SAMPLE } from "./scoring.js";

/** The default hot tags (热点) of a summary. */
export const DEFAULT_HOT_TAGS: readonly string[] = ["民生"];

/** How summaries pick the two ends and the hot tasks. */
export interface SummarySettings {
  /** How many departments each end names at most (抓两头). */
  ends: number;
  /** Scored tasks a department needs to be ranked. */
  minSample: number;
  /** Tags that make a task a 热点. */
  hotTags: string[];
}

const ZChannelId = z.string().regex(/^[CGD][A-Z0-9]{2,}$/);

/** The foot of a 督查通报: 报 (reported to), 送 (sent to), 发 (issued to). */
export const DISTRIBUTION_LINES = ["report", "send", "issue"] as const;
export type DistributionLine = (typeof DISTRIBUTION_LINES)[number];

/** Where summaries go besides the leadership channel (通报范围). */
export type BulletinScope = { to: "leaders" } | { to: "units" } | { to: "channel"; channel: string };

/** How the loops close (整改, 回头看, 实地核查): the office's settings, with these defaults. */
export interface LoopSettings {
  /** A 整改 task is due this many working days after the 督查通报 that asks for it. */
  rectifyWorkdays: number;
  /** A unit confirms a 回头看 within this many working days of being asked. */
  recheckReplyWorkdays: number;
  /**
   * The 回头看 date offered at 验收, in days after it, by the task's source ("source:instruction")
   * or tag ("tag:民生"); the shortest that applies is offered. None: no date is offered.
   */
  recheckAfterDays: Record<string, number>;
  /** Tags whose tasks need an on-site check record (实地核查) before 验收. */
  siteCheckTags: string[];
}

export const DEFAULT_LOOPS: LoopSettings = {
  rectifyWorkdays: 5,
  recheckReplyWorkdays: 5,
  recheckAfterDays: {},
  siteCheckTags: ["民生"],
};

/** A five-field cron expression (minute hour day month weekday); checked with node-cron by the caller. */
const ZCron = z.string().regex(/^\S+( \S+){4}$/);

/** Jobs whose schedule is a setting. */
export const JOB_IDS = ["daily", "urgent", "weekly", "monthly", "housekeeping", "info"] as const;
export type JobId = (typeof JOB_IDS)[number];

/** When each job runs by default, in the jobs' time zone. */
export const DEFAULT_SCHEDULES: Record<JobId, string> = {
  /** 09:00 every day; the run itself skips holidays and runs on make-up workdays. */
  daily: "0 9 * * *",
  /** Urgent tasks are checked every hour, in hours. */
  urgent: "0 * * * *",
  /** The weekly 抓两头带中间 summary: Monday 09:00. */
  weekly: "0 9 * * 1",
  /** The monthly bulletin (督查通报): the 1st at 09:30. */
  monthly: "30 9 1 * *",
  /** Old drafts and resent-event records are forgotten at 03:30. */
  housekeeping: "30 3 * * *",
  /** The day's 要情 for the leaders: 17:00; the run itself skips days off. */
  info: "0 17 * * *",
};

const thresholdSchema = (max: number) => z.number().int().min(0).max(max);

/**
 * Settings a person changes from Slack, stored as JSON by key. Each has a schema and a
 * default; a stored value that no longer fits its schema counts as unset, never as a crash.
 */
export const SETTING_DEFINITIONS = {
  /** Where weekly summaries and monthly bulletins are posted (领导频道). */
  leadershipChannel: { key: "channel.leadership", schema: ZChannelId.nullable(), default: null },
  /** Where escalations and system notices go (督查频道). */
  supervisionChannel: { key: "channel.supervision", schema: ZChannelId.nullable(), default: null },
  /**
   * Where summaries and the monthly 督查通报 go besides the leadership channel (通报范围): nowhere
   * else (leaders), every unit's channel (units), or one 通报 channel (channel).
   */
  bulletinScope: {
    key: "bulletin.scope",
    schema: z.discriminatedUnion("to", [
      z.object({ to: z.literal("leaders") }),
      z.object({ to: z.literal("units") }),
      z.object({ to: z.literal("channel"), channel: ZChannelId }),
    ]),
    default: { to: "leaders" } as BulletinScope,
  },
  /**
   * The 报/送/发 lines printed at the foot of a 督查通报 (.docx): to whom it is reported, sent and
   * issued, as offices print them ("报：市委、市政府领导"). Each line is left out when unset.
   */
  bulletinDistribution: {
    key: "bulletin.distribution",
    schema: z
      .object({
        report: z.string().min(1).max(120),
        send: z.string().min(1).max(120),
        issue: z.string().min(1).max(120),
      })
      .partial(),
    default: {} as Partial<Record<DistributionLine, string>>,
  },
  /** 信息报送: the office's 信息 channel (cards land there; the supervision channel when unset). */
  infoChannel: { key: "info.channel", schema: ZChannelId.nullable(), default: null },
  /** 信息报送 limits in hours from 事发时间, by "category:urgency" (default 紧急 4, 一般 24). */
  infoLimits: {
    key: "info.limits",
    schema: z.record(z.string().regex(/^[a-z]+:[a-z]+$/), z.number().min(0.5).max(720)),
    default: {} as Record<string, number>,
  },
  /** The office issuing the 督查通报 (its masthead); null means the words' 督查室. */
  officeName: { key: "office.name", schema: z.string().min(1).max(40).nullable(), default: null },
  /** The time zone jobs run in; null means DUCHA_TZ. */
  jobTimeZone: { key: "jobs.timezone", schema: z.string().nullable(), default: null },
  /** A run missed while the bot was down is made up on start when it is this recent (hours). */
  catchUpHours: {
    key: "jobs.catchUpHours",
    schema: z
      .number()
      .int()
      .min(0)
      .max(24 * 7),
    default: 24,
  },
  /** Years whose holiday notice (国务院办公厅关于YYYY年部分节假日安排的通知) an admin imported. */
  calendarYears: {
    key: "calendar.importedYears",
    schema: z.array(z.number().int().min(2000).max(2200)),
    default: [] as number[],
  },
  schedules: {
    key: "jobs.schedules",
    schema: z
      .object(Object.fromEntries(JOB_IDS.map((id) => [id, ZCron])) as Record<JobId, typeof ZCron>)
      .partial(),
    default: {} as Partial<Record<JobId, string>>,
  },
  thresholds: {
    key: "lights.thresholds",
    schema: z
      .object({
        dueSoonWorkdays: thresholdSchema(60),
        ackWorkdays: thresholdSchema(30),
        stallCadences: thresholdSchema(12),
        stallWorkdaysWithoutCadence: thresholdSchema(120),
        blockerRedWorkdays: thresholdSchema(60),
        farBehindPoints: thresholdSchema(100),
        behindPoints: thresholdSchema(100),
        urgentDueSoonHours: thresholdSchema(240),
        urgentAckHours: thresholdSchema(240),
        urgentStallHours: thresholdSchema(240),
        urgentBlockerRedHours: thresholdSchema(720),
        coordinationReplyWorkdays: thresholdSchema(30),
        urgentCoordinationReplyHours: thresholdSchema(240),
      })
      .partial(),
    default: {} as Partial<LightThresholds>,
  },
  loops: {
    key: "loops",
    schema: z
      .object({
        rectifyWorkdays: z.number().int().min(1).max(60),
        recheckReplyWorkdays: z.number().int().min(1).max(60),
        recheckAfterDays: z.record(z.string().min(1).max(40), z.number().int().min(1).max(730)),
        siteCheckTags: z.array(z.string().min(1).max(20)).max(10),
      })
      .partial(),
    default: {} as Partial<LoopSettings>,
  },
  summary: {
    key: "summary",
    schema: z
      .object({
        ends: z.number().int().min(1).max(10),
        minSample: z.number().int().min(1).max(50),
        hotTags: z.array(z.string().min(1).max(20)).min(1).max(10),
      })
      .partial(),
    default: {} as Partial<SummarySettings>,
  },
} as const;

export type SettingName = keyof typeof SETTING_DEFINITIONS;
export type Settings = { [K in SettingName]: z.infer<(typeof SETTING_DEFINITIONS)[K]["schema"]> };

export function readSettings(stored: ReadonlyMap<string, unknown>): Settings {
  const result: Record<string, unknown> = {};
  for (const [name, def] of Object.entries(SETTING_DEFINITIONS)) {
    const raw = stored.get(def.key);
    const parsed = def.schema.safeParse(raw);
    result[name] = raw !== undefined && parsed.success ? parsed.data : def.default;
  }
  return result as Settings;
}

/** The thresholds in force: the defaults with what admins changed. */
export function thresholdsOf(settings: Settings): LightThresholds {
  return { ...DEFAULT_THRESHOLDS, ...settings.thresholds };
}

export function summarySettingsOf(settings: Settings): SummarySettings {
  return {
    ends: DEFAULT_ENDS,
    minSample: DEFAULT_MIN_SAMPLE,
    hotTags: [...DEFAULT_HOT_TAGS],
    ...settings.summary,
  };
}

/** The schedule in force for each job. */
export function schedulesOf(settings: Settings): Record<JobId, string> {
  return { ...DEFAULT_SCHEDULES, ...settings.schedules };
}

export function loopSettingsOf(settings: Settings): LoopSettings {
  return { ...DEFAULT_LOOPS, ...settings.loops };
}

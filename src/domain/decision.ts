import { z } from "zod";
import type { Cadence, GuessedField, SplitItem } from "./splitter/splitter.js";
import { type Deadline, deadlineInstant, isLocalDate, type LocalDate, localDateOf } from "./time.js";

/** 会议, 批示, 文件, 信访件, 建议提案 (人大建议、政协提案), 上级督查, 其他. */
export const DECISION_SOURCES = [
  "meeting",
  "instruction",
  "document",
  "petition",
  "proposal",
  "inspection",
  "other",
] as const;
/** 会议 · 批示 · 文件 · 其他 */
export type DecisionSource = (typeof DECISION_SOURCES)[number];

export const CONFIDENTIALITIES = ["public", "internal", "secret"] as const;
/** 公开 · 内部 · 机密: a secret task's title and details never reach a channel. */
export type Confidentiality = (typeof CONFIDENTIALITIES)[number];

/** The longest title a task may have. */
export const MAX_TITLE_LENGTH = 200;
/** The most tasks one decision may be cut into; a modal holds them within Block Kit's 100 blocks. */
export const MAX_TASKS_PER_DECISION = 60;

const ZCadence = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("none") }),
  z.object({ kind: z.literal("weekly") }),
  z.object({ kind: z.literal("fortnightly") }),
  z.object({ kind: z.literal("monthly") }),
  z.object({ kind: z.literal("hours"), hours: z.number().int().min(1).max(168) }),
]);

const ZDeadline = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("day"), date: z.string().refine(isLocalDate) }),
  z.object({ kind: z.literal("instant"), at: z.coerce.date() }),
]);

/** One task as edited in the decision modal. */
export const ZDraftTask = z.object({
  /** Stable within the draft, so a button can name the task it edits. */
  key: z.string(),
  title: z.string(),
  requirement: z.string(),
  leadId: z.number().int().optional(),
  coIds: z.array(z.number().int()),
  deadline: ZDeadline.optional(),
  urgent: z.boolean(),
  cadence: ZCadence,
  tags: z.array(z.string()),
  guessed: z.array(z.string()),
  unknownDepartments: z.array(z.string()),
});
export type DraftTask = z.infer<typeof ZDraftTask>;

export const ZDraft = z.object({
  source: z.enum(DECISION_SOURCES),
  sourceRef: z.string(),
  leaderUserId: z.string().optional(),
  decidedOn: z.string().refine(isLocalDate),
  confidentiality: z.enum(CONFIDENTIALITIES),
  text: z.string(),
  /** The Slack message the decision came from (message shortcut). */
  sourceMessage: z.object({ channelId: z.string(), ts: z.string(), url: z.string().optional() }).optional(),
  /** The file the text was read from (a 会议纪要 .docx): its name and permalink. */
  sourceFile: z.object({ name: z.string(), url: z.string().optional() }).optional(),
  tasks: z.array(ZDraftTask),
  nextKey: z.number().int(),
});
export type Draft = z.infer<typeof ZDraft>;

export function emptyTask(key: string): DraftTask {
  return {
    key,
    title: "",
    requirement: "",
    coIds: [],
    urgent: false,
    cadence: { kind: "none" },
    tags: [],
    guessed: [],
    unknownDepartments: [],
  };
}

/** Tasks as the splitter proposed them, keyed t1, t2, … from `firstKey`. */
export function tasksFromSplit(items: readonly SplitItem[], firstKey: number): DraftTask[] {
  return items.map((item, i) => ({
    key: `t${firstKey + i}`,
    title: item.title,
    requirement: item.heading ? `${item.heading}\n${item.requirement}` : item.requirement,
    leadId: item.leadId,
    coIds: item.coIds,
    deadline: item.deadline,
    urgent: item.urgent,
    cadence: item.cadence,
    tags: item.tags,
    guessed: item.guessed,
    unknownDepartments: item.unknownDepartments,
  }));
}

/** What is wrong with a task, by field; empty when it can be dispatched. */
export type TaskProblem =
  | { field: "title"; problem: "missing" | "too_long" }
  | { field: "lead"; problem: "missing" | "unknown" }
  | { field: "co"; problem: "unknown" | "same_as_lead" }
  | { field: "due"; problem: "missing" | "before_decision" }
  | { field: "cadence"; problem: "hours_missing" };

export interface TaskCheckContext {
  decidedOn: LocalDate;
  tz: string;
  /** IDs of departments that can receive tasks. */
  activeDepartmentIds: ReadonlySet<number>;
}

export function checkTask(task: DraftTask, ctx: TaskCheckContext): TaskProblem[] {
  const problems: TaskProblem[] = [];
  const title = task.title.trim();
  if (title.length === 0) problems.push({ field: "title", problem: "missing" });
  else if (Array.from(title).length > MAX_TITLE_LENGTH)
    problems.push({ field: "title", problem: "too_long" });
  if (task.leadId === undefined) problems.push({ field: "lead", problem: "missing" });
  else if (!ctx.activeDepartmentIds.has(task.leadId)) problems.push({ field: "lead", problem: "unknown" });
  if (task.coIds.some((id) => !ctx.activeDepartmentIds.has(id)))
    problems.push({ field: "co", problem: "unknown" });
  else if (task.leadId !== undefined && task.coIds.includes(task.leadId)) {
    problems.push({ field: "co", problem: "same_as_lead" });
  }
  if (!task.deadline) problems.push({ field: "due", problem: "missing" });
  else if (dueDay(task.deadline, ctx.tz) < ctx.decidedOn)
    problems.push({ field: "due", problem: "before_decision" });
  return problems;
}

/** The last on-time day of a deadline. */
export function dueDay(deadline: Deadline, tz: string): LocalDate {
  return deadline.kind === "day"
    ? deadline.date
    : localDateOf(new Date(deadlineInstant(deadline, tz).getTime() - 1), tz);
}

export function isGuessed(task: DraftTask, field: GuessedField): boolean {
  return task.guessed.includes(field);
}

/** Editing a field confirms it: it is no longer shown as guessed. */
export function confirmed(task: DraftTask, fields: readonly GuessedField[]): string[] {
  return task.guessed.filter((g) => !fields.includes(g as GuessedField));
}

export type { Cadence };

/** How a cadence is stored: a kind, and hours for urgent tasks. */
export function cadenceColumns(cadence: Cadence): { cadence: string; cadenceHours: number | null } {
  return { cadence: cadence.kind, cadenceHours: cadence.kind === "hours" ? cadence.hours : null };
}

export function cadenceFromColumns(kind: string, hours: number | null): Cadence {
  if (kind === "hours" && hours) return { kind: "hours", hours };
  if (kind === "weekly" || kind === "fortnightly" || kind === "monthly") return { kind };
  return { kind: "none" };
}

/**
 * Where a decision came from, as its words say: a meeting's (会议纪要, 常务会议研究决定), a
 * leader's instruction (批示), a document (〔2026〕15号, 通知, 方案). Without such words, a
 * decision typed in /ducha 新建 is a meeting's and one taken from a leader's message an
 * instruction. The person can change it in the modal.
 */
export function guessSource(text: string, fromMessage: boolean): DecisionSource {
  const head = text.slice(0, 200);
  if (/信访|来信|来访|投诉件|12345/.test(head)) return "petition";
  if (/人大建议|代表建议|政协提案|委员提案|建议提案/.test(head)) return "proposal";
  if (/上级督查|督查组|督导组|巡视|反馈问题/.test(head)) return "inspection";
  if (/会议|纪要|常务会|专题会|办公会|例会|研究决定/.test(head)) return "meeting";
  if (/批示|指示|阅示/.test(head)) return "instruction";
  if (/〔\d{4}〕\d+号|\[\d{4}\]\d+号|通知|文件|意见|方案|办法/.test(head)) return "document";
  return fromMessage ? "instruction" : "meeting";
}

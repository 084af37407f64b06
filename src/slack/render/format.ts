import type { WorkCalendar } from "../../domain/calendar.js";
import { workdaysBetween } from "../../domain/calendar.js";
import {
  computeLight,
  type Light,
  type LightResult,
  type LightThresholds,
  lightFactsOf,
} from "../../domain/lights.js";
import type { TaskView } from "../../domain/model.js";
import { formatTaskNumber } from "../../domain/task-number.js";
import {
  daysBetween,
  dueDateShown,
  formatDate,
  formatDue,
  isDayDeadline,
  localDateOf,
} from "../../domain/time.js";
import type { Messages } from "../../i18n/index.js";

/** What rendering needs besides the data: the words, the time zone and the moment. */
export interface RenderContext {
  m: Messages;
  locale: string;
  tz: string;
  now: Date;
  calendar: WorkCalendar;
  thresholds: LightThresholds;
}

export const LIGHT_EMOJI: Record<Light, string> = {
  red: ":red_circle:",
  yellow: ":large_yellow_circle:",
  green: ":large_green_circle:",
  on_time: ":white_check_mark:",
  late: ":ballot_box_with_check:",
  cancelled: ":white_circle:",
};

export function taskNumber(task: Pick<TaskView, "year" | "seq">, ctx: Pick<RenderContext, "locale">): string {
  return formatTaskNumber(task, ctx.locale);
}

export function lightOf(task: TaskView, ctx: RenderContext): LightResult {
  return computeLight(lightFactsOf(task), {
    now: ctx.now,
    tz: ctx.tz,
    calendar: ctx.calendar,
    thresholds: ctx.thresholds,
  });
}

/** ":red_circle: 红灯 · 已超期、长期无实质进展" */
export function lightLabel(result: LightResult, ctx: RenderContext): string {
  const reasons = result.reasons.map((r) => ctx.m.reasonName[r]).join(ctx.m.listSeparator);
  return `${LIGHT_EMOJI[result.light]} ${ctx.m.lightName[result.light]}${reasons ? ` · ${reasons}` : ""}`;
}

/** "12月15日", with how long is left or how late it is while the task is open. */
export function dueLabel(task: TaskView, ctx: RenderContext, withCountdown = true): string {
  const due = formatDue(task.dueAt, ctx.tz, ctx.locale, ctx.now);
  const open = task.state === "dispatched" || task.state === "in_progress";
  if (!withCountdown || !open) return due;
  if (ctx.now >= task.dueAt) {
    const days = daysBetween(dueDateShown(task.dueAt, ctx.tz), localDateOf(ctx.now, ctx.tz));
    return `${due}${paren(ctx.m.overdueBy(days), ctx)}`;
  }
  if (!isDayDeadline(task.dueAt, ctx.tz)) {
    const hours = Math.floor((task.dueAt.getTime() - ctx.now.getTime()) / 3_600_000);
    return `${due}${paren(ctx.m.hoursLeft(hours), ctx)}`;
  }
  const left = workdaysBetween(ctx.calendar, localDateOf(ctx.now, ctx.tz), dueDateShown(task.dueAt, ctx.tz));
  return `${due}${paren(ctx.m.workdaysLeft(left), ctx)}`;
}

/** "（…）" in Chinese, " (…)" in English. */
export function paren(text: string, ctx: Pick<RenderContext, "locale">): string {
  return ctx.locale === "en" ? ` (${text})` : `（${text}）`;
}

export function shortDate(instant: Date, ctx: Pick<RenderContext, "tz" | "locale" | "now">): string {
  return formatDate(instant, ctx.tz, ctx.locale, ctx.now);
}

export function names(departments: readonly { name: string }[], ctx: Pick<RenderContext, "m">): string {
  return departments.map((d) => d.name).join(ctx.m.listSeparator);
}

/** "*牵头单位*：市财政局" / "*Lead*: Finance". */
export function labelled(label: string, value: string, ctx: Pick<RenderContext, "locale">): string {
  return ctx.locale === "en" ? `*${label}*: ${value}` : `*${label}*：${value}`;
}

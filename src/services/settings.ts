import cron from "node-cron";
import type { DayOverride } from "../domain/calendar.js";
import { AppError } from "../domain/errors.js";
import type { LightThresholds } from "../domain/lights.js";
import {
  type BulletinScope,
  type DistributionLine,
  type JobId,
  readSettings,
  SETTING_DEFINITIONS,
  type Settings,
} from "../domain/settings.js";
import type { LocalDate } from "../domain/time.js";
import { isTimeZone } from "../domain/time.js";
import type { Repositories } from "../store/store.js";
import { requireAdmin } from "./access.js";
import { type CalendarStatus, calendarStatus } from "./calendar.js";
import type { ChannelStatus, ServiceDeps } from "./ports.js";

export async function loadSettings(deps: Pick<ServiceDeps, "store">): Promise<Settings> {
  return readSettings(await deps.store.read((r) => r.settings.all()));
}

export type ChannelSetting = "leadershipChannel" | "supervisionChannel" | "infoChannel";

export async function setChannelSetting(
  deps: ServiceDeps,
  input: { actor: string; setting: ChannelSetting; channelId: string },
): Promise<{ channelStatus: ChannelStatus }> {
  const def = SETTING_DEFINITIONS[input.setting];
  await deps.store.transaction(async (tx) => {
    await requireAdmin(deps, tx, input.actor);
    const before = await tx.settings.get(def.key);
    await tx.settings.set(def.key, input.channelId, input.actor);
    await tx.events.append({
      at: deps.clock.now(),
      actor: input.actor,
      type: "setting.changed",
      before: { [def.key]: before ?? null },
      after: { [def.key]: input.channelId },
    });
  });
  return { channelStatus: await deps.slack.channelStatus(input.channelId) };
}

/** Whether a cron expression is one node-cron runs, with what is wrong otherwise. */
export function checkCron(expression: string): { ok: true } | { ok: false; problems: string[] } {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5) return { ok: false, problems: ["minute hour day-of-month month day-of-week"] };
  const result = cron.validateDetailed(fields.join(" "));
  return result.valid ? { ok: true } : { ok: false, problems: result.errors.map((e) => e.message) };
}

async function change(
  deps: ServiceDeps,
  actor: string,
  update: (tx: Repositories) => Promise<{ key: string; before: unknown; after: unknown }>,
): Promise<void> {
  await deps.store.transaction(async (tx) => {
    await requireAdmin(deps, tx, actor);
    const { key, before, after } = await update(tx);
    await tx.events.append({
      at: deps.clock.now(),
      actor,
      type: "setting.changed",
      before: { [key]: before ?? null },
      after: { [key]: after },
    });
  });
}

/** One of the 报/送/发 lines at the foot of the 督查通报; empty text clears it. */
export async function setDistributionLine(
  deps: ServiceDeps,
  input: { actor: string; line: DistributionLine; text: string },
): Promise<string> {
  const text = input.text.replace(/\s+/g, " ").trim();
  if (Array.from(text).length > 120) {
    throw new AppError("usage", { usage: "settingsDistribution", detail: text.slice(0, 50) });
  }
  const def = SETTING_DEFINITIONS.bulletinDistribution;
  await change(deps, input.actor, async (tx) => {
    const before = readSettings(await tx.settings.all()).bulletinDistribution;
    const after = { ...before };
    if (text) after[input.line] = text;
    else delete after[input.line];
    await tx.settings.set(def.key, after, input.actor);
    return { key: def.key, before, after };
  });
  return text;
}

/** 通报范围: where summaries and the monthly 通报 go besides the leadership channel. */
export async function setBulletinScope(
  deps: ServiceDeps,
  input: { actor: string; scope: BulletinScope },
): Promise<void> {
  const def = SETTING_DEFINITIONS.bulletinScope;
  await change(deps, input.actor, async (tx) => {
    const before = await tx.settings.get(def.key);
    await tx.settings.set(def.key, input.scope, input.actor);
    return { key: def.key, before, after: input.scope };
  });
}

/** The office issuing the 督查通报 (its masthead): one line, at most 40 characters. */
export async function setOfficeName(
  deps: ServiceDeps,
  input: { actor: string; name: string },
): Promise<string> {
  const name = input.name.replace(/\s+/g, " ").trim();
  if (!name || Array.from(name).length > 40) {
    throw new AppError("usage", { usage: "settingsOffice", detail: input.name.slice(0, 50) });
  }
  const def = SETTING_DEFINITIONS.officeName;
  await change(deps, input.actor, async (tx) => {
    const before = await tx.settings.get(def.key);
    await tx.settings.set(def.key, name, input.actor);
    return { key: def.key, before, after: name };
  });
  return name;
}

/** A job's schedule, as a cron expression in the jobs' time zone; takes effect at the next minute. */
export async function setSchedule(
  deps: ServiceDeps,
  input: { actor: string; job: JobId; expression: string },
): Promise<void> {
  const expression = input.expression.trim().split(/\s+/).join(" ");
  const checked = checkCron(expression);
  if (!checked.ok)
    throw new AppError("bad_cron", { expression: input.expression, problems: checked.problems });
  await change(deps, input.actor, async (tx) => {
    const def = SETTING_DEFINITIONS.schedules;
    const current = readSettings(await tx.settings.all()).schedules;
    const next = { ...current, [input.job]: expression };
    await tx.settings.set(def.key, next, input.actor);
    return { key: `${def.key}.${input.job}`, before: current[input.job], after: expression };
  });
}

export async function setJobTimeZone(
  deps: ServiceDeps,
  input: { actor: string; timeZone: string },
): Promise<void> {
  if (!isTimeZone(input.timeZone)) throw new AppError("bad_timezone", { given: input.timeZone });
  await change(deps, input.actor, async (tx) => {
    const def = SETTING_DEFINITIONS.jobTimeZone;
    const before = await tx.settings.get(def.key);
    await tx.settings.set(def.key, input.timeZone, input.actor);
    return { key: def.key, before, after: input.timeZone };
  });
}

export async function setCatchUpHours(
  deps: ServiceDeps,
  input: { actor: string; hours: number },
): Promise<void> {
  if (!Number.isInteger(input.hours) || input.hours < 0 || input.hours > 168) {
    throw new AppError("bad_threshold", { name: "catchUpHours", max: 168 });
  }
  await change(deps, input.actor, async (tx) => {
    const def = SETTING_DEFINITIONS.catchUpHours;
    const before = await tx.settings.get(def.key);
    await tx.settings.set(def.key, input.hours, input.actor);
    return { key: def.key, before, after: input.hours };
  });
}

/** One light threshold; the new value counts from the next light computed. */
export async function setThreshold(
  deps: ServiceDeps,
  input: { actor: string; name: keyof LightThresholds; value: number },
): Promise<void> {
  const shape = SETTING_DEFINITIONS.thresholds.schema.shape[input.name];
  if (!shape.safeParse(input.value).success) {
    const max = (shape.unwrap() as unknown as { maxValue: number }).maxValue;
    throw new AppError("bad_threshold", { name: input.name, max });
  }
  await change(deps, input.actor, async (tx) => {
    const def = SETTING_DEFINITIONS.thresholds;
    const current = readSettings(await tx.settings.all()).thresholds;
    await tx.settings.set(def.key, { ...current, [input.name]: input.value }, input.actor);
    return { key: `${def.key}.${input.name}`, before: current[input.name], after: input.value };
  });
}

/** How summaries pick their two ends (两头), who is ranked (样本) and what is hot (热点). */
export async function setSummarySetting(
  deps: ServiceDeps,
  input: { actor: string } & (
    | { name: "ends" | "minSample"; value: number }
    | { name: "hotTags"; value: string[] }
  ),
): Promise<void> {
  const shape = SETTING_DEFINITIONS.summary.schema.shape[input.name];
  if (!shape.safeParse(input.value).success) {
    throw new AppError("usage", { usage: "settingsSummary", detail: String(input.value) });
  }
  await change(deps, input.actor, async (tx) => {
    const def = SETTING_DEFINITIONS.summary;
    const current = readSettings(await tx.settings.all()).summary;
    await tx.settings.set(def.key, { ...current, [input.name]: input.value }, input.actor);
    return { key: `${def.key}.${input.name}`, before: current[input.name], after: input.value };
  });
}

/**
 * How the loops close: the 整改 and 回头看 answer periods (working days), a default 回头看 date
 * by source or tag (days after 验收; 0 removes it), the tags that need 实地核查.
 */
export async function setLoopSetting(
  deps: ServiceDeps,
  input: { actor: string } & (
    | { name: "rectifyWorkdays" | "recheckReplyWorkdays"; value: number }
    | { name: "recheckAfterDays"; key: string; days: number }
    | { name: "siteCheckTags"; value: string[] }
  ),
): Promise<void> {
  const shape = SETTING_DEFINITIONS.loops.schema.shape;
  const valid =
    input.name === "recheckAfterDays"
      ? input.days === 0 || shape.recheckAfterDays.safeParse({ [input.key]: input.days }).success
      : shape[input.name].safeParse(input.value).success;
  if (!valid) throw new AppError("usage", { usage: "settingsLoops" });
  await change(deps, input.actor, async (tx) => {
    const def = SETTING_DEFINITIONS.loops;
    const current = readSettings(await tx.settings.all()).loops;
    const next = { ...current };
    if (input.name === "recheckAfterDays") {
      const days = { ...(current.recheckAfterDays ?? {}) };
      if (input.days === 0) delete days[input.key];
      else days[input.key] = input.days;
      next.recheckAfterDays = days;
    } else if (input.name === "siteCheckTags") next.siteCheckTags = input.value;
    else next[input.name] = input.value;
    await tx.settings.set(def.key, next, input.actor);
    return { key: def.key, before: current, after: next };
  });
}

/** 信息报送: the hours from 事发时间 within which a category's 初报 is due, by urgency. */
export async function setInfoLimit(
  deps: ServiceDeps,
  input: { actor: string; category: string; urgency: string; hours: number },
): Promise<void> {
  const key = `${input.category}:${input.urgency}`;
  const shape = SETTING_DEFINITIONS.infoLimits.schema;
  if (!shape.safeParse({ [key]: input.hours }).success) throw new AppError("usage", { usage: "info" });
  await change(deps, input.actor, async (tx) => {
    const def = SETTING_DEFINITIONS.infoLimits;
    const current = readSettings(await tx.settings.all()).infoLimits;
    const next = { ...current, [key]: input.hours };
    await tx.settings.set(def.key, next, input.actor);
    return { key: `${def.key}.${key}`, before: current[key] ?? null, after: input.hours };
  });
}

/** A holiday or make-up workday the built-in calendar does not know (a new year's arrangement). */
export async function setCalendarDay(
  deps: ServiceDeps,
  input: { actor: string; date: LocalDate; kind: DayOverride | null },
): Promise<void> {
  await change(deps, input.actor, async (tx) => {
    const before = (await tx.calendar.overrides()).get(input.date) ?? null;
    if (input.kind) await tx.calendar.set(input.date, input.kind, "", input.actor);
    else await tx.calendar.remove(input.date);
    return { key: `calendar.${input.date}`, before, after: input.kind };
  });
}

/** Everything `/ducha 设置` shows. */
export async function settingsOverview(
  deps: Pick<ServiceDeps, "store" | "clock" | "timeZone">,
): Promise<{ settings: Settings; calendar: CalendarStatus }> {
  const settings = readSettings(await deps.store.read((tx) => tx.settings.all()));
  return { settings, calendar: await calendarStatus(deps) };
}

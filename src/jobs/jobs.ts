import type { ScoreRule } from "../domain/scoring.js";
import type { Messages } from "../i18n/index.js";
import { warnUnknownCalendar } from "../services/calendar.js";
import { runHousekeeping } from "../services/housekeeping.js";
import { postDailyDigest, runInfoLadder } from "../services/information.js";
import type { ServiceDeps } from "../services/ports.js";
import { askDueRechecks } from "../services/rechecks.js";
import type { RectificationWords } from "../services/rectifications.js";
import { postScheduledSummary } from "../services/summary.js";
import { runSupervision } from "../services/supervision.js";
import type { JobDefinition } from "./scheduler.js";

/** Every scheduled job: an id (its schedule is a setting) and the use case it runs. */
/** The 整改 task's words, in the office's language (a task is data: written once, as the office speaks). */
export function rectificationWords(m: Messages): RectificationWords {
  return {
    title: m.loops.rectifyTitle,
    requirement: m.loops.rectifyRequirement,
    item: (rule, points) => `${m.summary.ruleName[rule as ScoreRule] ?? rule} ${points}`,
    separator: m.listSeparator,
  };
}

export function jobDefinitions(deps: ServiceDeps, words?: RectificationWords): JobDefinition[] {
  return [
    {
      id: "daily",
      // The daily run also asks the 回头看 whose day has come (a holiday's on the next working day).
      run: async (slot) => ({
        ...(await runSupervision(deps, { mode: "daily", ...(slot.madeUp ? { madeUpFor: slot.at } : {}) })),
        rechecksAsked: await askDueRechecks(deps),
      }),
    },
    // Hourly: urgent tasks, and the ladder of owed 续报 (信息报送 runs in real hours).
    {
      id: "urgent",
      run: async () => ({
        ...(await runSupervision(deps, { mode: "urgent" })),
        infoFollowUps: await runInfoLadder(deps),
      }),
    },
    // The day's 要情 for the leaders (working days; urgent items go at once when adopted).
    { id: "info", run: () => postDailyDigest(deps) },
    // A summary due on a holiday (the bulletin on 1 October) goes out on the next working day.
    { id: "weekly", run: () => postScheduledSummary(deps, { kind: "week" }), shiftToWorkday: true },
    {
      id: "monthly",
      run: () =>
        postScheduledSummary(deps, { kind: "month", ...(words ? { rectificationWords: words } : {}) }),
      shiftToWorkday: true,
    },
    {
      id: "housekeeping",
      run: async () => ({
        ...(await runHousekeeping(deps)),
        unknownCalendarYears: await warnUnknownCalendar(deps),
      }),
    },
  ];
}

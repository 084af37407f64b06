import { warnUnknownCalendar } from "../services/calendar.js";
import { runHousekeeping } from "../services/housekeeping.js";
import type { ServiceDeps } from "../services/ports.js";
import { postScheduledSummary } from "../services/summary.js";
import { runSupervision } from "../services/supervision.js";
import type { JobDefinition } from "./scheduler.js";

/** Every scheduled job: an id (its schedule is a setting) and the use case it runs. */
export function jobDefinitions(deps: ServiceDeps): JobDefinition[] {
  return [
    {
      id: "daily",
      run: (slot) => runSupervision(deps, { mode: "daily", ...(slot.madeUp ? { madeUpFor: slot.at } : {}) }),
    },
    { id: "urgent", run: () => runSupervision(deps, { mode: "urgent" }) },
    // A summary due on a holiday (the bulletin on 1 October) goes out on the next working day.
    { id: "weekly", run: () => postScheduledSummary(deps, { kind: "week" }), shiftToWorkday: true },
    { id: "monthly", run: () => postScheduledSummary(deps, { kind: "month" }), shiftToWorkday: true },
    {
      id: "housekeeping",
      run: async () => ({
        ...(await runHousekeeping(deps)),
        unknownCalendarYears: await warnUnknownCalendar(deps),
      }),
    },
  ];
}

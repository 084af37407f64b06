import { runHousekeeping } from "../services/housekeeping.js";
import type { ServiceDeps } from "../services/ports.js";
import { postScheduledSummary } from "../services/summary.js";
import { runSupervision } from "../services/supervision.js";
import type { JobDefinition } from "./scheduler.js";

/** Every scheduled job: an id (its schedule is a setting) and the use case it runs. */
export function jobDefinitions(deps: ServiceDeps): JobDefinition[] {
  return [
    { id: "daily", run: () => runSupervision(deps, { mode: "daily" }) },
    { id: "urgent", run: () => runSupervision(deps, { mode: "urgent" }) },
    { id: "weekly", run: () => postScheduledSummary(deps, { kind: "week" }) },
    { id: "monthly", run: () => postScheduledSummary(deps, { kind: "month" }) },
    { id: "housekeeping", run: () => runHousekeeping(deps) },
  ];
}

import { z } from "zod";
import {
  CONFIDENTIALITIES,
  type Confidentiality,
  DECISION_SOURCES,
  type DecisionSource,
} from "../domain/decision.js";
import { DELIVERY_STATUSES, type DeliveryStatus } from "../domain/outbox.js";
import { CAUSES, type Cause } from "../domain/report-reading.js";
import { TASK_STATES, type TaskState } from "../domain/task-state.js";

/**
 * The text columns that hold one of a few values, read back into the domain's types in one
 * place. SQLite has no enums: a value this build does not know (a database written by another
 * build, a hand edit) is refused with its column named, never passed on as if it fitted.
 */
function column<T extends string>(name: string, values: readonly T[]) {
  const schema = z.enum(values as [T, ...T[]]);
  return (value: string): T => {
    const parsed = schema.safeParse(value);
    if (!parsed.success)
      throw new Error(
        `the database holds ${JSON.stringify(value)} in ${name}, which this build does not know`,
      );
    return parsed.data;
  };
}

export const taskState = column<TaskState>("Task.state", TASK_STATES);
export const confidentiality = column<Confidentiality>("confidentiality", CONFIDENTIALITIES);
export const decisionSource = column<DecisionSource>("Decision.source", DECISION_SOURCES);
export const reportKind = column("Report.kind", ["report", "comment", "claim"] as const);
export const reportVia = column("Report.via", ["thread", "modal"] as const);
export const outboxState = column("OutboxMessage.state", ["pending", "sending", "sent", "dead"] as const);
export const deliveryStatus = column<DeliveryStatus>("OutboxMessage.status", DELIVERY_STATUSES);
export const jobRunState = column("JobRun.state", ["running", "done", "failed"] as const);
const causeColumn = column<Cause>("Report.cause", CAUSES);
export const cause = (value: string | null): Cause | null => (value === null ? null : causeColumn(value));

/** The lifecycle states of a 督办事项 (README: The rules, lifecycle). */
export const TASK_STATES = ["dispatched", "in_progress", "pending_review", "closed", "cancelled"] as const;
export type TaskState = (typeof TASK_STATES)[number];

/** States in which a task still needs work (not closed, not cancelled). */
export const OPEN_STATES = [
  "dispatched",
  "in_progress",
  "pending_review",
] as const satisfies readonly TaskState[];

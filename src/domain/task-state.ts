/** The lifecycle states of a 督办事项 (see DESIGN.md, Task lifecycle). */
export const TASK_STATES = ["dispatched", "in_progress", "pending_review", "closed", "cancelled"] as const;
export type TaskState = (typeof TASK_STATES)[number];

/** States in which a task still needs work (not closed, not cancelled). */
export const OPEN_STATES = [
  "dispatched",
  "in_progress",
  "pending_review",
] as const satisfies readonly TaskState[];

export function isOpen(state: TaskState): boolean {
  return (OPEN_STATES as readonly TaskState[]).includes(state);
}

export function isTaskState(value: string): value is TaskState {
  return (TASK_STATES as readonly string[]).includes(value);
}

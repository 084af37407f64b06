import { hasAnyRole, OVERSEEING_ROLES, type RoleName, SUPERVISING_ROLES } from "./roles.js";
import type { TaskState } from "./task-state.js";

/** Everything a person can do to a task. */
export const TASK_ACTIONS = [
  "ack",
  "report",
  "claim",
  "extend",
  "urge",
  "verify",
  "return",
  "approve_extension",
  "reject_extension",
  "cancel",
  "reopen",
  "star",
  "coordinate",
  "site_check",
] as const;
export type TaskAction = (typeof TASK_ACTIONS)[number];

/** How the person relates to the task's departments. */
export type Membership = "lead" | "co" | "none";

export interface ActionContext {
  state: TaskState;
  /** An extension request waits for a decision. */
  extensionPending: boolean;
  membership: Membership;
  roles: ReadonlySet<RoleName>;
}

/** Why an action is refused; each has words in the message catalogue. */
export type Refusal =
  | "not_lead_member" // only the lead department's members may
  | "not_member" // only the lead or co-operating departments' members may
  | "not_supervisor" // only supervisors (and admins) may
  | "not_overseer" // only supervisors, leaders and admins may
  | "already_acknowledged"
  | "not_open" // the task is closed or cancelled
  | "not_claimed" // nothing to verify or return: completion was not claimed
  | "awaiting_review" // completion is claimed; the office is verifying
  | "extension_pending" // an extension request already waits
  | "no_extension" // no extension request to decide
  | "not_closed"; // only a closed or cancelled task can be reopened

export type Decision = { allowed: true; next?: TaskState } | { allowed: false; reason: Refusal };

const SUPERVISING = SUPERVISING_ROLES;
const OVERSEEING = OVERSEEING_ROLES;
const has = hasAnyRole;
const working = (state: TaskState) => state === "dispatched" || state === "in_progress";
const refuse = (reason: Refusal): Decision => ({ allowed: false, reason });

/** For a department action, the refusal the state gives, if any. */
function stateRefusal(state: TaskState): Refusal | undefined {
  if (state === "pending_review") return "awaiting_review";
  if (state === "closed" || state === "cancelled") return "not_open";
  return undefined;
}

/**
 * Which action each role may take in which state, for members of which department (README: The rules,
 * Task lifecycle). Every listener asks this one function; a refusal says why.
 */
export function decide(action: TaskAction, ctx: ActionContext): Decision {
  const supervisor = has(ctx.roles, SUPERVISING);
  switch (action) {
    case "ack":
      if (ctx.membership !== "lead") return refuse("not_lead_member");
      if (ctx.state === "in_progress") return refuse("already_acknowledged");
      return ctx.state === "dispatched"
        ? { allowed: true, next: "in_progress" }
        : refuse(stateRefusal(ctx.state) ?? "not_open");
    case "report":
      if (ctx.membership === "none") return refuse("not_member");
      if (!working(ctx.state)) return refuse(stateRefusal(ctx.state) ?? "not_open");
      return { allowed: true, next: ctx.membership === "lead" ? "in_progress" : ctx.state };
    case "claim":
      if (ctx.membership !== "lead") return refuse("not_lead_member");
      if (!working(ctx.state)) return refuse(stateRefusal(ctx.state) ?? "not_open");
      return { allowed: true, next: "pending_review" };
    case "extend":
      if (ctx.membership !== "lead") return refuse("not_lead_member");
      if (!working(ctx.state)) return refuse(stateRefusal(ctx.state) ?? "not_open");
      if (ctx.extensionPending) return refuse("extension_pending");
      return { allowed: true };
    case "urge":
      if (!has(ctx.roles, OVERSEEING)) return refuse("not_overseer");
      if (!working(ctx.state)) return refuse(stateRefusal(ctx.state) ?? "not_open");
      return { allowed: true };
    case "verify":
    case "return":
      if (!supervisor) return refuse("not_supervisor");
      if (ctx.state !== "pending_review")
        return refuse(ctx.state === "closed" || ctx.state === "cancelled" ? "not_open" : "not_claimed");
      return { allowed: true, next: action === "verify" ? "closed" : "in_progress" };
    case "approve_extension":
    case "reject_extension":
      if (!supervisor) return refuse("not_supervisor");
      if (!working(ctx.state)) return refuse(stateRefusal(ctx.state) ?? "not_open");
      if (!ctx.extensionPending) return refuse("no_extension");
      return { allowed: true };
    case "cancel":
      if (!supervisor) return refuse("not_supervisor");
      if (ctx.state === "closed" || ctx.state === "cancelled") return refuse("not_open");
      return { allowed: true, next: "cancelled" };
    case "reopen":
      if (!supervisor) return refuse("not_supervisor");
      if (ctx.state !== "closed" && ctx.state !== "cancelled") return refuse("not_closed");
      return { allowed: true, next: "in_progress" };
    case "star":
      if (!has(ctx.roles, OVERSEEING)) return refuse("not_overseer");
      return { allowed: true };
    case "coordinate":
      // 协调: a supervisor brings other departments in on an open task.
      if (!supervisor) return refuse("not_supervisor");
      if (!working(ctx.state)) return refuse(stateRefusal(ctx.state) ?? "not_open");
      return { allowed: true };
    case "site_check":
      // 实地核查 before 验收, or 暗访 of any task, open or closed; not of a cancelled one.
      if (!supervisor) return refuse("not_supervisor");
      if (ctx.state === "cancelled") return refuse("not_open");
      return { allowed: true };
  }
}

/** What a person can do that is not about one task: the office's own actions. */
export const OFFICE_ACTIONS = ["create_decision", "view_summary", "post_summary", "score", "export"] as const;
export type OfficeAction = (typeof OFFICE_ACTIONS)[number];

/**
 * Who may take each office action (README: Commands): supervisors, leaders and admins create decisions
 * and read summaries, scores and the ledger; supervisors and admins post a summary to the
 * leadership channel.
 */
export const OFFICE_POLICY: Record<OfficeAction, readonly RoleName[]> = {
  create_decision: OVERSEEING,
  view_summary: OVERSEEING,
  score: OVERSEEING,
  export: OVERSEEING,
  post_summary: SUPERVISING,
};

export type OfficeDecision = { allowed: true } | { allowed: false; roles: readonly RoleName[] };

/** The permission table for the office's own actions; a refusal names the roles that may. */
export function decideOffice(action: OfficeAction, roles: ReadonlySet<RoleName>): OfficeDecision {
  const may = OFFICE_POLICY[action];
  return has(roles, may) ? { allowed: true } : { allowed: false, roles: may };
}

import { describe, expect, it } from "vitest";
import { type ActionContext, decide, type Membership, TASK_ACTIONS, type TaskAction } from "./lifecycle.js";
import type { RoleName } from "./roles.js";
import { TASK_STATES, type TaskState } from "./task-state.js";

/**
 * What the README (The rules: lifecycle) allows, written as a table independent of the code: who may take each action
 * (the lead's members, any member of the lead or co-operating departments, supervisors and
 * admins, or anyone overseeing), in which states, and where it leads.
 */
type Who = "lead" | "member" | "supervisor" | "overseer";
const SPEC: Record<
  TaskAction,
  {
    who: Who;
    states: TaskState[];
    extension?: boolean;
    next?: (state: TaskState, m: Membership) => TaskState;
  }
> = {
  ack: { who: "lead", states: ["dispatched"], next: () => "in_progress" },
  report: {
    who: "member",
    states: ["dispatched", "in_progress"],
    next: (state, m) => (m === "lead" ? "in_progress" : state),
  },
  claim: { who: "lead", states: ["dispatched", "in_progress"], next: () => "pending_review" },
  extend: { who: "lead", states: ["dispatched", "in_progress"], extension: false },
  urge: { who: "overseer", states: ["dispatched", "in_progress"] },
  verify: { who: "supervisor", states: ["pending_review"], next: () => "closed" },
  return: { who: "supervisor", states: ["pending_review"], next: () => "in_progress" },
  approve_extension: { who: "supervisor", states: ["dispatched", "in_progress"], extension: true },
  reject_extension: { who: "supervisor", states: ["dispatched", "in_progress"], extension: true },
  cancel: {
    who: "supervisor",
    states: ["dispatched", "in_progress", "pending_review"],
    next: () => "cancelled",
  },
  reopen: { who: "supervisor", states: ["closed", "cancelled"], next: () => "in_progress" },
  star: { who: "overseer", states: [...TASK_STATES] },
  coordinate: { who: "supervisor", states: ["dispatched", "in_progress"] },
  site_check: { who: "supervisor", states: ["dispatched", "in_progress", "pending_review", "closed"] },
};

const ROLE_SETS: RoleName[][] = [[], ["supervisor"], ["leader"], ["admin"], ["leader", "supervisor"]];
const MEMBERSHIPS: Membership[] = ["lead", "co", "none"];

function qualifies(who: Who, membership: Membership, roles: readonly RoleName[]): boolean {
  switch (who) {
    case "lead":
      return membership === "lead";
    case "member":
      return membership !== "none";
    case "supervisor":
      return roles.includes("supervisor") || roles.includes("admin");
    case "overseer":
      return roles.length > 0;
  }
}

const cases: [TaskAction, TaskState, Membership, RoleName[], boolean][] = [];
for (const action of TASK_ACTIONS)
  for (const state of TASK_STATES)
    for (const membership of MEMBERSHIPS)
      for (const roles of ROLE_SETS)
        for (const extensionPending of [false, true])
          cases.push([action, state, membership, roles, extensionPending]);

describe("who may do what to a task, in which state", () => {
  it("covers every action × state × membership × role × extension combination", () => {
    expect(cases).toHaveLength(TASK_ACTIONS.length * TASK_STATES.length * 3 * ROLE_SETS.length * 2);
  });

  it.each(cases)(
    "%s in %s by %s member with roles %j (extension pending: %s)",
    (action, state, membership, roles, extensionPending) => {
      const spec = SPEC[action];
      const ctx: ActionContext = { state, membership, roles: new Set(roles), extensionPending };
      const expected =
        qualifies(spec.who, membership, roles) &&
        spec.states.includes(state) &&
        (spec.extension === undefined || spec.extension === extensionPending);
      const decision = decide(action, ctx);
      expect(decision.allowed).toBe(expected);
      if (decision.allowed) expect(decision.next).toBe(spec.next?.(state, membership));
    },
  );
});

describe("refusals say why", () => {
  const ctx = (over: Partial<ActionContext>): ActionContext => ({
    state: "in_progress",
    membership: "none",
    roles: new Set(),
    extensionPending: false,
    ...over,
  });
  it.each([
    ["ack", ctx({ membership: "co", state: "dispatched" }), "not_lead_member"],
    ["ack", ctx({ membership: "lead" }), "already_acknowledged"],
    ["report", ctx({}), "not_member"],
    ["report", ctx({ membership: "lead", state: "pending_review" }), "awaiting_review"],
    ["claim", ctx({ membership: "lead", state: "closed" }), "not_open"],
    ["extend", ctx({ membership: "lead", extensionPending: true }), "extension_pending"],
    ["urge", ctx({ membership: "lead" }), "not_overseer"],
    ["verify", ctx({ roles: new Set(["leader"]) }), "not_supervisor"],
    ["verify", ctx({ roles: new Set(["supervisor"]) }), "not_claimed"],
    ["approve_extension", ctx({ roles: new Set(["admin"]) }), "no_extension"],
    ["reopen", ctx({ roles: new Set(["supervisor"]) }), "not_closed"],
  ] as const)("%s → %s", (action, context, reason) => {
    expect(decide(action, context)).toEqual({ allowed: false, reason });
  });
});

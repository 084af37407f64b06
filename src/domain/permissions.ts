import { decideOffice } from "./lifecycle.js";
import { hasAnyRole, OVERSEEING_ROLES, type RoleName } from "./roles.js";

/** A person as the rules see them: their roles and the departments they are a member of. */
export interface Viewer {
  userId: string;
  roles: ReadonlySet<RoleName>;
  departmentIds: ReadonlySet<number>;
}

/** Whether the person oversees the work: every task, confidential ones included. */
export function oversees(viewer: Viewer): boolean {
  return hasAnyRole(viewer.roles, OVERSEEING_ROLES);
}

/** Whether the person may read a confidential task's title and details. */
export function canSeeConfidential(
  viewer: Viewer,
  task: { leadDept: { id: number }; coDepts: readonly { id: number }[] },
): boolean {
  return (
    oversees(viewer) ||
    viewer.departmentIds.has(task.leadDept.id) ||
    task.coDepts.some((d) => viewer.departmentIds.has(d.id))
  );
}

/**
 * Whether the person may see a department's score and the items behind it (得分): the office, and
 * the department's own members (a unit sees where it stands; other units' items stay with the office).
 */
export function maySeeScoreOf(viewer: Viewer, departmentId: number): boolean {
  return decideOffice("score", viewer.roles).allowed || viewer.departmentIds.has(departmentId);
}

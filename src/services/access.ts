import { AppError } from "../domain/errors.js";
import { decideOffice, type OfficeAction } from "../domain/lifecycle.js";
import type { Viewer } from "../domain/permissions.js";
import type { RoleName } from "../domain/roles.js";
import type { Repositories } from "../store/store.js";
import type { ServiceDeps } from "./ports.js";

/** Who is acting: their roles (DUCHA_ADMINS counted as admin) and their departments. */
export interface Actor {
  userId: string;
  roles: ReadonlySet<RoleName>;
}

export async function loadActor(
  deps: Pick<ServiceDeps, "envAdmins">,
  repos: Pick<Repositories, "roles">,
  userId: string,
): Promise<Actor> {
  const roles = new Set(await repos.roles.rolesOf(userId));
  if (deps.envAdmins.includes(userId)) roles.add("admin");
  return { userId, roles };
}

/** All admins, from DUCHA_ADMINS and from Slack, for refusals that say who can. */
export async function listAdmins(
  deps: Pick<ServiceDeps, "envAdmins">,
  repos: Pick<Repositories, "roles">,
): Promise<string[]> {
  const stored = await repos.roles.usersWith("admin");
  return [...new Set([...deps.envAdmins, ...stored])];
}

/** Throws `admin_only` (naming the admins) unless the user is an admin. */
export async function requireAdmin(
  deps: Pick<ServiceDeps, "envAdmins">,
  repos: Pick<Repositories, "roles">,
  userId: string,
): Promise<Actor> {
  const actor = await loadActor(deps, repos, userId);
  if (!actor.roles.has("admin")) {
    throw new AppError("admin_only", { admins: await listAdmins(deps, repos) });
  }
  return actor;
}

/** Throws `forbidden` (naming the roles that may) unless the office's permission table allows the action. */
export async function requireOffice(
  deps: Pick<ServiceDeps, "envAdmins">,
  repos: Pick<Repositories, "roles">,
  userId: string,
  action: OfficeAction,
): Promise<Actor> {
  const actor = await loadActor(deps, repos, userId);
  const verdict = decideOffice(action, actor.roles);
  if (!verdict.allowed) throw new AppError("forbidden", { action, roles: verdict.roles });
  return actor;
}

/** The person with their departments, for what they may see and do on tasks. */
export async function loadViewer(
  deps: Pick<ServiceDeps, "envAdmins">,
  repos: Pick<Repositories, "roles" | "departments">,
  userId: string,
): Promise<Viewer> {
  const actor = await loadActor(deps, repos, userId);
  return { userId, roles: actor.roles, departmentIds: new Set(await repos.departments.idsOfMember(userId)) };
}

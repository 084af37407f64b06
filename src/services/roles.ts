import { AppError } from "../domain/errors.js";
import { ROLE_NAMES, type RoleName } from "../domain/roles.js";
import { listAdmins, requireAdmin } from "./access.js";
import type { ServiceDeps } from "./ports.js";

/** False when the user already held the role. */
export async function grantRole(
  deps: ServiceDeps,
  input: { actor: string; userId: string; role: RoleName },
): Promise<boolean> {
  return deps.store.transaction(async (tx) => {
    await requireAdmin(deps, tx, input.actor);
    if (input.role === "admin" && deps.envAdmins.includes(input.userId)) return false;
    const granted = await tx.roles.grant(input.userId, input.role, input.actor);
    if (granted) {
      await tx.events.append({
        at: deps.clock.now(),
        actor: input.actor,
        type: "role.granted",
        after: { userId: input.userId, role: input.role },
      });
    }
    return granted;
  });
}

export async function revokeRole(
  deps: ServiceDeps,
  input: { actor: string; userId: string; role: RoleName },
): Promise<void> {
  await deps.store.transaction(async (tx) => {
    await requireAdmin(deps, tx, input.actor);
    if (input.role === "admin" && deps.envAdmins.includes(input.userId)) {
      throw new AppError("role_from_env", { userId: input.userId });
    }
    if (input.role === "admin") {
      const admins = await listAdmins(deps, tx);
      if (admins.length === 1 && admins[0] === input.userId) {
        throw new AppError("last_admin", { userId: input.userId });
      }
    }
    const revoked = await tx.roles.revoke(input.userId, input.role);
    if (!revoked) throw new AppError("role_not_held", { userId: input.userId, role: input.role });
    await tx.events.append({
      at: deps.clock.now(),
      actor: input.actor,
      type: "role.revoked",
      before: { userId: input.userId, role: input.role },
    });
  });
}

export interface RoleListing {
  role: RoleName;
  /** Granted from Slack. */
  users: string[];
  /** Named in DUCHA_ADMINS. */
  envUsers: string[];
}

export async function listRoles(deps: ServiceDeps): Promise<RoleListing[]> {
  const grants = await deps.store.read((r) => r.roles.list());
  return ROLE_NAMES.map((role) => {
    const envUsers = role === "admin" ? [...deps.envAdmins] : [];
    const users = grants
      .filter((grant) => grant.role === role && !envUsers.includes(grant.userId))
      .map((grant) => grant.userId);
    return { role, users, envUsers };
  });
}

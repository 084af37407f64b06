import type { RoleGrant } from "../domain/model.js";
import { isRoleName, type RoleName } from "../domain/roles.js";
import type { Tx } from "./database.js";

export class RoleRepository {
  constructor(private readonly db: Tx) {}

  async list(): Promise<RoleGrant[]> {
    const rows = await this.db.role.findMany({ orderBy: [{ role: "asc" }, { grantedAt: "asc" }] });
    return rows.flatMap((row) => (isRoleName(row.role) ? [{ userId: row.userId, role: row.role }] : []));
  }

  async rolesOf(userId: string): Promise<RoleName[]> {
    // Raw: read on every interaction (who is acting).
    const rows = await this.db.$queryRaw<
      { role: string }[]
    >`SELECT "role" FROM "Role" WHERE "userId" = ${userId}`;
    return rows.map((row) => row.role).filter(isRoleName);
  }

  async usersWith(role: RoleName): Promise<string[]> {
    const rows = await this.db.role.findMany({
      where: { role },
      select: { userId: true },
      orderBy: { grantedAt: "asc" },
    });
    return rows.map((row) => row.userId);
  }

  /** False when the user already held the role. */
  async grant(userId: string, role: RoleName, by: string): Promise<boolean> {
    const existing = await this.db.role.findUnique({ where: { userId_role: { userId, role } } });
    if (existing) return false;
    await this.db.role.create({ data: { userId, role, grantedBy: by } });
    return true;
  }

  /** False when the user did not hold the role. */
  async revoke(userId: string, role: RoleName): Promise<boolean> {
    const { count } = await this.db.role.deleteMany({ where: { userId, role } });
    return count > 0;
  }
}

import type { Department } from "../domain/model.js";
import { OPEN_STATES } from "../domain/task-state.js";
import type { Tx } from "./database.js";

const departmentSelect = {
  id: true,
  name: true,
  channelId: true,
  active: true,
  aliases: { select: { alias: true }, orderBy: { alias: "asc" } },
  members: { select: { userId: true }, orderBy: { addedAt: "asc" } },
} as const;

type DepartmentRow = {
  id: number;
  name: string;
  channelId: string;
  active: boolean;
  aliases: { alias: string }[];
  members: { userId: string }[];
};

function toDepartment(row: DepartmentRow): Department {
  return {
    id: row.id,
    name: row.name,
    channelId: row.channelId,
    active: row.active,
    aliases: row.aliases.map((a) => a.alias),
    members: row.members.map((m) => m.userId),
  };
}

export class DepartmentRepository {
  constructor(private readonly db: Tx) {}

  /** By exact name or alias, active or not. */
  async findByNameOrAlias(name: string): Promise<Department | null> {
    const byName = await this.db.department.findUnique({ where: { name }, select: departmentSelect });
    if (byName) return toDepartment(byName);
    const alias = await this.db.departmentAlias.findUnique({
      where: { alias: name },
      select: { department: { select: departmentSelect } },
    });
    return alias ? toDepartment(alias.department) : null;
  }

  async findById(id: number): Promise<Department | null> {
    const row = await this.db.department.findUnique({ where: { id }, select: departmentSelect });
    return row ? toDepartment(row) : null;
  }

  async listActive(): Promise<Department[]> {
    const rows = await this.db.department.findMany({
      where: { active: true },
      select: departmentSelect,
      orderBy: { id: "asc" },
    });
    return rows.map(toDepartment);
  }

  /** Every department, removed ones too (they keep their history): for summaries and the ledger. */
  async listAll(): Promise<Department[]> {
    const rows = await this.db.department.findMany({ select: departmentSelect, orderBy: { id: "asc" } });
    return rows.map(toDepartment);
  }

  /** Departments whose members include the user. */
  /** The active departments the user is a member of, by id: one raw statement (read on every interaction). */
  async idsOfMember(userId: string): Promise<number[]> {
    const rows = await this.db.$queryRaw<{ id: number }[]>`
      SELECT d."id" FROM "Department" d JOIN "Member" m ON m."departmentId" = d."id"
       WHERE m."userId" = ${userId} AND d."active" = ${true} ORDER BY d."id" ASC`;
    return rows.map((r) => r.id);
  }

  async listOfMember(userId: string): Promise<Department[]> {
    const rows = await this.db.department.findMany({
      where: { active: true, members: { some: { userId } } },
      select: departmentSelect,
      orderBy: { id: "asc" },
    });
    return rows.map(toDepartment);
  }

  /** The department (other than `exceptId`) already using any of these words as its name or an alias. */
  async findNameClash(
    words: readonly string[],
    exceptId?: number,
  ): Promise<{ word: string; by: string } | null> {
    if (words.length === 0) return null;
    const byName = await this.db.department.findFirst({
      where: { name: { in: [...words] }, ...(exceptId === undefined ? {} : { id: { not: exceptId } }) },
      select: { name: true },
    });
    if (byName) return { word: byName.name, by: byName.name };
    const byAlias = await this.db.departmentAlias.findFirst({
      where: {
        alias: { in: [...words] },
        ...(exceptId === undefined ? {} : { departmentId: { not: exceptId } }),
      },
      select: { alias: true, department: { select: { name: true } } },
    });
    return byAlias ? { word: byAlias.alias, by: byAlias.department.name } : null;
  }

  async create(input: {
    name: string;
    channelId: string;
    aliases: readonly string[];
    members: readonly string[];
    by: string;
  }): Promise<Department> {
    const row = await this.db.department.create({
      data: {
        name: input.name,
        channelId: input.channelId,
        createdBy: input.by,
        aliases: { create: input.aliases.map((alias) => ({ alias })) },
        members: { create: input.members.map((userId) => ({ userId, addedBy: input.by })) },
      },
      select: departmentSelect,
    });
    return toDepartment(row);
  }

  /** Brings back a removed department with a new channel, aliases and members. */
  async reactivate(
    id: number,
    input: { channelId: string; aliases: readonly string[]; members: readonly string[]; by: string },
  ): Promise<Department> {
    await this.db.departmentAlias.deleteMany({ where: { departmentId: id } });
    await this.db.member.deleteMany({ where: { departmentId: id } });
    const row = await this.db.department.update({
      where: { id },
      data: {
        active: true,
        channelId: input.channelId,
        aliases: { create: input.aliases.map((alias) => ({ alias })) },
        members: { create: input.members.map((userId) => ({ userId, addedBy: input.by })) },
      },
      select: departmentSelect,
    });
    return toDepartment(row);
  }

  /** Removed departments keep their history; their aliases are freed for others. */
  async deactivate(id: number): Promise<void> {
    await this.db.departmentAlias.deleteMany({ where: { departmentId: id } });
    await this.db.department.update({ where: { id }, data: { active: false } });
  }

  /** Replaces the member list; returns who was added and who removed. */
  async setMembers(
    id: number,
    userIds: readonly string[],
    by: string,
  ): Promise<{ added: string[]; removed: string[] }> {
    const current = await this.db.member.findMany({ where: { departmentId: id }, select: { userId: true } });
    const before = new Set(current.map((m) => m.userId));
    const after = new Set(userIds);
    const added = [...after].filter((u) => !before.has(u));
    const removed = [...before].filter((u) => !after.has(u));
    if (removed.length) {
      await this.db.member.deleteMany({ where: { departmentId: id, userId: { in: removed } } });
    }
    if (added.length) {
      await this.db.member.createMany({
        data: added.map((userId) => ({ departmentId: id, userId, addedBy: by })),
      });
    }
    return { added, removed };
  }

  async countOpenLeadTasks(id: number): Promise<number> {
    return this.db.task.count({ where: { leadDeptId: id, state: { in: [...OPEN_STATES] } } });
  }
}

import { AppError } from "../domain/errors.js";
import type { Department } from "../domain/model.js";
import { cleanName, isPlainName } from "../domain/names.js";
import { requireAdmin } from "./access.js";
import type { ChannelStatus, ServiceDeps } from "./ports.js";

/** Longest department name or alias accepted; office names are short ("市住房和城乡建设局"). */
export const MAX_DEPT_NAME_LENGTH = 50;

export interface AddDepartmentResult {
  department: Department;
  /** The name belonged to a removed department, which is now back. */
  reactivated: boolean;
  /** Whether the bot can post in the department's channel. */
  channelStatus: ChannelStatus;
}

function checkName(word: string): void {
  if (word.length === 0 || word.length > MAX_DEPT_NAME_LENGTH || !isPlainName(word)) {
    // Shown back without its markup, so the refusal itself is not garbled by it.
    const shown = word.replace(/[`*_~<>|]/gu, "").slice(0, MAX_DEPT_NAME_LENGTH);
    throw new AppError("usage", { usage: "deptAdd", detail: `“${shown}”` });
  }
}

export async function addDepartment(
  deps: ServiceDeps,
  input: {
    actor: string;
    name: string;
    channelId: string;
    members: readonly string[];
    aliases: readonly string[];
  },
): Promise<AddDepartmentResult> {
  // A look-alike (invisible characters, full-width forms) is the name it looks like.
  input = { ...input, name: cleanName(input.name), aliases: input.aliases.map(cleanName) };
  const aliases = [...new Set(input.aliases.filter((alias) => alias !== input.name))];
  const members = [...new Set(input.members)];
  checkName(input.name);
  aliases.forEach(checkName);
  const { department, reactivated } = await deps.store.transaction(async (tx) => {
    await requireAdmin(deps, tx, input.actor);
    const existing = await tx.departments.findByNameOrAlias(input.name);
    if (existing?.active) {
      if (existing.name === input.name) throw new AppError("dept_exists", { name: input.name });
      throw new AppError("name_taken", { name: input.name, by: existing.name });
    }
    const clash = await tx.departments.findNameClash([input.name, ...aliases], existing?.id);
    if (clash) throw new AppError("name_taken", { name: clash.word, by: clash.by });
    const fields = { channelId: input.channelId, aliases, members, by: input.actor };
    const saved = existing
      ? await tx.departments.reactivate(existing.id, fields)
      : await tx.departments.create({ name: input.name, ...fields });
    await tx.events.append({
      at: deps.clock.now(),
      actor: input.actor,
      type: existing ? "department.reactivated" : "department.added",
      after: { name: saved.name, channelId: saved.channelId, aliases: saved.aliases, members: saved.members },
    });
    return { department: saved, reactivated: Boolean(existing) };
  });
  const channelStatus = await deps.slack.channelStatus(department.channelId);
  return { department, reactivated, channelStatus };
}

export async function listDepartments(deps: ServiceDeps): Promise<Department[]> {
  return deps.store.read((r) => r.departments.listActive());
}

export async function removeDepartment(
  deps: ServiceDeps,
  input: { actor: string; name: string },
): Promise<Department> {
  return deps.store.transaction(async (tx) => {
    await requireAdmin(deps, tx, input.actor);
    const department = await tx.departments.findByNameOrAlias(cleanName(input.name));
    if (!department?.active) throw new AppError("dept_not_found", { name: input.name });
    const open = await tx.departments.countOpenLeadTasks(department.id);
    if (open > 0) throw new AppError("dept_has_open_tasks", { name: department.name, count: open });
    await tx.departments.deactivate(department.id);
    await tx.events.append({
      at: deps.clock.now(),
      actor: input.actor,
      type: "department.removed",
      before: { name: department.name, channelId: department.channelId, aliases: department.aliases },
    });
    return department;
  });
}

export async function showDepartmentMembers(deps: ServiceDeps, input: { name: string }): Promise<Department> {
  const department = await deps.store.read((r) => r.departments.findByNameOrAlias(cleanName(input.name)));
  if (!department?.active) throw new AppError("dept_not_found", { name: input.name });
  return department;
}

export interface SetMembersResult {
  department: Department;
  added: string[];
  removed: string[];
}

/** Sets the department's members to exactly the users given. */
export async function setDepartmentMembers(
  deps: ServiceDeps,
  input: { actor: string; name: string; members: readonly string[] },
): Promise<SetMembersResult> {
  return deps.store.transaction(async (tx) => {
    await requireAdmin(deps, tx, input.actor);
    const department = await tx.departments.findByNameOrAlias(cleanName(input.name));
    if (!department?.active) throw new AppError("dept_not_found", { name: input.name });
    const members = [...new Set(input.members)];
    const { added, removed } = await tx.departments.setMembers(department.id, members, input.actor);
    if (added.length || removed.length) {
      await tx.events.append({
        at: deps.clock.now(),
        actor: input.actor,
        type: "department.members",
        before: { name: department.name, members: department.members },
        after: { name: department.name, members },
      });
    }
    return { department: { ...department, members }, added, removed };
  });
}

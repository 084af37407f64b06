import type { StoredEvent } from "../domain/audit.js";
import { AppError } from "../domain/errors.js";
import type { TaskFile, TaskView } from "../domain/model.js";
import { canSeeConfidential, type Viewer } from "../domain/permissions.js";
import { hasAnyRole, OVERSEEING_ROLES } from "../domain/roles.js";
import { parseTaskRef } from "../domain/task-number.js";
import { localDateOf, yearOf } from "../domain/time.js";
import type { Repositories } from "../store/store.js";
import type { TaskFilter } from "../store/tasks.js";
import { loadViewer } from "./access.js";
import { type LightSetup, loadLightSetup, refreshStoredLights } from "./lights.js";
import type { ServiceDeps } from "./ports.js";

/** Which tasks `/ducha list` shows. */
export type ListFilter =
  | { kind: "mine" }
  | { kind: "red" }
  | { kind: "yellow" }
  | { kind: "overdue" }
  | { kind: "stalled" }
  | { kind: "all" }
  | { kind: "dept"; name: string }
  /** 我交办的: the open tasks of the decisions the person (a leader) gave, red first. */
  | { kind: "assigned" };

export interface TaskListResult {
  filter: ListFilter;
  /** The department's name, for a department filter. */
  departmentName?: string;
  tasks: TaskView[];
  total: number;
  page: number;
  pageSize: number;
  viewer: Viewer;
  /** "mine" asked by someone in no department shows everything instead. */
  fellBackToAll: boolean;
  /** The light setup read with the list, for drawing it (no second transaction). */
  setup: LightSetup;
}

export const PAGE_SIZE = 20;

/** Open tasks, filtered and a page at a time. Lights are worked out now, so a filter by light is exact. */
export async function listTasks(
  deps: ServiceDeps,
  input: { actor: string; filter: ListFilter; page: number },
): Promise<TaskListResult> {
  // The stored lights brought up to now first (a write of its own): the list is a read.
  const kind = input.filter.kind;
  if (["assigned", "red", "yellow", "overdue", "stalled"].includes(kind)) await refreshStoredLights(deps);
  return deps.store.read(async (tx) => {
    const viewer = await loadViewer(deps, tx, input.actor);
    let filter = input.filter;
    let fellBackToAll = false;
    if (filter.kind === "mine" && viewer.departmentIds.size === 0) {
      filter = { kind: "all" };
      fellBackToAll = true;
    }
    let departmentName: string | undefined;
    let departmentIds: number[] | undefined;
    if (filter.kind === "mine") departmentIds = [...viewer.departmentIds];
    if (filter.kind === "dept") {
      const department = await tx.departments.findByNameOrAlias(filter.name);
      if (!department) throw new AppError("dept_not_found", { name: filter.name });
      departmentName = department.name;
      departmentIds = [department.id];
    }
    const page = Math.max(1, input.page);
    const setup = await loadLightSetup(tx);
    if (filter.kind === "assigned") {
      if (!hasAnyRole(viewer.roles, OVERSEEING_ROLES)) throw new AppError("not_a_leader", {});
      const where = { leaderUserId: input.actor };
      const { tasks, total } = await pageByLight(tx, where, (page - 1) * PAGE_SIZE, PAGE_SIZE);
      return { filter, tasks, total, page, pageSize: PAGE_SIZE, viewer, fellBackToAll, setup };
    }
    const byLight =
      filter.kind === "red" ||
      filter.kind === "yellow" ||
      filter.kind === "overdue" ||
      filter.kind === "stalled";
    if (!byLight) {
      const where = departmentIds ? { departmentIds } : {};
      const total = await tx.tasks.count(where);
      const tasks = await tx.tasks.list(where, { skip: (page - 1) * PAGE_SIZE, take: PAGE_SIZE });
      return {
        filter,
        departmentName,
        tasks,
        total,
        page,
        pageSize: PAGE_SIZE,
        viewer,
        fellBackToAll,
        setup,
      };
    }
    // The stored lights, brought up to date above, filter and page in the database.
    const where =
      filter.kind === "red" || filter.kind === "yellow"
        ? { light: filter.kind }
        : { reason: filter.kind === "overdue" ? ("overdue" as const) : ("stalled" as const) };
    const total = await tx.tasks.count(where);
    const tasks = await tx.tasks.list(where, { skip: (page - 1) * PAGE_SIZE, take: PAGE_SIZE });
    return { filter, tasks, total, page, pageSize: PAGE_SIZE, viewer, fellBackToAll, setup };
  });
}

/** A page of the tasks the filter finds, red ones first, then yellow, then green; each by due date. */
async function pageByLight(
  tx: Repositories,
  where: TaskFilter,
  skip: number,
  take: number,
): Promise<{ tasks: TaskView[]; total: number }> {
  const tasks: TaskView[] = [];
  let total = 0;
  let offset = skip;
  for (const light of ["red", "yellow", "green"] as const) {
    const count = await tx.tasks.count({ ...where, light });
    total += count;
    if (tasks.length < take && offset < count) {
      tasks.push(...(await tx.tasks.list({ ...where, light }, { skip: offset, take: take - tasks.length })));
    }
    offset = Math.max(0, offset - count);
  }
  return { tasks, total };
}

export interface ShownTask {
  task: TaskView;
  viewer: Viewer;
  entitled: boolean;
  /** The task's audit trail, oldest first. */
  history: StoredEvent[];
  /** Files shared in the task's thread and with its claims: the evidence. */
  files: TaskFile[];
  /** The light setup read with the task, for drawing it (no second transaction). */
  setup: LightSetup;
}

/** Finds a task by "12" (this year, else the latest year with that number), "2026-12" or "督〔2026〕12号". */
export async function findTask(deps: ServiceDeps, repos: Repositories, ref: string): Promise<TaskView> {
  const parsed = parseTaskRef(ref);
  if (!parsed) throw new AppError("task_not_found", { ref });
  const thisYear = yearOf(localDateOf(deps.clock.now(), deps.timeZone));
  let task = await repos.tasks.byNumber(parsed.year ?? thisYear, parsed.seq);
  if (!task && parsed.year === undefined) {
    const year = await repos.tasks.latestYearWithSeq(parsed.seq);
    if (year !== null) task = await repos.tasks.byNumber(year, parsed.seq);
  }
  if (!task) throw new AppError("task_not_found", { ref });
  return task;
}

export async function showTask(deps: ServiceDeps, input: { actor: string; ref: string }): Promise<ShownTask> {
  return deps.store.read(async (tx) => {
    const task = await findTask(deps, tx, input.ref);
    const viewer = await loadViewer(deps, tx, input.actor);
    const history = await tx.events.forTask(task.id);
    return {
      task,
      viewer,
      history,
      files: await tx.reports.filesOfTask(task.id),
      entitled: task.confidentiality !== "secret" || canSeeConfidential(viewer, task),
      setup: await loadLightSetup(tx),
    };
  });
}

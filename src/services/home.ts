import type { TaskView } from "../domain/model.js";
import { oversees, type Viewer } from "../domain/permissions.js";
import { localDateOf, startOfDay } from "../domain/time.js";
import type { CoordinationView } from "../store/coordinations.js";
import { loadViewer } from "./access.js";
import { type LightSetup, loadLightSetup, refreshStoredLights } from "./lights.js";
import type { ServiceDeps } from "./ports.js";

/** Lines of tasks the board shows in each list; the rest are counted and pointed to `/ducha list`. */
export const BOARD_LINES = 15;

/** Open tasks of one department on the board, by light (tasks awaiting verification apart). */
export interface BoardCounts {
  open: number;
  red: number;
  yellow: number;
  green: number;
  review: number;
}

/** The whole board, for those who oversee: counted in the database from the stored lights. */
export interface Board {
  totals: BoardCounts;
  /** Each active department's open tasks it leads, by light. */
  departments: (BoardCounts & { name: string })[];
  /** The first red tasks (not awaiting verification), soonest due first, and how many there are. */
  red: { tasks: TaskView[]; total: number };
  /** The first tasks awaiting verification, and how many there are. */
  review: { tasks: TaskView[]; total: number };
  /** 协调事项 not yet closed, oldest first. */
  coordinations: CoordinationView[];
}

export interface HomeData {
  viewer: Viewer;
  /** Open tasks of the person's departments (lead or co-operating). */
  mine: TaskView[];
  /** The whole board, for those who oversee (supervisors, leaders, admins). */
  board: Board | null;
  /** For those who oversee: 回头看 to decide, 报结 not yet read, and their own decisions' tasks by light. */
  loops: {
    rechecks: number;
    unreadClosures: number;
    assigned: { red: number; yellow: number; green: number };
  } | null;
  /** 信息报送: the office sees today's reports and what is owed; a unit's member their unit's. */
  info: { office: boolean; today: number; pending: number; owed: number; open: number } | null;
  setup: LightSetup;
}

const empty = (): BoardCounts => ({ open: 0, red: 0, yellow: 0, green: 0, review: 0 });

/** What the App Home shows a person: their departments' tasks, and the whole board if they oversee. */
export async function homeFor(deps: ServiceDeps, input: { userId: string }): Promise<HomeData> {
  // The board counts stored lights: brought up to now first, in a write of its own.
  await refreshStoredLights(deps);
  return deps.store.read(async (tx) => {
    const viewer = await loadViewer(deps, tx, input.userId);
    const setup = await loadLightSetup(tx);
    const mine =
      viewer.departmentIds.size > 0
        ? await tx.tasks.list({ departmentIds: [...viewer.departmentIds] }, { skip: 0, take: 500 })
        : [];
    let board: Board | null = null;
    let loops: HomeData["loops"] = null;
    if (oversees(viewer)) {
      const byDepartment = new Map<number, BoardCounts>();
      const totals = empty();
      for (const row of await tx.taskLights.lightCounts()) {
        const counts = byDepartment.get(row.leadDeptId) ?? empty();
        const kind =
          row.state === "pending_review"
            ? "review"
            : row.light === "red" || row.light === "yellow"
              ? row.light
              : "green";
        counts.open += row.count;
        counts[kind] += row.count;
        totals.open += row.count;
        totals[kind] += row.count;
        byDepartment.set(row.leadDeptId, counts);
      }
      const active = await tx.departments.listActive();
      const working = ["dispatched", "in_progress"] as const;
      const review = ["pending_review"] as const;
      board = {
        totals,
        departments: active.map((d) => ({ name: d.name, ...(byDepartment.get(d.id) ?? empty()) })),
        red: {
          tasks: await tx.tasks.list({ light: "red", states: working }, { skip: 0, take: BOARD_LINES }),
          total: await tx.tasks.count({ light: "red", states: working }),
        },
        review: {
          tasks: await tx.tasks.list({ states: review }, { skip: 0, take: BOARD_LINES }),
          total: await tx.tasks.count({ states: review }),
        },
        coordinations: await tx.coordinations.list(),
      };
      const mineAssigned = { leaderUserId: input.userId, states: working };
      loops = {
        rechecks: (await tx.rechecks.listPending(0)).total,
        unreadClosures: (await tx.closures.unread(0)).total,
        assigned: {
          red: await tx.tasks.count({ ...mineAssigned, light: "red" }),
          yellow: await tx.tasks.count({ ...mineAssigned, light: "yellow" }),
          green: await tx.tasks.count({ ...mineAssigned, light: "green" }),
        },
      };
    }
    const since = startOfDay(localDateOf(deps.clock.now(), deps.timeZone), deps.timeZone);
    const info = oversees(viewer)
      ? { office: true, ...(await tx.info.homeCounts(since)) }
      : viewer.departmentIds.size > 0
        ? { office: false, ...(await tx.info.homeCounts(since, [...viewer.departmentIds])) }
        : null;
    return { viewer, mine, board, loops, info, setup };
  });
}

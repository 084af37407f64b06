import type { TaskView } from "../domain/model.js";
import { oversees, type Viewer } from "../domain/permissions.js";
import { loadViewer } from "./access.js";
import { type LightSetup, loadLightSetup } from "./lights.js";
import type { ServiceDeps } from "./ports.js";

export interface HomeData {
  viewer: Viewer;
  /** Open tasks of the person's departments (lead or co-operating). */
  mine: TaskView[];
  /** Every open task, for those who oversee (supervisors, leaders, admins). */
  board: TaskView[] | null;
  departments: { id: number; name: string }[];
  setup: LightSetup;
}

/** What the App Home shows a person: their departments' tasks, and the whole board if they oversee. */
export async function homeFor(deps: ServiceDeps, input: { userId: string }): Promise<HomeData> {
  return deps.store.read(async (tx) => {
    const viewer = await loadViewer(deps, tx, input.userId);
    const mine =
      viewer.departmentIds.size > 0
        ? await tx.tasks.list({ departmentIds: [...viewer.departmentIds] }, { skip: 0, take: 500 })
        : [];
    const board = oversees(viewer) ? await tx.tasks.list({}, { skip: 0, take: 20_000 }) : null;
    const departments = (await tx.departments.listActive()).map((d) => ({ id: d.id, name: d.name }));
    return { viewer, mine, board, departments, setup: await loadLightSetup(tx) };
  });
}

import {
  AWAITING,
  COORDINATION_STATES,
  type CoordinationState,
  type CoordinationView,
  type StoredCoordination,
  UNRESOLVED,
} from "../domain/coordination.js";
import type { Tx } from "./database.js";

export type { CoordinationState, CoordinationView, StoredCoordination };
export { AWAITING, COORDINATION_STATES, UNRESOLVED };

function stateOf(value: string): CoordinationState {
  return (COORDINATION_STATES as readonly string[]).includes(value) ? (value as CoordinationState) : "open";
}

const DEPT = { select: { id: true, name: true, channelId: true, members: { select: { userId: true } } } };
const VIEW = {
  fromDept: DEPT,
  toDept: DEPT,
  task: {
    select: {
      id: true,
      year: true,
      seq: true,
      title: true,
      confidentiality: true,
      urgent: true,
      cardUrl: true,
    },
  },
} as const;

type ViewRow = Omit<StoredCoordination, "state"> & {
  state: string;
  fromDept: { id: number; name: string; channelId: string; members: { userId: string }[] };
  toDept: { id: number; name: string; channelId: string; members: { userId: string }[] };
  task: CoordinationView["task"];
};

function toView(row: ViewRow): CoordinationView {
  const dept = (d: ViewRow["fromDept"]) => ({ ...d, members: d.members.map((m) => m.userId) });
  return { ...row, state: stateOf(row.state), fromDept: dept(row.fromDept), toDept: dept(row.toDept) };
}

export class CoordinationRepository {
  constructor(private readonly db: Tx) {}

  async create(
    input: Pick<
      StoredCoordination,
      "taskId" | "fromDeptId" | "toDeptId" | "need" | "openedAt" | "openedBy" | "reportId" | "replyBy"
    >,
  ): Promise<number> {
    const row = await this.db.coordination.create({ data: input, select: { id: true } });
    return row.id;
  }

  async view(id: number): Promise<CoordinationView | null> {
    const row = await this.db.coordination.findUnique({ where: { id }, include: VIEW });
    return row ? toView(row) : null;
  }

  /** The task's requests in the given states, oldest first. */
  async ofTask(
    taskId: number,
    states: readonly CoordinationState[] = UNRESOLVED,
  ): Promise<CoordinationView[]> {
    const rows = await this.db.coordination.findMany({
      where: { taskId, state: { in: [...states] } },
      include: VIEW,
      orderBy: { id: "asc" },
    });
    return rows.map(toView);
  }

  /** Every request in the given states, oldest first (App Home, 列表 协调, the summary, the runs). */
  async list(
    states: readonly CoordinationState[] = UNRESOLVED,
    taskIds?: readonly number[],
  ): Promise<CoordinationView[]> {
    const rows = await this.db.coordination.findMany({
      where: { state: { in: [...states] }, ...(taskIds ? { taskId: { in: [...taskIds] } } : {}) },
      include: VIEW,
      orderBy: { openedAt: "asc" },
    });
    return rows.map(toView);
  }

  /** Requests by id (a run's messages), oldest first. */
  async byIds(ids: readonly number[]): Promise<CoordinationView[]> {
    if (ids.length === 0) return [];
    const rows = await this.db.coordination.findMany({
      where: { id: { in: [...ids] } },
      include: VIEW,
      orderBy: { id: "asc" },
    });
    return rows.map(toView);
  }

  /** Requests still waiting for their answer whose reply-by time has passed: the ladder's. */
  async lapsed(now: Date): Promise<StoredCoordination[]> {
    const rows = await this.db.coordination.findMany({
      where: { state: { in: [...AWAITING] }, replyBy: { lte: now } },
      orderBy: { id: "asc" },
    });
    return rows.map((row) => ({ ...row, state: stateOf(row.state) }));
  }

  async update(
    id: number,
    fields: Partial<
      Omit<StoredCoordination, "id" | "taskId" | "fromDeptId" | "toDeptId" | "openedAt" | "openedBy">
    >,
  ): Promise<void> {
    await this.db.coordination.update({ where: { id }, data: fields });
  }
}

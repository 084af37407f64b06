import type { Tx } from "./database.js";

export interface StoredExtension {
  id: number;
  taskId: number;
  requestedBy: string;
  requestedAt: Date;
  oldDueAt: Date;
  newDueAt: Date;
  reason: string;
  late: boolean;
  state: "pending" | "approved" | "rejected";
}

export class ExtensionRepository {
  constructor(private readonly db: Tx) {}

  async create(input: Omit<StoredExtension, "id" | "state">): Promise<StoredExtension> {
    const row = await this.db.extension.create({ data: input });
    return { ...row, state: "pending" };
  }

  async pending(taskId: number): Promise<StoredExtension | null> {
    const row = await this.db.extension.findFirst({
      where: { taskId, state: "pending" },
      orderBy: { id: "desc" },
    });
    return row ? { ...row, state: "pending" } : null;
  }

  /** The approved extensions, oldest first. */
  async approved(taskId: number): Promise<{ oldDueAt: Date; newDueAt: Date; reason: string }[]> {
    return this.db.extension.findMany({
      where: { taskId, state: "approved" },
      orderBy: { id: "asc" },
      select: { oldDueAt: true, newDueAt: true, reason: true },
    });
  }

  async decide(
    id: number,
    state: "approved" | "rejected",
    by: string,
    at: Date,
    note: string,
  ): Promise<void> {
    await this.db.extension.update({ where: { id }, data: { state, decidedBy: by, decidedAt: at, note } });
  }
}

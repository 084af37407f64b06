import type { ClosureRow, RecheckRow, RecheckState, SiteCheckRow, SiteFinding } from "../domain/loops.js";
import type { Tx } from "./database.js";

/**
 * The rows that close the loops: 报结 (Closure), 回头看 (Recheck), 实地核查 (SiteCheck) and
 * 整改 (Rectification). Each change is the caller's to log (an audit event).
 */

const RECHECK_STATES: readonly RecheckState[] = [
  "scheduled",
  "asked",
  "answered",
  "held",
  "relapsed",
  "dropped",
];
const recheckState = (s: string): RecheckState =>
  (RECHECK_STATES as readonly string[]).includes(s) ? (s as RecheckState) : "scheduled";

const TASK_BRIEF = {
  select: {
    id: true,
    year: true,
    seq: true,
    title: true,
    confidentiality: true,
    cardUrl: true,
    cardChannelId: true,
    leadDept: { select: { id: true, name: true } },
  },
} as const;

type RecheckRaw = Omit<RecheckRow, "state" | "task"> & {
  state: string;
  task: {
    id: number;
    year: number;
    seq: number;
    title: string;
    confidentiality: string;
    cardUrl: string | null;
    cardChannelId: string | null;
    leadDept: { id: number; name: string };
  };
};

function recheckOf(row: RecheckRaw): RecheckRow {
  return {
    ...row,
    state: recheckState(row.state),
    task: { ...row.task, secret: row.task.confidentiality === "secret" },
  };
}

export class RecheckRepository {
  constructor(private readonly db: Tx) {}

  async schedule(input: {
    taskId: number;
    departmentId: number;
    dueOn: Date;
    setBy: string;
    setAt: Date;
  }): Promise<number> {
    return (await this.db.recheck.create({ data: input, select: { id: true } })).id;
  }

  async byId(id: number): Promise<RecheckRow | null> {
    const row = await this.db.recheck.findUnique({ where: { id }, include: { task: TASK_BRIEF } });
    return row ? recheckOf(row) : null;
  }

  /** Scheduled ones whose day has come (dueOn before `until`), oldest first. */
  async dueToAsk(until: Date, limit = 500): Promise<RecheckRow[]> {
    const rows = await this.db.recheck.findMany({
      where: { state: "scheduled", dueOn: { lt: until } },
      include: { task: TASK_BRIEF },
      orderBy: [{ dueOn: "asc" }, { id: "asc" }],
      take: limit,
    });
    return rows.map(recheckOf);
  }

  /** The task's 回头看 not yet decided (scheduled, asked or answered), newest first. */
  async pendingOf(taskId: number): Promise<RecheckRow[]> {
    const rows = await this.db.recheck.findMany({
      where: { taskId, state: { in: ["scheduled", "asked", "answered"] } },
      include: { task: TASK_BRIEF },
      orderBy: { id: "desc" },
    });
    return rows.map(recheckOf);
  }

  /** Every 回头看 not yet decided, by day; the office's list. */
  async listPending(limit: number): Promise<{ rows: RecheckRow[]; total: number }> {
    const where = { state: { in: ["scheduled", "asked", "answered"] } };
    const [rows, total] = [
      await this.db.recheck.findMany({
        where,
        include: { task: TASK_BRIEF },
        orderBy: [{ dueOn: "asc" }, { id: "asc" }],
        take: limit,
      }),
      await this.db.recheck.count({ where }),
    ];
    return { rows: rows.map(recheckOf), total };
  }

  /** The task reopened before its 回头看 were decided: they are dropped (a new 验收 sets new ones). */
  async dropPending(taskId: number): Promise<number> {
    const { count } = await this.db.recheck.updateMany({
      where: { taskId, state: { in: ["scheduled", "asked", "answered"] } },
      data: { state: "dropped" },
    });
    return count;
  }

  async update(
    id: number,
    change: Partial<
      Pick<
        RecheckRow,
        | "state"
        | "askedAt"
        | "replyBy"
        | "answeredAt"
        | "answeredBy"
        | "answerReportId"
        | "decidedAt"
        | "decidedBy"
        | "note"
      >
    >,
  ): Promise<void> {
    await this.db.recheck.update({ where: { id }, data: change });
  }
}

export class SiteCheckRepository {
  constructor(private readonly db: Tx) {}

  async create(
    input: Omit<SiteCheckRow, "id" | "files"> & { files: SiteCheckRow["files"] },
  ): Promise<number> {
    const { files, ...rest } = input;
    const row = await this.db.siteCheck.create({
      data: { ...rest, files: JSON.stringify(files) },
      select: { id: true },
    });
    return row.id;
  }

  /** The task's checks, oldest first. */
  async ofTask(taskId: number): Promise<SiteCheckRow[]> {
    const rows = await this.db.siteCheck.findMany({ where: { taskId }, orderBy: { id: "asc" } });
    return rows.map((r) => ({
      ...r,
      finding: r.finding as SiteFinding,
      files: JSON.parse(r.files) as SiteCheckRow["files"],
    }));
  }
}

export class ClosureRepository {
  constructor(private readonly db: Tx) {}

  /** The decision's next 报结 round (1 for the first). */
  async nextRound(decisionId: number): Promise<number> {
    const last = await this.db.closure.findFirst({
      where: { decisionId },
      orderBy: { round: "desc" },
      select: { round: true },
    });
    return (last?.round ?? 0) + 1;
  }

  async create(input: {
    decisionId: number;
    round: number;
    leaderUserId: string;
    createdAt: Date;
  }): Promise<number> {
    return (await this.db.closure.create({ data: input, select: { id: true } })).id;
  }

  async byId(id: number): Promise<ClosureRow | null> {
    return this.db.closure.findUnique({ where: { id } });
  }

  async update(
    id: number,
    change: Partial<
      Pick<ClosureRow, "readAt" | "readBy" | "reply" | "replyAction" | "repliedAt" | "repliedBy">
    >,
  ): Promise<void> {
    await this.db.closure.update({ where: { id }, data: change });
  }

  /** 报结 not yet read by their leader (阅), oldest first; the office's list. */
  async unread(limit: number): Promise<{ rows: ClosureRow[]; total: number }> {
    const where = { readAt: null };
    return {
      rows: await this.db.closure.findMany({ where, orderBy: { id: "asc" }, take: limit }),
      total: await this.db.closure.count({ where }),
    };
  }

  /** The decision's 报结, newest first. */
  async ofDecision(decisionId: number): Promise<ClosureRow[]> {
    return this.db.closure.findMany({ where: { decisionId }, orderBy: { round: "desc" } });
  }
}

export class RectificationRepository {
  constructor(private readonly db: Tx) {}

  async exists(issueNo: number, departmentId: number): Promise<boolean> {
    return (await this.db.rectification.count({ where: { issueNo, departmentId } })) > 0;
  }

  async create(input: {
    issueNo: number;
    departmentId: number;
    taskId: number;
    createdAt: Date;
  }): Promise<void> {
    await this.db.rectification.create({ data: input });
  }

  /** The 整改 a bulletin asked for, with where their tasks stand. */
  async ofIssue(issueNo: number): Promise<
    {
      departmentId: number;
      taskId: number;
      state: string;
      claimedAt: Date | null;
      dueAt: Date;
      year: number;
      seq: number;
    }[]
  > {
    const rows = await this.db.rectification.findMany({
      where: { issueNo },
      select: {
        departmentId: true,
        taskId: true,
        task: { select: { state: true, claimedAt: true, dueAt: true, year: true, seq: true } },
      },
      orderBy: { id: "asc" },
    });
    return rows.map((r) => ({ departmentId: r.departmentId, taskId: r.taskId, ...r.task }));
  }
}

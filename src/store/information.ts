import type { Confidentiality } from "../domain/decision.js";
import type {
  InfoCategory,
  InfoCounts,
  InfoReportView,
  InfoUrgency,
  InfoVerdict,
} from "../domain/information.js";
import type { Tx } from "./database.js";

/** 信息报送: reports, their 续报, 漏报, and the counters that number them and the 要情. */

const INCLUDE = {
  followUps: { orderBy: { id: "asc" as const } },
} as const;

type Row = Awaited<ReturnType<Tx["infoReport"]["findFirstOrThrow"]>> & {
  followUps: { id: number; kind: string; text: string; userId: string; createdAt: Date }[];
};

export interface NewInfoReport {
  year: number;
  seq: number;
  departmentId: number;
  reportedBy: string;
  title: string;
  occurredAt: Date;
  place: string;
  category: InfoCategory;
  urgency: InfoUrgency;
  text: string;
  confidentiality: Confidentiality;
  reportedAt: Date;
  limitMinutes: number;
  late: boolean;
  files: { name: string; permalink: string | null }[];
  sourceChannelId: string | null;
  sourceTs: string | null;
  submissionKey: string;
}

export class InfoRepository {
  constructor(private readonly db: Tx) {}

  private async viewOf(row: Row): Promise<InfoReportView> {
    const department = await this.db.department.findUnique({
      where: { id: row.departmentId },
      select: { id: true, name: true, channelId: true, members: { select: { userId: true } } },
    });
    return {
      id: row.id,
      year: row.year,
      seq: row.seq,
      department: {
        id: row.departmentId,
        name: department?.name ?? "",
        channelId: department?.channelId ?? "",
        members: department?.members.map((m) => m.userId) ?? [],
      },
      reportedBy: row.reportedBy,
      title: row.title,
      occurredAt: row.occurredAt,
      place: row.place,
      category: row.category as InfoCategory,
      urgency: row.urgency as InfoUrgency,
      text: row.text,
      confidentiality: row.confidentiality as Confidentiality,
      reportedAt: row.reportedAt,
      limitMinutes: row.limitMinutes,
      late: row.late,
      state: row.state === "final" ? "final" : "open",
      verdict: row.verdict as InfoVerdict,
      verdictBy: row.verdictBy,
      verdictAt: row.verdictAt,
      verdictNote: row.verdictNote,
      followUpBy: row.followUpBy,
      followUpAskedAt: row.followUpAskedAt,
      followUpStep: row.followUpStep,
      digestNo: row.digestNo,
      files: JSON.parse(row.files) as InfoReportView["files"],
      card:
        row.cardChannelId && row.cardTs
          ? { channelId: row.cardChannelId, ts: row.cardTs, url: row.cardUrl }
          : null,
      unitCopy: row.unitChannelId && row.unitTs ? { channelId: row.unitChannelId, ts: row.unitTs } : null,
      followUps: row.followUps.map((f) => ({ ...f, kind: f.kind === "final" ? "final" : "follow" })),
    };
  }

  /** The next 信〔year〕N号. */
  async takeNumber(year: number): Promise<number> {
    const name = `info:${year}`;
    const counter = await this.db.counter.upsert({
      where: { name },
      create: { name, value: 1 },
      update: { value: { increment: 1 } },
    });
    return counter.value;
  }

  /** The next 要情 第N期. */
  async nextDigestNo(): Promise<number> {
    const counter = await this.db.counter.upsert({
      where: { name: "digest" },
      create: { name: "digest", value: 1 },
      update: { value: { increment: 1 } },
    });
    return counter.value;
  }

  async bySubmissionKey(key: string): Promise<number | null> {
    return (
      (await this.db.infoReport.findUnique({ where: { submissionKey: key }, select: { id: true } }))?.id ??
      null
    );
  }

  async create(input: NewInfoReport): Promise<number> {
    const { files, ...rest } = input;
    return (
      await this.db.infoReport.create({
        data: { ...rest, files: JSON.stringify(files) },
        select: { id: true },
      })
    ).id;
  }

  async view(id: number): Promise<InfoReportView | null> {
    const row = await this.db.infoReport.findUnique({ where: { id }, include: INCLUDE });
    return row ? this.viewOf(row) : null;
  }

  async byNumber(year: number, seq: number): Promise<InfoReportView | null> {
    const row = await this.db.infoReport.findUnique({ where: { year_seq: { year, seq } }, include: INCLUDE });
    return row ? this.viewOf(row) : null;
  }

  /** The report whose office card or unit copy is this message (a thread reply's parent). */
  async idByMessage(channelId: string, ts: string): Promise<number | null> {
    const row = await this.db.infoReport.findFirst({
      where: {
        OR: [
          { cardChannelId: channelId, cardTs: ts },
          { unitChannelId: channelId, unitTs: ts },
        ],
      },
      select: { id: true },
    });
    return row?.id ?? null;
  }

  async update(
    id: number,
    change: Partial<{
      state: "open" | "final";
      verdict: InfoVerdict;
      verdictBy: string | null;
      verdictAt: Date | null;
      verdictNote: string;
      followUpBy: Date | null;
      followUpAskedAt: Date | null;
      followUpStep: number;
      digestNo: number | null;
      cardChannelId: string;
      cardTs: string;
      cardUrl: string | null;
      unitChannelId: string;
      unitTs: string;
    }>,
  ): Promise<void> {
    await this.db.infoReport.update({ where: { id }, data: change });
  }

  async addFollowUp(input: {
    reportId: number;
    kind: "follow" | "final";
    text: string;
    userId: string;
    createdAt: Date;
    channelId?: string;
    ts?: string;
  }): Promise<number> {
    return (await this.db.infoFollowUp.create({ data: input, select: { id: true } })).id;
  }

  async followUpByMessage(channelId: string, ts: string): Promise<boolean> {
    return (await this.db.infoFollowUp.count({ where: { channelId, ts } })) > 0;
  }

  /** Reports in a time span (by 初报 time), newest first, optionally of some units. */
  async list(filter: {
    from?: Date;
    to?: Date;
    late?: boolean;
    followUpOwed?: boolean;
    departmentIds?: readonly number[];
    take: number;
  }): Promise<{ reports: InfoReportView[]; total: number }> {
    const where = {
      ...(filter.from || filter.to
        ? {
            reportedAt: {
              ...(filter.from ? { gte: filter.from } : {}),
              ...(filter.to ? { lt: filter.to } : {}),
            },
          }
        : {}),
      ...(filter.late ? { late: true } : {}),
      ...(filter.followUpOwed ? { followUpBy: { not: null }, state: "open" } : {}),
      ...(filter.departmentIds ? { departmentId: { in: [...filter.departmentIds] } } : {}),
    };
    const rows = await this.db.infoReport.findMany({
      where,
      include: INCLUDE,
      orderBy: { reportedAt: "desc" },
      take: filter.take,
    });
    const reports = [];
    for (const row of rows) reports.push(await this.viewOf(row));
    return { reports, total: await this.db.infoReport.count({ where }) };
  }

  /** Adopted reports not yet in a 要情, oldest first. */
  async adoptedUndigested(): Promise<InfoReportView[]> {
    const rows = await this.db.infoReport.findMany({
      where: { verdict: "adopted", digestNo: null },
      include: INCLUDE,
      orderBy: { id: "asc" },
    });
    const out = [];
    for (const row of rows) out.push(await this.viewOf(row));
    return out;
  }

  async ofDigest(digestNo: number): Promise<InfoReportView[]> {
    const rows = await this.db.infoReport.findMany({
      where: { digestNo },
      include: INCLUDE,
      orderBy: { id: "asc" },
    });
    const out = [];
    for (const row of rows) out.push(await this.viewOf(row));
    return out;
  }

  /** Open reports with a 续报 asked by a time now past. */
  async followUpsDue(now: Date): Promise<InfoReportView[]> {
    const rows = await this.db.infoReport.findMany({
      where: { state: "open", followUpBy: { lte: now }, followUpStep: { lt: 3 } },
      include: INCLUDE,
      orderBy: { id: "asc" },
    });
    const out = [];
    for (const row of rows) out.push(await this.viewOf(row));
    return out;
  }

  /** The App Home's figures: reported since a moment, not yet reviewed, 续报 asked and owed; of some units. */
  async homeCounts(
    since: Date,
    departmentIds?: readonly number[],
  ): Promise<{ today: number; pending: number; owed: number; open: number }> {
    const of = departmentIds ? { departmentId: { in: [...departmentIds] } } : {};
    return {
      today: await this.db.infoReport.count({ where: { ...of, reportedAt: { gte: since } } }),
      pending: await this.db.infoReport.count({ where: { ...of, verdict: "pending" } }),
      owed: await this.db.infoReport.count({ where: { ...of, state: "open", followUpBy: { not: null } } }),
      open: await this.db.infoReport.count({ where: { ...of, state: "open" } }),
    };
  }

  async addMiss(input: {
    departmentId: number;
    title: string;
    occurredAt: Date;
    note: string;
    recordedBy: string;
    recordedAt: Date;
  }): Promise<number> {
    return (await this.db.infoMiss.create({ data: input, select: { id: true } })).id;
  }

  /** Each unit's reports sent, 采用, 迟报 (by 初报 time) and 漏报 (by when registered) in a span. */
  async counts(from: Date, to: Date, now: Date): Promise<InfoCounts[]> {
    // A period still running (its end is now) counts what came up to this moment.
    const span = now <= to ? { gte: from, lte: now } : { gte: from, lt: to };
    const [reports, misses] = [
      await this.db.infoReport.findMany({
        where: { reportedAt: span },
        select: { departmentId: true, verdict: true, late: true },
      }),
      await this.db.infoMiss.findMany({
        where: { recordedAt: span },
        select: { departmentId: true },
      }),
    ];
    const by = new Map<number, InfoCounts>();
    const of = (id: number) => {
      const c = by.get(id) ?? { departmentId: id, sent: 0, adopted: 0, late: 0, missed: 0 };
      by.set(id, c);
      return c;
    };
    for (const r of reports) {
      const c = of(r.departmentId);
      c.sent++;
      if (r.verdict === "adopted") c.adopted++;
      if (r.late) c.late++;
    }
    for (const m of misses) of(m.departmentId).missed++;
    return [...by.values()];
  }
}

import { gramsOf, type SearchFilter, type SearchHit, type SearchKind } from "../domain/search.js";
import { Prisma } from "../generated/prisma/client.js";
import type { Provider, Tx } from "./database.js";

/**
 * 查考's index: one SearchEntry per searchable text, its two-character pieces indexed by the
 * database's own full-text machinery (SQLite FTS5, kept by triggers; PostgreSQL GIN over the
 * pieces as an array). Entries are caught up from the records by id (new rows) and by time
 * (edited reports, answered 协调), so writes elsewhere need not know the index exists.
 */

export interface NewEntry {
  kind: SearchKind;
  refId: number;
  taskId: number | null;
  decisionId: number | null;
  infoId: number | null;
  at: Date;
  text: string;
}

const entryData = (e: NewEntry) => ({ ...e, grams: gramsOf(e.text).join(" ") });

/** The open states of a task. */
const OPEN = ["dispatched", "in_progress", "pending_review"];

export class SearchRepository {
  constructor(
    private readonly db: Tx,
    private readonly provider: Provider,
  ) {}

  async watermark(name: string): Promise<number> {
    return (await this.db.counter.findUnique({ where: { name: `search:${name}` } }))?.value ?? 0;
  }

  async setWatermark(name: string, value: number): Promise<void> {
    await this.db.counter.upsert({
      where: { name: `search:${name}` },
      create: { name: `search:${name}`, value },
      update: { value },
    });
  }

  async add(entries: readonly NewEntry[]): Promise<void> {
    if (entries.length) await this.db.searchEntry.createMany({ data: entries.map(entryData) });
  }

  /** A text changed (an edited report, an answered 协调): its entry follows, or is made. */
  async put(entry: NewEntry): Promise<void> {
    const data = entryData(entry);
    await this.db.searchEntry.upsert({
      where: { kind_refId: { kind: entry.kind, refId: entry.refId } },
      create: data,
      update: { text: data.text, grams: data.grams },
    });
  }

  async remove(kind: SearchKind, refId: number): Promise<void> {
    await this.db.searchEntry.deleteMany({ where: { kind, refId } });
  }

  // The records to index, by id after the watermark, oldest first.

  async decisionsAfter(id: number, take: number) {
    return this.db.decision.findMany({
      where: { id: { gt: id } },
      select: { id: true, decidedOn: true, sourceRef: true, text: true },
      orderBy: { id: "asc" },
      take,
    });
  }

  async tasksAfter(id: number, take: number) {
    return this.db.task.findMany({
      where: { id: { gt: id } },
      select: { id: true, decisionId: true, dispatchedAt: true, title: true, requirement: true },
      orderBy: { id: "asc" },
      take,
    });
  }

  async reportsAfter(id: number, take: number) {
    return this.db.report.findMany({
      where: { id: { gt: id } },
      select: { id: true, taskId: true, createdAt: true, text: true, retractedAt: true },
      orderBy: { id: "asc" },
      take,
    });
  }

  async coordinationsAfter(id: number, take: number) {
    return this.db.coordination.findMany({
      where: { id: { gt: id } },
      select: { id: true, taskId: true, openedAt: true, need: true, answer: true, declineReason: true },
      orderBy: { id: "asc" },
      take,
    });
  }

  async infoAfter(id: number, take: number) {
    return this.db.infoReport.findMany({
      where: { id: { gt: id } },
      select: { id: true, reportedAt: true, title: true, place: true, text: true },
      orderBy: { id: "asc" },
      take,
    });
  }

  async infoFollowUpsAfter(id: number, take: number) {
    return this.db.infoFollowUp.findMany({
      where: { id: { gt: id } },
      select: { id: true, reportId: true, createdAt: true, text: true },
      orderBy: { id: "asc" },
      take,
    });
  }

  /** Reports edited or deleted, and 协调 answered or declined, since a moment (up to the watermarks). */
  async changedSince(since: Date, reportsUpTo: number, coordinationsUpTo: number) {
    return {
      reports: await this.db.report.findMany({
        where: {
          id: { lte: reportsUpTo },
          OR: [{ editedAt: { gte: since } }, { retractedAt: { gte: since } }],
        },
        select: { id: true, taskId: true, createdAt: true, text: true, retractedAt: true },
      }),
      coordinations: await this.db.coordination.findMany({
        where: {
          id: { lte: coordinationsUpTo },
          OR: [{ answeredAt: { gte: since } }, { closedAt: { gte: since } }],
        },
        select: { id: true, taskId: true, openedAt: true, need: true, answer: true, declineReason: true },
      }),
    };
  }

  async count(): Promise<number> {
    return this.db.searchEntry.count();
  }

  /**
   * The entries holding every piece and every word, newest first, narrowed by the filter; those
   * of 不公开 records only for the office or the units they belong to. One page and one more (to
   * know there is a next).
   */
  async find(input: {
    grams: readonly string[];
    words: readonly string[];
    filter: SearchFilter;
    office: boolean;
    departmentIds: readonly number[];
    skip: number;
    take: number;
  }): Promise<SearchHit[]> {
    const { filter } = input;
    const pg = this.provider === "postgresql";
    const like = (w: string) => `%${w.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const where: Prisma.Sql[] = [
      pg
        ? Prisma.sql`string_to_array(e."grams", ' ') @> ${[...input.grams]}::text[]`
        : Prisma.sql`e."id" IN (SELECT rowid FROM "SearchGrams" WHERE "SearchGrams" MATCH ${input.grams
            .map((g) => `"${g.replace(/"/g, '""')}"`)
            .join(" AND ")})`,
      ...input.words.map((w) =>
        pg
          ? Prisma.sql`e."text" ILIKE ${like(w)} ESCAPE '\\'`
          : Prisma.sql`lower(e."text") LIKE ${like(w)} ESCAPE '\\'`,
      ),
    ];
    const ids = [...input.departmentIds, 0];
    const inUnits = (column: Prisma.Sql) => Prisma.sql`${column} IN (${Prisma.join(ids)})`;
    const decisionTasks = (condition: Prisma.Sql) =>
      Prisma.sql`EXISTS (SELECT 1 FROM "Task" t2 WHERE t2."decisionId" = d."id" AND ${condition})`;
    if (filter.departmentId !== undefined) {
      const id = filter.departmentId;
      where.push(
        Prisma.sql`(t."leadDeptId" = ${id} OR i."departmentId" = ${id} OR (e."kind" = 'decision' AND ${decisionTasks(Prisma.sql`t2."leadDeptId" = ${id}`)}))`,
      );
    }
    if (filter.source !== undefined) where.push(Prisma.sql`d."source" = ${filter.source}`);
    if (filter.leaderUserId !== undefined) where.push(Prisma.sql`d."leaderUserId" = ${filter.leaderUserId}`);
    if (filter.period)
      where.push(Prisma.sql`e."at" >= ${filter.period.start} AND e."at" < ${filter.period.end}`);
    if (filter.state) {
      const states = filter.state === "open" ? OPEN : [filter.state];
      const info = filter.state === "open" ? "open" : filter.state === "closed" ? "final" : "none";
      where.push(
        Prisma.sql`(t."state" IN (${Prisma.join(states)}) OR i."state" = ${info} OR (e."kind" = 'decision' AND ${decisionTasks(Prisma.sql`t2."state" IN (${Prisma.join(states)})`)}))`,
      );
    }
    if (!input.office) {
      // 不公开: the office, or the units the record belongs to (lead or co-operating, or reporting).
      where.push(Prisma.sql`(COALESCE(t."confidentiality", i."confidentiality", d."confidentiality") <> 'secret'
        OR ${inUnits(Prisma.sql`t."leadDeptId"`)} OR ${inUnits(Prisma.sql`i."departmentId"`)}
        OR EXISTS (SELECT 1 FROM "TaskCoDept" c WHERE c."taskId" = t."id" AND ${inUnits(Prisma.sql`c."departmentId"`)})
        OR (e."kind" = 'decision' AND ${decisionTasks(inUnits(Prisma.sql`t2."leadDeptId"`))}))`);
    }
    const rows = await this.db.$queryRaw<Row[]>`
      SELECT e."kind", e."at", e."text",
             t."year" AS "tYear", t."seq" AS "tSeq", t."title" AS "tTitle", t."state" AS "tState",
             t."light" AS "tLight", t."cardUrl" AS "tUrl", t."confidentiality" AS "tConf",
             i."year" AS "iYear", i."seq" AS "iSeq", i."title" AS "iTitle", i."state" AS "iState",
             i."cardUrl" AS "iUrl", i."confidentiality" AS "iConf",
             d."sourceRef" AS "dRef", d."text" AS "dText", d."rollupUrl" AS "dUrl", d."confidentiality" AS "dConf",
             u."name" AS "unit"
        FROM "SearchEntry" e
        LEFT JOIN "Task" t ON t."id" = e."taskId"
        LEFT JOIN "InfoReport" i ON i."id" = e."infoId"
        LEFT JOIN "Decision" d ON d."id" = COALESCE(e."decisionId", t."decisionId")
        LEFT JOIN "Department" u ON u."id" = COALESCE(t."leadDeptId", i."departmentId")
       WHERE ${Prisma.join(where, " AND ")}
       ORDER BY e."at" DESC, e."id" DESC
       LIMIT ${input.take} OFFSET ${input.skip}`;
    return rows.map((r) => ({
      kind: r.kind as SearchKind,
      at: new Date(r.at),
      text: r.text,
      task:
        r.tYear !== null
          ? {
              year: Number(r.tYear),
              seq: Number(r.tSeq),
              title: r.tTitle ?? "",
              state: r.tState ?? "",
              light: r.tLight,
              url: r.tUrl,
              secret: r.tConf === "secret",
            }
          : null,
      info:
        r.iYear !== null
          ? {
              year: Number(r.iYear),
              seq: Number(r.iSeq),
              title: r.iTitle ?? "",
              state: r.iState ?? "",
              url: r.iUrl,
              secret: r.iConf === "secret",
            }
          : null,
      decision:
        r.dText !== null
          ? { sourceRef: r.dRef ?? "", text: r.dText, url: r.dUrl, secret: r.dConf === "secret" }
          : null,
      department: r.unit,
    }));
  }
}

type Row = {
  kind: string;
  at: Date | string;
  text: string;
  tYear: number | bigint | null;
  tSeq: number | bigint | null;
  tTitle: string | null;
  tState: string | null;
  tLight: string | null;
  tUrl: string | null;
  tConf: string | null;
  iYear: number | bigint | null;
  iSeq: number | bigint | null;
  iTitle: string | null;
  iState: string | null;
  iUrl: string | null;
  iConf: string | null;
  dRef: string | null;
  dText: string | null;
  dUrl: string | null;
  dConf: string | null;
  unit: string | null;
};

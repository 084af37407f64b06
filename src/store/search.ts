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

/**
 * An entry's place in "newest first": its time in whole seconds × 10⁹ + its record's place among
 * those of the same second (kind and id, below 10⁹). Unique, and the full-text index's own key, so
 * the index hands hits newest first (good until the year 2262).
 */
export function sortKeyOf(e: Pick<NewEntry, "at" | "kind" | "refId">): bigint {
  return (
    BigInt(Math.floor(e.at.getTime() / 1000)) * 1_000_000_000n +
    BigInt(KIND_SLOT[e.kind] * 100_000_000 + e.refId)
  );
}

/** Kinds side by side within a second (ids stay below 10⁸ per kind). */
const KIND_SLOT: Record<SearchKind, number> = {
  decision: 0,
  task: 1,
  report: 2,
  coordination: 3,
  info: 4,
  info_follow: 5,
};

const entryData = (e: NewEntry) => ({ ...e, sortKey: sortKeyOf(e), grams: gramsOf(e.text).join(" ") });

/** How many of the newest entries PostgreSQL walks in order before it asks its GIN index. */
const RECENT = 10_000;

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

  /**
   * Whether the records have moved past the index: a row past a watermark, or a report or 协调
   * changed since the last catch-up. Three statements, so a search in step with the records
   * (nearly every one) costs no write.
   */
  async behind(): Promise<boolean> {
    const marks = new Map(
      (await this.db.counter.findMany({ where: { name: { startsWith: "search:" } } })).map((c) => [
        c.name.slice("search:".length),
        c.value,
      ]),
    );
    const [last] = await this.db.$queryRaw<Record<string, number | bigint | null>[]>`
      SELECT (SELECT max("id") FROM "Decision") AS "decision", (SELECT max("id") FROM "Task") AS "task",
             (SELECT max("id") FROM "Report") AS "report", (SELECT max("id") FROM "Coordination") AS "coordination",
             (SELECT max("id") FROM "InfoReport") AS "info", (SELECT max("id") FROM "InfoFollowUp") AS "infoFollow"`;
    if (Object.entries(last ?? {}).some(([name, id]) => Number(id ?? 0) > (marks.get(name) ?? 0)))
      return true;
    const since = new Date((marks.get("editsAt") ?? 0) * 1000);
    const edited = await this.db.report.findFirst({
      where: { OR: [{ editedAt: { gte: since } }, { retractedAt: { gte: since } }] },
      select: { id: true },
    });
    const answered = await this.db.coordination.findFirst({
      where: { OR: [{ answeredAt: { gte: since } }, { closedAt: { gte: since } }] },
      select: { id: true },
    });
    return edited !== null || answered !== null;
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

  /**
   * Reports edited or deleted, and 协调 answered or declined, since a moment (up to the
   * watermarks). Read by the time indexes alone: the few rows found are cut at the watermark
   * here, since an id bound in the statement leads SQLite to walk the ids instead.
   */
  async changedSince(since: Date, reportsUpTo: number, coordinationsUpTo: number) {
    const reports = await this.db.report.findMany({
      where: { OR: [{ editedAt: { gte: since } }, { retractedAt: { gte: since } }] },
      select: { id: true, taskId: true, createdAt: true, text: true, retractedAt: true },
    });
    const coordinations = await this.db.coordination.findMany({
      where: { OR: [{ answeredAt: { gte: since } }, { closedAt: { gte: since } }] },
      select: { id: true, taskId: true, openedAt: true, need: true, answer: true, declineReason: true },
    });
    return {
      reports: reports.filter((r) => r.id <= reportsUpTo),
      coordinations: coordinations.filter((c) => c.id <= coordinationsUpTo),
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
    /** PostgreSQL: how many of the newest entries are walked in order first (tests lower it). */
    recent?: number;
  }): Promise<SearchHit[]> {
    const { filter } = input;
    const pg = this.provider === "postgresql";
    const like = (w: string) => `%${w.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    // SQLite: the FTS5 table leads the join and hands its rows newest first (its rowid is the
    // entry's sortKey), so a page reads a page of hits however many there are. PostgreSQL: the
    // GIN index or, for a common word, the sortKey index read backwards — its planner's choice.
    const where: Prisma.Sql[] = [
      pg
        ? Prisma.sql`string_to_array(e."grams", ' ') @> ${[...input.grams]}::text[]`
        : Prisma.sql`"SearchGrams" MATCH ${input.grams.map((g) => `"${g.replace(/"/g, '""')}"`).join(" AND ")}`,
      ...input.words.map((w) =>
        // strpos, not ILIKE: PostgreSQL guesses a long ILIKE pattern to match almost nothing and
        // would then read every hit of the pieces to sort them.
        pg
          ? Prisma.sql`strpos(lower(e."text"), ${w}) > 0`
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
    if (filter.period) {
      // By the key the index is ordered by: on SQLite the FTS5 table reads only that stretch.
      const from = sortKeyOf({ at: filter.period.start, kind: "decision", refId: 0 });
      const to = sortKeyOf({ at: filter.period.end, kind: "decision", refId: 0 });
      const key = pg ? Prisma.sql`e."sortKey"` : Prisma.sql`"SearchGrams".rowid`;
      where.push(Prisma.sql`${key} >= ${from} AND ${key} < ${to}`);
    }
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
    const page = (extra: Prisma.Sql[], limit: number, offset: number, entries = Prisma.sql`"SearchEntry"`) =>
      this.db.$queryRaw<Row[]>`
      SELECT e."kind", e."at", e."text",
             t."year" AS "tYear", t."seq" AS "tSeq", t."title" AS "tTitle", t."state" AS "tState",
             t."light" AS "tLight", t."cardUrl" AS "tUrl", t."confidentiality" AS "tConf",
             i."year" AS "iYear", i."seq" AS "iSeq", i."title" AS "iTitle", i."state" AS "iState",
             i."cardUrl" AS "iUrl", i."confidentiality" AS "iConf",
             d."sourceRef" AS "dRef", d."text" AS "dText", d."rollupUrl" AS "dUrl", d."confidentiality" AS "dConf",
             u."name" AS "unit"
        FROM ${pg ? Prisma.sql`${entries} e` : Prisma.sql`"SearchGrams" CROSS JOIN "SearchEntry" e ON e."sortKey" = "SearchGrams".rowid`}
        LEFT JOIN "Task" t ON t."id" = e."taskId"
        LEFT JOIN "InfoReport" i ON i."id" = e."infoId"
        LEFT JOIN "Decision" d ON d."id" = COALESCE(e."decisionId", t."decisionId")
        LEFT JOIN "Department" u ON u."id" = COALESCE(t."leadDeptId", i."departmentId")
       WHERE ${Prisma.join([...where, ...extra], " AND ")}
       ORDER BY ${pg ? Prisma.sql`e."sortKey"` : Prisma.sql`"SearchGrams".rowid`} DESC
       LIMIT ${limit} OFFSET ${offset}`;
    const rows = pg
      ? await this.pgPages(page, input.skip, input.take, input.recent ?? RECENT)
      : await page([], input.take, input.skip);
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

  /**
   * PostgreSQL's way to a page, newest first, whatever its planner guesses: the GIN index cannot
   * hand rows in order, and the planner, guessing a word's hits from its pieces as if they were
   * independent, would sometimes read and sort 60,000 hits for ten, or scan the table. So, first
   * the newest `walk` entries (RECENT) walked backwards by sortKey (bounded, and enough for any word used
   * lately); only when they do not fill the page, the older ones through the GIN index and a
   * sort (a word rare lately has few hits to sort).
   */
  private async pgPages(
    page: (extra: Prisma.Sql[], limit: number, offset: number, entries?: Prisma.Sql) => Promise<Row[]>,
    skip: number,
    take: number,
    walk: number,
  ): Promise<Row[]> {
    const want = skip + take;
    const newest = Prisma.sql`(SELECT * FROM "SearchEntry" ORDER BY "sortKey" DESC LIMIT ${walk})`;
    const recent = await page([], want, 0, newest);
    if (recent.length >= want) return recent.slice(skip);
    const [edge] = await this.db.$queryRaw<{ key: bigint | null }[]>`
      SELECT min(n."sortKey") AS "key" FROM (SELECT "sortKey" FROM "SearchEntry" ORDER BY "sortKey" DESC LIMIT ${walk}) n`;
    if (recent.length === 0 && edge?.key == null) return [];
    await this.db.$executeRaw`SET LOCAL enable_indexscan = off`;
    await this.db.$executeRaw`SET LOCAL enable_seqscan = off`;
    try {
      const older = await page([Prisma.sql`e."sortKey" < ${edge?.key ?? 0n}`], want - recent.length, 0);
      return [...recent, ...older].slice(skip);
    } finally {
      await this.db.$executeRaw`SET LOCAL enable_indexscan = on`;
      await this.db.$executeRaw`SET LOCAL enable_seqscan = on`;
    }
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

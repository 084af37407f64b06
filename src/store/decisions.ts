import crypto from "node:crypto";
import type { Confidentiality, DecisionSource, Draft } from "../domain/decision.js";
import { ZDraft } from "../domain/decision.js";
import type { DecisionView } from "../domain/model.js";
import { confidentiality, decisionSource } from "./columns.js";
import type { Tx } from "./database.js";
import { taskViewsById } from "./task-rows.js";

export interface NewDecision {
  source: DecisionSource;
  sourceRef: string;
  sourceUrl: string | null;
  sourceChannelId: string | null;
  sourceTs: string | null;
  sourceFileName: string | null;
  sourceFileUrl: string | null;
  leaderUserId: string | null;
  decidedOn: Date;
  confidentiality: Confidentiality;
  text: string;
  createdBy: string;
  submissionKey: string;
}

export class DecisionRepository {
  constructor(private readonly db: Tx) {}

  async create(decision: NewDecision): Promise<number> {
    const row = await this.db.decision.create({ data: decision, select: { id: true } });
    return row.id;
  }

  /** The decision a submission already created (a double click, a resent request). */
  async bySubmissionKey(key: string): Promise<number | null> {
    const row = await this.db.decision.findUnique({ where: { submissionKey: key }, select: { id: true } });
    return row?.id ?? null;
  }

  async view(id: number): Promise<DecisionView | null> {
    const row = await this.db.decision.findUnique({
      where: { id },
      include: { tasks: { select: { id: true }, orderBy: { seq: "asc" } } },
    });
    if (!row) return null;
    return {
      id: row.id,
      source: decisionSource(row.source),
      sourceRef: row.sourceRef,
      sourceUrl: row.sourceUrl,
      sourceChannelId: row.sourceChannelId,
      sourceTs: row.sourceTs,
      leaderUserId: row.leaderUserId,
      decidedOn: row.decidedOn,
      confidentiality: confidentiality(row.confidentiality),
      text: row.text,
      createdBy: row.createdBy,
      rollup:
        row.rollupChannelId && row.rollupTs ? { channelId: row.rollupChannelId, ts: row.rollupTs } : null,
      tasks: await taskViewsById(
        this.db,
        row.tasks.map((t) => t.id),
      ),
    };
  }

  /** Whether the decision has a roll-up message (several tasks, posted together): one row, no tasks read. */
  async hasRollup(id: number): Promise<boolean> {
    // Raw SQL: read for every report and click, and Prisma's compiling cost more than the read.
    const [row] = await this.db.$queryRaw<{ rollupChannelId: string | null; rollupTs: string | null }[]>`
      SELECT "rollupChannelId", "rollupTs" FROM "Decision" WHERE "id" = ${id}`;
    return Boolean(row?.rollupChannelId && row.rollupTs);
  }

  async setRollup(id: number, rollup: { channelId: string; ts: string; url: string | null }): Promise<void> {
    await this.db.decision.update({
      where: { id },
      data: { rollupChannelId: rollup.channelId, rollupTs: rollup.ts, rollupUrl: rollup.url },
    });
  }

  // ------------------------------------------------------------------ drafts

  async createDraft(userId: string, draft: Draft): Promise<string> {
    const id = crypto.randomUUID();
    await this.db.decisionDraft.create({ data: { id, userId, data: JSON.stringify(draft) } });
    return id;
  }

  async draft(id: string): Promise<{ userId: string; draft: Draft } | null> {
    const row = await this.db.decisionDraft.findUnique({ where: { id } });
    if (!row) return null;
    return { userId: row.userId, draft: ZDraft.parse(JSON.parse(row.data)) };
  }

  async saveDraft(id: string, draft: Draft): Promise<void> {
    await this.db.decisionDraft.update({ where: { id }, data: { data: JSON.stringify(draft) } });
  }

  async deleteDraft(id: string): Promise<void> {
    await this.db.decisionDraft.deleteMany({ where: { id } });
  }

  /** Drafts nobody submitted (a closed modal) are forgotten after a while. */
  async deleteDraftsOlderThan(before: Date): Promise<number> {
    const { count } = await this.db.decisionDraft.deleteMany({ where: { updatedAt: { lt: before } } });
    return count;
  }
}

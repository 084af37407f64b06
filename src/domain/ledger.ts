import { z } from "zod";
import type { Confidentiality, DecisionSource } from "./decision.js";
import type { Cadence } from "./splitter/splitter.js";
import type { TaskState } from "./task-state.js";

/** Which tasks a ledger holds: those counted in a period, of a department, open ones, by light. */
export const ZLedgerFilter = z.object({
  /** The tasks counted in the period (see inPeriod), its reports, and its scores on sheet 3. */
  period: z
    .object({
      kind: z.enum(["week", "month", "year"]),
      key: z.string(),
      start: z.coerce.date(),
      end: z.coerce.date(),
    })
    .optional(),
  /** Tasks the department leads or co-operates on. */
  departmentId: z.number().int().optional(),
  /** Only tasks still open. */
  open: z.boolean().optional(),
  /** Only open tasks with this light now. */
  light: z.enum(["red", "yellow"]).optional(),
  /** Only open tasks stalled now. */
  stalled: z.boolean().optional(),
});
export type LedgerFilter = z.infer<typeof ZLedgerFilter>;

/** The ledger's file name: 督查台账_2026-11.xlsx, 督查台账_2026-11-26.xlsx. */
export function ledgerFileName(prefix: string, label: string): string {
  return `${prefix}_${label.replace(/[\\/:*?"<>|\s]+/g, "-")}.xlsx`;
}

/** One row of the ledger's first sheet. */
export interface LedgerTaskRow {
  id: number;
  year: number;
  seq: number;
  title: string;
  requirement: string;
  confidentiality: Confidentiality;
  state: TaskState;
  urgent: boolean;
  cadence: Cadence;
  dispatchedAt: Date;
  dueAt: Date;
  originalDueAt: Date;
  ackAt: Date | null;
  ackBy: string | null;
  claimedAt: Date | null;
  closedAt: Date | null;
  cancelledAt: Date | null;
  extensionCount: number;
  returnCount: number;
  progress: number | null;
  lastSubstantiveAt: Date | null;
  lead: { id: number; name: string; members: string[] };
  co: string[];
  tags: string[];
  decision: { source: DecisionSource; sourceRef: string; leaderUserId: string | null };
  lastReport: { text: string; progress: number | null; at: Date; userId: string } | null;
  openBlocker: { since: Date; cause: string | null } | null;
  pendingExtension: { newDueAt: Date } | null;
}

/** One row of the ledger's second sheet. */
export interface LedgerReportRow {
  id: number;
  taskId: number;
  task: { year: number; seq: number; title: string; confidentiality: Confidentiality };
  department: string | null;
  userId: string;
  kind: string;
  via: string;
  text: string;
  progress: number | null;
  blocker: boolean;
  cause: string | null;
  perfunctory: boolean;
  starredAt: Date | null;
  createdAt: Date;
  editedAt: Date | null;
  retractedAt: Date | null;
  /** Files shared with it (evidence). */
  files: { name: string; permalink: string | null }[];
}

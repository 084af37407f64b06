import { z } from "zod";

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

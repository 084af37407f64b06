/**
 * What a database error means for the people waiting on it: the database is full, its file is
 * damaged, it is busy, it cannot be written, or it is away. Prisma wraps the driver's error;
 * the driver's own code (SQLITE_FULL, 53100…) says which.
 */
import type { DatabaseProblemKind } from "../domain/errors.js";

export type { DatabaseProblemKind };

export interface DatabaseProblem {
  kind: DatabaseProblemKind;
  /** The driver's code, or Prisma's when there is none. */
  code: string;
}

function codesOf(error: unknown): string[] {
  const e = error as {
    code?: unknown;
    meta?: { driverAdapterError?: { cause?: { originalCode?: unknown; code?: unknown; kind?: unknown } } };
    cause?: { code?: unknown; originalCode?: unknown; kind?: unknown };
  } | null;
  if (!e || typeof e !== "object") return [];
  const cause = e.meta?.driverAdapterError?.cause;
  return [cause?.originalCode, cause?.code, cause?.kind, e.cause?.originalCode, e.cause?.code, e.code].filter(
    (c): c is string => typeof c === "string",
  );
}

/** Whether an error came from the database (Prisma or its driver), not from ducha's own code. */
export function isDatabaseError(error: unknown): boolean {
  const name = (error as { name?: unknown } | null)?.name;
  if (typeof name === "string" && (name.startsWith("PrismaClient") || name === "DriverAdapterError"))
    return true;
  return codesOf(error).some((c) => c.startsWith("SQLITE_"));
}

/** The problem a database error shows, or null when the error is not the database's. */
export function databaseProblem(error: unknown): DatabaseProblem | null {
  if (!isDatabaseError(error)) return null;
  const codes = codesOf(error);
  const code = codes.find((c) => c.startsWith("SQLITE_")) ?? codes[0] ?? "unknown";
  const message = error instanceof Error ? error.message : "";
  const kind: DatabaseProblemKind =
    code.startsWith("SQLITE_FULL") || code === "53100" || /disk is full|No space left/i.test(message)
      ? "full"
      : code.startsWith("SQLITE_CORRUPT") || code.startsWith("SQLITE_NOTADB") || /malformed/i.test(message)
        ? "corrupt"
        : code.startsWith("SQLITE_BUSY") ||
            code.startsWith("SQLITE_LOCKED") ||
            code === "P1008" ||
            code === "P2028"
          ? "busy"
          : code.startsWith("SQLITE_READONLY") || code === "25006"
            ? "readonly"
            : "unavailable";
  return { kind, code };
}

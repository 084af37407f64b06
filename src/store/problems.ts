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

/**
 * Codes that say the database could not do the work (busy, full, damaged, read-only, away),
 * as opposed to the work itself being wrong (a unique or foreign-key violation: a bug or a
 * race, which trying again will not mend): SQLite's codes except its constraint ones;
 * PostgreSQL's connection (08), resource (53), operator (57), system (58) and internal (XX)
 * classes, serialization and deadlock, lock and read-only codes; Prisma's connection errors
 * (P1…), pool timeout (P2024), transaction API (P2028) and write conflict (P2034).
 */
function troubleCode(code: string): boolean {
  if (code.startsWith("SQLITE_")) return !code.startsWith("SQLITE_CONSTRAINT");
  if (/^(08|53|57|58|XX)[0-9A-Z]{3}$/.test(code)) return true;
  if (["40001", "40P01", "55P03", "25006"].includes(code)) return true;
  return /^P1\d{3}$|^P20(24|28|34)$/.test(code);
}

/**
 * The kinds Prisma's driver adapters give a connection's failure (its `DriverAdapterError`
 * cause), with no driver code: a statement run outside a transaction (an acknowledging write on
 * PostgreSQL) meets a server that went away as `DatabaseNotReachable` under Prisma's P2010.
 */
const TROUBLE_KINDS = new Set([
  "DatabaseNotReachable",
  "ConnectionClosed",
  "SocketTimeout",
  "TooManyConnections",
  "TlsConnectionError",
]);

/** Prisma errors that are the engine's or the connection's, whatever their code. */
const TROUBLE_NAMES = new Set([
  "PrismaClientInitializationError",
  "PrismaClientRustPanicError",
  "PrismaClientUnknownRequestError",
]);

/**
 * Whether an error means the database could not do the work now (it will succeed once the
 * database is back), not that the work was wrong: the driver's own code decides when it has one.
 */
export function isDatabaseError(error: unknown): boolean {
  const codes = codesOf(error);
  if (codes.some((c) => TROUBLE_KINDS.has(c))) return true;
  const driver = codes.filter((c) => c.startsWith("SQLITE_") || /^[0-9A-Z]{5}$/.test(c));
  if (driver.length > 0) return driver.some(troubleCode);
  if (codes.some(troubleCode)) return true;
  const name = (error as { name?: unknown } | null)?.name;
  return typeof name === "string" && TROUBLE_NAMES.has(name);
}

/**
 * pg-pool's own error when every pooled connection stayed busy for its connection timeout: no
 * code, only this message (node-postgres, pg-pool/index.js). The pool was busy, not the server away.
 */
export function isPoolTimeout(error: unknown): boolean {
  for (let e = error as { message?: unknown; cause?: unknown } | null, depth = 0; e && depth < 4; depth++) {
    if (e.message === "timeout exceeded when trying to connect") return true;
    e = e.cause as typeof e;
  }
  return false;
}

/** What is wrong with the database, from an error; null when the error is not the database's trouble. */
export function databaseProblem(error: unknown): DatabaseProblem | null {
  if (isPoolTimeout(error)) return { kind: "busy", code: "P2024" };
  if (!isDatabaseError(error)) return null;
  const codes = codesOf(error);
  const code = codes.find((c) => troubleCode(c) || TROUBLE_KINDS.has(c)) ?? codes[0] ?? "unknown";
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

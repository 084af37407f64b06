import { describe, expect, it } from "vitest";
import { databaseProblem, isDatabaseError } from "./problems.js";

/** The shape Prisma's driver adapter gives a SQLite error (as seen from a real full disk). */
function prismaError(originalCode: string, message: string) {
  return Object.assign(new Error(message), {
    name: "PrismaClientKnownRequestError",
    code: "P2010",
    meta: { driverAdapterError: { cause: { originalCode, originalMessage: message, kind: "sqlite" } } },
  });
}

describe("databaseProblem", () => {
  it("names what is wrong from the driver's code", () => {
    expect(databaseProblem(prismaError("SQLITE_FULL", "database or disk is full"))).toEqual({
      kind: "full",
      code: "SQLITE_FULL",
    });
    expect(databaseProblem(prismaError("SQLITE_CORRUPT", "database disk image is malformed"))?.kind).toBe(
      "corrupt",
    );
    expect(databaseProblem(prismaError("SQLITE_NOTADB", "file is not a database"))?.kind).toBe("corrupt");
    expect(databaseProblem(prismaError("SQLITE_BUSY_SNAPSHOT", "database is locked"))?.kind).toBe("busy");
    expect(
      databaseProblem(prismaError("SQLITE_READONLY", "attempt to write a readonly database"))?.kind,
    ).toBe("readonly");
    expect(databaseProblem(prismaError("SQLITE_IOERR", "disk I/O error"))?.kind).toBe("unavailable");
    // A statement outside a transaction when PostgreSQL went away (as seen: an acknowledging write).
    const unreachable = Object.assign(new Error("Raw query failed. Can't reach database server"), {
      name: "PrismaClientKnownRequestError",
      code: "P2010",
      meta: {
        driverAdapterError: { cause: { kind: "DatabaseNotReachable", host: "127.0.0.1", port: 5432 } },
      },
    });
    expect(databaseProblem(unreachable)).toEqual({ kind: "unavailable", code: "DatabaseNotReachable" });
    // pg-pool's own error when no pooled connection came free in time: busy, not away.
    expect(databaseProblem(new Error("timeout exceeded when trying to connect"))).toEqual({
      kind: "busy",
      code: "P2024",
    });
  });

  it("leaves work that was wrong alone: a constraint violation is a bug or a race, not an outage", () => {
    // As Prisma reports a unique violation through the better-sqlite3 adapter.
    const unique = Object.assign(prismaError("SQLITE_CONSTRAINT_PRIMARYKEY", "UNIQUE constraint failed"), {
      code: "P2002",
    });
    expect(isDatabaseError(unique)).toBe(false);
    expect(databaseProblem(unique)).toBeNull();
    // A table gone (a restore gone wrong) is the database's trouble.
    expect(databaseProblem(prismaError("SQLITE_ERROR", "no such table: Report"))?.kind).toBe("unavailable");
  });

  it("leaves ducha's own errors alone", () => {
    expect(isDatabaseError(new TypeError("x is undefined"))).toBe(false);
    expect(databaseProblem(new Error("boom"))).toBeNull();
  });
});

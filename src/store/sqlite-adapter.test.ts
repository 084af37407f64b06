import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { keepPrepared } from "./sqlite-adapter.js";

/** A connection that counts the statements it compiles, with kept statements over it. */
function counted(size?: number) {
  const db = new Database(":memory:");
  const compiled: string[] = [];
  const prepare = db.prepare.bind(db);
  db.prepare = ((sql: string, ...internal: unknown[]) => {
    if (internal.length === 0) compiled.push(sql);
    return (prepare as (...a: unknown[]) => ReturnType<typeof prepare>)(sql, ...internal);
  }) as typeof db.prepare;
  keepPrepared(db as unknown as Parameters<typeof keepPrepared>[0], size);
  db.exec("CREATE TABLE t (a INTEGER)");
  return { db, compiled };
}

describe("statements kept prepared for Prisma's SQLite adapter", () => {
  it("compile each SQL text once, with each run's own parameters and rows' shape", () => {
    const { db, compiled } = counted();
    const insert = "INSERT INTO t (a) VALUES (?)";
    for (const a of [1, 2, 3]) db.prepare(insert).bind([a]).run();
    const select = "SELECT a FROM t WHERE a >= ? ORDER BY a";
    expect(db.prepare(select).bind([2]).raw().all()).toEqual([[2], [3]]);
    // The next run of the same statement neither keeps those parameters nor the raw rows.
    expect(db.prepare(select).bind([3]).all()).toEqual([{ a: 3 }]);
    expect(db.prepare(select).bind([1]).raw().all()).toEqual([[1], [2], [3]]);
    expect(db.prepare(select).reader).toBe(true);
    expect(
      db
        .prepare(select)
        .bind([1])
        .columns()
        .map((c) => c.name),
    ).toEqual(["a"]);
    expect(compiled.filter((sql) => sql === insert)).toHaveLength(1);
    expect(compiled.filter((sql) => sql === select)).toHaveLength(1);
    // better-sqlite3's own uses, with more than the SQL, pass through.
    expect(db.pragma("user_version", { simple: true })).toBe(0);
    db.transaction(() => db.prepare(insert).bind([4]).run())();
    expect(db.prepare("SELECT count(*) AS n FROM t").bind([]).all()).toEqual([{ n: 4 }]);
  });

  it("keep the most recently used, compiling again what was let go", () => {
    const { db, compiled } = counted(2);
    const texts = ["SELECT 1 AS x", "SELECT 2 AS x", "SELECT 3 AS x"];
    for (const sql of texts) db.prepare(sql).bind([]).all();
    db.prepare(texts[2] ?? "")
      .bind([])
      .all();
    expect(compiled).toEqual(texts);
    // The first was let go when the third came: compiled again; the third is still kept.
    expect(
      db
        .prepare(texts[0] ?? "")
        .bind([])
        .all(),
    ).toEqual([{ x: 1 }]);
    expect(compiled).toEqual([...texts, texts[0]]);
  });
});

import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { seedScale } from "../scripts/seed-scale.js";
import { openDatabase } from "../src/store/database.js";
import { taskViewSelect, taskViews, taskViewsById } from "../src/store/tasks.js";
import { tempDbFile } from "./support/harness.js";

/**
 * A task's view is read with raw SQL (src/store/tasks.ts, readTaskRows) for speed; Prisma's
 * select (taskViewSelect) says what it holds. Both must give the same view of every task.
 */
describe("a task's view", () => {
  it("is the same read raw as through Prisma's select, for every task of an office", async () => {
    const file = tempDbFile();
    await seedScale(file, { departments: 6, tasks: 120, reports: 3_000 });
    // What the seed lacks: co-operating departments, tags, files, a pending extension, a 协调
    // request, a retracted report and two reports at the same instant.
    const raw = new Database(file);
    const at = "2026-12-10T02:00:00.000+00:00";
    raw.exec(`
      INSERT OR IGNORE INTO "TaskCoDept" ("taskId", "departmentId") SELECT id, ((leadDeptId % 6) + 1) FROM "Task" WHERE id % 3 = 0;
      INSERT OR IGNORE INTO "TaskTag" ("taskId", "tag") SELECT id, '民生' FROM "Task" WHERE id % 4 = 0;
      INSERT OR IGNORE INTO "TaskTag" ("taskId", "tag") SELECT id, '安全' FROM "Task" WHERE id % 8 = 0;
      INSERT INTO "ReportFile" ("reportId", "fileId", "name", "permalink")
        SELECT id, 'F' || id, '现场照片' || id || '.jpg', 'https://example.slack.com/files/' || id FROM "Report" WHERE id % 7 = 0;
      UPDATE "Report" SET "retractedAt" = '${at}' WHERE id % 11 = 0;
      UPDATE "Report" SET "createdAt" = '${at}' WHERE id IN (SELECT max(id) FROM "Report" GROUP BY "taskId" LIMIT 30);
      UPDATE "Report" SET "createdAt" = '${at}' WHERE id IN (SELECT max(id) - 1 FROM "Report" GROUP BY "taskId" LIMIT 30);
    `);
    const dept = raw
      .prepare(
        `SELECT "toDeptId" FROM (SELECT ((leadDeptId % 6) + 1) AS "toDeptId" FROM "Task" WHERE id = 5)`,
      )
      .get() as {
      toDeptId: number;
    };
    raw
      .prepare(
        `INSERT INTO "Coordination" ("taskId", "fromDeptId", "toDeptId", "need", "state", "openedAt", "openedBy", "replyBy")
         SELECT id, leadDeptId, ?, '请协调', 'open', ?, 'U1', ? FROM "Task" WHERE id = 5`,
      )
      .run(dept.toDeptId, at, at);
    raw
      .prepare(
        `INSERT INTO "Extension" ("taskId", "oldDueAt", "newDueAt", "reason", "requestedBy", "requestedAt", "state", "late")
         VALUES (7, ?, ?, '资金未到位', 'U2', ?, 'pending', 0)`,
      )
      .run(at, at, at);
    raw.close();

    const database = await openDatabase(`file:${file}`);
    try {
      const client = database.client;
      const ids = (await client.task.findMany({ select: { id: true }, orderBy: { id: "desc" } })).map(
        (t) => t.id,
      );
      const fromPrisma = await taskViews(
        client,
        await client.task.findMany({
          where: { id: { in: ids } },
          select: taskViewSelect,
          orderBy: { id: "desc" },
        }),
      );
      const read = await taskViewsById(client, ids);
      expect(read.map((t) => t.id)).toEqual(ids);
      expect(read.some((t) => t.coDepts.length && t.tags.length === 2)).toBe(true);
      expect(read.some((t) => t.lastReport?.files.length)).toBe(true);
      expect(read.find((t) => t.id === 5)?.coordinations).toHaveLength(1);
      expect(read.find((t) => t.id === 7)?.pendingExtension?.reason).toBe("资金未到位");
      // Prisma orders reports of equal time as the database hands them; the raw read puts the
      // one stored last first. Beyond that, the views are the same.
      const byTime = (t: (typeof read)[number]) => t.lastReport?.at.getTime();
      for (const [i, view] of read.entries()) {
        const other = fromPrisma[i];
        expect(byTime(view)).toBe(other && byTime(other));
        expect({ ...view, lastReport: null, openBlocker: view.openBlocker?.since ?? null }).toEqual({
          ...other,
          lastReport: null,
          openBlocker: other?.openBlocker?.since ?? null,
        });
      }
      // An id that is not there is left out; none asked, none read.
      expect((await taskViewsById(client, [ids[0] ?? 0, 999_999])).map((t) => t.id)).toEqual([ids[0]]);
      expect(await taskViewsById(client, [])).toEqual([]);
    } finally {
      await database.close();
    }
  });
});

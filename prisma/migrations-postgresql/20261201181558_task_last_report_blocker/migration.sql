-- AlterTable
ALTER TABLE "Task" ADD COLUMN     "lastReportBlocker" BOOLEAN NOT NULL DEFAULT false;


-- Backfill: the flag of the report each task names as its latest.
UPDATE "Task" SET "lastReportBlocker" = true
 WHERE "lastReportId" IN (SELECT "id" FROM "Report" WHERE "blocker");

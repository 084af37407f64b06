-- DropIndex
DROP INDEX "Report_createdAt_idx";

-- CreateIndex
CREATE INDEX "Report_createdAt_kind_retractedAt_perfunctory_taskId_idx" ON "Report"("createdAt", "kind", "retractedAt", "perfunctory", "taskId");


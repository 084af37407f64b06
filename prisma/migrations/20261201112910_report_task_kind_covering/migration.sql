-- DropIndex
DROP INDEX "Report_taskId_kind_createdAt_idx";

-- CreateIndex
CREATE INDEX "Report_taskId_kind_createdAt_retractedAt_perfunctory_idx" ON "Report"("taskId", "kind", "createdAt", "retractedAt", "perfunctory");


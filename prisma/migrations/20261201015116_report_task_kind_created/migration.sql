-- CreateIndex
CREATE INDEX "Report_taskId_kind_createdAt_idx" ON "Report"("taskId", "kind", "createdAt");


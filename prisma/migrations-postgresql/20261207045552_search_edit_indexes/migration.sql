-- CreateIndex
CREATE INDEX "Report_editedAt_idx" ON "Report"("editedAt");

-- CreateIndex
CREATE INDEX "Report_retractedAt_idx" ON "Report"("retractedAt");

-- CreateIndex
CREATE INDEX "Coordination_answeredAt_idx" ON "Coordination"("answeredAt");

-- CreateIndex
CREATE INDEX "Coordination_closedAt_idx" ON "Coordination"("closedAt");


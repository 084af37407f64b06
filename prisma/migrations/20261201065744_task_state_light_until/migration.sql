-- DropIndex
DROP INDEX "Task_state_idx";

-- CreateIndex
CREATE INDEX "Task_state_lightUntil_idx" ON "Task"("state", "lightUntil");


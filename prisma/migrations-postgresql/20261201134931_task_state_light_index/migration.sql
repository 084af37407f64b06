-- DropIndex
DROP INDEX "Task_state_lightUntil_idx";

-- CreateIndex
CREATE INDEX "Task_state_light_lightUntil_idx" ON "Task"("state", "light", "lightUntil");


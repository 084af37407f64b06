-- AlterTable
ALTER TABLE "Task" ADD COLUMN     "light" TEXT,
ADD COLUMN     "lightReasons" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "lightUntil" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "Task_light_dueAt_idx" ON "Task"("light", "dueAt");

-- CreateIndex
CREATE INDEX "Task_lightUntil_idx" ON "Task"("lightUntil");


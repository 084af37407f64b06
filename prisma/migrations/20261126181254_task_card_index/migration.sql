-- CreateIndex
CREATE INDEX "Task_cardChannelId_cardTs_idx" ON "Task"("cardChannelId", "cardTs");


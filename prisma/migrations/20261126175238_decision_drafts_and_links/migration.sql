-- AlterTable
ALTER TABLE "Decision" ADD COLUMN "rollupUrl" TEXT;

-- AlterTable
ALTER TABLE "Task" ADD COLUMN "cardUrl" TEXT;

-- AlterTable
ALTER TABLE "OutboxMessage" ADD COLUMN "lastAttemptAt" DATETIME;

-- CreateTable
CREATE TABLE "DecisionDraft" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "data" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "DecisionDraft_userId_idx" ON "DecisionDraft"("userId");


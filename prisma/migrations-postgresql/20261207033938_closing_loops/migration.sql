-- AlterTable
ALTER TABLE "Task" ADD COLUMN     "verifyNote" TEXT NOT NULL DEFAULT '';

-- CreateTable
CREATE TABLE "Closure" (
    "id" SERIAL NOT NULL,
    "decisionId" INTEGER NOT NULL,
    "round" INTEGER NOT NULL,
    "leaderUserId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "readAt" TIMESTAMP(3),
    "readBy" TEXT,
    "reply" TEXT NOT NULL DEFAULT '',
    "replyAction" TEXT,
    "repliedAt" TIMESTAMP(3),
    "repliedBy" TEXT,

    CONSTRAINT "Closure_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Recheck" (
    "id" SERIAL NOT NULL,
    "taskId" INTEGER NOT NULL,
    "departmentId" INTEGER NOT NULL,
    "dueOn" TIMESTAMP(3) NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'scheduled',
    "setBy" TEXT NOT NULL,
    "setAt" TIMESTAMP(3) NOT NULL,
    "askedAt" TIMESTAMP(3),
    "replyBy" TIMESTAMP(3),
    "answeredAt" TIMESTAMP(3),
    "answeredBy" TEXT,
    "answerReportId" INTEGER,
    "decidedAt" TIMESTAMP(3),
    "decidedBy" TEXT,
    "note" TEXT NOT NULL DEFAULT '',

    CONSTRAINT "Recheck_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SiteCheck" (
    "id" SERIAL NOT NULL,
    "taskId" INTEGER NOT NULL,
    "departmentId" INTEGER NOT NULL,
    "checkers" TEXT NOT NULL,
    "checkedOn" TIMESTAMP(3) NOT NULL,
    "place" TEXT NOT NULL,
    "finding" TEXT NOT NULL,
    "note" TEXT NOT NULL DEFAULT '',
    "covert" BOOLEAN NOT NULL DEFAULT false,
    "files" TEXT NOT NULL DEFAULT '[]',
    "falseClaim" BOOLEAN NOT NULL DEFAULT false,
    "recordedBy" TEXT NOT NULL,
    "recordedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SiteCheck_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Rectification" (
    "id" SERIAL NOT NULL,
    "issueNo" INTEGER NOT NULL,
    "departmentId" INTEGER NOT NULL,
    "taskId" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Rectification_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Closure_leaderUserId_readAt_idx" ON "Closure"("leaderUserId", "readAt");

-- CreateIndex
CREATE UNIQUE INDEX "Closure_decisionId_round_key" ON "Closure"("decisionId", "round");

-- CreateIndex
CREATE INDEX "Recheck_state_dueOn_idx" ON "Recheck"("state", "dueOn");

-- CreateIndex
CREATE INDEX "Recheck_taskId_idx" ON "Recheck"("taskId");

-- CreateIndex
CREATE INDEX "Recheck_decidedAt_idx" ON "Recheck"("decidedAt");

-- CreateIndex
CREATE INDEX "SiteCheck_taskId_recordedAt_idx" ON "SiteCheck"("taskId", "recordedAt");

-- CreateIndex
CREATE INDEX "SiteCheck_recordedAt_idx" ON "SiteCheck"("recordedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Rectification_taskId_key" ON "Rectification"("taskId");

-- CreateIndex
CREATE UNIQUE INDEX "Rectification_issueNo_departmentId_key" ON "Rectification"("issueNo", "departmentId");

-- AddForeignKey
ALTER TABLE "Closure" ADD CONSTRAINT "Closure_decisionId_fkey" FOREIGN KEY ("decisionId") REFERENCES "Decision"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Recheck" ADD CONSTRAINT "Recheck_taskId_fkey" FOREIGN KEY ("taskId") REFERENCES "Task"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SiteCheck" ADD CONSTRAINT "SiteCheck_taskId_fkey" FOREIGN KEY ("taskId") REFERENCES "Task"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Rectification" ADD CONSTRAINT "Rectification_taskId_fkey" FOREIGN KEY ("taskId") REFERENCES "Task"("id") ON DELETE CASCADE ON UPDATE CASCADE;


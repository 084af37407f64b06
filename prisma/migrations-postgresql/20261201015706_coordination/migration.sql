-- CreateTable
CREATE TABLE "Coordination" (
    "id" SERIAL NOT NULL,
    "taskId" INTEGER NOT NULL,
    "fromDeptId" INTEGER NOT NULL,
    "toDeptId" INTEGER NOT NULL,
    "need" TEXT NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'open',
    "openedAt" TIMESTAMP(3) NOT NULL,
    "openedBy" TEXT NOT NULL,
    "reportId" INTEGER,
    "replyBy" TIMESTAMP(3) NOT NULL,
    "acceptedAt" TIMESTAMP(3),
    "acceptedBy" TEXT,
    "answeredAt" TIMESTAMP(3),
    "answeredBy" TEXT,
    "answer" TEXT NOT NULL DEFAULT '',
    "closedAt" TIMESTAMP(3),
    "closedBy" TEXT,
    "declineReason" TEXT NOT NULL DEFAULT '',
    "step" INTEGER NOT NULL DEFAULT 0,
    "steppedAt" TIMESTAMP(3),

    CONSTRAINT "Coordination_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Coordination_taskId_state_idx" ON "Coordination"("taskId", "state");

-- CreateIndex
CREATE INDEX "Coordination_toDeptId_state_idx" ON "Coordination"("toDeptId", "state");

-- CreateIndex
CREATE INDEX "Coordination_state_replyBy_idx" ON "Coordination"("state", "replyBy");

-- AddForeignKey
ALTER TABLE "Coordination" ADD CONSTRAINT "Coordination_taskId_fkey" FOREIGN KEY ("taskId") REFERENCES "Task"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Coordination" ADD CONSTRAINT "Coordination_fromDeptId_fkey" FOREIGN KEY ("fromDeptId") REFERENCES "Department"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Coordination" ADD CONSTRAINT "Coordination_toDeptId_fkey" FOREIGN KEY ("toDeptId") REFERENCES "Department"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


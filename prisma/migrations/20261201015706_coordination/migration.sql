-- CreateTable
CREATE TABLE "Coordination" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "taskId" INTEGER NOT NULL,
    "fromDeptId" INTEGER NOT NULL,
    "toDeptId" INTEGER NOT NULL,
    "need" TEXT NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'open',
    "openedAt" DATETIME NOT NULL,
    "openedBy" TEXT NOT NULL,
    "reportId" INTEGER,
    "replyBy" DATETIME NOT NULL,
    "acceptedAt" DATETIME,
    "acceptedBy" TEXT,
    "answeredAt" DATETIME,
    "answeredBy" TEXT,
    "answer" TEXT NOT NULL DEFAULT '',
    "closedAt" DATETIME,
    "closedBy" TEXT,
    "declineReason" TEXT NOT NULL DEFAULT '',
    "step" INTEGER NOT NULL DEFAULT 0,
    "steppedAt" DATETIME,
    CONSTRAINT "Coordination_taskId_fkey" FOREIGN KEY ("taskId") REFERENCES "Task" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Coordination_fromDeptId_fkey" FOREIGN KEY ("fromDeptId") REFERENCES "Department" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Coordination_toDeptId_fkey" FOREIGN KEY ("toDeptId") REFERENCES "Department" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "Coordination_taskId_state_idx" ON "Coordination"("taskId", "state");

-- CreateIndex
CREATE INDEX "Coordination_toDeptId_state_idx" ON "Coordination"("toDeptId", "state");

-- CreateIndex
CREATE INDEX "Coordination_state_replyBy_idx" ON "Coordination"("state", "replyBy");


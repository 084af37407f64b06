-- CreateTable
CREATE TABLE "Closure" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "decisionId" INTEGER NOT NULL,
    "round" INTEGER NOT NULL,
    "leaderUserId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "readAt" DATETIME,
    "readBy" TEXT,
    "reply" TEXT NOT NULL DEFAULT '',
    "replyAction" TEXT,
    "repliedAt" DATETIME,
    "repliedBy" TEXT,
    CONSTRAINT "Closure_decisionId_fkey" FOREIGN KEY ("decisionId") REFERENCES "Decision" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Recheck" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "taskId" INTEGER NOT NULL,
    "departmentId" INTEGER NOT NULL,
    "dueOn" DATETIME NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'scheduled',
    "setBy" TEXT NOT NULL,
    "setAt" DATETIME NOT NULL,
    "askedAt" DATETIME,
    "replyBy" DATETIME,
    "answeredAt" DATETIME,
    "answeredBy" TEXT,
    "answerReportId" INTEGER,
    "decidedAt" DATETIME,
    "decidedBy" TEXT,
    "note" TEXT NOT NULL DEFAULT '',
    CONSTRAINT "Recheck_taskId_fkey" FOREIGN KEY ("taskId") REFERENCES "Task" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "SiteCheck" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "taskId" INTEGER NOT NULL,
    "departmentId" INTEGER NOT NULL,
    "checkers" TEXT NOT NULL,
    "checkedOn" DATETIME NOT NULL,
    "place" TEXT NOT NULL,
    "finding" TEXT NOT NULL,
    "note" TEXT NOT NULL DEFAULT '',
    "covert" BOOLEAN NOT NULL DEFAULT false,
    "files" TEXT NOT NULL DEFAULT '[]',
    "falseClaim" BOOLEAN NOT NULL DEFAULT false,
    "recordedBy" TEXT NOT NULL,
    "recordedAt" DATETIME NOT NULL,
    CONSTRAINT "SiteCheck_taskId_fkey" FOREIGN KEY ("taskId") REFERENCES "Task" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Rectification" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "issueNo" INTEGER NOT NULL,
    "departmentId" INTEGER NOT NULL,
    "taskId" INTEGER NOT NULL,
    "createdAt" DATETIME NOT NULL,
    CONSTRAINT "Rectification_taskId_fkey" FOREIGN KEY ("taskId") REFERENCES "Task" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Task" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "decisionId" INTEGER NOT NULL,
    "year" INTEGER NOT NULL,
    "seq" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "requirement" TEXT NOT NULL DEFAULT '',
    "leadDeptId" INTEGER NOT NULL,
    "dueAt" DATETIME NOT NULL,
    "originalDueAt" DATETIME NOT NULL,
    "cadence" TEXT NOT NULL DEFAULT 'none',
    "cadenceHours" INTEGER,
    "urgent" BOOLEAN NOT NULL DEFAULT false,
    "confidentiality" TEXT NOT NULL DEFAULT 'public',
    "state" TEXT NOT NULL DEFAULT 'dispatched',
    "dispatchedAt" DATETIME NOT NULL,
    "dispatchedBy" TEXT NOT NULL,
    "ackAt" DATETIME,
    "ackBy" TEXT,
    "claimedAt" DATETIME,
    "closedAt" DATETIME,
    "verifyNote" TEXT NOT NULL DEFAULT '',
    "cancelledAt" DATETIME,
    "extensionCount" INTEGER NOT NULL DEFAULT 0,
    "returnCount" INTEGER NOT NULL DEFAULT 0,
    "progress" INTEGER,
    "lastSubstantiveAt" DATETIME,
    "lastReportId" INTEGER,
    "lastReportBlocker" BOOLEAN NOT NULL DEFAULT false,
    "episodeStartedAt" DATETIME,
    "escalationStep" INTEGER NOT NULL DEFAULT 0,
    "escalatedAt" DATETIME,
    "cardChannelId" TEXT,
    "cardTs" TEXT,
    "cardUrl" TEXT,
    "cardLight" TEXT,
    "light" TEXT,
    "lightReasons" TEXT NOT NULL DEFAULT '',
    "lightUntil" DATETIME,
    "version" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Task_decisionId_fkey" FOREIGN KEY ("decisionId") REFERENCES "Decision" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Task_leadDeptId_fkey" FOREIGN KEY ("leadDeptId") REFERENCES "Department" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_Task" ("ackAt", "ackBy", "cadence", "cadenceHours", "cancelledAt", "cardChannelId", "cardLight", "cardTs", "cardUrl", "claimedAt", "closedAt", "confidentiality", "createdAt", "decisionId", "dispatchedAt", "dispatchedBy", "dueAt", "episodeStartedAt", "escalatedAt", "escalationStep", "extensionCount", "id", "lastReportBlocker", "lastReportId", "lastSubstantiveAt", "leadDeptId", "light", "lightReasons", "lightUntil", "originalDueAt", "progress", "requirement", "returnCount", "seq", "state", "title", "updatedAt", "urgent", "version", "year") SELECT "ackAt", "ackBy", "cadence", "cadenceHours", "cancelledAt", "cardChannelId", "cardLight", "cardTs", "cardUrl", "claimedAt", "closedAt", "confidentiality", "createdAt", "decisionId", "dispatchedAt", "dispatchedBy", "dueAt", "episodeStartedAt", "escalatedAt", "escalationStep", "extensionCount", "id", "lastReportBlocker", "lastReportId", "lastSubstantiveAt", "leadDeptId", "light", "lightReasons", "lightUntil", "originalDueAt", "progress", "requirement", "returnCount", "seq", "state", "title", "updatedAt", "urgent", "version", "year" FROM "Task";
DROP TABLE "Task";
ALTER TABLE "new_Task" RENAME TO "Task";
CREATE INDEX "Task_cardChannelId_cardTs_idx" ON "Task"("cardChannelId", "cardTs");
CREATE INDEX "Task_state_light_lightUntil_idx" ON "Task"("state", "light", "lightUntil");
CREATE INDEX "Task_leadDeptId_state_idx" ON "Task"("leadDeptId", "state");
CREATE INDEX "Task_decisionId_idx" ON "Task"("decisionId");
CREATE INDEX "Task_light_dueAt_idx" ON "Task"("light", "dueAt");
CREATE INDEX "Task_lightUntil_idx" ON "Task"("lightUntil");
CREATE UNIQUE INDEX "Task_year_seq_key" ON "Task"("year", "seq");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

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


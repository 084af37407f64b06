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
INSERT INTO "new_Task" ("ackAt", "ackBy", "cadence", "cadenceHours", "cancelledAt", "cardChannelId", "cardLight", "cardTs", "cardUrl", "claimedAt", "closedAt", "confidentiality", "createdAt", "decisionId", "dispatchedAt", "dispatchedBy", "dueAt", "episodeStartedAt", "escalatedAt", "escalationStep", "extensionCount", "id", "lastReportId", "lastSubstantiveAt", "leadDeptId", "light", "lightReasons", "lightUntil", "originalDueAt", "progress", "requirement", "returnCount", "seq", "state", "title", "updatedAt", "urgent", "version", "year") SELECT "ackAt", "ackBy", "cadence", "cadenceHours", "cancelledAt", "cardChannelId", "cardLight", "cardTs", "cardUrl", "claimedAt", "closedAt", "confidentiality", "createdAt", "decisionId", "dispatchedAt", "dispatchedBy", "dueAt", "episodeStartedAt", "escalatedAt", "escalationStep", "extensionCount", "id", "lastReportId", "lastSubstantiveAt", "leadDeptId", "light", "lightReasons", "lightUntil", "originalDueAt", "progress", "requirement", "returnCount", "seq", "state", "title", "updatedAt", "urgent", "version", "year" FROM "Task";
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


-- Backfill: the flag of the report each task names as its latest.
UPDATE "Task" SET "lastReportBlocker" = true
 WHERE "lastReportId" IN (SELECT "id" FROM "Report" WHERE "blocker");

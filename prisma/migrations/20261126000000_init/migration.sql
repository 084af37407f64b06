-- CreateTable
CREATE TABLE "Department" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "name" TEXT NOT NULL,
    "channelId" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdBy" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "DepartmentAlias" (
    "alias" TEXT NOT NULL PRIMARY KEY,
    "departmentId" INTEGER NOT NULL,
    CONSTRAINT "DepartmentAlias_departmentId_fkey" FOREIGN KEY ("departmentId") REFERENCES "Department" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Member" (
    "departmentId" INTEGER NOT NULL,
    "userId" TEXT NOT NULL,
    "addedBy" TEXT NOT NULL,
    "addedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("departmentId", "userId"),
    CONSTRAINT "Member_departmentId_fkey" FOREIGN KEY ("departmentId") REFERENCES "Department" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Role" (
    "userId" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "grantedBy" TEXT NOT NULL,
    "grantedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("userId", "role")
);

-- CreateTable
CREATE TABLE "Setting" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "value" TEXT NOT NULL,
    "updatedBy" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "CalendarDay" (
    "date" TEXT NOT NULL PRIMARY KEY,
    "kind" TEXT NOT NULL,
    "note" TEXT NOT NULL DEFAULT '',
    "updatedBy" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "Counter" (
    "name" TEXT NOT NULL PRIMARY KEY,
    "value" INTEGER NOT NULL
);

-- CreateTable
CREATE TABLE "Decision" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "source" TEXT NOT NULL,
    "sourceRef" TEXT NOT NULL DEFAULT '',
    "sourceUrl" TEXT,
    "sourceChannelId" TEXT,
    "sourceTs" TEXT,
    "leaderUserId" TEXT,
    "decidedOn" DATETIME NOT NULL,
    "confidentiality" TEXT NOT NULL DEFAULT 'public',
    "text" TEXT NOT NULL,
    "createdBy" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "submissionKey" TEXT NOT NULL,
    "rollupChannelId" TEXT,
    "rollupTs" TEXT
);

-- CreateTable
CREATE TABLE "Task" (
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
    "episodeStartedAt" DATETIME,
    "escalationStep" INTEGER NOT NULL DEFAULT 0,
    "escalatedAt" DATETIME,
    "cardChannelId" TEXT,
    "cardTs" TEXT,
    "version" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Task_decisionId_fkey" FOREIGN KEY ("decisionId") REFERENCES "Decision" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Task_leadDeptId_fkey" FOREIGN KEY ("leadDeptId") REFERENCES "Department" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "TaskCoDept" (
    "taskId" INTEGER NOT NULL,
    "departmentId" INTEGER NOT NULL,

    PRIMARY KEY ("taskId", "departmentId"),
    CONSTRAINT "TaskCoDept_taskId_fkey" FOREIGN KEY ("taskId") REFERENCES "Task" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "TaskCoDept_departmentId_fkey" FOREIGN KEY ("departmentId") REFERENCES "Department" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "TaskTag" (
    "taskId" INTEGER NOT NULL,
    "tag" TEXT NOT NULL,

    PRIMARY KEY ("taskId", "tag"),
    CONSTRAINT "TaskTag_taskId_fkey" FOREIGN KEY ("taskId") REFERENCES "Task" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Report" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "taskId" INTEGER NOT NULL,
    "departmentId" INTEGER,
    "userId" TEXT NOT NULL,
    "kind" TEXT NOT NULL DEFAULT 'report',
    "via" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "progress" INTEGER,
    "blocker" BOOLEAN NOT NULL DEFAULT false,
    "cause" TEXT,
    "doneClaim" BOOLEAN NOT NULL DEFAULT false,
    "perfunctory" BOOLEAN NOT NULL DEFAULT false,
    "starredBy" TEXT,
    "starredAt" DATETIME,
    "channelId" TEXT,
    "ts" TEXT,
    "eventId" TEXT,
    "editedAt" DATETIME,
    "retractedAt" DATETIME,
    "createdAt" DATETIME NOT NULL,
    CONSTRAINT "Report_taskId_fkey" FOREIGN KEY ("taskId") REFERENCES "Task" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Report_departmentId_fkey" FOREIGN KEY ("departmentId") REFERENCES "Department" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Extension" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "taskId" INTEGER NOT NULL,
    "requestedBy" TEXT NOT NULL,
    "requestedAt" DATETIME NOT NULL,
    "oldDueAt" DATETIME NOT NULL,
    "newDueAt" DATETIME NOT NULL,
    "reason" TEXT NOT NULL,
    "late" BOOLEAN NOT NULL DEFAULT false,
    "state" TEXT NOT NULL DEFAULT 'pending',
    "decidedBy" TEXT,
    "decidedAt" DATETIME,
    "note" TEXT NOT NULL DEFAULT '',
    CONSTRAINT "Extension_taskId_fkey" FOREIGN KEY ("taskId") REFERENCES "Task" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Event" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "at" DATETIME NOT NULL,
    "actor" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "taskId" INTEGER,
    "decisionId" INTEGER,
    "before" TEXT,
    "after" TEXT,
    "note" TEXT NOT NULL DEFAULT '',
    CONSTRAINT "Event_taskId_fkey" FOREIGN KEY ("taskId") REFERENCES "Task" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Event_decisionId_fkey" FOREIGN KEY ("decisionId") REFERENCES "Decision" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "OutboxMessage" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "key" TEXT NOT NULL,
    "lane" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME NOT NULL,
    "lastError" TEXT,
    "requestedBy" TEXT,
    "resultTs" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" DATETIME
);

-- CreateTable
CREATE TABLE "JobRun" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "job" TEXT NOT NULL,
    "slot" DATETIME NOT NULL,
    "state" TEXT NOT NULL,
    "owner" TEXT NOT NULL,
    "startedAt" DATETIME NOT NULL,
    "finishedAt" DATETIME,
    "error" TEXT
);

-- CreateTable
CREATE TABLE "InboundEvent" (
    "eventId" TEXT NOT NULL PRIMARY KEY,
    "receivedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "SummarySnapshot" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "period" TEXT NOT NULL,
    "periodKey" TEXT NOT NULL,
    "issueNo" INTEGER,
    "data" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE UNIQUE INDEX "Department_name_key" ON "Department"("name");

-- CreateIndex
CREATE INDEX "DepartmentAlias_departmentId_idx" ON "DepartmentAlias"("departmentId");

-- CreateIndex
CREATE INDEX "Member_userId_idx" ON "Member"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "Decision_submissionKey_key" ON "Decision"("submissionKey");

-- CreateIndex
CREATE INDEX "Task_state_idx" ON "Task"("state");

-- CreateIndex
CREATE INDEX "Task_leadDeptId_state_idx" ON "Task"("leadDeptId", "state");

-- CreateIndex
CREATE INDEX "Task_decisionId_idx" ON "Task"("decisionId");

-- CreateIndex
CREATE UNIQUE INDEX "Task_year_seq_key" ON "Task"("year", "seq");

-- CreateIndex
CREATE INDEX "TaskCoDept_departmentId_idx" ON "TaskCoDept"("departmentId");

-- CreateIndex
CREATE INDEX "TaskTag_tag_idx" ON "TaskTag"("tag");

-- CreateIndex
CREATE INDEX "Report_taskId_createdAt_idx" ON "Report"("taskId", "createdAt");

-- CreateIndex
CREATE INDEX "Report_departmentId_createdAt_idx" ON "Report"("departmentId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Report_channelId_ts_key" ON "Report"("channelId", "ts");

-- CreateIndex
CREATE INDEX "Extension_taskId_state_idx" ON "Extension"("taskId", "state");

-- CreateIndex
CREATE INDEX "Event_taskId_at_idx" ON "Event"("taskId", "at");

-- CreateIndex
CREATE INDEX "Event_at_idx" ON "Event"("at");

-- CreateIndex
CREATE INDEX "Event_type_at_idx" ON "Event"("type", "at");

-- CreateIndex
CREATE UNIQUE INDEX "OutboxMessage_key_key" ON "OutboxMessage"("key");

-- CreateIndex
CREATE INDEX "OutboxMessage_state_nextAttemptAt_idx" ON "OutboxMessage"("state", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "OutboxMessage_lane_state_id_idx" ON "OutboxMessage"("lane", "state", "id");

-- CreateIndex
CREATE UNIQUE INDEX "JobRun_job_slot_key" ON "JobRun"("job", "slot");

-- CreateIndex
CREATE UNIQUE INDEX "SummarySnapshot_period_periodKey_key" ON "SummarySnapshot"("period", "periodKey");


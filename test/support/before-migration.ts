/**
 * Offices written by an older build, to check that a migration carries their data over: SQL
 * that runs on SQLite and PostgreSQL alike, against the schema before the named migration.
 */

/** The migration that added Task.lastReportBlocker, and what it must set on tasks already there. */
export const BLOCKER_FLAG_MIGRATION = "20261201181558_task_last_report_blocker";

const at = "'2026-11-20T01:00:00.000Z'";

/**
 * Three tasks: one whose latest report is a blocker, one whose blocker was followed by a plain
 * report, one with no report. Before the migration, only lastReportId says which report is last.
 */
export const OFFICE_BEFORE_BLOCKER_FLAG: readonly string[] = [
  `INSERT INTO "Department" ("id", "name", "channelId", "active", "createdBy", "createdAt", "updatedAt")
   VALUES (1, '住建局', 'C0HOUSING', true, 'U0ADMIN01', ${at}, ${at})`,
  `INSERT INTO "Decision" ("id", "source", "sourceRef", "leaderUserId", "decidedOn", "confidentiality", "text",
     "createdBy", "createdAt", "submissionKey")
   VALUES (1, 'meeting', '纪要〔2026〕1号', 'U0LEADER1', ${at}, 'public', '（原文）', 'U0SUPER01', ${at}, 'k1')`,
  ...[1, 2, 3].map(
    (
      id,
    ) => `INSERT INTO "Task" ("id", "decisionId", "year", "seq", "title", "leadDeptId", "dueAt", "originalDueAt",
       "state", "dispatchedAt", "dispatchedBy", "lastReportId", "createdAt", "updatedAt")
     VALUES (${id}, 1, 2026, ${id}, '事项${id}', 1, ${at}, ${at}, 'in_progress', ${at}, 'U0SUPER01',
       ${id === 1 ? 2 : id === 2 ? 4 : "NULL"}, ${at}, ${at})`,
  ),
  ...[
    [1, 1, false],
    [2, 1, true],
    [3, 2, true],
    [4, 2, false],
  ].map(
    ([
      id,
      taskId,
      blocker,
    ]) => `INSERT INTO "Report" ("id", "taskId", "userId", "kind", "via", "text", "blocker",
       "doneClaim", "perfunctory", "createdAt")
     VALUES (${id}, ${taskId}, 'U1', 'report', 'thread', '汇报${id}', ${blocker}, false, false,
       '2026-11-2${id}T01:00:00.000Z')`,
  ),
];

/** Each task's flag after the migration: task 1's latest report is its blocker. */
export const BLOCKER_FLAGS_AFTER = [
  { id: 1, lastReportBlocker: true },
  { id: 2, lastReportBlocker: false },
  { id: 3, lastReportBlocker: false },
];

/** Plain shapes the store returns and the services pass around; no Prisma types leak past src/store. */

export interface Department {
  id: number;
  name: string;
  channelId: string;
  active: boolean;
  aliases: string[];
  members: string[];
}

export interface RoleGrant {
  userId: string;
  role: import("./roles.js").RoleName;
}

/** A task with everything its card, lists and lights need. */
export interface TaskView {
  id: number;
  year: number;
  seq: number;
  title: string;
  requirement: string;
  state: import("./task-state.js").TaskState;
  urgent: boolean;
  confidentiality: import("./decision.js").Confidentiality;
  cadence: import("./splitter/splitter.js").Cadence;
  dispatchedAt: Date;
  dispatchedBy: string;
  dueAt: Date;
  originalDueAt: Date;
  ackAt: Date | null;
  ackBy: string | null;
  claimedAt: Date | null;
  closedAt: Date | null;
  extensionCount: number;
  returnCount: number;
  progress: number | null;
  lastSubstantiveAt: Date | null;
  escalationStep: number;
  episodeStartedAt: Date | null;
  /** When the escalation ladder last took a step. */
  escalatedAt: Date | null;
  version: number;
  leadDept: { id: number; name: string; channelId: string; members: string[] };
  coDepts: { id: number; name: string; channelId: string; members: string[] }[];
  tags: string[];
  decision: {
    id: number;
    source: import("./decision.js").DecisionSource;
    sourceRef: string;
    sourceUrl: string | null;
    /** The file the decision was read from (a 会议纪要 .docx), when it came from one. */
    sourceFileName: string | null;
    sourceFileUrl: string | null;
    leaderUserId: string | null;
    decidedOn: Date;
    createdBy: string;
  };
  card: { channelId: string; ts: string; url: string | null } | null;
  lastReport: ReportSummary | null;
  /** The blocker reported and not yet lifted by a later report. */
  openBlocker: { since: Date; cause: string | null; text: string } | null;
  pendingExtension: {
    id: number;
    newDueAt: Date;
    reason: string;
    requestedBy: string;
    requestedAt: Date;
    late: boolean;
  } | null;
  /** 协调事项 not yet closed: the department asked, since when, by when, and whether it answered. */
  coordinations: {
    id: number;
    answered: boolean;
    openedAt: Date;
    replyBy: Date;
    department: { id: number; name: string };
  }[];
}

/** A file shared with a report (a scanned document, a photo): evidence, kept by reference to Slack. */
export interface SharedFile {
  /** Slack's file ID. */
  fileId: string;
  name: string;
  title: string;
  mimetype: string;
  size: number | null;
  /** The file's link in Slack. */
  permalink: string | null;
}

/** A file shared in a task's thread, with the report it came with. */
export interface TaskFile extends SharedFile {
  reportId: number;
  userId: string;
  at: Date;
}

export interface ReportSummary {
  id: number;
  userId: string;
  text: string;
  progress: number | null;
  blocker: boolean;
  cause: string | null;
  perfunctory: boolean;
  doneClaim: boolean;
  starred: boolean;
  starredBy: string | null;
  at: Date;
  /** Files shared with it. */
  files: Pick<SharedFile, "name" | "permalink">[];
}

/** A decision with its tasks, for the rollup. */
export interface DecisionView {
  id: number;
  source: import("./decision.js").DecisionSource;
  sourceRef: string;
  sourceUrl: string | null;
  sourceChannelId: string | null;
  sourceTs: string | null;
  leaderUserId: string | null;
  decidedOn: Date;
  confidentiality: import("./decision.js").Confidentiality;
  text: string;
  createdBy: string;
  rollup: { channelId: string; ts: string } | null;
  tasks: TaskView[];
}

/** A report (or comment, or claim) as recorded. */
export interface StoredReport {
  id: number;
  taskId: number;
  departmentId: number | null;
  userId: string;
  kind: "report" | "comment" | "claim";
  via: "thread" | "modal";
  text: string;
  progress: number | null;
  blocker: boolean;
  cause: import("./report-reading.js").Cause | null;
  doneClaim: boolean;
  perfunctory: boolean;
  starredBy: string | null;
  channelId: string | null;
  ts: string | null;
  retractedAt: Date | null;
  createdAt: Date;
}

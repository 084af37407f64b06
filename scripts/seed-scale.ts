/**
 * Seeds a SQLite database the size of a large office, for the benchmark (`npm run bench`) and
 * for trying summaries and exports at scale:
 *
 *   npx tsx scripts/seed-scale.ts [file] [--departments 200] [--tasks 20000] [--reports 500000]
 *
 * A year of work up to Monday 14 December 2026 09:00 (Beijing), reproducible (a fixed seed):
 * 200 departments with two members each, decisions of ten tasks, tasks due 10–90 days after
 * dispatch (most of the old ones closed, on time or late), a weekly cadence on 40% of them,
 * 民生 on 15%, confidential on 5%; ~25 reports per task between dispatch and closure, 3%
 * with a blocker, 5% 走过场, 1% starred; returns on 2% of the tasks. Rows are written with one
 * prepared statement per table inside one transaction (Prisma's createMany would take minutes).
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { startOfDay } from "../src/domain/time.js";
import { openDatabase } from "../src/store/database.js";

export interface ScaleOptions {
  departments: number;
  tasks: number;
  reports: number;
}

export const DEFAULT_SCALE: ScaleOptions = { departments: 200, tasks: 20_000, reports: 500_000 };
const TZ = "Asia/Shanghai";
/** The moment the seeded office stands at: a Monday morning, when the weekly summary runs. */
export const SCALE_NOW = new Date(startOfDay("2026-12-14", TZ).getTime() + 9 * 3_600_000);
const DAY = 86_400_000;

/** A small fast PRNG (mulberry32): the same database every time. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Dates as Prisma's SQLite adapter writes them. */
const iso = (d: Date | number) => new Date(d).toISOString().replace("Z", "+00:00");
const dayEnd = (ms: number) =>
  startOfDay(new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10), TZ).getTime() + DAY;

export async function seedScale(file: string, options: ScaleOptions = DEFAULT_SCALE): Promise<void> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(`${file}${suffix}`, { force: true });
  // Migrations first, exactly as the bot applies them.
  const migrated = await openDatabase(`file:${file}`);
  await migrated.close();

  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = OFF");
  const rand = random(20261214);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T;
  const now = SCALE_NOW.getTime();
  const created = iso(now - 400 * DAY);

  const insertDept = db.prepare(
    'INSERT INTO "Department" (id, name, channelId, active, createdBy, createdAt, updatedAt) VALUES (?, ?, ?, 1, ?, ?, ?)',
  );
  const insertMember = db.prepare(
    'INSERT INTO "Member" (departmentId, userId, addedBy, addedAt) VALUES (?, ?, ?, ?)',
  );
  const insertDecision = db.prepare(
    'INSERT INTO "Decision" (id, source, sourceRef, leaderUserId, decidedOn, confidentiality, text, createdBy, createdAt, submissionKey) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const insertTask = db.prepare(
    `INSERT INTO "Task" (id, decisionId, year, seq, title, requirement, leadDeptId, dueAt, originalDueAt, cadence, urgent,
      confidentiality, state, dispatchedAt, dispatchedBy, ackAt, ackBy, claimedAt, closedAt, extensionCount, returnCount,
      progress, lastSubstantiveAt, lastReportId, lastReportBlocker, createdAt, updatedAt)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertCo = db.prepare('INSERT OR IGNORE INTO "TaskCoDept" (taskId, departmentId) VALUES (?, ?)');
  const insertTag = db.prepare('INSERT INTO "TaskTag" (taskId, tag) VALUES (?, ?)');
  const insertReport = db.prepare(
    `INSERT INTO "Report" (id, taskId, departmentId, userId, kind, via, text, progress, blocker, cause, doneClaim,
      perfunctory, starredBy, starredAt, createdAt) VALUES (?, ?, ?, ?, ?, 'thread', ?, ?, ?, ?, 0, ?, ?, ?, ?)`,
  );
  const insertEvent = db.prepare(
    'INSERT INTO "Event" (at, actor, type, taskId, before, after, note) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const insertCounter = db.prepare('INSERT OR REPLACE INTO "Counter" (name, value) VALUES (?, ?)');

  const member = (dept: number, n: number) => `U${String(dept).padStart(5, "0")}M${n}`;
  const CAUSES = ["funding", "policy", "coordination", "staffing", "other"] as const;
  const TOPICS = [
    "老旧小区改造",
    "城中村改造",
    "公交站台整治",
    "冬季供暖",
    "营商环境",
    "河道治理",
    "安全生产检查",
    "数字政府",
  ];
  const seqByYear = new Map<number, number>();

  db.transaction(() => {
    for (let d = 1; d <= options.departments; d++) {
      insertDept.run(d, `第${d}单位`, `C${String(d).padStart(8, "0")}`, "U0ADMIN01", created, created);
      for (const n of [1, 2]) insertMember.run(d, member(d, n), "U0ADMIN01", created);
    }
    const reportsPerTask = options.reports / options.tasks;
    let reportId = 0;
    let decisionId = 0;
    for (let id = 1; id <= options.tasks; id++) {
      const dispatched = now - Math.floor(rand() * 365 * DAY);
      if ((id - 1) % 10 === 0) {
        decisionId++;
        insertDecision.run(
          decisionId,
          pick(["meeting", "instruction", "document"]),
          `市政府常务会议纪要〔2026〕${decisionId}号`,
          "U0LEADER1",
          iso(startOfDay(new Date(dispatched + 8 * 3_600_000).toISOString().slice(0, 10), TZ)),
          rand() < 0.05 ? "secret" : "public",
          "（基准测试生成的决策原文）",
          "U0SUPER01",
          iso(dispatched),
          `bench-${decisionId}`,
        );
      }
      const year = new Date(dispatched + 8 * 3_600_000).getUTCFullYear();
      const seq = (seqByYear.get(year) ?? 0) + 1;
      seqByYear.set(year, seq);
      const lead = 1 + Math.floor(rand() * options.departments);
      const due = dayEnd(dispatched + (10 + Math.floor(rand() * 80)) * DAY);
      const weekly = rand() < 0.4;
      // Old tasks are mostly done, some late; recent ones are under way.
      let state = "in_progress";
      let claimed: number | null = null;
      let closed: number | null = null;
      const roll = rand();
      if (due < now && roll < 0.85) {
        state = "closed";
        claimed = Math.min(now - DAY, due - DAY * 3 + Math.floor(rand() * 10 * DAY));
        closed = Math.min(now - 3_600_000, claimed + DAY);
      } else if (roll > 0.95) {
        state = "dispatched";
      } else if (roll > 0.9) {
        state = "pending_review";
        claimed = now - Math.floor(rand() * 3 * DAY);
      }
      const ack = state === "dispatched" ? null : dispatched + Math.floor(rand() * 2 * DAY);
      const end = closed ?? claimed ?? now;
      const count = Math.max(0, Math.round(reportsPerTask * (0.5 + rand())));
      let progress = 0;
      let lastSubstantive: number | null = null;
      let lastReport: number | null = null;
      let lastBlocker = 0;
      const times = Array.from(
        { length: count },
        () => dispatched + rand() * Math.max(0, end - dispatched),
      ).sort((a, b) => a - b);
      const reportRows: unknown[][] = [];
      for (const at of times) {
        reportId++;
        const blocker = rand() < 0.03;
        const perfunctory = rand() < 0.05;
        const starred = rand() < 0.01;
        if (!perfunctory) progress = Math.min(100, progress + Math.floor(rand() * 12));
        reportRows.push([
          reportId,
          id,
          lead,
          member(lead, 1 + Math.floor(rand() * 2)),
          "report",
          perfunctory ? "正在推进" : `进度${progress}%，${pick(TOPICS)}工作按计划推进，本周完成阶段任务`,
          perfunctory ? null : progress,
          blocker ? 1 : 0,
          blocker ? pick(CAUSES) : null,
          perfunctory ? 1 : 0,
          starred ? "U0SUPER01" : null,
          starred ? iso(Math.min(now, at + DAY)) : null,
          iso(at),
        ]);
        if (!perfunctory) lastSubstantive = at;
        lastReport = reportId;
        lastBlocker = blocker ? 1 : 0;
      }
      const returned = rand() < 0.02 && state !== "dispatched" ? 1 : 0;
      insertTask.run(
        id,
        decisionId,
        year,
        seq,
        `${pick(TOPICS)}第${id}项督办事项`,
        "按期完成并报送办理结果",
        lead,
        iso(due),
        iso(due),
        weekly ? "weekly" : "none",
        rand() < 0.05 ? "secret" : "public",
        state,
        iso(dispatched),
        "U0SUPER01",
        ack === null ? null : iso(ack),
        ack === null ? null : member(lead, 1),
        claimed === null ? null : iso(claimed),
        closed === null ? null : iso(closed),
        0,
        returned,
        lastSubstantive === null ? null : progress,
        lastSubstantive === null ? null : iso(lastSubstantive),
        lastReport,
        lastBlocker,
        iso(dispatched),
        iso(end),
      );
      for (const row of reportRows) insertReport.run(...row);
      for (let c = 0; c < Math.floor(rand() * 3); c++) {
        const co = 1 + Math.floor(rand() * options.departments);
        if (co !== lead) insertCo.run(id, co);
      }
      if (rand() < 0.15) insertTag.run(id, "民生");
      if (returned) {
        const at = dispatched + (end - dispatched) / 2;
        insertEvent.run(
          iso(at),
          "U0SUPER01",
          "task.returned",
          id,
          '{"state":"pending_review"}',
          '{"state":"in_progress"}',
          "材料不全",
        );
      }
    }
    for (const [year, value] of seqByYear) insertCounter.run(`task:${year}`, value);
    db.prepare('INSERT OR REPLACE INTO "Setting" (key, value, updatedBy, updatedAt) VALUES (?, ?, ?, ?)').run(
      "channel.leadership",
      JSON.stringify("C0LEADERS"),
      "U0ADMIN01",
      created,
    );
  })();
  db.pragma("wal_checkpoint(TRUNCATE)");
  db.close();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const option = (name: string, fallback: number) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? Number(args[i + 1]) : fallback;
  };
  const file = args.find((a, i) => !a.startsWith("--") && !args[i - 1]?.startsWith("--")) ?? "data/scale.db";
  const options = {
    departments: option("departments", DEFAULT_SCALE.departments),
    tasks: option("tasks", DEFAULT_SCALE.tasks),
    reports: option("reports", DEFAULT_SCALE.reports),
  };
  const started = performance.now();
  await seedScale(file, options);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    `${file}: ${options.departments} departments, ${options.tasks} tasks, ~${options.reports} reports in ${seconds} s`,
  );
}

import { workdaysBetween } from "../domain/calendar.js";
import { AppError } from "../domain/errors.js";
import type { LedgerFilter } from "../domain/ledger.js";
import { decideOffice } from "../domain/lifecycle.js";
import { computeLight, lightFactsOf } from "../domain/lights.js";
import { type OutboxRequest, owe } from "../domain/outbox.js";
import {
  currentPeriod,
  type Period,
  type PeriodKind,
  periodBefore,
  previousPeriod,
} from "../domain/period.js";
import { maySeeScoreOf } from "../domain/permissions.js";
import {
  type DepartmentMark,
  type DepartmentScore,
  rankDepartments,
  type ScoringTask,
  scoreDepartments,
} from "../domain/scoring.js";
import { readSettings, type SummarySettings, summarySettingsOf } from "../domain/settings.js";
import { composeSummary, type OpenTaskFacts, type Summary, snapshotOf } from "../domain/summary.js";
import { localDateOf } from "../domain/time.js";
import { inTurn } from "../store/in-turn.js";
import type { Repositories } from "../store/store.js";
import type { TaskInfoRow } from "../store/summaries.js";
import { loadViewer, requireOffice } from "./access.js";
import { infoStandings } from "./information.js";
import { type LightSetup, loadLightSetup } from "./lights.js";
import type { ServiceDeps } from "./ports.js";
import { oweRectifications, type RectificationWords } from "./rectifications.js";
import { sharedResultsOf } from "./score-cache.js";

/** Reads of a whole period may take longer than a click's transaction. */
export const READ_TIMEOUT_MS = 60_000;

export interface ScoredPeriod {
  period: Period;
  scores: DepartmentScore[];
  departments: { id: number; name: string }[];
}

export async function summarySettings(tx: Repositories): Promise<SummarySettings> {
  return summarySettingsOf(readSettings(await tx.settings.all()));
}

/** The period a command asks for: the one running now, up to now. */
export function periodFor(
  deps: ServiceDeps,
  kind: PeriodKind,
  which: "current" | "previous" = "current",
): Period {
  const now = deps.clock.now();
  return which === "current"
    ? currentPeriod(kind, now, deps.timeZone)
    : previousPeriod(kind, now, deps.timeZone);
}

export function scoreAll(
  deps: Pick<ServiceDeps, "timeZone">,
  input: {
    tasks: readonly ScoringTask[];
    departments: readonly { id: number }[];
    period: Period;
    setup: LightSetup;
    settings: SummarySettings;
    marks: readonly DepartmentMark[];
  },
): DepartmentScore[] {
  const { setup, settings } = input;
  return scoreDepartments(
    input.tasks,
    input.departments.map((d) => d.id),
    input.period,
    {
      tz: deps.timeZone,
      calendar: setup.calendar,
      thresholds: setup.thresholds,
      minSample: settings.minSample,
    },
    input.marks,
  );
}

/**
 * Every department's score in a period, with the items behind it. Worked out once and shared
 * while the data stays as it was (services/score-cache.ts): people asking for scores together,
 * and one after another with nothing reported between, are answered from one reading.
 */
export async function scorePeriod(deps: ServiceDeps, period: Period): Promise<ScoredPeriod> {
  const where = await deps.store.read((tx) => whereScoresStand(deps, tx, period));
  return scoredAt(deps, period, where);
}

/** What a period's shared scores are stamped with (services/score-cache.ts), read in the caller's transaction. */
interface ScoresStand {
  watermark: string;
  marks: DepartmentMark[];
}

async function whereScoresStand(deps: ServiceDeps, tx: Repositories, period: Period): Promise<ScoresStand> {
  return {
    watermark: await tx.summaries.watermark(),
    marks: await tx.summaries.departmentMarks(period, deps.clock.now()),
  };
}

/** Where a period's shared scores are kept, and what they are stamped with (services/score-cache.ts). */
function sharedKey(period: Period, where: ScoresStand): { key: string; stamp: string } {
  return {
    key: `${period.kind}:${period.key}:${period.start.getTime()}:${period.end.getTime()}`,
    stamp: `${where.watermark}|${where.marks.map((l) => `${l.departmentId}:${l.taskId}:${l.rule}`).join(",")}`,
  };
}

/** Works a period's scores out: on the scores' own thread (scoring-worker.ts), or here without one. */
export function workOutScores(
  deps: Pick<ServiceDeps, "store" | "timeZone">,
  period: Period,
  marks: readonly DepartmentMark[],
): Promise<ScoredPeriod> {
  return deps.store.read(async (tx) => {
    const [setup, settings, departments, tasks] = await inTurn([
      () => loadLightSetup(tx),
      () => summarySettings(tx),
      () => tx.departments.listAll(),
      () => tx.summaries.scoringTasks(period),
    ]);
    const scores = scoreAll(deps, { tasks, departments, period, setup, settings, marks });
    return { period, scores, departments: departments.map((d) => ({ id: d.id, name: d.name })) };
  }, READ_TIMEOUT_MS);
}

/** The period's scores as shared for this stamp, worked out when they are not. */
function scoredAt(deps: ServiceDeps, period: Period, where: ScoresStand): Promise<ScoredPeriod> {
  const { marks } = where;
  const { key, stamp } = sharedKey(period, where);
  return sharedResultsOf<ScoredPeriod>(deps.store).get(key, stamp, () =>
    deps.scoring ? deps.scoring.score(period, marks) : workOutScores(deps, period, marks),
  );
}

/**
 * The tasks behind a department's score items (number, title), kept with the shared scores they
 * belong to: they hold as long as those scores do, and go with them.
 */
const itemTasks = new WeakMap<ScoredPeriod, Map<number, Promise<TaskInfoRow[]>>>();
function itemTasksOf(
  deps: ServiceDeps,
  scored: ScoredPeriod,
  score: DepartmentScore,
): Promise<TaskInfoRow[]> {
  let byDepartment = itemTasks.get(scored);
  if (!byDepartment) {
    byDepartment = new Map();
    itemTasks.set(scored, byDepartment);
  }
  let found = byDepartment.get(score.departmentId);
  if (!found) {
    found = deps.store.read((tx) => readItemTasks(tx, score));
    byDepartment.set(score.departmentId, found);
    found.catch(() => byDepartment?.delete(score.departmentId));
  }
  return found;
}

function readItemTasks(tx: Repositories, score: DepartmentScore): Promise<TaskInfoRow[]> {
  return tx.summaries.taskInfo([...new Set(score.items.map((i) => i.taskId))]);
}

/** The same, read in the caller's transaction when they are not kept yet. */
async function itemTasksIn(tx: Repositories, scored: ScoredPeriod, score: DepartmentScore): Promise<void> {
  let byDepartment = itemTasks.get(scored);
  if (!byDepartment) {
    byDepartment = new Map();
    itemTasks.set(scored, byDepartment);
  }
  if (byDepartment.has(score.departmentId)) return;
  const rows = await readItemTasks(tx, score);
  // Task numbers and titles as the shared scores' stamp saw them: a change to them writes an
  // audit event, which makes new scores, and these go with the old.
  byDepartment.set(score.departmentId, Promise.resolve(rows));
}

/**
 * The 抓两头带中间 summary of a period: scores, the two ends and the middle, 难点 and 热点,
 * compared with the summary posted for the period before.
 */
export async function buildSummary(
  deps: ServiceDeps,
  period: Period,
  options: { issueNo?: number | null } = {},
): Promise<Summary> {
  const now = deps.clock.now();
  return deps.store.read(async (tx) => {
    const settings = await summarySettings(tx);
    // Open tasks' lights as stored where they hold now (the daily run and every change keep
    // them), worked out afresh for the rest: the same rule either way (services/lights.ts).
    const [setup, departments, tasks, holding, stale, previous] = await inTurn([
      () => loadLightSetup(tx),
      () => tx.departments.listAll(),
      () => tx.summaries.scoringTasks(period),
      () => tx.taskLights.openWithStoredLight(now, { tags: settings.hotTags }),
      () => tx.taskLights.openSlim({ tags: settings.hotTags, staleAt: now }),
      () => tx.summaries.snapshot(period.kind, periodBefore(period, deps.timeZone).key),
    ]);
    const lightContext = { now, tz: deps.timeZone, calendar: setup.calendar, thresholds: setup.thresholds };
    const openFacts: OpenTaskFacts[] = [
      ...holding,
      ...stale.map((task) => ({
        id: task.id,
        year: task.year,
        seq: task.seq,
        title: task.title,
        confidentiality: task.confidentiality,
        leadDeptId: task.leadDept.id,
        dueAt: task.dueAt,
        tags: task.tags,
        ...computeLight(lightFactsOf(task), lightContext),
        blocker: task.openBlocker,
        url: task.card?.url ?? null,
      })),
    ].sort((a, b) => a.id - b.id);
    const marks = await tx.summaries.departmentMarks(period, now);
    const scores = scoreAll(deps, { tasks, departments, period, setup, settings, marks });
    // Starred reports are quoted under the best departments only: only theirs are read.
    const best = rankDepartments(scores, settings.ends).best.map((s) => s.departmentId);
    const starred = await tx.summaries.starredIn(period, best);
    const openIds = new Set(openFacts.map((t) => t.id));
    const info = await tx.summaries.taskInfo([
      ...new Set(starred.map((s) => s.taskId).filter((id) => !openIds.has(id))),
    ]);
    const previousKey = periodBefore(period, deps.timeZone).key;
    const today = localDateOf(now, deps.timeZone);
    const coordinations = (await tx.coordinations.list()).map((c) => ({
      taskId: c.task.id,
      year: c.task.year,
      seq: c.task.seq,
      title: c.task.title,
      confidentiality: c.task.confidentiality,
      url: c.task.cardUrl,
      from: c.fromDept.name,
      to: c.toDept.name,
      workdays: workdaysBetween(setup.calendar, localDateOf(c.openedAt, deps.timeZone), today),
      answered: c.state === "answered",
    }));
    const flaggedMarks = marks.filter(
      (mark): mark is DepartmentMark & { rule: "relapsed" | "falseClaim" } =>
        mark.rule === "relapsed" || mark.rule === "falseClaim",
    );
    const flaggedInfo = new Map(
      (await tx.summaries.taskInfo([...new Set(flaggedMarks.map((mark) => mark.taskId))])).map((t) => [
        t.id,
        t,
      ]),
    );
    const names = new Map(departments.map((d) => [d.id, d.name]));
    const flagged = flaggedMarks.flatMap((mark) => {
      const task = flaggedInfo.get(mark.taskId);
      if (!task) return [];
      return [
        {
          department: names.get(mark.departmentId) ?? "",
          rule: mark.rule,
          year: task.year,
          seq: task.seq,
          title: task.confidentiality === "secret" ? null : task.title,
          url: task.url,
        },
      ];
    });
    const lastIssue = period.kind === "month" ? (previous?.issueNo ?? null) : null;
    const rectifications =
      lastIssue === null
        ? []
        : (await tx.rectifications.ofIssue(lastIssue)).map((r) => ({
            issueNo: lastIssue,
            department: names.get(r.departmentId) ?? "",
            year: r.year,
            seq: r.seq,
            done: r.state === "closed" || r.claimedAt !== null,
          }));
    const information = (await infoStandings(tx, period, settings.ends, now)).rows.map((r) => ({
      name: r.name,
      score: r.score,
      rank: r.rank,
      sent: r.sent,
      adopted: r.adopted,
      late: r.late,
      missed: r.missed,
    }));
    return composeSummary({
      information,
      flagged,
      rectifications,
      coordinations,
      period,
      generatedAt: now,
      tz: deps.timeZone,
      departments,
      tasks,
      scores,
      open: openFacts,
      starred,
      taskInfo: new Map(info.map((t) => [t.id, t])),
      previous: previous ? { key: previousKey, data: previous.data } : null,
      hotTags: settings.hotTags,
      ends: settings.ends,
      minSample: settings.minSample,
      issueNo: options.issueNo ?? null,
    });
  }, READ_TIMEOUT_MS);
}

/** Where summaries go: the leadership channel, else the supervision channel. */
async function summaryChannel(tx: Repositories): Promise<string | null> {
  const settings = readSettings(await tx.settings.all());
  return settings.leadershipChannel ?? settings.supervisionChannel;
}

export interface PostedSummary {
  skipped?: "no_channel" | "already_posted";
  channel?: string;
  issueNo?: number | null;
  summary?: Summary;
}

/**
 * The ledger that goes with a summary: every task of the period, with the scores; with the
 * summary as a 督查通报 Word document when it is a bulletin or was posted on demand.
 */
function ledgerRequest(
  channel: string,
  summary: Summary,
  occasion: string,
  options: { document: boolean },
): OutboxRequest {
  return owe.ledgerWithSummary(occasion, {
    channel,
    filter: { period: { kind: summary.kind, start: summary.start, end: summary.end, key: summary.key } },
    issueNo: summary.issueNo,
    reason: options.document ? "bulletin" : "overflow",
    ...(options.document ? { summary } : {}),
  });
}

/**
 * Where a summary goes besides `main` (the leadership channel), by the 通报范围 setting: every
 * active unit's channel, or the one 通报 channel, or nowhere. A channel is posted to once.
 */
async function bulletinChannels(tx: Repositories, main: string): Promise<string[]> {
  const scope = readSettings(await tx.settings.all()).bulletinScope;
  const channels =
    scope.to === "units"
      ? (await tx.departments.listActive()).map((d) => d.channelId)
      : scope.to === "channel"
        ? [scope.channel]
        : [];
  return [...new Set(channels)].filter((c) => c !== main);
}

/**
 * A scheduled summary: the weekly one (抓两头带中间) or the monthly bulletin (督查通报 第N期,
 * with the ledger). The period is the whole one before the run; its summary is recorded so the
 * next one can compare, and owed to the outbox in the same transaction, so a slot posts once.
 */
export async function postScheduledSummary(
  deps: ServiceDeps,
  input: { kind: "week" | "month"; rectificationWords?: RectificationWords },
): Promise<PostedSummary> {
  const period = previousPeriod(input.kind, deps.clock.now(), deps.timeZone);
  const already = await deps.store.read((tx) => tx.summaries.snapshot(period.kind, period.key));
  if (already) return { skipped: "already_posted" };
  const summary = await buildSummary(deps, period);
  const result = await deps.store.transaction(async (tx): Promise<PostedSummary> => {
    const channel = await summaryChannel(tx);
    if (!channel) return { skipped: "no_channel" };
    const issueNo = input.kind === "month" ? await tx.summaries.nextBulletinNo() : null;
    const numbered: Summary = { ...summary, issueNo };
    if (!(await tx.summaries.saveSnapshot(period.kind, period.key, snapshotOf(numbered), issueNo))) {
      throw new AppError("summary_conflict", { key: period.key });
    }
    const key = `${period.kind}:${period.key}`;
    await tx.outbox.enqueue(owe.summaryPost(key, channel, numbered));
    if (numbered.bars.length > 0) await tx.outbox.enqueue(owe.chartUpload(key, channel, numbered));
    // 通报范围: the units see the two ends too (抓两头带中间 works only if the middle sees them).
    for (const unitChannel of await bulletinChannels(tx, channel)) {
      const occasion = `${key}:to:${unitChannel}`;
      await tx.outbox.enqueue(owe.summaryPost(occasion, unitChannel, numbered));
      if (numbered.bars.length > 0) await tx.outbox.enqueue(owe.chartUpload(occasion, unitChannel, numbered));
      if (issueNo !== null) await tx.outbox.enqueue(owe.bulletinDocx(occasion, unitChannel, numbered));
    }
    // 整改: each unit the bulletin names among the worst answers with its 整改措施, as a task.
    if (issueNo !== null && input.rectificationWords)
      await oweRectifications(deps, tx, {
        summary: numbered,
        issueNo,
        now: deps.clock.now(),
        words: input.rectificationWords,
      });
    if (input.kind === "month" || numbered.overflow)
      await tx.outbox.enqueue(ledgerRequest(channel, numbered, key, { document: input.kind === "month" }));
    await tx.events.append({
      at: deps.clock.now(),
      actor: "system",
      type: "summary.posted",
      after: { period: period.kind, key: period.key, channel, issueNo },
    });
    return { channel, issueNo, summary: numbered };
  });
  if (result.channel) deps.outbox.kick();
  return result;
}

/**
 * A supervisor posts a summary they looked at (`/ducha summary` → 发布): the period up to now,
 * to the leadership channel, with the ledger when something did not fit.
 */
export async function postSummaryNow(
  deps: ServiceDeps,
  input: { actor: string; kind: PeriodKind; requestKey: string },
): Promise<{ channel: string; summary: Summary }> {
  // The button is checked again when clicked: a role may have changed since it was shown.
  await deps.store.read((tx) => requireOffice(deps, tx, input.actor, "post_summary"));
  const summary = await buildSummary(deps, periodFor(deps, input.kind));
  const channel = await deps.store.transaction(async (tx) => {
    const target = await summaryChannel(tx);
    if (!target) throw new AppError("summary_channel_unset", {});
    const key = `${input.kind}:${summary.key}:${input.requestKey}`;
    await tx.outbox.enqueue(owe.summaryPost(key, target, summary, input.actor));
    if (summary.kind !== "year" && summary.bars.length > 0)
      await tx.outbox.enqueue(owe.chartUpload(key, target, summary));
    // Posted on demand, a summary goes as a 督查通报 too: the Word document with its ledger.
    await tx.outbox.enqueue(ledgerRequest(target, summary, key, { document: true }));
    await tx.events.append({
      at: deps.clock.now(),
      actor: input.actor,
      type: "summary.posted",
      after: { period: input.kind, key: summary.key, channel: target },
    });
    return target;
  });
  deps.outbox.kick();
  return { channel, summary };
}

/** `/ducha summary`: the period so far, for someone who oversees the work. */
export async function summaryForViewer(
  deps: ServiceDeps,
  input: { actor: string; kind: PeriodKind; which?: "current" | "previous" },
): Promise<{ summary: Summary; canPost: boolean }> {
  const { roles } = await deps.store.read((tx) => requireOffice(deps, tx, input.actor, "view_summary"));
  const summary = await buildSummary(deps, periodFor(deps, input.kind, input.which));
  return { summary, canPost: decideOffice("post_summary", roles).allowed };
}

export interface DepartmentScoreView {
  period: Period;
  department: { id: number; name: string };
  score: DepartmentScore;
  rank: number | null;
  ranked: number;
  minSample: number;
  tasks: Map<number, { year: number; seq: number; title: string; confidentiality: string }>;
  /** The light setup read with the score, for drawing it (no further transaction). */
  setup: LightSetup;
}

/** `/ducha score DEPT [period]` (`得分`): a department's score and the items behind it. */
export async function departmentScore(
  deps: ServiceDeps,
  input: {
    actor: string;
    /** A department's name or alias, or the asker's own (本单位). */
    department: string | { own: true };
    kind: PeriodKind;
    which?: "current" | "previous";
  },
): Promise<DepartmentScoreView> {
  const period = periodFor(deps, input.kind, input.which);
  const asked = typeof input.department === "string" ? input.department : "";
  // One reading answers a department's score when the period's scores are shared already.
  const { department, minSample, where, setup } = await deps.store.read(async (tx) => {
    // A unit's members see their own unit's score and items (抓两头带中间 works only if the middle
    // sees where it stands); another unit's items stay with the office.
    const viewer = await loadViewer(deps, tx, input.actor);
    let found: Awaited<ReturnType<typeof tx.departments.findById>>;
    if (typeof input.department === "string") {
      found = await tx.departments.findByNameOrAlias(input.department);
      if (!found) {
        await requireOffice(deps, tx, input.actor, "score");
        throw new AppError("dept_not_found", { name: input.department });
      }
      if (!maySeeScoreOf(viewer, found.id)) await requireOffice(deps, tx, input.actor, "score");
    } else {
      const [own] = [...viewer.departmentIds].sort((a, b) => a - b);
      if (own === undefined) throw new AppError("no_department", {});
      found = await tx.departments.findById(own);
      if (!found) throw new AppError("no_department", {});
    }
    const stands = await whereScoresStand(deps, tx, period);
    // The scores shared already: the department's items are read here, not in a transaction of
    // their own (on SQLite each waits its turn behind every request in flight).
    const { key, stamp } = sharedKey(period, stands);
    const shared = sharedResultsOf<ScoredPeriod>(deps.store).peek(key, stamp);
    const score = shared?.scores.find((s) => s.departmentId === found.id);
    if (shared && score) await itemTasksIn(tx, shared, score);
    return {
      department: found,
      minSample: (await summarySettings(tx)).minSample,
      where: stands,
      setup: await loadLightSetup(tx),
    };
  });
  const scored = await scoredAt(deps, period, where);
  const ranking = rankDepartments(scored.scores);
  const score = scored.scores.find((s) => s.departmentId === department.id);
  if (!score) throw new AppError("dept_not_found", { name: asked || department.name });
  const index = ranking.order.findIndex((s) => s.departmentId === department.id);
  const info = await itemTasksOf(deps, scored, score);
  return {
    period: scored.period,
    department: { id: department.id, name: department.name },
    score,
    rank: index >= 0 ? index + 1 : null,
    ranked: ranking.order.length,
    minSample,
    tasks: new Map(info.map((t) => [t.id, t])),
    setup,
  };
}

/** What `/ducha export` asks for, as typed: resolved to a ledger filter by requestExport. */
export interface ExportRequest {
  period?: { kind: PeriodKind; which: "current" | "previous" };
  open?: boolean;
  light?: "red" | "yellow";
  stalled?: boolean;
  /** A department's name or alias. */
  department?: string;
}

/**
 * `/ducha export [filters]` (`导出`): the ledger, built and sent by DM through the outbox, so a
 * large export neither holds up the command nor is lost if Slack is away. Returns how many
 * tasks the filter selects (before lights), for the progress message, and the department's name.
 */
export async function requestExport(
  deps: ServiceDeps,
  input: {
    actor: string;
    request: ExportRequest;
    label: (department?: string) => string;
    requestKey: string;
  },
): Promise<{ count: number; label: string }> {
  const result = await deps.store.transaction(async (tx) => {
    await requireOffice(deps, tx, input.actor, "export");
    const { request } = input;
    const filter: LedgerFilter = {};
    if (request.period) {
      const { kind, key, start, end } = periodFor(deps, request.period.kind, request.period.which);
      filter.period = { kind, key, start, end };
    }
    if (request.open) filter.open = true;
    if (request.light) filter.light = request.light;
    if (request.stalled) filter.stalled = true;
    let departmentName: string | undefined;
    if (request.department !== undefined) {
      const department = await tx.departments.findByNameOrAlias(request.department);
      if (!department?.active) throw new AppError("dept_not_found", { name: request.department });
      filter.departmentId = department.id;
      departmentName = department.name;
    }
    const label = input.label(departmentName);
    const count = await tx.ledger.countTasks(filter);
    if (count === 0) return { count, label };
    await tx.outbox.enqueue(
      owe.ledgerExport(input.actor, input.requestKey, {
        filter,
        reason: "export",
        label,
        // A DM to someone who oversees the work: confidential titles are theirs to see.
        revealSecret: true,
      }),
    );
    await tx.events.append({
      at: deps.clock.now(),
      actor: input.actor,
      type: "ledger.exported",
      after: { filter, count },
    });
    return { count, label };
  });
  if (result.count > 0) deps.outbox.kick();
  return result;
}

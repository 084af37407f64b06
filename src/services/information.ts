import type { Confidentiality } from "../domain/decision.js";
import { AppError } from "../domain/errors.js";
import {
  followUpOwed,
  type InfoCategory,
  type InfoReportView,
  type InfoUrgency,
  infoLimitMinutes,
  isLate,
  occurredProblem,
  scoreInformation,
} from "../domain/information.js";
import type { Department } from "../domain/model.js";
import { type OutboxRequest, owe } from "../domain/outbox.js";
import type { Viewer } from "../domain/permissions.js";
import { hasAnyRole, OVERSEEING_ROLES, SUPERVISING_ROLES } from "../domain/roles.js";
import { rankDepartments } from "../domain/scoring.js";
import { readSettings, summarySettingsOf } from "../domain/settings.js";
import { localDateOf, startOfDay, yearOf } from "../domain/time.js";
import type { Repositories } from "../store/store.js";
import { loadViewer } from "./access.js";
import { loadLightSetup } from "./lights.js";
import type { ServiceDeps } from "./ports.js";

/**
 * 信息报送 (DESIGN: 信息报送), the office's second duty beside 督查: a unit reports an event up
 * (初报) within hours of it, follows it up (续报) to the end (终报); the office 精选s each (采用 into
 * the day's 要情, 不采用, 退回补充) and may ask for a 续报 by a time, which climbs a ladder when owed;
 * 迟报 and 漏报 are counted. Every message goes through the outbox.
 */

const isOffice = (viewer: Viewer) => hasAnyRole(viewer.roles, SUPERVISING_ROLES);

/** The units a person may report for: their own, or every active one for the office. */
export async function reportingUnits(deps: ServiceDeps, actor: string): Promise<Department[]> {
  return deps.store.read(async (tx) => {
    const viewer = await loadViewer(deps, tx, actor);
    const active = await tx.departments.listActive();
    const units = isOffice(viewer) ? active : active.filter((d) => viewer.departmentIds.has(d.id));
    if (units.length === 0) throw new AppError("info_refused", { why: "not_member" });
    return units;
  });
}

export interface InfoSubmission {
  actor: string;
  departmentId: number;
  title: string;
  occurredAt: Date;
  place: string;
  category: InfoCategory;
  urgency: InfoUrgency;
  text: string;
  confidentiality: Confidentiality;
  files?: { name: string; permalink: string | null }[];
  source?: { channelId: string; ts: string };
  submissionKey: string;
}

/** Where the office's cards land: the 信息 channel, else the supervision channel. */
async function infoChannel(tx: Repositories): Promise<string | null> {
  const settings = readSettings(await tx.settings.all());
  return settings.infoChannel ?? settings.supervisionChannel;
}

/** 初报: stored once per submission, numbered 信〔year〕N号, the clock read against its limit. */
export async function submitInfoReport(
  deps: ServiceDeps,
  input: InfoSubmission,
): Promise<{ id: number; late: boolean; minutes: number; limitMinutes: number }> {
  const title = input.title.trim();
  const text = input.text.trim();
  if (!title || !text) throw new AppError("info_refused", { why: "empty" });
  const now = deps.clock.now();
  const problem = occurredProblem(input.occurredAt, now);
  if (problem) throw new AppError("info_refused", { why: problem });
  const result = await deps.store.transaction(async (tx) => {
    const existing = await tx.info.bySubmissionKey(input.submissionKey);
    if (existing !== null) {
      const stored = await tx.info.view(existing);
      return stored
        ? {
            id: stored.id,
            late: stored.late,
            minutes: Math.floor((stored.reportedAt.getTime() - stored.occurredAt.getTime()) / 60_000),
            limitMinutes: stored.limitMinutes,
          }
        : null;
    }
    const viewer = await loadViewer(deps, tx, input.actor);
    const department = await tx.departments.findById(input.departmentId);
    if (!department?.active) throw new AppError("dept_not_found", { name: String(input.departmentId) });
    if (!isOffice(viewer) && !viewer.departmentIds.has(department.id))
      throw new AppError("info_refused", { why: "not_member" });
    const channel = await infoChannel(tx);
    if (!channel) throw new AppError("info_refused", { why: "no_channel" });
    const settings = readSettings(await tx.settings.all());
    const limitMinutes = infoLimitMinutes(input.category, input.urgency, settings.infoLimits);
    const late = isLate(input.occurredAt, now, limitMinutes);
    const year = yearOf(localDateOf(now, deps.timeZone));
    const seq = await tx.info.takeNumber(year);
    const id = await tx.info.create({
      year,
      seq,
      departmentId: department.id,
      reportedBy: input.actor,
      title,
      occurredAt: input.occurredAt,
      place: input.place.trim(),
      category: input.category,
      urgency: input.urgency,
      text,
      confidentiality: input.confidentiality,
      reportedAt: now,
      limitMinutes,
      late,
      files: input.files ?? [],
      sourceChannelId: input.source?.channelId ?? null,
      sourceTs: input.source?.ts ?? null,
      submissionKey: input.submissionKey,
    });
    await tx.events.append({
      at: now,
      actor: input.actor,
      type: "info.reported",
      after: {
        reportId: id,
        department: department.name,
        category: input.category,
        urgency: input.urgency,
        late,
      },
    });
    await tx.outbox.enqueueAll([owe.infoCard(id, channel), owe.infoCopy(id, department.channelId)]);
    return {
      id,
      late,
      minutes: Math.floor((now.getTime() - input.occurredAt.getTime()) / 60_000),
      limitMinutes,
    };
  });
  if (!result) throw new AppError("internal", { ref: input.submissionKey });
  deps.outbox.kick();
  return result;
}

/** A report, for someone entitled to act on it: the office, or (for `unit`) the reporting unit's members. */
async function reportFor(
  deps: ServiceDeps,
  tx: Repositories,
  actor: string,
  reportId: number,
  who: "office" | "unit",
): Promise<InfoReportView> {
  const report = await tx.info.view(reportId);
  if (!report) throw new AppError("info_refused", { why: "not_found" });
  const viewer = await loadViewer(deps, tx, actor);
  if (who === "office" && !isOffice(viewer)) throw new AppError("info_refused", { why: "not_office" });
  if (who === "unit" && !viewer.departmentIds.has(report.department.id))
    throw new AppError("info_refused", { why: "not_unit" });
  return report;
}

/** The cards show the report's new standing. */
function refresh(report: InfoReportView): OutboxRequest[] {
  return [owe.infoUpdate(report.id)];
}

/**
 * 采用 / 不采用 / 退回补充, by the office. 采用 of a 紧急 report puts it in a 要情 at once; the others
 * wait for the day's. 不采用 and 退回补充 need a reason, told to the unit on its copy.
 */
export async function decideInfo(
  deps: ServiceDeps,
  input: { actor: string; reportId: number; verdict: "adopted" | "rejected" | "returned"; note: string },
): Promise<{ digestNo: number | null }> {
  const note = input.note.trim();
  if (input.verdict !== "adopted" && !note) throw new AppError("info_refused", { why: "no_reason" });
  const result = await deps.store.transaction(async (tx) => {
    const report = await reportFor(deps, tx, input.actor, input.reportId, "office");
    if (report.digestNo !== null) throw new AppError("info_refused", { why: "in_digest" });
    const now = deps.clock.now();
    await tx.info.update(report.id, {
      verdict: input.verdict,
      verdictBy: input.actor,
      verdictAt: now,
      verdictNote: note,
    });
    await tx.events.append({
      at: now,
      actor: input.actor,
      type: "info.decided",
      after: { reportId: report.id, verdict: input.verdict, note },
    });
    const owed = refresh(report);
    if (input.verdict !== "adopted")
      owed.push(owe.infoNotice(report.id, "copy", `v${now.getTime()}`, { type: "verdict" }));
    await tx.outbox.enqueueAll(owed);
    // 紧急: the leaders hear of it now, not at 17:00.
    const digestNo =
      input.verdict === "adopted" && report.urgency === "urgent"
        ? await digestOf(tx, [report.id], now)
        : null;
    return { digestNo };
  });
  deps.outbox.kick();
  return result;
}

/** 要求续报 by a time: told on the unit's copy; owed past it, it climbs the ladder. */
export async function askFollowUp(
  deps: ServiceDeps,
  input: { actor: string; reportId: number; by: Date },
): Promise<void> {
  const now = deps.clock.now();
  if (input.by <= now) throw new AppError("info_refused", { why: "past" });
  await deps.store.transaction(async (tx) => {
    const report = await reportFor(deps, tx, input.actor, input.reportId, "office");
    if (report.state === "final") throw new AppError("info_refused", { why: "final" });
    await tx.info.update(report.id, { followUpBy: input.by, followUpAskedAt: now, followUpStep: 0 });
    await tx.events.append({
      at: now,
      actor: input.actor,
      type: "info.followup_asked",
      after: { reportId: report.id, by: input.by },
    });
    await tx.outbox.enqueueAll([
      ...refresh(report),
      owe.infoNotice(report.id, "copy", `a${now.getTime()}`, { type: "asked", by: input.actor }),
    ]);
  });
  deps.outbox.kick();
}

/** 续报 or 终报 by the reporting unit (its copy's button or a reply in either thread). */
export async function addFollowUp(
  deps: ServiceDeps,
  input: {
    actor: string;
    reportId: number;
    kind: "follow" | "final";
    text: string;
    message?: { channelId: string; ts: string };
  },
): Promise<number | null> {
  const text = input.text.trim();
  if (!text) throw new AppError("info_refused", { why: "empty" });
  const id = await deps.store.transaction(async (tx) => {
    if (input.message && (await tx.info.followUpByMessage(input.message.channelId, input.message.ts)))
      return null;
    const report = await reportFor(deps, tx, input.actor, input.reportId, "unit");
    if (report.state === "final") throw new AppError("info_refused", { why: "final" });
    const now = deps.clock.now();
    const followUpId = await tx.info.addFollowUp({
      reportId: report.id,
      kind: input.kind,
      text,
      userId: input.actor,
      createdAt: now,
      ...(input.message ? { channelId: input.message.channelId, ts: input.message.ts } : {}),
    });
    // A 续报 answers the one asked for; 终报 ends the report.
    await tx.info.update(report.id, {
      ...(input.kind === "final" ? { state: "final" as const } : {}),
      ...(report.followUpBy ? { followUpBy: null, followUpStep: 0 } : {}),
    });
    await tx.events.append({
      at: now,
      actor: input.actor,
      type: input.kind === "final" ? "info.final" : "info.followed",
      after: { reportId: report.id, followUpId },
    });
    const notice = { type: "follow_up" as const, followUpId };
    // Told in each thread but the one it was typed in.
    const typedIn = !input.message
      ? null
      : report.card?.channelId === input.message.channelId
        ? "card"
        : "copy";
    const owed = [
      ...refresh(report),
      ...(["card", "copy"] as const)
        .filter((where) => where !== typedIn)
        .map((where) => owe.infoNotice(report.id, where, `f${followUpId}`, notice)),
    ];
    await tx.outbox.enqueueAll(owed);
    return followUpId;
  });
  deps.outbox.kick();
  return id;
}

/**
 * A reply in the thread of a report's office card or unit copy: by the reporting unit's member it
 * is a 续报 (终报 when it says so); anyone else's is left as conversation. Null when the thread
 * is no report's.
 */
export async function infoThreadReply(
  deps: ServiceDeps,
  input: { userId: string; channelId: string; threadTs: string; ts: string; text: string },
): Promise<"followed" | "ignored" | null> {
  const found = await deps.store.read(async (tx) => {
    const id = await tx.info.idByMessage(input.channelId, input.threadTs);
    if (id === null) return null;
    const report = await tx.info.view(id);
    const viewer = await loadViewer(deps, tx, input.userId);
    return {
      id,
      member: report !== null && viewer.departmentIds.has(report.department.id),
      final: report?.state === "final",
    };
  });
  if (!found) return null;
  if (!found.member || found.final || !input.text.trim()) return "ignored";
  const final = /^\s*(终报|final)[:：\s]/i.test(input.text);
  await addFollowUp(deps, {
    actor: input.userId,
    reportId: found.id,
    kind: final ? "final" : "follow",
    // "续报：…" and "终报：…" say what the thread already says.
    text: input.text.replace(/^\s*(续报|终报|follow-up|final)\s*[:：]\s*/i, "") || input.text,
    message: { channelId: input.channelId, ts: input.ts },
  });
  return "followed";
}

/** 漏报: an event a unit should have reported and did not, registered by the office. */
export async function registerMiss(
  deps: ServiceDeps,
  input: { actor: string; department: string; title: string; note?: string },
): Promise<{ department: string }> {
  const title = input.title.trim();
  if (!title) throw new AppError("usage", { usage: "infoMiss" });
  return deps.store.transaction(async (tx) => {
    const viewer = await loadViewer(deps, tx, input.actor);
    if (!isOffice(viewer)) throw new AppError("info_refused", { why: "not_office" });
    const department = await tx.departments.findByNameOrAlias(input.department);
    if (!department) throw new AppError("dept_not_found", { name: input.department });
    const now = deps.clock.now();
    await tx.info.addMiss({
      departmentId: department.id,
      title,
      occurredAt: now,
      note: input.note ?? "",
      recordedBy: input.actor,
      recordedAt: now,
    });
    await tx.events.append({
      at: now,
      actor: input.actor,
      type: "info.missed",
      after: { department: department.name, title },
    });
    return { department: department.name };
  });
}

/**
 * An owed 续报 climbs one step per hourly run from its time on: a reminder on the unit's copy,
 * then the unit's contacts named there, then the supervision channel; each once.
 */
export async function runInfoLadder(deps: ServiceDeps): Promise<number> {
  const climbed = await deps.store.transaction(async (tx) => {
    const now = deps.clock.now();
    const supervision = readSettings(await tx.settings.all()).supervisionChannel;
    let steps = 0;
    for (const report of await tx.info.followUpsDue(now)) {
      if (!followUpOwed(report)) continue;
      const next = report.followUpStep + 1;
      await tx.info.update(report.id, { followUpStep: next });
      await tx.events.append({
        at: now,
        actor: "system",
        type: "info.followup_owed",
        after: { reportId: report.id, step: next },
      });
      const notice = { type: "ladder" as const, step: next };
      if (next === 3 && supervision) await tx.outbox.enqueue(owe.infoEscalation(report.id, supervision));
      else await tx.outbox.enqueue(owe.infoNotice(report.id, "copy", `l${next}`, notice));
      steps++;
    }
    return steps;
  });
  if (climbed) deps.outbox.kick();
  return climbed;
}

/** Numbers a 要情 of these reports and owes its post (and .docx) to the leaders' channel. */
async function digestOf(tx: Repositories, ids: readonly number[], now: Date): Promise<number | null> {
  const settings = readSettings(await tx.settings.all());
  const channel = settings.leadershipChannel ?? settings.supervisionChannel;
  if (!channel || ids.length === 0) return null;
  const digestNo = await tx.info.nextDigestNo();
  for (const id of ids) await tx.info.update(id, { digestNo });
  await tx.events.append({
    at: now,
    actor: "system",
    type: "info.digest",
    after: { digestNo, reports: ids.length },
  });
  await tx.outbox.enqueue(owe.infoDigest(digestNo, channel));
  return digestNo;
}

/**
 * The day's 要情 (the "info" job, 17:00): what the office 采用ed and has not yet sent, as
 * 《要情》第N期. Skipped on days off (the next working day's carries them) and when nothing is adopted.
 */
export async function postDailyDigest(
  deps: ServiceDeps,
): Promise<{ digestNo: number | null; items: number }> {
  const result = await deps.store.transaction(async (tx) => {
    const now = deps.clock.now();
    const setup = await loadLightSetup(tx);
    if (!setup.calendar.isWorkday(localDateOf(now, deps.timeZone))) return { digestNo: null, items: 0 };
    const adopted = await tx.info.adoptedUndigested();
    const digestNo = await digestOf(
      tx,
      adopted.map((r) => r.id),
      now,
    );
    return { digestNo, items: digestNo === null ? 0 : adopted.length };
  });
  if (result.digestNo !== null) deps.outbox.kick();
  return result;
}

/** A 要情's items, for its post and .docx (and a leader's 批示 on one). */
export async function digestItems(deps: ServiceDeps, digestNo: number): Promise<InfoReportView[]> {
  return deps.store.read((tx) => tx.info.ofDigest(digestNo));
}

export async function infoReport(deps: ServiceDeps, id: number): Promise<InfoReportView | null> {
  return deps.store.read((tx) => tx.info.view(id));
}

/** `列表 信息 [今天|未续报|迟报]`: the office sees every unit's, a unit's member their unit's. */
export async function listInfo(
  deps: ServiceDeps,
  input: { actor: string; filter: "recent" | "today" | "owed" | "late"; take: number },
): Promise<{ reports: InfoReportView[]; total: number; office: boolean }> {
  return deps.store.read(async (tx) => {
    const viewer = await loadViewer(deps, tx, input.actor);
    const office = hasAnyRole(viewer.roles, OVERSEEING_ROLES);
    if (!office && viewer.departmentIds.size === 0) throw new AppError("info_refused", { why: "not_member" });
    const today = startOfDay(localDateOf(deps.clock.now(), deps.timeZone), deps.timeZone);
    const listed = await tx.info.list({
      ...(input.filter === "today" ? { from: today } : {}),
      ...(input.filter === "late" ? { late: true } : {}),
      ...(input.filter === "owed" ? { followUpOwed: true } : {}),
      ...(office ? {} : { departmentIds: [...viewer.departmentIds] }),
      take: input.filter === "owed" ? 500 : input.take,
    });
    const reports = input.filter === "owed" ? listed.reports.filter(followUpOwed) : listed.reports;
    return {
      reports: reports.slice(0, input.take),
      total: input.filter === "owed" ? reports.length : listed.total,
      office,
    };
  });
}

/** Where a report's office card or unit copy was posted (the delivery records it). */
export async function infoPosted(
  deps: ServiceDeps,
  input: { reportId: number; where: "card" | "copy"; channelId: string; ts: string; url: string | null },
): Promise<void> {
  await deps.store.transaction((tx) =>
    tx.info.update(
      input.reportId,
      input.where === "card"
        ? { cardChannelId: input.channelId, cardTs: input.ts, cardUrl: input.url }
        : { unitChannelId: input.channelId, unitTs: input.ts },
    ),
  );
}

/** The report, when the person may act on it as `who` (before a modal opens); refused in words otherwise. */
export async function infoForAction(
  deps: ServiceDeps,
  input: { actor: string; reportId: number; who: "office" | "unit" },
): Promise<InfoReportView> {
  return deps.store.read((tx) => reportFor(deps, tx, input.actor, input.reportId, input.who));
}

export interface InfoStanding {
  departmentId: number;
  name: string;
  score: number;
  /** 1 for the best; null when not ranked (sent nothing and missed nothing). */
  rank: number | null;
  sent: number;
  adopted: number;
  late: number;
  missed: number;
}

/**
 * 信息工作 in a period: each unit's reports sent, 采用, 迟报 and 漏报, scored (INFO_WEIGHTS) and
 * ranked 抓两头带中间 (the ends as the summaries take them). Read in the caller's transaction.
 */
export async function infoStandings(
  tx: Repositories,
  period: { start: Date; end: Date },
  ends: number,
  now: Date,
): Promise<{ rows: InfoStanding[]; best: number[]; worst: number[] }> {
  const counts = await tx.info.counts(period.start, period.end, now);
  const names = new Map((await tx.departments.listAll()).map((d) => [d.id, d.name]));
  const ranking = rankDepartments(scoreInformation(counts), ends);
  const rank = new Map(ranking.order.map((s, i) => [s.departmentId, i + 1]));
  const rows = counts
    .map((c) => ({
      ...c,
      name: names.get(c.departmentId) ?? "",
      score: ranking.order.find((s) => s.departmentId === c.departmentId)?.score ?? 100,
      rank: rank.get(c.departmentId) ?? null,
    }))
    .sort((a, b) => (a.rank ?? Number.MAX_SAFE_INTEGER) - (b.rank ?? Number.MAX_SAFE_INTEGER));
  return {
    rows,
    best: ranking.best.map((s) => s.departmentId),
    worst: ranking.worst.map((s) => s.departmentId),
  };
}

/** `/ducha 汇总 信息 [本月|上月|本周|上周]`: for those who oversee. */
export async function infoRanking(
  deps: ServiceDeps,
  input: { actor: string; period: { start: Date; end: Date } },
): Promise<{ rows: InfoStanding[]; best: number[]; worst: number[] }> {
  return deps.store.read(async (tx) => {
    const viewer = await loadViewer(deps, tx, input.actor);
    if (!hasAnyRole(viewer.roles, OVERSEEING_ROLES))
      throw new AppError("forbidden", { action: "view_summary", roles: OVERSEEING_ROLES });
    const ends = summarySettingsOf(readSettings(await tx.settings.all())).ends;
    return infoStandings(tx, input.period, ends, deps.clock.now());
  });
}

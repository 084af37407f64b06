import {
  type Confidentiality,
  cadenceColumns,
  checkTask,
  type DecisionSource,
  type Draft,
  type DraftTask,
  emptyTask,
  guessSource,
  MAX_TASKS_PER_DECISION,
  type TaskProblem,
  tasksFromSplit,
} from "../domain/decision.js";
import { AppError } from "../domain/errors.js";
import type { Department } from "../domain/model.js";
import { type OutboxRequest, owe } from "../domain/outbox.js";
import { readSettings } from "../domain/settings.js";
import { splitDecision } from "../domain/splitter/splitter.js";
import { deadlineInstant, type LocalDate, localDateOf, startOfDay, yearOf } from "../domain/time.js";
import type { Repositories } from "../store/store.js";
import { requireOffice } from "./access.js";
import { loadCalendar } from "./calendar.js";
import type { ServiceDeps } from "./ports.js";

async function requireCreator(deps: ServiceDeps, repos: Repositories, userId: string): Promise<void> {
  await requireOffice(deps, repos, userId, "create_decision");
}

export interface DraftState {
  draftId: string;
  draft: Draft;
  departments: Department[];
}

/** The file a decision's text was read from. */
export interface SourceFile {
  name: string;
  url?: string;
}

/** The message a decision is cut from, when it came through the shortcut. */
export interface SourceMessage {
  channelId: string;
  ts: string;
  url?: string;
}

async function split(
  deps: ServiceDeps,
  repos: Repositories,
  text: string,
  decidedOn: LocalDate,
  firstKey: number,
) {
  const departments = await repos.departments.listActive();
  const calendar = await loadCalendar(repos);
  const result = splitDecision(
    text,
    departments.map((d) => ({ id: d.id, name: d.name, aliases: d.aliases })),
    { decisionDate: decidedOn, reference: deps.clock.now(), tz: deps.timeZone, calendar },
  );
  return { departments, tasks: tasksFromSplit(result.items, firstKey) };
}

/**
 * Opens a decision for editing: its text cut into tasks, each with what the splitter read or
 * guessed. Only supervisors, leaders and admins may.
 */
export async function startDecision(
  deps: ServiceDeps,
  input: {
    actor: string;
    text: string;
    sourceMessage?: SourceMessage;
    source?: DecisionSource;
    /** The file the text was read from, and the 文号或会议名称 read from its heading. */
    sourceFile?: SourceFile;
    sourceRef?: string;
  },
): Promise<DraftState> {
  return deps.store.transaction(async (tx) => {
    await requireCreator(deps, tx, input.actor);
    const decidedOn = localDateOf(deps.clock.now(), deps.timeZone);
    const { departments, tasks } = await split(deps, tx, input.text, decidedOn, 1);
    const draft: Draft = {
      source: input.source ?? guessSource(input.text, input.sourceMessage !== undefined),
      sourceRef: input.sourceRef ?? "",
      decidedOn,
      confidentiality: "public",
      text: input.text,
      sourceMessage: input.sourceMessage,
      ...(input.sourceFile ? { sourceFile: input.sourceFile } : {}),
      tasks: tasks.slice(0, MAX_TASKS_PER_DECISION),
      nextKey: tasks.length + 1,
    };
    const draftId = await tx.decisions.createDraft(input.actor, draft);
    return { draftId, draft, departments };
  });
}

async function loadDraft(tx: Repositories, draftId: string, actor: string): Promise<Draft> {
  const found = await tx.decisions.draft(draftId);
  if (!found || found.userId !== actor) throw new AppError("draft_gone", {});
  return found.draft;
}

/** The draft and the departments to choose from, as they are now. */
export async function loadDraftState(
  deps: ServiceDeps,
  input: { actor: string; draftId: string },
): Promise<DraftState> {
  return deps.store.read(async (tx) => ({
    draftId: input.draftId,
    draft: await loadDraft(tx, input.draftId, input.actor),
    departments: await tx.departments.listActive(),
  }));
}

/** The decision's own fields as the person last typed them in the modal. */
export interface DecisionFields {
  source: DecisionSource;
  sourceRef: string;
  leaderUserId?: string;
  decidedOn: LocalDate;
  confidentiality: Confidentiality;
  text: string;
}

/** Cuts the (possibly edited) text again, replacing the tasks. */
export async function resplitDraft(
  deps: ServiceDeps,
  input: { actor: string; draftId: string; fields: DecisionFields },
): Promise<DraftState> {
  return deps.store.transaction(async (tx) => {
    const draft = await loadDraft(tx, input.draftId, input.actor);
    const { departments, tasks } = await split(
      deps,
      tx,
      input.fields.text,
      input.fields.decidedOn,
      draft.nextKey,
    );
    const next: Draft = {
      ...draft,
      ...input.fields,
      tasks: tasks.slice(0, MAX_TASKS_PER_DECISION),
      nextKey: draft.nextKey + tasks.length,
    };
    await tx.decisions.saveDraft(input.draftId, next);
    return { draftId: input.draftId, draft: next, departments };
  });
}

/** Keeps what the person typed in the decision's own fields, without touching the tasks. */
export async function rememberDecisionFields(
  deps: ServiceDeps,
  input: { actor: string; draftId: string; fields: Partial<DecisionFields> },
): Promise<void> {
  await deps.store.transaction(async (tx) => {
    const draft = await loadDraft(tx, input.draftId, input.actor);
    await tx.decisions.saveDraft(input.draftId, { ...draft, ...input.fields });
  });
}

/** A new, empty task for the person to fill in; not yet part of the draft until saved. */
export async function newDraftTask(
  deps: ServiceDeps,
  input: { actor: string; draftId: string },
): Promise<DraftTask> {
  return deps.store.transaction(async (tx) => {
    const draft = await loadDraft(tx, input.draftId, input.actor);
    await tx.decisions.saveDraft(input.draftId, { ...draft, nextKey: draft.nextKey + 1 });
    return emptyTask(`t${draft.nextKey}`);
  });
}

export type SaveTaskResult = { ok: true; state: DraftState } | { ok: false; problems: TaskProblem[] };

/** Saves one task of the draft (new or edited) after checking it. */
export async function saveDraftTask(
  deps: ServiceDeps,
  input: { actor: string; draftId: string; task: DraftTask },
): Promise<SaveTaskResult> {
  return deps.store.transaction(async (tx) => {
    const draft = await loadDraft(tx, input.draftId, input.actor);
    const departments = await tx.departments.listActive();
    const problems = checkTask(input.task, {
      decidedOn: draft.decidedOn,
      tz: deps.timeZone,
      activeDepartmentIds: new Set(departments.map((d) => d.id)),
    });
    if (problems.length > 0) return { ok: false, problems };
    const exists = draft.tasks.some((t) => t.key === input.task.key);
    if (!exists && draft.tasks.length >= MAX_TASKS_PER_DECISION) {
      return { ok: false, problems: [{ field: "title", problem: "too_long" }] };
    }
    const tasks = exists
      ? draft.tasks.map((t) => (t.key === input.task.key ? input.task : t))
      : [...draft.tasks, input.task];
    const next = { ...draft, tasks };
    await tx.decisions.saveDraft(input.draftId, next);
    return { ok: true, state: { draftId: input.draftId, draft: next, departments } };
  });
}

export async function removeDraftTask(
  deps: ServiceDeps,
  input: { actor: string; draftId: string; key: string },
): Promise<DraftState> {
  return deps.store.transaction(async (tx) => {
    const draft = await loadDraft(tx, input.draftId, input.actor);
    const next = { ...draft, tasks: draft.tasks.filter((t) => t.key !== input.key) };
    await tx.decisions.saveDraft(input.draftId, next);
    return { draftId: input.draftId, draft: next, departments: await tx.departments.listActive() };
  });
}

/** Why a decision cannot be dispatched yet. */
export type DecisionProblem =
  | { problem: "no_tasks" }
  | { problem: "task"; index: number; title: string; problems: TaskProblem[] }
  | { problem: "date_after_due"; index: number; title: string };

export interface DispatchedTask {
  id: number;
  year: number;
  seq: number;
  title: string;
  leadName: string;
  confidentiality: Confidentiality;
}

export type SubmitResult =
  | { ok: true; decisionId: number; tasks: DispatchedTask[]; duplicate: boolean }
  | { ok: false; problems: DecisionProblem[] };

/**
 * Dispatches a decision (交办): in one transaction the decision, its tasks with the year's
 * next numbers, their events, and every Slack message owed (cards, notices to co-operating
 * departments, DMs for confidential tasks, the rollup). A submission already seen creates
 * nothing new.
 */
export async function submitDecision(
  deps: ServiceDeps,
  input: { actor: string; draftId: string; submissionKey: string; fields: DecisionFields },
): Promise<SubmitResult> {
  const result = await deps.store.transaction(async (tx): Promise<SubmitResult> => {
    const existing = await tx.decisions.bySubmissionKey(input.submissionKey);
    if (existing !== null) {
      const decision = await tx.decisions.view(existing);
      return {
        ok: true,
        decisionId: existing,
        duplicate: true,
        tasks: (decision?.tasks ?? []).map((t) => ({
          id: t.id,
          year: t.year,
          seq: t.seq,
          title: t.title,
          leadName: t.leadDept.name,
          confidentiality: t.confidentiality,
        })),
      };
    }
    await requireCreator(deps, tx, input.actor);
    const draft = await loadDraft(tx, input.draftId, input.actor);
    const fields = input.fields;
    const departments = await tx.departments.listActive();
    const byId = new Map(departments.map((d) => [d.id, d]));
    const problems: DecisionProblem[] = [];
    if (draft.tasks.length === 0) problems.push({ problem: "no_tasks" });
    draft.tasks.forEach((task, index) => {
      const taskProblems = checkTask(task, {
        decidedOn: fields.decidedOn,
        tz: deps.timeZone,
        activeDepartmentIds: new Set(byId.keys()),
      });
      if (taskProblems.length > 0)
        problems.push({ problem: "task", index, title: task.title, problems: taskProblems });
    });
    if (problems.length > 0) return { ok: false, problems };

    const now = deps.clock.now();
    const year = yearOf(localDateOf(now, deps.timeZone));
    const settings = readSettings(await tx.settings.all());
    const decisionId = await tx.decisions.create({
      source: fields.source,
      sourceRef: fields.sourceRef.trim(),
      sourceUrl: draft.sourceMessage?.url ?? null,
      sourceChannelId: draft.sourceMessage?.channelId ?? null,
      sourceTs: draft.sourceMessage?.ts ?? null,
      sourceFileName: draft.sourceFile?.name ?? null,
      sourceFileUrl: draft.sourceFile?.url ?? null,
      leaderUserId: fields.leaderUserId ?? null,
      decidedOn: startOfDay(fields.decidedOn, deps.timeZone),
      confidentiality: fields.confidentiality,
      text: fields.text,
      createdBy: input.actor,
      submissionKey: input.submissionKey,
    });
    await tx.events.append({
      at: now,
      actor: input.actor,
      type: "decision.created",
      decisionId,
      after: { source: fields.source, sourceRef: fields.sourceRef, tasks: draft.tasks.length },
    });
    const numbers = await tx.tasks.takeNumbers(year, draft.tasks.length);
    // Cards first: notices and DMs link to them, and a lane sends its messages in order.
    const cardsOwed: OutboxRequest[] = [];
    const owed: OutboxRequest[] = [];
    const dispatched: DispatchedTask[] = [];
    for (const [index, task] of draft.tasks.entries()) {
      const lead = task.leadId === undefined ? undefined : byId.get(task.leadId);
      const seq = numbers[index];
      if (!lead || seq === undefined || !task.deadline) continue; // checked above
      const confidentiality = fields.confidentiality;
      const dueAt = deadlineInstant(task.deadline, deps.timeZone);
      const taskId = await tx.tasks.create(decisionId, {
        year,
        seq,
        title: task.title.trim(),
        requirement: task.requirement.trim(),
        leadDeptId: lead.id,
        coDeptIds: task.coIds,
        dueAt,
        ...cadenceColumns(task.cadence),
        urgent: task.urgent,
        confidentiality,
        tags: task.tags,
        dispatchedAt: now,
        dispatchedBy: input.actor,
      });
      await tx.events.append({
        at: now,
        actor: input.actor,
        type: "task.dispatched",
        taskId,
        decisionId,
        after: {
          number: `${year}-${seq}`,
          lead: lead.name,
          co: task.coIds.map((id) => byId.get(id)?.name),
          dueAt: dueAt.toISOString(),
          state: "dispatched",
        },
      });
      cardsOwed.push(owe.cardPost(taskId, lead.channelId, input.actor));
      for (const coId of task.coIds) {
        const co = byId.get(coId);
        if (co) owed.push(owe.coNotice(taskId, coId, co.channelId, input.actor));
      }
      if (confidentiality === "secret") {
        for (const userId of lead.members) owed.push(owe.secretDm(taskId, userId));
      }
      dispatched.push({
        id: taskId,
        year,
        seq,
        title: task.title.trim(),
        leadName: lead.name,
        confidentiality,
      });
    }
    const rollupLane = draft.sourceMessage?.channelId ?? settings.supervisionChannel ?? input.actor;
    owed.push(owe.rollupPost(decisionId, rollupLane, input.actor));
    await tx.outbox.enqueueAll([...cardsOwed, ...owed]);
    await tx.decisions.deleteDraft(input.draftId);
    return { ok: true, decisionId, tasks: dispatched, duplicate: false };
  });
  if (result.ok && !result.duplicate) deps.outbox.kick();
  return result;
}

/** Throws when the person may not start a decision: checked before a file is fetched for one. */
export async function checkDecisionCreator(deps: ServiceDeps, actor: string): Promise<void> {
  await deps.store.read((tx) => requireCreator(deps, tx, actor));
}

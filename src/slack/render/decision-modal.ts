import type { types } from "@slack/bolt";
import type { UnreadableReason } from "../../documents/read.js";
import {
  CONFIDENTIALITIES,
  DECISION_SOURCES,
  type Draft,
  type DraftTask,
  dueDay,
  isGuessed,
} from "../../domain/decision.js";
import type { Department } from "../../domain/model.js";
import type { GuessedField } from "../../domain/splitter/splitter.js";
import { formatTaskNumber } from "../../domain/task-number.js";
import { deadlineInstant, formatDue } from "../../domain/time.js";
import { esc } from "../../i18n/format.js";
import type { Messages } from "../../i18n/index.js";
import type { DispatchedTask } from "../../services/decisions.js";
import { ACTION, CALLBACK, DECISION_INPUT, TASK_INPUT } from "../ids.js";
import { clip, context, type KnownBlock, LIMITS, section, textSections } from "./blocks.js";

type View = types.ModalView;
type Option = types.PlainTextOption;

export interface ModalContext {
  m: Messages;
  locale: string;
  tz: string;
  now: Date;
}

/** private_metadata of the decision modal. */
export interface DecisionMeta {
  draftId: string;
}

/** private_metadata of the task modal. */
export interface TaskMeta {
  draftId: string;
  key: string;
  rootViewId: string;
  isNew: boolean;
}

const plain = (text: string, max = 2000) => ({
  type: "plain_text" as const,
  text: clip(text, max),
  emoji: true,
});

function option(text: string, value: string): Option {
  return { text: plain(text, LIMITS.optionText), value };
}

/** The longest text a plain_text_input holds. */
const INPUT_MAX = 3000;

function departmentOptions(departments: readonly Department[]): Option[] {
  return departments.map((d) => option(d.name, String(d.id)));
}

/** Slack allows 100 options in a menu; beyond that, options go in groups of 100. */
function departmentMenu(
  departments: readonly Department[],
): { options: Option[] } | { option_groups: { label: types.PlainTextElement; options: Option[] }[] } {
  const options = departmentOptions(departments);
  if (options.length <= LIMITS.options) return { options };
  const groups: { label: types.PlainTextElement; options: Option[] }[] = [];
  for (let i = 0; i < options.length; i += LIMITS.options) {
    groups.push({
      label: plain(`${i + 1}–${Math.min(options.length, i + LIMITS.options)}`, 75),
      options: options.slice(i, i + LIMITS.options),
    });
  }
  return { option_groups: groups };
}

function mark(task: DraftTask, field: GuessedField, m: Messages): string {
  return isGuessed(task, field) ? m.decisionModal.guessed : "";
}

function taskRow(
  task: DraftTask,
  index: number,
  departments: ReadonlyMap<number, Department>,
  ctx: ModalContext,
): KnownBlock {
  const { m } = ctx;
  const dm = m.decisionModal;
  const lead = task.leadId === undefined ? undefined : departments.get(task.leadId);
  const leadText = lead ? `${esc(lead.name)}${mark(task, "lead", m)}` : `:warning: ${dm.missing}`;
  const co = task.coIds
    .map((id) => departments.get(id)?.name)
    .filter((name): name is string => Boolean(name))
    .map(esc)
    .join(m.listSeparator);
  const due = task.deadline
    ? `${formatDue(deadlineInstant(task.deadline, ctx.tz), ctx.tz, ctx.locale, ctx.now)}${mark(task, "due", m)}`
    : `:warning: ${dm.missing}`;
  const extras = [
    task.cadence.kind === "none" ? "" : `${m.cadence(task.cadence)}${mark(task, "cadence", m)}`,
    task.urgent ? `${m.card.urgent}${mark(task, "urgent", m)}` : "",
    task.tags.length ? `${task.tags.map(esc).join(m.listSeparator)}${mark(task, "tags", m)}` : "",
  ].filter(Boolean);
  const warnings = task.unknownDepartments.map((name) => `:warning: ${dm.unknownDepartment({ name })}`);
  const text = [
    dm.taskLine({ index: index + 1, title: task.title || dm.missing }),
    dm.leadLine({ lead: leadText, co: co ? `${co}${mark(task, "co", m)}` : "" }),
    dm.dueLine({ due, extras }),
    ...warnings,
  ].join("\n");
  return {
    type: "section",
    block_id: `task_${task.key}`,
    text: { type: "mrkdwn", text: clip(text, LIMITS.sectionText) },
    accessory: {
      type: "overflow",
      action_id: ACTION.taskMenu,
      options: [option(dm.edit, `edit:${task.key}`), option(dm.remove, `remove:${task.key}`)],
    },
  };
}

/**
 * The decision modal: the decision's own fields, then one line per task with a menu to edit
 * or remove it. Tasks are edited in a modal pushed on top, so even 60 tasks stay within
 * Block Kit's 100 blocks (8 blocks of fields, one per task, 3 more).
 */
export function decisionModal(
  state: { draftId: string; draft: Draft; departments: readonly Department[] },
  ctx: ModalContext,
  /** What still needs fixing, shown on top when it cannot be shown on the fields (a late answer). */
  problems?: string,
): View {
  const { m } = ctx;
  const dm = m.decisionModal;
  const { draft } = state;
  const byId = new Map(state.departments.map((d) => [d.id, d]));
  const sources = DECISION_SOURCES.map((s) => option(m.sourceName[s], s));
  const levels = CONFIDENTIALITIES.map((c) => option(m.confidentialityName[c], c));
  const textTooLong = draft.text.length > INPUT_MAX;
  const blocks: KnownBlock[] = [];
  if (problems) blocks.push(section(`:warning: ${problems}`));
  if (draft.sourceMessage?.url) blocks.push(context(dm.fromMessage({ url: draft.sourceMessage.url })));
  if (draft.sourceFile) blocks.push(context(dm.fromFile(draft.sourceFile)));
  blocks.push(
    {
      type: "input",
      block_id: DECISION_INPUT.source,
      label: plain(dm.source),
      element: {
        type: "static_select",
        action_id: DECISION_INPUT.source,
        options: sources,
        initial_option: sources.find((o) => o.value === draft.source),
      },
    },
    {
      type: "input",
      block_id: DECISION_INPUT.sourceRef,
      optional: true,
      label: plain(dm.sourceRef),
      element: {
        type: "plain_text_input",
        action_id: DECISION_INPUT.sourceRef,
        placeholder: plain(dm.sourceRefPlaceholder, 150),
        max_length: 200,
        ...(draft.sourceRef ? { initial_value: draft.sourceRef } : {}),
      },
    },
    {
      type: "input",
      block_id: DECISION_INPUT.leader,
      optional: true,
      label: plain(dm.leader),
      element: {
        type: "users_select",
        action_id: DECISION_INPUT.leader,
        ...(draft.leaderUserId ? { initial_user: draft.leaderUserId } : {}),
      },
    },
    {
      type: "input",
      block_id: DECISION_INPUT.date,
      label: plain(dm.date),
      element: { type: "datepicker", action_id: DECISION_INPUT.date, initial_date: draft.decidedOn },
    },
    {
      type: "input",
      block_id: DECISION_INPUT.confidentiality,
      label: plain(dm.confidentiality),
      hint: plain(dm.confidentialityHint),
      element: {
        type: "static_select",
        action_id: DECISION_INPUT.confidentiality,
        options: levels,
        initial_option: levels.find((o) => o.value === draft.confidentiality),
      },
    },
    {
      type: "input",
      block_id: DECISION_INPUT.text,
      optional: true,
      label: plain(dm.text),
      hint: plain(textTooLong ? dm.textTooLong({ length: draft.text.length }) : dm.textHint),
      element: {
        type: "plain_text_input",
        action_id: DECISION_INPUT.text,
        multiline: true,
        max_length: INPUT_MAX,
        ...(draft.text ? { initial_value: draft.text.slice(0, INPUT_MAX) } : {}),
      },
    },
    {
      type: "actions",
      block_id: "d_actions",
      elements: [{ type: "button", action_id: ACTION.resplit, text: plain(dm.resplit, LIMITS.buttonText) }],
    },
    section(`*${dm.tasksHeader({ count: draft.tasks.length })}*`),
  );
  if (draft.tasks.length === 0) blocks.push(context(dm.noTasks));
  draft.tasks.forEach((task, index) => {
    blocks.push(taskRow(task, index, byId, ctx));
  });
  blocks.push({
    type: "actions",
    block_id: "d_add",
    elements: [{ type: "button", action_id: ACTION.addTask, text: plain(dm.addTask, LIMITS.buttonText) }],
  });
  if (draft.tasks.some((t) => t.guessed.length > 1)) blocks.push(context(dm.guessHint));
  return {
    type: "modal",
    callback_id: CALLBACK.decision,
    title: plain(dm.title, LIMITS.modalTitle),
    submit: plain(dm.submit, LIMITS.modalTitle),
    close: plain(dm.close, LIMITS.modalTitle),
    private_metadata: JSON.stringify({ draftId: state.draftId } satisfies DecisionMeta),
    blocks,
  };
}

/** The modal pushed over the decision modal to edit (or add) one task. */
export function taskModal(
  input: { task: DraftTask; departments: readonly Department[]; meta: TaskMeta; decidedOn: string },
  ctx: ModalContext,
): View {
  const { m } = ctx;
  const tm = m.taskModal;
  const { task } = input;
  const menu = departmentMenu(input.departments);
  const all = departmentOptions(input.departments);
  const lead = all.find((o) => o.value === String(task.leadId));
  const co = all.filter((o) => task.coIds.some((id) => String(id) === o.value));
  const cadenceOptions = (["none", "weekly", "fortnightly", "monthly", "hours"] as const).map((k) =>
    option(tm.cadenceOptions[k], k),
  );
  const dueDate = task.deadline ? dueDay(task.deadline, ctx.tz) : undefined;
  const dueTime =
    task.deadline?.kind === "instant"
      ? new Intl.DateTimeFormat("en-GB", {
          timeZone: ctx.tz,
          hour: "2-digit",
          minute: "2-digit",
          hourCycle: "h23",
        }).format(task.deadline.at)
      : undefined;
  const urgentOption = option(tm.urgentOption, "urgent");
  const guessed = task.guessed.map((g) => tm.fieldName[g] ?? g);
  const blocks: KnownBlock[] = [];
  if (guessed.length) blocks.push(context(tm.guessedNote({ fields: guessed.join(m.listSeparator) })));
  if (task.unknownDepartments.length) {
    blocks.push(
      context(
        tm.unknownNote({ names: task.unknownDepartments.map((n) => `“${esc(n)}”`).join(m.listSeparator) }),
      ),
    );
  }
  blocks.push(
    {
      type: "input",
      block_id: TASK_INPUT.title,
      label: plain(tm.name),
      element: {
        type: "plain_text_input",
        action_id: TASK_INPUT.title,
        ...(task.title ? { initial_value: clip(task.title, INPUT_MAX) } : {}),
      },
    },
    {
      type: "input",
      block_id: TASK_INPUT.requirement,
      optional: true,
      label: plain(tm.requirement),
      element: {
        type: "plain_text_input",
        action_id: TASK_INPUT.requirement,
        multiline: true,
        max_length: INPUT_MAX,
        ...(task.requirement ? { initial_value: clip(task.requirement, INPUT_MAX) } : {}),
      },
    },
    {
      type: "input",
      block_id: TASK_INPUT.lead,
      optional: true,
      label: plain(tm.lead),
      element: {
        type: "static_select",
        action_id: TASK_INPUT.lead,
        placeholder: plain(tm.choose, 150),
        ...menu,
        ...(lead ? { initial_option: lead } : {}),
      },
    },
    {
      type: "input",
      block_id: TASK_INPUT.co,
      optional: true,
      label: plain(tm.co),
      element: {
        type: "multi_static_select",
        action_id: TASK_INPUT.co,
        placeholder: plain(tm.choose, 150),
        ...menu,
        ...(co.length ? { initial_options: co } : {}),
      },
    },
    {
      type: "input",
      block_id: TASK_INPUT.due,
      optional: true,
      label: plain(tm.due),
      element: {
        type: "datepicker",
        action_id: TASK_INPUT.due,
        ...(dueDate ? { initial_date: dueDate } : {}),
      },
    },
    {
      type: "input",
      block_id: TASK_INPUT.dueTime,
      optional: true,
      label: plain(tm.dueTime),
      element: {
        type: "timepicker",
        action_id: TASK_INPUT.dueTime,
        ...(dueTime ? { initial_time: dueTime } : {}),
      },
    },
    {
      type: "input",
      block_id: TASK_INPUT.urgent,
      optional: true,
      label: plain(tm.urgent),
      element: {
        type: "checkboxes",
        action_id: TASK_INPUT.urgent,
        options: [urgentOption],
        ...(task.urgent ? { initial_options: [urgentOption] } : {}),
      },
    },
    {
      type: "input",
      block_id: TASK_INPUT.cadence,
      label: plain(tm.cadence),
      element: {
        type: "static_select",
        action_id: TASK_INPUT.cadence,
        options: cadenceOptions,
        initial_option: cadenceOptions.find((o) => o.value === task.cadence.kind),
      },
    },
    {
      type: "input",
      block_id: TASK_INPUT.cadenceHours,
      optional: true,
      label: plain(tm.cadenceHours),
      element: {
        type: "number_input",
        action_id: TASK_INPUT.cadenceHours,
        is_decimal_allowed: false,
        min_value: "1",
        max_value: "168",
        ...(task.cadence.kind === "hours" ? { initial_value: String(task.cadence.hours) } : {}),
      },
    },
    {
      type: "input",
      block_id: TASK_INPUT.tags,
      optional: true,
      label: plain(tm.tags),
      element: {
        type: "plain_text_input",
        action_id: TASK_INPUT.tags,
        ...(task.tags.length ? { initial_value: task.tags.join(",") } : {}),
      },
    },
  );
  return {
    type: "modal",
    callback_id: CALLBACK.task,
    title: plain(input.meta.isNew ? tm.titleNew : tm.titleEdit, LIMITS.modalTitle),
    submit: plain(tm.submit, LIMITS.modalTitle),
    close: plain(tm.close, LIMITS.modalTitle),
    private_metadata: JSON.stringify(input.meta),
    blocks,
  };
}

/** What the decision modal turns into once dispatched. */
export function dispatchedModal(
  result: { tasks: readonly DispatchedTask[]; duplicate: boolean },
  ctx: ModalContext,
): View {
  const { m } = ctx;
  const done = m.decisionModal.done;
  const lines = result.tasks.map((t) =>
    done.line({
      number: formatTaskNumber(t, ctx.locale),
      title: t.confidentiality === "secret" ? m.card.secretTitle : t.title,
      lead: t.leadName,
    }),
  );
  const head = result.duplicate ? done.duplicate : done.text({ count: result.tasks.length });
  return {
    type: "modal",
    callback_id: "decision_done",
    title: plain(done.title, LIMITS.modalTitle),
    close: plain(done.close, LIMITS.modalTitle),
    blocks: [section(head), ...textSections(lines)],
  };
}

/** While a decision's file is fetched and read: opened at once, so the trigger does not expire. */
export function documentReadingModal(name: string, ctx: ModalContext): View {
  const words = ctx.m.decisionModal.document;
  return {
    type: "modal",
    callback_id: "decision_reading",
    title: plain(words.readingTitle, LIMITS.modalTitle),
    close: plain(words.close, LIMITS.modalTitle),
    blocks: [section(`:hourglass_flowing_sand: ${words.reading({ name })}`)],
  };
}

/** Opened at once for a shortcut, while the message's link is looked up and its text cut into tasks. */
export function preparingModal(ctx: ModalContext): View {
  const words = ctx.m.decisionModal.document;
  return {
    type: "modal",
    callback_id: "decision_preparing",
    title: plain(words.preparingTitle, LIMITS.modalTitle),
    close: plain(words.close, LIMITS.modalTitle),
    blocks: [section(`:hourglass_flowing_sand: ${words.preparing}`)],
  };
}

/** Why a decision's file could not be read, and what to do instead. */
export function documentUnreadableModal(name: string, reason: UnreadableReason, ctx: ModalContext): View {
  const words = ctx.m.decisionModal.document;
  return {
    type: "modal",
    callback_id: "decision_unreadable",
    title: plain(words.unreadableTitle, LIMITS.modalTitle),
    close: plain(words.close, LIMITS.modalTitle),
    blocks: [section(`:warning: ${words.unreadable[reason]({ name })}`), context(words.pasteInstead)],
  };
}

import type { TaskFile, TaskView } from "../../domain/model.js";
import { CAUSES } from "../../domain/report-reading.js";
import { addDays, dueDateShown } from "../../domain/time.js";
import { ACTION_INPUT, CALLBACK } from "../ids.js";
import { context, type KnownBlock, LIMITS } from "./blocks.js";
import { type RenderContext, shortDate } from "./format.js";
import { modal, plain, taskHeading, type View } from "./modal-kit.js";

/** Which reason a reason modal asks for. */
export type ReasonKind = "return" | "cancel" | "reject_extension" | "reopen";

export interface ActionMeta {
  taskId: number;
  reason?: ReasonKind;
}

const heading = taskHeading;

function textInput(
  id: string,
  label: string,
  options: { hint?: string; optional?: boolean; initial?: string } = {},
): KnownBlock {
  return {
    type: "input",
    block_id: id,
    optional: options.optional ?? true,
    label: plain(label),
    ...(options.hint ? { hint: plain(options.hint) } : {}),
    element: {
      type: "plain_text_input",
      action_id: id,
      multiline: true,
      max_length: 3000,
      ...(options.initial ? { initial_value: options.initial } : {}),
    },
  };
}

/** Slack's selects take 100 options, or 100 groups of 100. */
const SELECT_OPTIONS = 100;

/**
 * 反馈进展: percentage, what was done, a blocker and its cause, and (for the lead department)
 * the departments whose coordination it needs (协调事项).
 */
export function reportModal(
  task: TaskView,
  ctx: RenderContext,
  departments: readonly { id: number; name: string }[] = [],
): View {
  const r = ctx.m.taskModals.report;
  const causes = CAUSES.map((c) => ({ text: plain(ctx.m.causeName[c] ?? c, 75), value: c }));
  const blockerOption = { text: plain(r.blockerOption, 75), value: "blocked" };
  return modal(
    CALLBACK.report,
    r.title,
    { taskId: task.id },
    [
      heading(task, ctx),
      {
        type: "input",
        block_id: ACTION_INPUT.progress,
        optional: true,
        label: plain(r.progress),
        element: {
          type: "number_input",
          action_id: ACTION_INPUT.progress,
          is_decimal_allowed: false,
          min_value: "0",
          max_value: "100",
          ...(task.progress !== null ? { initial_value: String(task.progress) } : {}),
        },
      },
      textInput(ACTION_INPUT.text, r.text, { hint: r.textHint }),
      {
        type: "input",
        block_id: ACTION_INPUT.blocker,
        optional: true,
        label: plain(r.blocker),
        element: { type: "checkboxes", action_id: ACTION_INPUT.blocker, options: [blockerOption] },
      },
      {
        type: "input",
        block_id: ACTION_INPUT.cause,
        optional: true,
        label: plain(r.cause),
        element: { type: "static_select", action_id: ACTION_INPUT.cause, options: causes },
      },
      ...coordinateInput(task, departments, ctx),
    ],
    ctx,
  );
}

/** 协调 (a supervisor): which departments to ask, and what is needed. */
export function coordinateModal(
  task: TaskView,
  ctx: RenderContext,
  departments: readonly { id: number; name: string }[],
): View {
  const r = ctx.m.taskModals.report;
  return modal(
    CALLBACK.coordinate,
    r.coordinateTitle,
    { taskId: task.id },
    [
      heading(task, ctx),
      ...coordinateInput(task, departments, ctx, { label: r.departments, optional: false }),
      textInput(ACTION_INPUT.need, r.need, { hint: r.needHint, optional: false }),
    ],
    ctx,
  );
}

/** 需协调单位: every other active department, in groups of 100 when there are more. */
function coordinateInput(
  task: TaskView,
  departments: readonly { id: number; name: string }[],
  ctx: RenderContext,
  shape: { label?: string; optional?: boolean } = {},
): KnownBlock[] {
  const r = ctx.m.taskModals.report;
  const options = departments
    .filter((d) => d.id !== task.leadDept.id)
    .map((d) => ({ text: plain(d.name, 75), value: String(d.id) }));
  if (options.length === 0) return [];
  const groups: { label: ReturnType<typeof plain>; options: typeof options }[] = [];
  for (let i = 0; i < options.length && groups.length < SELECT_OPTIONS; i += SELECT_OPTIONS)
    groups.push({
      label: plain(`${i + 1}–${Math.min(i + SELECT_OPTIONS, options.length)}`, 75),
      options: options.slice(i, i + SELECT_OPTIONS),
    });
  return [
    {
      type: "input",
      block_id: ACTION_INPUT.coordinate,
      optional: shape.optional ?? true,
      label: plain(shape.label ?? r.coordinate),
      ...(shape.label ? {} : { hint: plain(r.coordinateHint) }),
      element: {
        type: "multi_static_select",
        action_id: ACTION_INPUT.coordinate,
        ...(options.length <= SELECT_OPTIONS ? { options } : { option_groups: groups }),
      },
    } as KnownBlock,
  ];
}

/** Slack's checkboxes take at most ten options: the latest files are offered. */
const MAX_FILE_OPTIONS = 10;

/** 申请办结: what was done, with evidence; files already shared in the thread can be pointed to. */
export function claimModal(
  task: TaskView,
  ctx: RenderContext,
  files: readonly Pick<TaskFile, "fileId" | "name" | "at">[] = [],
): View {
  const c = ctx.m.taskModals.claim;
  const blocks: KnownBlock[] = [
    heading(task, ctx),
    textInput(ACTION_INPUT.text, c.evidence, { hint: c.hint }),
  ];
  const latest = [...new Map(files.map((f) => [f.fileId, f])).values()].slice(-MAX_FILE_OPTIONS);
  if (latest.length > 0) {
    blocks.push({
      type: "input",
      block_id: ACTION_INPUT.files,
      optional: true,
      label: plain(c.files),
      element: {
        type: "checkboxes",
        action_id: ACTION_INPUT.files,
        options: latest.map((f) => ({
          text: plain(f.name, LIMITS.optionText),
          description: plain(c.fileOption({ date: shortDate(f.at, ctx) }), LIMITS.optionText),
          value: f.fileId,
        })),
      },
    });
  }
  return modal(CALLBACK.claim, c.title, { taskId: task.id }, blocks, ctx);
}

/** 申请延期: a later date and a reason; after the due date the request is marked late. */
export function extendModal(task: TaskView, ctx: RenderContext): View {
  const e = ctx.m.taskModals.extend;
  const suggested = addDays(dueDateShown(task.dueAt, ctx.tz), 7);
  const blocks: KnownBlock[] = [heading(task, ctx)];
  if (ctx.now >= task.dueAt) blocks.push(context(e.late));
  blocks.push(
    {
      type: "input",
      block_id: ACTION_INPUT.date,
      optional: true,
      label: plain(e.date),
      element: { type: "datepicker", action_id: ACTION_INPUT.date, initial_date: suggested },
    },
    textInput(ACTION_INPUT.reason, e.reason),
  );
  return modal(CALLBACK.extend, e.title, { taskId: task.id }, blocks, ctx);
}

/** 退回 / 撤销 / 驳回延期 / 重新督办: a reason. */
export function reasonModal(task: TaskView, kind: ReasonKind, ctx: RenderContext): View {
  const r = ctx.m.taskModals.reason;
  const title = {
    return: r.returnTitle,
    cancel: r.cancelTitle,
    reject_extension: r.rejectTitle,
    reopen: r.reopenTitle,
  }[kind];
  return modal(
    CALLBACK.reason,
    title,
    { taskId: task.id, reason: kind },
    [heading(task, ctx), textInput(ACTION_INPUT.reason, r.label)],
    ctx,
  );
}

import { SITE_FINDINGS } from "../../domain/loops.js";
import type { TaskFile, TaskView } from "../../domain/model.js";
import { CALLBACK, LOOP_INPUT } from "../ids.js";
import { clip, type KnownBlock, LIMITS } from "./blocks.js";
import { type RenderContext, shortDate } from "./format.js";
import { input, modal, option, plain, taskHeading, textElement, type View } from "./modal-kit.js";

/** The modals that close the loops: 验收 (with 回头看), 反弹, 再批示, 实地核查. */

const heading = taskHeading;
const text = textElement;

/** 验收: the 验收意见, and a 回头看 day (offered from the settings' default for the task). */
export function verifyModal(task: TaskView, ctx: RenderContext, recheckOn: string | null): View {
  const L = ctx.m.loops;
  return modal(
    CALLBACK.verify,
    L.verifyTitle,
    { taskId: task.id },
    [
      heading(task, ctx),
      input(LOOP_INPUT.note, L.verifyNote, text(true), { optional: true, hint: L.verifyNoteHint }),
      input(
        LOOP_INPUT.recheckOn,
        L.recheckDate,
        { type: "datepicker", ...(recheckOn ? { initial_date: recheckOn } : {}) },
        { optional: true, hint: L.recheckHint },
      ),
    ],
    ctx,
  );
}

/** What a submission came to, in the modal it was made in (it stays open to be read). */
export function doneModal(title: string, text: string, ctx: RenderContext): View {
  return {
    type: "modal",
    title: plain(title, LIMITS.modalTitle),
    close: plain(ctx.m.taskModals.cancel, LIMITS.modalTitle),
    blocks: [
      { type: "section", text: { type: "mrkdwn", text: clip(text, LIMITS.sectionText) } } as KnownBlock,
    ],
  };
}

/** 问题反弹: what was found. */
export function relapseModal(recheckId: number, ctx: RenderContext): View {
  const L = ctx.m.loops;
  return modal(
    CALLBACK.relapse,
    L.relapseTitle,
    { recheckId },
    [input(LOOP_INPUT.note, L.relapseLabel, text(true), { hint: L.relapseHint })],
    ctx,
  );
}

/** 再批示: the leader's words, and whether the units do more. */
export function reinstructModal(closureId: number, ctx: RenderContext): View {
  const L = ctx.m.loops;
  const record = option("record", L.actionRecord);
  return modal(
    CALLBACK.reinstruct,
    L.reinstructTitle,
    { closureId },
    [
      input(LOOP_INPUT.text, L.reinstructText, text(true)),
      input(LOOP_INPUT.action, L.reinstructAction, {
        type: "radio_buttons",
        options: [record, option("reopen", L.actionReopen)],
        initial_option: record,
      }),
      input(LOOP_INPUT.due, L.reinstructDue, { type: "datepicker" }, { optional: true }),
    ],
    ctx,
  );
}

/** Slack's checkboxes take at most ten options: the latest files are offered. */
const MAX_FILE_OPTIONS = 10;

/** 实地核查 (or 暗访): who, when, where, the finding, what was found, photos from the thread. */
export function siteCheckModal(
  task: TaskView,
  ctx: RenderContext,
  files: readonly Pick<TaskFile, "fileId" | "name" | "at">[],
  today: string,
): View {
  const L = ctx.m.loops;
  const blocks: KnownBlock[] = [
    heading(task, ctx),
    input(LOOP_INPUT.checkers, L.siteCheckers, text(false)),
    input(LOOP_INPUT.date, L.siteDate, { type: "datepicker", initial_date: today }),
    input(LOOP_INPUT.place, L.sitePlace, text(false)),
    input(LOOP_INPUT.finding, L.siteFinding, {
      type: "radio_buttons",
      options: SITE_FINDINGS.map((f) => ({
        text: plain(L.findingName[f] ?? f, LIMITS.optionText),
        value: f,
      })),
    }),
    input(LOOP_INPUT.note, L.siteNote, text(true), { optional: true }),
    input(
      LOOP_INPUT.covert,
      L.siteCovert,
      { type: "checkboxes", options: [{ text: plain(L.siteCovert, LIMITS.optionText), value: "covert" }] },
      { optional: true },
    ),
  ];
  const latest = [...new Map(files.map((f) => [f.fileId, f])).values()].slice(-MAX_FILE_OPTIONS);
  if (latest.length > 0) {
    blocks.push(
      input(
        LOOP_INPUT.files,
        L.siteFiles,
        {
          type: "checkboxes",
          options: latest.map((f) => ({
            text: plain(f.name, LIMITS.optionText),
            description: plain(shortDate(f.at, ctx), LIMITS.optionText),
            value: f.fileId,
          })),
        },
        { optional: true },
      ),
    );
  }
  return modal(CALLBACK.siteCheck, L.siteTitle, { taskId: task.id }, blocks, ctx);
}

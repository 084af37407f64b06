import { z } from "zod";
import { CONFIDENTIALITIES, DECISION_SOURCES, type Draft, type DraftTask } from "../domain/decision.js";
import type { Cadence } from "../domain/splitter/splitter.js";
import { type Deadline, isLocalDate, startOfDay } from "../domain/time.js";
import type { DecisionFields } from "../services/decisions.js";
import { DECISION_INPUT, TASK_INPUT } from "./ids.js";
import type { StateReader } from "./view-state.js";

const ZSource = z.enum(DECISION_SOURCES);
const ZConfidentiality = z.enum(CONFIDENTIALITIES);
/** The longest text the modal's input holds. */
const INPUT_MAX = 3000;

/** The decision's own fields as the person left them in the modal; the draft fills what is missing. */
export function readDecisionFields(reader: StateReader, draft: Draft): DecisionFields {
  const typed = reader.text(DECISION_INPUT.text) ?? "";
  // A text longer than the box was shown cut: unchanged, it means the whole text.
  const text = draft.text.length > INPUT_MAX && typed === draft.text.slice(0, INPUT_MAX) ? draft.text : typed;
  const date = reader.date(DECISION_INPUT.date);
  return {
    source: ZSource.catch(draft.source).parse(reader.option(DECISION_INPUT.source)),
    sourceRef: reader.text(DECISION_INPUT.sourceRef) ?? "",
    leaderUserId: reader.user(DECISION_INPUT.leader),
    decidedOn: date && isLocalDate(date) ? date : draft.decidedOn,
    confidentiality: ZConfidentiality.catch(draft.confidentiality).parse(
      reader.option(DECISION_INPUT.confidentiality),
    ),
    text,
  };
}

export type TaskInput =
  | { ok: true; task: DraftTask }
  | { ok: false; errors: Record<string, "cadence_hours_missing"> };

/** A task as typed in the task modal. Saving it confirms every field: nothing stays "guessed". */
export function readTaskInput(reader: StateReader, key: string, tz: string): TaskInput {
  const urgent = reader.options(TASK_INPUT.urgent).includes("urgent");
  const date = reader.date(TASK_INPUT.due);
  const time = reader.time(TASK_INPUT.dueTime);
  let deadline: Deadline | undefined;
  if (date && isLocalDate(date)) {
    if (time && /^\d{2}:\d{2}$/.test(time)) {
      const [hours, minutes] = time.split(":").map(Number);
      deadline = {
        kind: "instant",
        at: new Date(startOfDay(date, tz).getTime() + ((hours ?? 0) * 60 + (minutes ?? 0)) * 60_000),
      };
    } else {
      deadline = { kind: "day", date };
    }
  }
  const cadenceKind = reader.option(TASK_INPUT.cadence) ?? "none";
  let cadence: Cadence = { kind: "none" };
  if (cadenceKind === "hours") {
    const hours = Number(reader.text(TASK_INPUT.cadenceHours));
    if (!Number.isInteger(hours) || hours < 1 || hours > 168) {
      return { ok: false, errors: { [TASK_INPUT.cadenceHours]: "cadence_hours_missing" } };
    }
    cadence = { kind: "hours", hours };
  } else if (cadenceKind === "weekly" || cadenceKind === "fortnightly" || cadenceKind === "monthly") {
    cadence = { kind: cadenceKind };
  }
  const lead = Number(reader.option(TASK_INPUT.lead));
  return {
    ok: true,
    task: {
      key,
      title: (reader.text(TASK_INPUT.title) ?? "").trim(),
      requirement: (reader.text(TASK_INPUT.requirement) ?? "").trim(),
      leadId: Number.isInteger(lead) && lead > 0 ? lead : undefined,
      coIds: reader
        .options(TASK_INPUT.co)
        .map(Number)
        .filter((id) => Number.isInteger(id)),
      deadline,
      urgent,
      cadence,
      tags: (reader.text(TASK_INPUT.tags) ?? "")
        .split(/[,，、\s]+/)
        .map((t) => t.trim())
        .filter(Boolean),
      guessed: [],
      unknownDepartments: [],
    },
  };
}

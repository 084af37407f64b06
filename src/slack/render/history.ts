import type { StoredEvent } from "../../domain/audit.js";
import type { TaskState } from "../../domain/task-state.js";
import { formatDate, formatDue } from "../../domain/time.js";
import { esc, user } from "../../i18n/format.js";
import { clip } from "./blocks.js";
import type { RenderContext } from "./format.js";
import { fileLink } from "./task-card.js";

type Files = readonly { name: string; permalink: string | null }[] | undefined;

/** What happened, with before → after where a state or a due date changed, and the files shared. */
function describe(event: StoredEvent, ctx: RenderContext, showText: boolean): string {
  const h = ctx.m.history;
  if (event.type === "unreadable") return h.events[event.storedType] ?? event.storedType;
  const name = h.events[event.type] ?? event.type;
  const state = (from: TaskState, to: TaskState) =>
    from === to ? "" : h.state({ from: ctx.m.stateName[from], to: ctx.m.stateName[to] });
  const reason = (text: string) => (text && showText ? h.reason({ text: esc(clip(text, 200)) }) : "");
  const files = (list: Files) =>
    list?.length && showText ? h.files({ links: list.map(fileLink).join(ctx.m.listSeparator) }) : "";
  // The due date as the card shows it: one rule (formatDue) for both.
  const due = (at: Date) => formatDue(at, ctx.tz, ctx.locale, ctx.now);
  switch (event.type) {
    case "task.acknowledged":
      return name + state(event.before.state, event.after.state);
    case "task.verified":
      return name + state(event.before.state, event.after.state) + reason(event.after.note ?? "");
    case "recheck.asked":
    case "recheck.answered":
    case "recheck.held":
    case "recheck.relapsed":
    case "closure.read":
      return name + reason((event.after as { note?: string }).note ?? "");
    case "closure.reinstructed":
      return name + reason(event.after.text);
    case "sitecheck.recorded":
      return `${name}${event.after.covert ? ctx.m.loops.covertMark : ""}（${ctx.m.loops.findingName[event.after.finding] ?? event.after.finding}）${reason(event.after.place)}`;
    case "task.claimed":
      return name + state(event.before.state, event.after.state) + files(event.after.files);
    case "task.returned":
    case "task.cancelled":
    case "task.reopened":
      return name + state(event.before.state, event.after.state) + reason(event.after.reason);
    case "extension.approved":
      return (
        name + h.due({ from: due(event.before.dueAt), to: due(event.after.dueAt) }) + reason(event.after.note)
      );
    case "extension.rejected":
      return name + reason(event.after.note);
    case "extension.requested":
      return name + h.requestedDue({ to: due(event.after.newDueAt) }) + reason(event.after.reason);
    case "report.added":
    case "report.perfunctory":
      return (
        name +
        (event.after.progress === null ? "" : h.progress({ value: event.after.progress })) +
        files(event.after.files)
      );
    case "comment.added":
      return name + files(event.after.files);
    case "coordination.opened":
    case "coordination.added":
    case "coordination.accepted":
    case "coordination.answered":
    case "coordination.resolved":
    case "coordination.declined":
    case "coordination.reminded":
    case "coordination.escalated":
      return `${name}${ctx.m.history.coordination({ department: event.after.department })}${reason(event.after.text ?? "")}`;
    default:
      return name;
  }
}

/**
 * One line per event of a task's audit trail: when, who, what, and before → after where a
 * state or a due date changed. Free text (reasons) and files are left out for those not entitled.
 */
export function historyLines(
  events: readonly StoredEvent[],
  ctx: RenderContext,
  showText: boolean,
): string[] {
  const h = ctx.m.history;
  return events.map((event) =>
    h.line({
      time: formatDate(event.at, ctx.tz, ctx.locale, ctx.now, true),
      actor: event.actor === "system" ? h.system : user(event.actor),
      what: describe(event, ctx, showText),
    }),
  );
}

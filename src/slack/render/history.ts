import type { AuditEvent } from "../../domain/model.js";
import { isTaskState } from "../../domain/task-state.js";
import { formatDate } from "../../domain/time.js";
import { esc, user } from "../../i18n/format.js";
import { clip } from "./blocks.js";
import type { RenderContext } from "./format.js";
import { fileLink } from "./task-card.js";

const fields = (value: unknown): Record<string, unknown> =>
  value && typeof value === "object" ? (value as Record<string, unknown>) : {};

/**
 * One line per event of a task's audit trail: when, who, what, and before → after where a
 * state or a due date changed. Free text (reasons) is left out for those not entitled.
 */
export function historyLines(events: readonly AuditEvent[], ctx: RenderContext, showText: boolean): string[] {
  const h = ctx.m.history;
  return events.map((event) => {
    const before = fields(event.before);
    const after = fields(event.after);
    let what = h.events[event.type] ?? event.type;
    const from = before.state;
    const to = after.state;
    if (
      typeof from === "string" &&
      typeof to === "string" &&
      isTaskState(from) &&
      isTaskState(to) &&
      from !== to
    ) {
      what += h.state({ from: ctx.m.stateName[from], to: ctx.m.stateName[to] });
    }
    if (
      event.type === "extension.approved" &&
      typeof before.dueAt === "string" &&
      typeof after.dueAt === "string"
    ) {
      const day = (iso: string) =>
        formatDate(new Date(new Date(iso).getTime() - 1), ctx.tz, ctx.locale, ctx.now);
      what += h.due({ from: day(before.dueAt), to: day(after.dueAt) });
    }
    if (typeof after.progress === "number") what += h.progress({ value: after.progress });
    if (Array.isArray(after.files) && showText) {
      const files = after.files.flatMap((f: unknown) =>
        f && typeof f === "object" && typeof (f as { name?: unknown }).name === "string"
          ? [fileLink(f as { name: string; permalink: string | null })]
          : [],
      );
      if (files.length) what += h.files({ links: files.join(ctx.m.listSeparator) });
    }
    const reason =
      typeof after.reason === "string" ? after.reason : typeof after.note === "string" ? after.note : "";
    if (reason && showText) what += h.reason({ text: esc(clip(reason, 200)) });
    return h.line({
      time: formatDate(event.at, ctx.tz, ctx.locale, ctx.now, true),
      actor: event.actor === "system" ? h.system : user(event.actor),
      what,
    });
  });
}

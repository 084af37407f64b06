import { describe, expect, it } from "vitest";
import { auditEvent } from "../../domain/audit.js";
import { createWorkCalendar } from "../../domain/calendar.js";
import { DEFAULT_THRESHOLDS } from "../../domain/lights.js";
import { formatDue, startOfDay } from "../../domain/time.js";
import { messagesFor } from "../../i18n/index.js";
import type { RenderContext } from "./format.js";
import { historyLines } from "./history.js";

const TZ = "Asia/Shanghai";
const ctx: RenderContext = {
  m: messagesFor("zh-CN"),
  locale: "zh-CN",
  tz: TZ,
  now: new Date("2026-12-01T02:00:00Z"),
  calendar: createWorkCalendar(),
  thresholds: DEFAULT_THRESHOLDS,
};

describe("a task's history", () => {
  it("shows a moved due date as the card shows due dates, for a day and for an hour", () => {
    const day = startOfDay("2026-12-16", TZ); // due by the end of 15 December
    const hour = new Date("2026-12-01T09:00:00Z"); // an urgent task: 17:00
    const lines = historyLines(
      [
        auditEvent({
          type: "extension.approved",
          at: ctx.now,
          actor: "U0SUPER01",
          taskId: 1,
          before: { dueAt: hour.toISOString() },
          after: { dueAt: day.toISOString(), note: "" },
        }),
      ],
      ctx,
      true,
    );
    expect(lines[0]).toContain(
      `（时限 ${formatDue(hour, TZ, "zh-CN", ctx.now)} → ${formatDue(day, TZ, "zh-CN", ctx.now)}）`,
    );
    expect(lines[0]).toContain("12月1日 17:00 → 12月15日");
  });

  it("refuses to record an event of the wrong shape, and names an unknown stored one by its type", () => {
    expect(() =>
      auditEvent({ type: "task.returned", at: ctx.now, actor: "U1", before: { state: "closed" } } as never),
    ).toThrow();
    const lines = historyLines(
      [{ type: "unreadable", storedType: "task.merged", at: ctx.now, actor: "system", taskId: 1 }],
      ctx,
      true,
    );
    expect(lines[0]).toContain("系统 task.merged");
  });
});

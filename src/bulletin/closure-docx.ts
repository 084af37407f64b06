import { DateTime } from "luxon";
import type { WorkCalendar } from "../domain/calendar.js";
import { workdaysBetween } from "../domain/calendar.js";
import { formatTaskNumber } from "../domain/task-number.js";
import { dueDateShown, localDateOf } from "../domain/time.js";
import type { Messages } from "../i18n/index.js";
import type { ClosureReport } from "../services/closures.js";

/**
 * 《关于……批示件办理情况的报告》: the draft the office sends the leader when every task of the
 * decision they gave passed 验收 (报结). 一、批示要求 二、办理情况 三、佐证材料 四、办理时效
 * 五、验收意见, in 仿宋 with 黑体 headings, as offices lay them out. The office edits the draft
 * when it wants; the facts in it come from the record alone.
 */
export interface ClosureDocInput {
  report: ClosureReport;
  /** Display names of Slack users (the leader, who reported). */
  names: ReadonlyMap<string, string>;
  office: string | null;
  m: Messages;
  locale: string;
  tz: string;
  calendar: WorkCalendar;
  now: Date;
}

const TITLE_FONT = "方正小标宋简体";
const BODY_FONT = "仿宋_GB2312";
const HEADING_FONT = "黑体";
const BODY_SIZE = 32;
const INDENT = 640;

/** What the decision is called in the title: its 文号 or meeting, else its first words. */
export function closureSubject(decision: { sourceRef: string; text: string }): string {
  if (decision.sourceRef.trim()) return decision.sourceRef.trim();
  const first = decision.text.replace(/\s+/g, " ").trim();
  return Array.from(first).length > 30 ? `${Array.from(first).slice(0, 30).join("")}……` : first;
}

export async function closureDocx(input: ClosureDocInput): Promise<Buffer> {
  const { AlignmentType, Document, Packer, Paragraph, TextRun } = await import("docx");
  const { report, m, names } = input;
  const w = m.closureDoc;
  const name = (id: string) => names.get(id) ?? id;
  const day = (at: Date) => {
    const d = DateTime.fromJSDate(at, { zone: input.tz });
    return w.date({ year: d.year, month: d.month, day: d.day });
  };
  const run = (text: string, options: { font?: string; size?: number } = {}) =>
    new TextRun({
      text,
      font: { name: options.font ?? BODY_FONT, eastAsia: options.font ?? BODY_FONT },
      size: options.size ?? BODY_SIZE,
    });
  const body = (text: string) =>
    new Paragraph({ children: [run(text)], indent: { firstLine: INDENT }, spacing: { line: 560 } });
  const heading = (text: string) =>
    new Paragraph({
      children: [run(text, { font: HEADING_FONT })],
      indent: { firstLine: INDENT },
      spacing: { line: 560 },
    });
  const { decision, tasks, closure } = report;
  const subject = closureSubject(decision);
  const number = (t: { year: number; seq: number }) => formatTaskNumber(t, input.locale);
  const [required, done, evidence, timing, verdict] = w.sections;

  const paragraphs = [
    new Paragraph({
      alignment: AlignmentType.CENTER,
      children: [run(w.title({ subject }), { font: TITLE_FONT, size: 44 })],
      spacing: { after: 400 },
    }),
    new Paragraph({
      children: [run(w.salutation({ leader: name(closure.leaderUserId) }))],
      spacing: { line: 560 },
    }),
    body(w.opening({ date: day(decision.decidedOn), subject, count: tasks.length, round: closure.round })),
    heading(required ?? ""),
    body(decision.text.trim()),
    ...tasks.map(({ task }) =>
      body(
        w.taskRequired({
          number: number(task),
          title: task.title,
          lead: task.leadDept.name,
          requirement: task.requirement,
        }),
      ),
    ),
    heading(done ?? ""),
  ];
  for (const { task, reports } of tasks) {
    paragraphs.push(body(w.taskDone({ number: number(task), title: task.title, lead: task.leadDept.name })));
    if (reports.length === 0) paragraphs.push(body(w.noReports));
    for (const r of reports)
      paragraphs.push(body(w.report({ date: day(r.createdAt), by: name(r.userId), text: r.text.trim() })));
  }
  paragraphs.push(heading(evidence ?? ""));
  const files = tasks.flatMap(({ task, files }) => files.map((f) => ({ task, f })));
  if (files.length === 0) paragraphs.push(body(w.noFiles));
  for (const { task, f } of files)
    paragraphs.push(body(w.file({ number: number(task), name: f.name, link: f.permalink ?? "" })));
  paragraphs.push(heading(timing ?? ""));
  for (const { task, extensions } of tasks) {
    const start = localDateOf(task.dispatchedAt, input.tz);
    const end = localDateOf(task.closedAt ?? input.now, input.tz);
    paragraphs.push(
      body(
        w.timing({
          number: number(task),
          dispatched: day(task.dispatchedAt),
          closed: task.closedAt ? day(task.closedAt) : w.notClosed,
          limit: day(new Date(task.originalDueAt.getTime() - 1)),
          due: dueDateShown(task.dueAt, input.tz),
          workdays: workdaysBetween(input.calendar, start, end),
          onTime: task.closedAt !== null && (task.claimedAt ?? task.closedAt) < task.dueAt,
        }),
      ),
    );
    for (const e of extensions)
      paragraphs.push(
        body(
          w.extension({
            from: day(new Date(e.oldDueAt.getTime() - 1)),
            to: day(new Date(e.newDueAt.getTime() - 1)),
            reason: e.reason,
          }),
        ),
      );
  }
  paragraphs.push(heading(verdict ?? ""));
  for (const { task, verifyNote, siteChecks } of tasks) {
    paragraphs.push(body(w.verdict({ number: number(task), note: verifyNote.trim() || w.noNote })));
    for (const c of siteChecks)
      paragraphs.push(
        body(
          w.siteCheck({
            date: day(c.checkedOn),
            checkers: c.checkers,
            place: c.place,
            finding: m.loops.findingName[c.finding] ?? c.finding,
            covert: c.covert,
            note: c.note,
          }),
        ),
      );
  }
  paragraphs.push(body(w.closing));
  paragraphs.push(
    new Paragraph({
      alignment: AlignmentType.RIGHT,
      children: [run(input.office ?? m.bulletin.defaultOffice)],
    }),
    new Paragraph({ alignment: AlignmentType.RIGHT, children: [run(day(input.now))] }),
  );
  const doc = new Document({ sections: [{ children: paragraphs }] });
  return Buffer.from(await Packer.toBuffer(doc));
}

import { DateTime } from "luxon";
import { DISTRIBUTION_LINES, type DistributionLine } from "../domain/settings.js";
import type { Summary } from "../domain/summary.js";
import { formatTaskNumber } from "../domain/task-number.js";
import type { Messages } from "../i18n/index.js";

/**
 * 督查通报 as a Word document, laid out as offices lay them out: the red masthead 督查通报, 第N期,
 * the office and the date over a red rule, the subject, then 一、总体情况 二、先进典型 三、存在问题
 * 四、难点与协调事项 五、下步工作 in 仿宋 with 黑体 headings, and the scores as a table. Made from the
 * same Summary the Slack post shows; a confidential task's title is withheld as there. The docx
 * library is loaded when the first bulletin is written, not at every start.
 */
export interface BulletinInput {
  summary: Summary;
  /** The office issuing it (a setting); the words' default when unset. */
  office: string | null;
  /** The period in words: 2026年11月. */
  label: string;
  m: Messages;
  locale: string;
  tz: string;
  /** The 报/送/发 lines at its foot (a setting); none printed when unset. */
  distribution?: Partial<Record<DistributionLine, string>>;
}

const TITLE_FONT = "方正小标宋简体";
const BODY_FONT = "仿宋_GB2312";
const HEADING_FONT = "黑体";
const RED = "C00000";
/** 三号 (16 pt) in half-points, and two characters of it in twips for the first-line indent. */
const BODY_SIZE = 32;
const INDENT = 640;
const ORDER = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];

export async function bulletinDocx(input: BulletinInput): Promise<Buffer> {
  const docx = await import("docx");
  const {
    AlignmentType,
    BorderStyle,
    Document,
    Packer,
    Paragraph,
    Table,
    TableCell,
    TableRow,
    TextRun,
    WidthType,
  } = docx;
  const { summary, m } = input;
  const b = m.bulletin;
  const s = m.summary;
  const number = (task: { year: number; seq: number }) => formatTaskNumber(task, input.locale);
  const title = (t: { title: string | null }) => t.title ?? m.card.secretTitle;
  const join = (names: readonly string[]) => names.join(m.listSeparator);

  const run = (
    text: string,
    options: { font?: string; size?: number; bold?: boolean; color?: string } = {},
  ) =>
    new TextRun({
      text,
      font: { name: options.font ?? BODY_FONT, eastAsia: options.font ?? BODY_FONT },
      size: options.size ?? BODY_SIZE,
      ...(options.bold ? { bold: true } : {}),
      ...(options.color ? { color: options.color } : {}),
    });
  const body = (text: string) =>
    new Paragraph({ children: [run(text)], indent: { firstLine: INDENT }, spacing: { line: 560 } });
  const heading = (text: string) =>
    new Paragraph({
      children: [run(text, { font: HEADING_FONT })],
      indent: { firstLine: INDENT },
      spacing: { line: 560 },
    });
  const centred = (text: string, options: Parameters<typeof run>[1] = {}) =>
    new Paragraph({
      alignment: AlignmentType.CENTER,
      children: [run(text, options)],
      spacing: { after: 200 },
    });

  const issued = DateTime.fromJSDate(summary.generatedAt, { zone: input.tz });
  const t = summary.totals;
  const paragraphs: InstanceType<typeof Paragraph>[] = [
    centred(b.heading, { font: TITLE_FONT, size: 88, color: RED }),
    ...(summary.issueNo !== null ? [centred(b.issue({ no: summary.issueNo }))] : []),
    new Paragraph({
      children: [
        run(input.office ?? b.defaultOffice),
        run("\t"),
        run(b.date({ year: issued.year, month: issued.month, day: issued.day })),
      ],
      tabStops: [{ type: "right", position: 8_800 }],
      border: { bottom: { style: BorderStyle.SINGLE, size: 18, color: RED, space: 6 } },
      spacing: { after: 400 },
    }),
    centred(b.subject({ label: input.label }), { font: TITLE_FONT, size: 44 }),
  ];
  const [overview, best, problems, difficulties, next] = b.sections;

  paragraphs.push(heading(overview ?? ""), body(b.totals({ label: input.label, ...t, pct: t.closedPct })));
  if (summary.middle.count > 0 && summary.middle.min !== null) {
    const middle = summary.middle;
    paragraphs.push(
      body(
        b.middle({
          count: middle.count,
          min: middle.min ?? 0,
          max: middle.max ?? 0,
          average: middle.average ?? 0,
        }),
      ),
    );
  }

  paragraphs.push(heading(best ?? ""));
  if (summary.best.length === 0)
    paragraphs.push(body(t.total === 0 ? s.empty : s.notRanked({ min: summary.minSample })));
  summary.best.forEach((d, i) => {
    paragraphs.push(
      body(
        `${b.department({ order: ORDER[i] ?? String(i + 1), name: d.name, score: d.score, rank: d.rank ?? 0 })}${b.bestLine({ closedOnTime: d.closedOnTime })}`,
      ),
    );
    if (d.starred.length === 0) paragraphs.push(body(b.noStarred));
    for (const q of d.starred) {
      paragraphs.push(
        body(b.starred({ number: number(q.task), title: title(q.task), text: q.text ?? m.card.secretTitle })),
      );
    }
    if (d.starredMore) paragraphs.push(body(b.more({ count: d.starredMore })));
  });

  paragraphs.push(heading(problems ?? ""));
  if (summary.worst.length === 0) paragraphs.push(body(b.noProblems));
  summary.worst.forEach((d, i) => {
    const deductions = Object.entries(d.points)
      .filter(([, p]) => p < 0)
      .map(([rule, p]) =>
        b.deduction({ rule: s.ruleName[rule as keyof typeof s.ruleName] ?? rule, points: -p }),
      )
      .join(m.listSeparator);
    paragraphs.push(
      body(
        `${b.department({ order: ORDER[i] ?? String(i + 1), name: d.name, score: d.score, rank: d.rank ?? 0 })}${b.worstLine({ red: d.redCount, stalled: d.stalled, deductions })}`,
      ),
    );
    for (const task of d.red) {
      const reasons = task.reasons.map((r) => m.reasonName[r] ?? r).join(m.listSeparator);
      paragraphs.push(body(b.redItem({ number: number(task), title: title(task), reasons })));
    }
    if (d.redMore) paragraphs.push(body(b.more({ count: d.redMore })));
    const causes = Object.entries(d.causes).sort((x, y) => y[1] - x[1]);
    if (causes.length) {
      paragraphs.push(
        body(
          b.causes({
            items: causes
              .map(([c, n]) => b.causeCount({ cause: m.causeName[c] ?? c, count: n }))
              .join(m.listSeparator),
          }),
        ),
      );
    }
  });

  // 反弹 and 虚报 are named; the previous bulletin's 整改 are followed up.
  for (const f of summary.flagged)
    paragraphs.push(
      body(m.loops.flagged({ rule: f.rule, department: f.department, task: number(f), title: title(f) })),
    );
  const [rectified] = summary.rectifications;
  if (rectified) {
    const names = (done: boolean) =>
      join(summary.rectifications.filter((r) => r.done === done).map((r) => r.department));
    paragraphs.push(
      body(m.loops.rectified({ issueNo: rectified.issueNo, done: names(true), owed: names(false) })),
    );
  }

  paragraphs.push(heading(difficulties ?? ""));
  const hard = summary.difficulties;
  if (hard.items.length === 0 && hard.coordinations.length === 0) paragraphs.push(body(b.noDifficulties));
  for (const d of hard.items) {
    paragraphs.push(
      body(
        b.difficulty({
          number: number(d),
          title: title(d),
          department: d.department,
          cause: m.causeName[d.cause ?? "other"] ?? "",
          since: DateTime.fromJSDate(d.since, { zone: input.tz }).toFormat(
            input.locale === "en" ? "yyyy-MM-dd" : "M月d日",
          ),
        }),
      ),
    );
  }
  if (hard.more) paragraphs.push(body(b.more({ count: hard.more })));
  for (const c of hard.coordinations) {
    paragraphs.push(
      body(
        b.coordination({
          number: number(c),
          title: title(c),
          from: c.from,
          to: c.to,
          workdays: c.workdays,
          answered: c.answered,
        }),
      ),
    );
  }
  if (hard.coordinationsMore) paragraphs.push(body(b.more({ count: hard.coordinationsMore })));

  paragraphs.push(heading(next ?? ""));
  if (summary.worst.length)
    paragraphs.push(body(b.nextWorst({ names: join(summary.worst.map((d) => d.name)) })));
  const waiting = [...new Set(hard.coordinations.filter((c) => !c.answered).map((c) => c.to))];
  if (waiting.length) paragraphs.push(body(b.nextCoordination({ names: join(waiting) })));
  if (summary.best.length)
    paragraphs.push(body(b.nextBest({ names: join(summary.best.map((d) => d.name)) })));
  paragraphs.push(body(b.nextAlways));

  const cell = (text: string, header = false) =>
    new TableCell({
      children: [
        new Paragraph({
          alignment: AlignmentType.CENTER,
          children: [run(text, { size: 24, ...(header ? { font: HEADING_FONT } : {}) })],
        }),
      ],
    });
  const scores = new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [
      new TableRow({ tableHeader: true, children: b.scoresHeader.map((h) => cell(h, true)) }),
      ...summary.bars.map(
        (d) =>
          new TableRow({
            children: [
              cell(d.rank === null ? b.notRanked : String(d.rank)),
              cell(d.name),
              cell(String(d.score)),
              cell(b.rankChange({ change: d.rankChange })),
            ],
          }),
      ),
    ],
  });

  // The foot offices print under a rule: 报、送、发, each where the office set it.
  const footLines = DISTRIBUTION_LINES.flatMap((line) => {
    const text = input.distribution?.[line];
    return text ? [b.distribution({ line: m.settings.distributionLine[line] ?? line, text })] : [];
  });
  const distribution = footLines.length
    ? [
        new Paragraph({
          children: [],
          border: { bottom: { style: BorderStyle.SINGLE, size: 6, color: "000000", space: 1 } },
        }),
        ...footLines.map((line) => new Paragraph({ children: [run(line, { size: 28 })] })),
      ]
    : [];

  const information: InstanceType<typeof Paragraph>[] = [];
  // 信息工作, unit by unit, ranked as the ranking of 信息报送 ranks them.
  if (summary.information.length) {
    const sum = (key: "sent" | "adopted" | "late" | "missed") =>
      summary.information.reduce((n, r) => n + r[key], 0);
    information.push(
      heading(m.info.bulletinSection),
      body(
        m.info.bulletinTotals({
          sent: sum("sent"),
          adopted: sum("adopted"),
          late: sum("late"),
          missed: sum("missed"),
        }),
      ),
      ...summary.information.map((r) => body(m.info.rankingLine({ ...r, unit: r.name }).replace(/\*/g, ""))),
    );
  }

  const document = new Document({
    creator: input.office ?? b.defaultOffice,
    title: b.fileTitle({ no: summary.issueNo, label: input.label }),
    sections: [
      {
        properties: { page: { margin: { top: 2_098, bottom: 1_984, left: 1_588, right: 1_474 } } },
        children: [
          ...paragraphs,
          new Paragraph({ children: [] }),
          heading(b.scoresTitle),
          scores,
          ...information,
          ...distribution,
        ],
      },
    ],
  });
  return Packer.toBuffer(document);
}

import { DateTime } from "luxon";
import type { InfoReportView } from "../domain/information.js";
import type { DistributionLine } from "../domain/settings.js";
import type { Messages } from "../i18n/index.js";

/**
 * 《要情》第N期 as a Word document, as offices lay it out: the red 要情 masthead, 第N期, the
 * editing office and the date over a red rule, then each item with its title in 黑体, what the
 * unit reported in 仿宋, and its source (unit, time of the report); the 报/送 lines at the foot.
 * A 不公开 item's title and text stay out (it never leaves the office and the unit).
 */
export interface DigestDocInput {
  digestNo: number;
  reports: readonly InfoReportView[];
  office: string | null;
  distribution?: Partial<Record<DistributionLine, string>>;
  m: Messages;
  tz: string;
  now: Date;
}

const BODY_FONT = "仿宋_GB2312";
const TITLE_FONT = "方正小标宋简体";
const HEADING_FONT = "黑体";
const RED = "C00000";

export async function digestDocx(input: DigestDocInput): Promise<Buffer> {
  const { AlignmentType, BorderStyle, Document, Packer, Paragraph, TextRun } = await import("docx");
  const { m } = input;
  const I = m.info;
  const run = (text: string, options: { font?: string; size?: number; color?: string } = {}) =>
    new TextRun({
      text,
      font: { name: options.font ?? BODY_FONT, eastAsia: options.font ?? BODY_FONT },
      size: options.size ?? 32,
      ...(options.color ? { color: options.color } : {}),
    });
  const day = (at: Date) => {
    const d = DateTime.fromJSDate(at, { zone: input.tz });
    return m.closureDoc.date({ year: d.year, month: d.month, day: d.day });
  };
  const time = (at: Date) => DateTime.fromJSDate(at, { zone: input.tz }).toFormat("M月d日 HH:mm");
  const paragraphs = [
    new Paragraph({
      alignment: AlignmentType.CENTER,
      children: [run(I.docHeading, { font: TITLE_FONT, size: 88, color: RED })],
    }),
    new Paragraph({ alignment: AlignmentType.CENTER, children: [run(I.docIssue({ no: input.digestNo }))] }),
    new Paragraph({
      children: [
        run(I.docEditor({ office: input.office ?? m.bulletin.defaultOffice })),
        run("\t"),
        run(day(input.now)),
      ],
      tabStops: [{ type: "right", position: 8_800 }],
      border: { bottom: { style: BorderStyle.SINGLE, size: 18, color: RED, space: 6 } },
      spacing: { after: 400 },
    }),
  ];
  input.reports.forEach((report, i) => {
    const secret = report.confidentiality === "secret";
    paragraphs.push(
      new Paragraph({
        children: [run(`${i + 1}. ${secret ? I.secretTitle : report.title}`, { font: HEADING_FONT })],
        spacing: { before: 200, line: 560 },
      }),
    );
    if (!secret)
      paragraphs.push(
        new Paragraph({ children: [run(report.text)], indent: { firstLine: 640 }, spacing: { line: 560 } }),
      );
    paragraphs.push(
      new Paragraph({
        alignment: AlignmentType.RIGHT,
        children: [run(I.docSource({ unit: report.department.name, at: time(report.reportedAt) }))],
      }),
    );
  });
  const foot = (["report", "send"] as const).flatMap((line) => {
    const text = input.distribution?.[line];
    return text ? [`${m.settings.distributionLine[line] ?? line}：${text}`] : [];
  });
  if (foot.length)
    paragraphs.push(
      new Paragraph({
        children: [run(foot[0] ?? "")],
        border: { top: { style: BorderStyle.SINGLE, size: 6, color: "000000", space: 6 } },
        spacing: { before: 400 },
      }),
      ...foot.slice(1).map((text) => new Paragraph({ children: [run(text)] })),
    );
  const doc = new Document({ sections: [{ children: paragraphs }] });
  return Buffer.from(await Packer.toBuffer(doc));
}

import { createRequire } from "node:module";
import { type Summary, scoreScaleTop } from "../domain/summary.js";
import { esc } from "../i18n/format.js";
import type { Messages } from "../i18n/index.js";

/**
 * The picture a weekly or monthly summary carries: each department's score on a bar from 0 to
 * 100 (the best ends green, the worst red, the middle grey), its open tasks' lights beside its
 * name. Up to MAX_ROWS departments are drawn one per row; beyond that the ends are drawn and the
 * middle is one band (its range and average), so 200 departments never make a wall. Drawn as
 * SVG and turned into PNG by Skia (@napi-rs/canvas) with Noto Sans SC, which comes with the
 * package (@expo-google-fonts/noto-sans-sc): Chinese renders the same on a server without any
 * Chinese font. (resvg was tried first: it lays out CJK text at ~3 ms a character, 1.5–2 s a
 * chart; Skia draws one in ~40 ms.)
 */

/** Rows drawn one per department at most; more and the middle is compressed into one band. */
export const MAX_ROWS = 24;
/** Departments drawn at each end when the middle is compressed. */
const END_ROWS = 10;

const WIDTH = 1080;
const ROW = 56;
const TOP = 150;
const BAR_X = 620;
const BAR_W = 320;
const FONT = "Noto Sans SC";
const COLOURS = {
  best: "#2e7d32",
  worst: "#c62828",
  middle: "#78909c",
  unranked: "#bdbdbd",
  red: "#d32f2f",
  yellow: "#f9a825",
  green: "#388e3c",
  text: "#212121",
  faint: "#757575",
  grid: "#e0e0e0",
};

type Bar = Summary["bars"][number];
type Row =
  | { kind: "department"; bar: Bar; end: "best" | "worst" | "middle" | "unranked" }
  | {
      kind: "band";
      count: number;
      min: number;
      max: number;
      average: number;
      lights: Bar["lights"];
    }
  | { kind: "unranked"; count: number; lights: Bar["lights"] };

const sum = (bars: readonly Bar[]) =>
  bars.reduce(
    (all, b) => ({
      red: all.red + b.lights.red,
      yellow: all.yellow + b.lights.yellow,
      green: all.green + b.lights.green,
    }),
    { red: 0, yellow: 0, green: 0 },
  );

/** What the chart draws, row by row: every department, or the ends with the middle as one band. */
export function chartRows(summary: Summary): Row[] {
  const best = new Set(summary.best.map((d) => d.id));
  const worst = new Set(summary.worst.map((d) => d.id));
  const endOf = (bar: Bar): "best" | "worst" | "middle" | "unranked" =>
    bar.rank === null ? "unranked" : best.has(bar.id) ? "best" : worst.has(bar.id) ? "worst" : "middle";
  const ranked = summary.bars.filter((b) => b.rank !== null);
  const unranked = summary.bars.filter((b) => b.rank === null);
  const row = (bar: Bar): Row => ({ kind: "department", bar, end: endOf(bar) });
  if (summary.bars.length <= MAX_ROWS) return summary.bars.map(row);
  const top = ranked.slice(0, END_ROWS);
  const bottom = ranked.length > END_ROWS ? ranked.slice(Math.max(END_ROWS, ranked.length - END_ROWS)) : [];
  const middle = ranked.slice(top.length, ranked.length - bottom.length);
  const rows: Row[] = top.map(row);
  if (middle.length) {
    const scores = middle.map((b) => b.score);
    rows.push({
      kind: "band",
      count: middle.length,
      min: Math.min(...scores),
      max: Math.max(...scores),
      average: Math.round((scores.reduce((a, b) => a + b, 0) / scores.length) * 10) / 10,
      lights: sum(middle),
    });
  }
  rows.push(...bottom.map(row));
  if (unranked.length) rows.push({ kind: "unranked", count: unranked.length, lights: sum(unranked) });
  return rows;
}

/** A score's bar on a scale from 0 to `top` (100, or more when credits took the best past it). */
const barLength = (score: number, top = 100) => (Math.max(0, Math.min(top, score)) / top) * BAR_W;

function text(
  x: number,
  y: number,
  content: string,
  options: { size?: number; fill?: string; anchor?: string; weight?: number } = {},
) {
  return `<text x="${x}" y="${y}" font-family="${FONT}" font-size="${options.size ?? 24}" fill="${options.fill ?? COLOURS.text}"${options.anchor ? ` text-anchor="${options.anchor}"` : ""}${options.weight ? ` font-weight="${options.weight}"` : ""}>${esc(content)}</text>`;
}

/** Longest name drawn whole; longer ones end in … (the ledger has them whole). */
const NAME_CHARS = 10;
const shortName = (name: string) => {
  const chars = Array.from(name);
  return chars.length > NAME_CHARS ? `${chars.slice(0, NAME_CHARS - 1).join("")}…` : name;
};

function lights(x: number, y: number, counts: Bar["lights"]): string {
  return (["red", "yellow", "green"] as const)
    .map((light, i) => {
      const cx = x + i * 76;
      return `<circle cx="${cx}" cy="${y - 8}" r="10" fill="${COLOURS[light]}"/>${text(cx + 16, y, String(counts[light]), { size: 22, fill: COLOURS.faint })}`;
    })
    .join("");
}

/** The chart as SVG. */
export function scoreChartSvg(summary: Summary, m: Messages, title: string): string {
  const c = m.chart;
  const rows = chartRows(summary);
  const height = TOP + rows.length * ROW + 70;
  const parts: string[] = [
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    text(40, 56, title, { size: 32, weight: 700 }),
    text(40, 100, c.legend, { size: 20, fill: COLOURS.faint }),
  ];
  // The scale: 0, 50, 100 (and its top past 100) with faint lines down the rows.
  const top = scoreScaleTop(summary.bars.map((bar) => bar.score));
  const scaled = (score: number) => barLength(score, top);
  for (const mark of top > 100 ? [0, 50, 100, top] : [0, 50, 100]) {
    const x = BAR_X + scaled(mark);
    parts.push(
      `<line x1="${x}" y1="${TOP - 10}" x2="${x}" y2="${TOP + rows.length * ROW}" stroke="${COLOURS.grid}" stroke-width="2"/>`,
      text(x, TOP - 18, String(mark), { size: 18, fill: COLOURS.faint, anchor: "middle" }),
    );
  }
  rows.forEach((row, i) => {
    const y = TOP + i * ROW + 36;
    const barY = TOP + i * ROW + 14;
    if (row.kind === "department") {
      const { bar } = row;
      const colour = COLOURS[row.end];
      parts.push(
        text(40, y, bar.rank === null ? "—" : String(bar.rank), { size: 22, fill: COLOURS.faint }),
        text(90, y, shortName(bar.name), { size: 24 }),
        lights(372, y, bar.lights),
        `<rect x="${BAR_X}" y="${barY}" width="${scaled(bar.score)}" height="28" rx="4" fill="${colour}"/>`,
        text(BAR_X + scaled(bar.score) + 10, y, String(bar.score), {
          size: 22,
          fill: colour,
        }),
      );
    } else if (row.kind === "band") {
      parts.push(
        text(90, y, c.middle({ count: row.count }), { size: 22, fill: COLOURS.faint }),
        lights(372, y, row.lights),
        `<rect x="${BAR_X}" y="${barY}" width="${scaled(row.max)}" height="28" rx="4" fill="${COLOURS.middle}" opacity="0.25"/>`,
        `<rect x="${BAR_X + scaled(row.min)}" y="${barY}" width="${Math.max(2, scaled(row.max) - scaled(row.min))}" height="28" fill="${COLOURS.middle}" opacity="0.6"/>`,
        `<rect x="${BAR_X + scaled(row.average) - 2}" y="${barY - 4}" width="4" height="36" fill="${COLOURS.text}"/>`,
        text(BAR_X + 8, y - 2, c.average({ average: row.average }), { size: 18, fill: COLOURS.text }),
        text(BAR_X + scaled(row.max) + 10, y, c.range({ min: row.min, max: row.max }), {
          size: 20,
          fill: COLOURS.faint,
        }),
      );
    } else {
      parts.push(
        text(90, y, c.unranked({ count: row.count }), { size: 24, fill: COLOURS.faint }),
        lights(372, y, row.lights),
      );
    }
  });
  parts.push(
    text(40, height - 28, c.footnote({ min: summary.minSample }), { size: 18, fill: COLOURS.faint }),
  );
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}">${parts.join("")}</svg>`;
}

const require = createRequire(import.meta.url);
/** Noto Sans SC, regular, from the package that brings it (SIL Open Font License). */
const FONT_FILE = require.resolve("@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf");

let fontRegistered = false;

/** An SVG drawn into PNG with the bundled font (loaded with the first chart, not at start). */
export async function svgToPng(svg: string): Promise<{ png: Buffer; width: number; height: number }> {
  const { createCanvas, GlobalFonts, Image } = await import("@napi-rs/canvas");
  if (!fontRegistered) {
    if (!GlobalFonts.registerFromPath(FONT_FILE, FONT))
      throw new Error(`could not load the chart font ${FONT_FILE}`);
    fontRegistered = true;
  }
  const image = new Image();
  image.src = Buffer.from(svg);
  const canvas = createCanvas(image.width, image.height);
  canvas.getContext("2d").drawImage(image, 0, 0);
  return { png: await canvas.encode("png"), width: image.width, height: image.height };
}

/** The chart as PNG, 1080 pixels wide: what Slack shows in the channel and on a phone. */
export async function scoreChartPng(summary: Summary, m: Messages, title: string): Promise<Buffer> {
  return (await svgToPng(scoreChartSvg(summary, m, title))).png;
}

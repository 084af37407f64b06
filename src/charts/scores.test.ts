import { createCanvas, GlobalFonts, Image } from "@napi-rs/canvas";
import { describe, expect, it } from "vitest";
import type { Summary } from "../domain/summary.js";
import { messagesFor } from "../i18n/index.js";
import { chartRows, MAX_ROWS, scoreChartPng, scoreChartSvg, svgToPng } from "./scores.js";

const m = messagesFor("zh-CN");

function office(departments: number, unranked = 0): Summary {
  const bars = Array.from({ length: departments }, (_, i) => ({
    id: i + 1,
    name: `第${i + 1}街道办事处`,
    score: Math.round(100 - (i * 40) / departments),
    rank: i < departments - unranked ? i + 1 : null,
    rankChange: null,
    lights: { red: i % 3, yellow: 1, green: 2 },
  }));
  const ranked = bars.filter((b) => b.rank !== null);
  return {
    bars,
    best: ranked.slice(0, 3),
    worst: ranked.slice(-3),
    minSample: 3,
  } as unknown as Summary;
}

/** PNG's width and height, from its IHDR chunk. */
const size = (png: Buffer) => ({ width: png.readUInt32BE(16), height: png.readUInt32BE(20) });

/** How many pixels of a PNG are not white. */
async function inked(png: Buffer): Promise<number> {
  const image = new Image();
  image.src = png;
  const canvas = createCanvas(image.width, image.height);
  const context = canvas.getContext("2d");
  context.drawImage(image, 0, 0);
  const { data } = context.getImageData(0, 0, image.width, image.height);
  let count = 0;
  for (let i = 0; i < data.length; i += 4) if ((data[i] ?? 255) < 128) count++;
  return count;
}

describe("the score chart", () => {
  it("draws every department while they fit, the ends in colour", () => {
    const rows = chartRows(office(12));
    expect(rows).toHaveLength(12);
    expect(rows.map((r) => (r.kind === "department" ? r.end : r.kind))).toEqual([
      "best",
      "best",
      "best",
      ...Array(6).fill("middle"),
      "worst",
      "worst",
      "worst",
    ]);
    const svg = scoreChartSvg(office(12), m, "周调度");
    expect(svg).toContain("第1街道办事处");
    expect(svg).toContain('fill="#2e7d32"');
    expect(svg).toContain('fill="#c62828"');
  });

  it("shows 200 departments as the ends and one band for the middle, never a wall", () => {
    const rows = chartRows(office(200, 5));
    expect(rows.length).toBeLessThanOrEqual(MAX_ROWS);
    expect(rows.filter((r) => r.kind === "department")).toHaveLength(20);
    const band = rows.find((r) => r.kind === "band");
    expect(band).toMatchObject({ kind: "band", count: 175 });
    expect(rows.at(-1)).toMatchObject({ kind: "unranked", count: 5 });
    const svg = scoreChartSvg(office(200, 5), m, "周调度");
    expect(svg).toContain("中间 175 个单位");
    expect(svg).toContain("样本不足 5 个单位");
  });

  it("is a PNG 1080 pixels wide, as tall as its rows", async () => {
    const png = await scoreChartPng(office(200, 5), m, "督查通报 第1期 · 各单位得分");
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(size(png)).toEqual({ width: 1080, height: 150 + 22 * 56 + 70 });
  });

  it("draws Chinese with the font it brings", async () => {
    const word = (family: string) =>
      `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="80"><rect width="200" height="80" fill="#fff"/><text x="10" y="55" font-family="${family}" font-size="48" fill="#000">督查</text></svg>`;
    const { png } = await svgToPng(word("Noto Sans SC"));
    // Registered from the package (@expo-google-fonts/noto-sans-sc), not found on the server.
    expect(GlobalFonts.has("Noto Sans SC")).toBe(true);
    expect(await inked(png)).toBeGreaterThan(300);
  });
});

import { CN, parseNumber } from "./numerals.js";

/** A numbering style offices use to list items. */
export type MarkerStyle =
  | "cn-dun" // 一、
  | "cn-paren" // （一）
  | "num-dot" // 1.
  | "num-dun" // 1、
  | "num-paren-right" // 1）
  | "num-paren" // （1）
  | "circled" // ①
  | "cn-shi" // 一是
  | "cn-di"; // 第一，

export interface Marker {
  style: MarkerStyle;
  value: number;
  /** Where the marker starts in the text. */
  start: number;
  /** Where the item's own words start, after the marker. */
  contentStart: number;
}

const CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳";

const PATTERNS: { style: MarkerStyle; pattern: RegExp; inline: boolean }[] = [
  { style: "cn-dun", pattern: new RegExp(`([${CN}]{1,3})、`, "g"), inline: false },
  { style: "cn-paren", pattern: new RegExp(`[（(]([${CN}]{1,3})[）)]`, "g"), inline: true },
  { style: "num-paren", pattern: /[（(](\d{1,2})[）)]/g, inline: true },
  { style: "num-dot", pattern: /(\d{1,2})[.．](?!\d)/g, inline: true },
  { style: "num-dun", pattern: /(\d{1,2})、/g, inline: true },
  { style: "num-paren-right", pattern: /(\d{1,2})[）)]/g, inline: true },
  { style: "circled", pattern: new RegExp(`([${CIRCLED}])`, "g"), inline: true },
  { style: "cn-shi", pattern: new RegExp(`([${CN}]{1,3})是`, "g"), inline: true },
  { style: "cn-di", pattern: new RegExp(`第([${CN}]{1,3})[，、,：:]`, "g"), inline: true },
];

/**
 * A marker stands at a line's start; inline styles ("一是", "（一）", "1.") may also follow a
 * colon, semicolon, comma or full stop, as lists run into a sentence do.
 */
function precededBy(text: string, index: number, inline: boolean): boolean {
  let i = index - 1;
  while (i >= 0 && (text[i] === " " || text[i] === "\t" || text[i] === "\u3000")) i--;
  if (i < 0) return true;
  const before = text[i] ?? "";
  if (before === "\n") return true;
  return inline && "：:；;。，,".includes(before);
}

/** Every marker of every style, in text order. */
export function findMarkers(text: string): Marker[] {
  const markers: Marker[] = [];
  for (const { style, pattern, inline } of PATTERNS) {
    for (const match of text.matchAll(pattern)) {
      const start = match.index;
      const raw = match[1] ?? "";
      const value = style === "circled" ? CIRCLED.indexOf(raw) + 1 : parseNumber(raw);
      if (value === undefined || value < 1) continue;
      // "（1）" also matches "1）": keep the fuller form only.
      if (style === "num-paren-right" && (text[start - 1] === "（" || text[start - 1] === "(")) continue;
      if (!precededBy(text, start, inline)) continue;
      markers.push({ style, value, start, contentStart: start + match[0].length });
    }
  }
  return markers.sort((a, b) => a.start - b.start);
}

/** The markers of one style that count 1, 2, 3… in order; others of that style are ignored. */
export function sequence(markers: readonly Marker[], style: MarkerStyle, from = 0, to = Infinity): Marker[] {
  const result: Marker[] = [];
  let expect = 1;
  for (const marker of markers) {
    if (marker.style !== style || marker.start < from || marker.start >= to) continue;
    if (marker.value === expect) {
      result.push(marker);
      expect++;
    }
  }
  return result;
}

/**
 * The list the text is built on: of the styles that count at least 1, 2 in order, the one
 * that starts first (the outermost level); ties go to the longer list.
 */
export function primaryList(
  markers: readonly Marker[],
  from = 0,
  to = Infinity,
  exclude?: MarkerStyle,
): Marker[] {
  let best: Marker[] = [];
  const styles = new Set(markers.map((m) => m.style));
  for (const style of styles) {
    if (style === exclude) continue;
    const list = sequence(markers, style, from, to);
    if (list.length < 2) continue;
    const [first] = list;
    const [bestFirst] = best;
    if (
      !bestFirst ||
      (first && first.start < bestFirst.start) ||
      (first && first.start === bestFirst.start && list.length > best.length)
    ) {
      best = list;
    }
  }
  return best;
}

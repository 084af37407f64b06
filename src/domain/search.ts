/**
 * 查考: how text is cut for the full-text index, and how a search reads. Chinese has no spaces,
 * and an office searches for two-character words (供暖, 河长): the index holds every overlapping
 * two-character piece of a text (its "grams"), a word is found by the rows holding all of its
 * pieces, and the word itself is then checked as a substring. No word list, no dictionary.
 */

const WORD_CHAR = /[\p{L}\p{N}]/u;

/** The distinct two-character pieces of a text, lower-cased; pieces across spaces or punctuation are not pieces. */
export function gramsOf(text: string): string[] {
  const chars = Array.from(text.toLowerCase());
  const grams = new Set<string>();
  for (let i = 0; i + 1 < chars.length; i++) {
    const a = chars[i] as string;
    const b = chars[i + 1] as string;
    if (WORD_CHAR.test(a) && WORD_CHAR.test(b)) grams.add(a + b);
  }
  return [...grams];
}

/** The words of a search: split on spaces and punctuation, lower-cased, each at most 30 characters. */
export function searchWords(query: string): string[] {
  return query
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .map((w) => Array.from(w).slice(0, 30).join(""));
}

/** The pieces a search asks the index for: every piece of every word (words of one character add none). */
export function searchGrams(words: readonly string[]): string[] {
  return [...new Set(words.flatMap(gramsOf))];
}

export type SearchKind = "decision" | "task" | "report" | "coordination" | "info" | "info_follow";

/** What a search may be narrowed to. */
export interface SearchFilter {
  departmentId?: number;
  source?: string;
  leaderUserId?: string;
  period?: { start: Date; end: Date };
  state?: "open" | "closed" | "cancelled";
}

/** A hit, with what its line shows. */
export interface SearchHit {
  kind: SearchKind;
  at: Date;
  text: string;
  /** The task it belongs to, when it does. */
  task: {
    year: number;
    seq: number;
    title: string;
    state: string;
    light: string | null;
    url: string | null;
    secret: boolean;
  } | null;
  info: {
    year: number;
    seq: number;
    title: string;
    state: string;
    url: string | null;
    secret: boolean;
  } | null;
  decision: { sourceRef: string; text: string; url: string | null; secret: boolean } | null;
  department: string | null;
}

/** An excerpt of a text around the first word found, at most `width` characters. */
export function excerptAround(text: string, words: readonly string[], width = 80): string {
  const lower = text.toLowerCase();
  const first = Math.min(
    ...words.map((w) => lower.indexOf(w)).filter((i) => i >= 0),
    Number.POSITIVE_INFINITY,
  );
  const chars = Array.from(text.replace(/\s+/g, " "));
  if (!Number.isFinite(first) || chars.length <= width) return chars.slice(0, width).join("");
  const start = Math.max(0, Math.min(first - Math.floor(width / 3), chars.length - width));
  return `${start > 0 ? "…" : ""}${chars.slice(start, start + width).join("")}${start + width < chars.length ? "…" : ""}`;
}

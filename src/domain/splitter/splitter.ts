import type { Deadline } from "../time.js";
import { type DeadlineContext, readDeadline } from "./deadlines.js";
import { assign, findMentions, type KnownDepartment } from "./departments.js";
import { findMarkers, type Marker, primaryList } from "./numbering.js";
import { CN, parseNumber } from "./numerals.js";

export type { KnownDepartment } from "./departments.js";

/** How often a task must report: none, weekly, fortnightly, monthly, or every N hours (urgent). */
export type Cadence =
  | { kind: "none" }
  | { kind: "weekly" }
  | { kind: "fortnightly" }
  | { kind: "monthly" }
  | { kind: "hours"; hours: number };

/** Fields the splitter filled in by inference, for the person to confirm. */
export type GuessedField = "title" | "lead" | "co" | "due" | "urgent" | "cadence" | "tags";

export interface SplitItem {
  /** The item's words exactly as written, marker included. */
  text: string;
  start: number;
  end: number;
  /** A heading the item sits under ("一、关于老旧小区改造"), when the text has two levels. */
  heading: string;
  /** A short title for the task. */
  title: string;
  /** The item's words without its number: what is required. */
  requirement: string;
  leadId?: number;
  coIds: number[];
  /** Names in a lead or co position that are not registered departments. */
  unknownDepartments: string[];
  deadline?: Deadline;
  /** The words the deadline was read from. */
  deadlineText?: string;
  urgent: boolean;
  cadence: Cadence;
  tags: string[];
  guessed: GuessedField[];
}

export interface SplitResult {
  /** Context before the first item ("市政府常务会议研究决定："). */
  preamble: string;
  items: SplitItem[];
  /** Closing words after the last item, separated from it by a blank line. */
  trailer: string;
}

/** The longest title the splitter proposes; a person may type up to 200. */
export const TITLE_LENGTH = 40;
/** Words that mark a task as touching people's interests (热点). */
const HOT_WORDS =
  /民生|群众|百姓|居民|老百姓|就业|农民工|养老|医疗|教育|住房|食品安全|物价|出行|供暖|供水|信访/;
/** The tag given to 热点 tasks. */
export const HOT_TAG = "民生";

/** Full-width marks always end a sentence; ASCII ; ! ? only before a space or the end ("K12+300;K15+800" is one clause). */
const SENTENCE_END = /[。；！？\n]|[;!?](?=\s|$)/;

function readCadence(text: string): Cadence {
  const hours = new RegExp(`每(\\d{1,2}|[${CN}]{1,3})个?小时`).exec(text);
  if (hours) {
    const n = parseNumber(hours[1] ?? "");
    if (n) return { kind: "hours", hours: n };
  }
  if (/每两周|每半月|每半个月|双周/.test(text)) return { kind: "fortnightly" };
  if (/每周|每星期|周报/.test(text)) return { kind: "weekly" };
  if (/每月|每个月|月报/.test(text)) return { kind: "monthly" };
  return { kind: "none" };
}

const escapeRegExp = (word: string) => word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Removes who-does-it and by-when phrases, leaving what is to be done. */
function clean(
  sentence: string,
  deadlineText: string | undefined,
  departmentWords: readonly string[],
): string {
  // Only names known to be departments (registered, or named in a lead/co position) are
  // removed: a pattern such as "…站" would also eat "公交站台".
  const words = departmentWords.filter(Boolean).sort((a, b) => b.length - a.length);
  const dept = words.length ? `(?:${words.map(escapeRegExp).join("|")})` : "(?!)";
  const list = `${dept}(?:[、和及]${dept})*`;
  let s = sentence;
  if (deadlineText) {
    s = s.replace(
      new RegExp(`[，,]?\\s*(?:于|在)?\\s*${escapeRegExp(deadlineText)}(?:之前|以前|前|内)?[，,]?`),
      (phrase) => (/^[，,]|[，,]$/.test(phrase) ? "，" : ""),
    );
  }
  s = s
    .replace(
      new RegExp(`(?:由)?${list}(?:牵头|负责|主办|配合|协助|协办|参与|为牵头单位|为配合单位)[，,、]?`, "g"),
      "",
    )
    .replace(new RegExp(`(?:会同|协同|联合)${list}`, "g"), "")
    .replace(
      /[，,]?每(?:周|星期|月|个月|两周|半月|半个月|\d+个?小时|[一二两三四五六七八九十]+个?小时)[^，。；;]*/g,
      "",
    )
    .replace(/^[\s，,：:、]+/, "")
    .replace(/^(?:此事|此件|该事项|该问题)/, "")
    .replace(/^(?:会议要求|会议决定|会议明确|请|由|责成|要求)/, "")
    .replace(new RegExp(`^${list}`), "")
    .replace(/^(?:要|应|须|需|必须|务必)/, "")
    .replace(/^(?:立即|立刻|即刻|马上|迅速|抓紧|尽快|火速)/, "")
    .replace(/^[\s，,：:、]+/, "")
    .replace(/[，,：:、\s]+$/, "");
  return s.trim();
}

function titleOf(body: string, deadlineText: string | undefined, departmentWords: readonly string[]): string {
  const sentences = body
    .split(SENTENCE_END)
    .map((sentence) => sentence.trim())
    .filter(Boolean);
  for (const sentence of sentences) {
    const cleaned = clean(sentence, deadlineText, departmentWords);
    if (cleaned.length < 2) continue;
    // The first clause is the task when it says enough; else clauses are added until it does.
    let chosen = "";
    for (const clause of cleaned.split(/[，,]/).filter(Boolean)) {
      chosen = chosen ? `${chosen}，${clause}` : clause;
      if (Array.from(chosen).length >= 6) break;
    }
    const chars = Array.from(chosen);
    return chars.length <= TITLE_LENGTH ? chosen : chars.slice(0, TITLE_LENGTH).join("");
  }
  return Array.from(body.trim()).slice(0, TITLE_LENGTH).join("");
}

function withoutDepartments(text: string, departments: readonly KnownDepartment[]): string {
  let result = text;
  for (const mention of findMentions(text, departments).reverse()) {
    result = result.slice(0, mention.start) + result.slice(mention.end);
  }
  return result;
}

interface Segment {
  start: number;
  end: number;
  contentStart: number;
  heading: string;
}

/** Items at the outer level, split again when an outer item is only a heading over a list of its own. */
function segments(text: string, departments: readonly KnownDepartment[], ctx: DeadlineContext): Segment[] {
  const markers = findMarkers(text);
  let outer = primaryList(markers);
  // A decision of one numbered item ("一、交通局负责……"): the number is not part of the title.
  const lone = markers[0];
  if (outer.length === 0 && lone?.value === 1 && text.slice(0, lone.start).trim() === "") {
    const again = markers.some((m) => m !== lone && m.style === lone.style && m.value === 1);
    if (!again) outer = [lone];
  }
  if (outer.length === 0) return paragraphs(text, departments);
  const result: Segment[] = [];
  outer.forEach((marker, i) => {
    const end = outer[i + 1]?.start ?? text.length;
    const inner = primaryList(markers, marker.contentStart, end, marker.style);
    const first = inner[0];
    if (first) {
      const head = text.slice(marker.contentStart, first.start);
      const headIsHeading =
        findMentions(head, departments).length === 0 &&
        readDeadline(head, ctx) === undefined &&
        head.trim().length <= 40;
      if (headIsHeading) {
        const heading = text.slice(marker.start, first.start).trim();
        inner.forEach((sub: Marker, j) => {
          result.push({
            start: j === 0 ? marker.start : sub.start,
            end: inner[j + 1]?.start ?? end,
            contentStart: sub.contentStart,
            heading,
          });
        });
        return;
      }
    }
    result.push({ start: marker.start, end, contentStart: marker.contentStart, heading: "" });
  });
  return result;
}

/** Text without numbering: one item, or one per paragraph when several paragraphs each name a department. */
function paragraphs(text: string, departments: readonly KnownDepartment[]): Segment[] {
  const parts: { start: number; end: number }[] = [];
  const pattern = /[^\n]+/g;
  for (const match of text.matchAll(pattern)) {
    if (match[0].trim()) parts.push({ start: match.index, end: match.index + match[0].length });
  }
  const withDepartment = parts.filter(
    (p) => findMentions(text.slice(p.start, p.end), departments).length > 0,
  );
  if (withDepartment.length < 2) {
    const start = text.search(/\S/);
    return start === -1 ? [] : [{ start, end: text.length, contentStart: start, heading: "" }];
  }
  return withDepartment.map((p, i) => ({
    start: p.start,
    end: withDepartment[i + 1]?.start ?? text.length,
    contentStart: p.start,
    heading: "",
  }));
}

/**
 * Cuts a decision's text into supervision items: at Chinese and Western numbering, keeping
 * the preamble as context; finds each item's lead and co-operating departments, its deadline
 * (relative to the decision date, on the working-day calendar), urgency, cadence and 热点 tag;
 * and says which of these it guessed. Every character of the text lands in the preamble, an
 * item or the trailer, in order.
 */
export function splitDecision(
  text: string,
  departments: readonly KnownDepartment[],
  ctx: DeadlineContext,
): SplitResult {
  const parts = segments(text, departments, ctx);
  const departmentWords = departments.flatMap((d) => [d.name, ...d.aliases]);
  const first = parts[0];
  if (!first) return { preamble: text, items: [], trailer: "" };
  // Closing words after a blank line following the last item belong to the whole decision.
  let trailer = "";
  const last = parts.at(-1);
  if (last && parts.length > 1) {
    const tail = text.slice(last.contentStart, last.end);
    const blank = /\n[ \t\u3000]*\n\s*(?=\S)/.exec(tail);
    if (blank) {
      const cut = last.contentStart + blank.index;
      trailer = text.slice(cut, last.end);
      last.end = cut;
    }
  }
  const preambleText = text.slice(0, first.start);
  const items = parts.map((part): SplitItem => {
    const itemText = text.slice(part.start, part.end);
    const body = text.slice(part.contentStart, part.end).trim();
    const mentions = findMentions(body, departments);
    const assignment = assign(body, mentions);
    const found = readDeadline(body, ctx);
    const cadence = readCadence(body);
    // Department names say nothing about the subject ("教育局"): look at the words without them.
    const subject = withoutDepartments(`${preambleText}${part.heading}${body}`, departments);
    const tags = HOT_WORDS.test(subject) ? [HOT_TAG] : [];
    const guessed: GuessedField[] = ["title"];
    if (assignment.leadId !== undefined && !assignment.leadStated) guessed.push("lead");
    if (assignment.coIds.length > 0 && !assignment.coStated) guessed.push("co");
    if (found?.guessed) guessed.push("due");
    if (found?.urgent) guessed.push("urgent");
    if (cadence.kind !== "none") guessed.push("cadence");
    if (tags.length > 0) guessed.push("tags");
    return {
      text: itemText,
      start: part.start,
      end: part.end,
      heading: part.heading,
      title: titleOf(body, found?.text, [...departmentWords, ...assignment.unknown]),
      requirement: body,
      leadId: assignment.leadId,
      coIds: assignment.coIds,
      unknownDepartments: assignment.unknown,
      deadline: found?.deadline,
      deadlineText: found?.text,
      urgent: found?.urgent ?? false,
      cadence,
      tags,
      guessed,
    };
  });
  return { preamble: text.slice(0, first.start), items, trailer };
}

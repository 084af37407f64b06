import type { types } from "@slack/bolt";

export type KnownBlock = types.KnownBlock;

/** Block Kit limits Slack enforces (https://docs.slack.dev/reference/block-kit). */
export const LIMITS = {
  messageBlocks: 50,
  /**
   * All the text in one message's blocks. Slack refuses more than about 12,000 characters
   * (msg_blocks_too_long, undocumented: seen from ~12,000 to 13,300, slackapi/bolt-js#2509 and
   * #2867); ducha keeps within 11,000 so that a link or an emoji never tips it over.
   */
  messageText: 11_000,
  viewBlocks: 100,
  sectionText: 3000,
  headerText: 150,
  buttonText: 75,
  modalTitle: 24,
  contextElements: 10,
  actionsElements: 25,
  privateMetadata: 3000,
  optionText: 75,
  options: 100,
} as const;

/** What a command or an action answers with: fallback text for notifications plus blocks. */
export interface Reply {
  text: string;
  blocks: KnownBlock[];
}

/** Plain text cut to fit a limit, marked with an ellipsis when cut. */
export function clip(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join("")}…`;
}

export function header(text: string): KnownBlock {
  return { type: "header", text: { type: "plain_text", text: clip(text, LIMITS.headerText), emoji: true } };
}

export function section(mrkdwn: string): KnownBlock {
  return { type: "section", text: { type: "mrkdwn", text: mrkdwn } };
}

export function context(mrkdwn: string): KnownBlock {
  return { type: "context", elements: [{ type: "mrkdwn", text: mrkdwn }] };
}

export function divider(): KnownBlock {
  return { type: "divider" };
}

/**
 * Packs lines into as few sections as fit Slack's 3,000-character limit, never splitting a
 * line unless the line alone is too long.
 */
export function textSections(lines: readonly string[]): KnownBlock[] {
  const blocks: KnownBlock[] = [];
  let current = "";
  const flush = () => {
    if (current) blocks.push(section(current));
    current = "";
  };
  for (const raw of lines) {
    const line = raw.length > LIMITS.sectionText ? `${raw.slice(0, LIMITS.sectionText - 1)}…` : raw;
    const next = current ? `${current}\n${line}` : line;
    if (next.length > LIMITS.sectionText) {
      flush();
      current = line;
    } else {
      current = next;
    }
  }
  flush();
  return blocks;
}

/** A reply that is one paragraph of mrkdwn. */
export function textReply(mrkdwn: string): Reply {
  return { text: mrkdwn, blocks: textSections([mrkdwn]) };
}

/** Every `text` string in the blocks, in characters: what Slack sums for msg_blocks_too_long. */
export function blocksText(blocks: readonly unknown[]): number {
  let total = 0;
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value !== null && typeof value === "object") {
      for (const [key, child] of Object.entries(value)) {
        if (key === "text" && typeof child === "string") total += Array.from(child).length;
        else walk(child);
      }
    }
  };
  walk(blocks);
  return total;
}

/** Whether blocks fit one message: Slack's 50 blocks and ducha's 11,000 characters of text. */
export function fitsMessage(
  blocks: readonly unknown[],
  room: { blocks?: number; text?: number } = {},
): boolean {
  return (
    blocks.length <= (room.blocks ?? LIMITS.messageBlocks) &&
    blocksText(blocks) <= (room.text ?? LIMITS.messageText)
  );
}

/** A line of a listing: `counted` lines are items (tasks, requests), the others headings. */
export interface ListingLine {
  text: string;
  counted: boolean;
}

/**
 * Lines packed into sections within one message's limits (blocks and text), leaving `room` for
 * the blocks around them. The lines come worst first; past the limit the first ones that fit are
 * kept and the rest counted in a last line that says where to find them (`more`): an item is
 * never left out without a word. A heading whose items are all cut goes with them.
 */
export function fitListing(
  head: readonly string[],
  lines: readonly ListingLine[],
  more: (count: number) => string,
  room: { blocks: number; text: number } = { blocks: LIMITS.messageBlocks, text: LIMITS.messageText },
): KnownBlock[] {
  const total = lines.filter((l) => l.counted).length;
  const build = (kept: number) => {
    let shown = lines.slice(0, kept);
    // A heading with nothing under it is dropped with its items.
    while (shown.length && !shown.at(-1)?.counted) shown = shown.slice(0, -1);
    const left = total - shown.filter((l) => l.counted).length;
    return textSections([...head, ...shown.map((l) => l.text), ...(left > 0 ? [more(left)] : [])]);
  };
  const fits = (blocks: KnownBlock[]) => fitsMessage(blocks, room);
  const all = build(lines.length);
  if (fits(all)) return all;
  // The most lines that fit, by bisection: more lines never take less room.
  let low = 0;
  let high = lines.length;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (fits(build(mid))) low = mid;
    else high = mid - 1;
  }
  return build(low);
}

/**
 * The last guard before Slack: blocks a renderer made too long for one message are cut at a
 * block boundary, and a last line says that the rest was cut and where to look, instead of
 * Slack refusing the whole message. Renderers keep within the limits themselves; this only
 * keeps a mistake of theirs from costing the message.
 */
export function fitMessage(blocks: readonly KnownBlock[], cut: (left: number) => string): KnownBlock[] {
  if (fitsMessage(blocks)) return [...blocks];
  const kept = [...blocks];
  let left = 0;
  while (kept.length > 0 && !fitsMessage([...kept, context(cut(left + 1))])) {
    kept.pop();
    left++;
  }
  return [...kept, context(cut(left))];
}

/** The words around a message continued in more than one (the catalogue's `continued`). */
export interface ContinuationWords {
  /** Under the first of `of` messages: the rest follows. */
  first: (p: { of: number }) => string;
  /** Above message `part` of `of`. */
  next: (p: { part: number; of: number }) => string;
}

/**
 * A reply too long for one message, cut at block boundaries into numbered messages, each within
 * the limits, in order: nothing is given up. A reply that fits is returned as it is.
 */
export function splitReply(reply: Reply, words: ContinuationWords): Reply[] {
  if (fitsMessage(reply.blocks)) return [reply];
  // The labels are at most this long; parts are packed with room for them.
  const label = context(words.next({ part: 99, of: 99 }));
  const firstLabel = context(words.first({ of: 99 }));
  const room = {
    blocks: LIMITS.messageBlocks - 1,
    text: LIMITS.messageText - Math.max(blocksText([label]), blocksText([firstLabel])),
  };
  const parts: KnownBlock[][] = [];
  let current: KnownBlock[] = [];
  for (const block of reply.blocks) {
    if (current.length && !fitsMessage([...current, block], room)) {
      parts.push(current);
      current = [];
    }
    current.push(block);
  }
  if (current.length) parts.push(current);
  const of = parts.length;
  return parts.map((blocks, i) => ({
    text: i === 0 ? reply.text : `${words.next({ part: i + 1, of })} ${reply.text}`,
    blocks:
      i === 0
        ? [...blocks, context(words.first({ of }))]
        : [context(words.next({ part: i + 1, of })), ...blocks],
  }));
}

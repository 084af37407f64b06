import type { types } from "@slack/bolt";

export type KnownBlock = types.KnownBlock;

/** Block Kit limits Slack enforces (https://docs.slack.dev/reference/block-kit). */
export const LIMITS = {
  messageBlocks: 50,
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

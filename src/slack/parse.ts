import { AppError } from "../domain/errors.js";
import { is } from "../i18n/words.js";

/**
 * Splits command text into words. Spaces (including the full-width space) separate words;
 * quotes ("…", “…”, 「…」) keep a name with spaces together.
 */
export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  const pattern = /"([^"]*)"|“([^”]*)”|「([^」]*)」|([^\s\u3000]+)/g;
  for (const match of text.matchAll(pattern)) {
    const word = match[1] ?? match[2] ?? match[3] ?? match[4] ?? "";
    if (word.length > 0) tokens.push(unescapeSlack(word));
  }
  return tokens;
}

/** Slack escapes &, < and > in command text; mentions keep their angle brackets. */
function unescapeSlack(word: string): string {
  if (/^<[@#!][^>]*>$/.test(word)) return word;
  return word.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

const USER_MENTION = /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$/;
const CHANNEL_MENTION = /^<#([CG][A-Z0-9]+)(?:\|[^>]*)?>$/;

export function userMention(token: string): string | undefined {
  return USER_MENTION.exec(token)?.[1];
}

export function channelMention(token: string): string | undefined {
  return CHANNEL_MENTION.exec(token)?.[1];
}

export function isMention(token: string): boolean {
  return token.startsWith("<") && token.endsWith(">");
}

/** A user ID from `<@U…|name>`; a typed "@name" or plain name is refused with a hint. */
export function requireUser(token: string): string {
  const id = userMention(token);
  if (!id) throw new AppError("need_user_mention", { given: token });
  return id;
}

/** A channel ID from `<#C…|name>`; a typed "#name" or plain name is refused with a hint. */
export function requireChannel(token: string): string {
  const id = channelMention(token);
  if (!id) throw new AppError("need_channel_mention", { given: token });
  return id;
}

/** Whether a word looks like a person or channel named by hand ("@张三", "#caizheng"). */
export function looksLikeHandMention(token: string): "user" | "channel" | undefined {
  if (/^[@＠]\S/.test(token)) return "user";
  if (/^[#＃]\S/.test(token)) return "channel";
  return undefined;
}

type PeriodChoice = { kind: import("../domain/period.js").PeriodKind; which: "current" | "previous" };

/** "本周", "上月", "last-year"… or undefined when the word names no period. */
export function periodWord(word: string | undefined): PeriodChoice | undefined {
  if (is(word, "week")) return { kind: "week", which: "current" };
  if (is(word, "month")) return { kind: "month", which: "current" };
  if (is(word, "year")) return { kind: "year", which: "current" };
  if (is(word, "lastWeek")) return { kind: "week", which: "previous" };
  if (is(word, "lastMonth")) return { kind: "month", which: "previous" };
  if (is(word, "lastYear")) return { kind: "year", which: "previous" };
  return undefined;
}

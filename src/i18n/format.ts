/**
 * Everything a person typed is escaped before it goes into mrkdwn, so a task title or a
 * department name cannot carry `<!channel>`, a fake link or a mention.
 */
export function esc(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/[`*_~]/g, (ch) => MARKUP_LOOKALIKE[ch] ?? ch);
}

/**
 * mrkdwn has no escape for its markers: a person's `*`, `_`, `~` or an unclosed ``` would pair
 * with the bold and code ducha puts around other fields and garble the rest of the message.
 * In what people typed they are shown as their full-width forms, which Slack leaves alone.
 */
const MARKUP_LOOKALIKE: Record<string, string> = { "`": "｀", "*": "＊", _: "＿", "~": "～" };

/** A user mention; the ID comes from Slack, never from typed text. */
export function user(id: string): string {
  return `<@${id}>`;
}

/** A channel mention; the ID comes from Slack, never from typed text. */
export function channel(id: string): string {
  return `<#${id}>`;
}

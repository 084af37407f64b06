/**
 * The names people type for departments and aliases, made what they look like: NFKC (full-width
 * letters and digits become ordinary ones), and no invisible characters — zero-width spaces and
 * joiners, bidirectional controls, NUL, ESC — so that "市财政局" with a zero-width space inside is
 * 市财政局, not a second department that looks the same.
 */
export function cleanName(raw: string): string {
  return raw
    .normalize("NFKC")
    .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, "")
    .replace(/\s+/gu, " ")
    .trim();
}

/**
 * Characters Slack reads as formatting or markup (``` ` * _ ~ < > | ```): in a name they would
 * leak into every message that lists it (an unclosed ``` turns the rest into code).
 */
const MARKUP = /[`*_~<>|]/u;

/** Whether a cleaned name can be used as it is shown; false when it carries Slack markup. */
export function isPlainName(name: string): boolean {
  return !MARKUP.test(name);
}

/**
 * Text from Slack as a person would read it: mentions by name, escapes undone. Used for the
 * decision text taken from a command or a message, which is then cut into tasks.
 */
export function slackToPlain(text: string): string {
  return text
    .replace(/<@([UW][A-Z0-9]+)\|([^>]+)>/g, "@$2")
    .replace(/<@([UW][A-Z0-9]+)>/g, "@$1")
    .replace(/<#([CG][A-Z0-9]+)\|([^>]*)>/g, (_, id: string, name: string) => `#${name || id}`)
    .replace(/<!(?:subteam\^[A-Z0-9]+\|)?([^>|]+)(?:\|[^>]*)?>/g, "@$1")
    .replace(/<(https?:[^|>]+)\|([^>]+)>/g, "$2 ($1)")
    .replace(/<(https?:[^>]+)>/g, "$1")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

/**
 * What a person typed, without what they could not see: control characters (NUL, ESC, …; line
 * breaks and tabs stay) and invisible format characters (zero-width spaces and joiners,
 * bidirectional controls that reverse what follows). Nothing else changes: full-width Chinese
 * punctuation stays as typed. Names are cleaned further (src/domain/names.ts).
 */
export function cleanText(text: string): string {
  return text.replace(/[\p{Cf}\u2028\u2029]|[^\P{Cc}\n\t]/gu, (ch) =>
    ch === "\u2028" || ch === "\u2029" ? "\n" : "",
  );
}

/** Cleans every string in a payload, in place (arrays and objects walked); returns it. */
export function cleanDeep<T>(value: T): T {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = cleanDeep(value[i]);
    return value;
  }
  if (value && typeof value === "object") {
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) record[key] = cleanDeep(record[key]);
    return value;
  }
  return (typeof value === "string" ? cleanText(value) : value) as T;
}

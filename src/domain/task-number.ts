/** 督办编号: year-scoped, shown 督〔2026〕12号, typed 12 or 2026-12. */
export interface TaskNumber {
  year: number;
  seq: number;
}

export function formatTaskNumber(n: TaskNumber, locale: string): string {
  return locale === "en" ? `No. ${n.year}-${n.seq}` : `督〔${n.year}〕${n.seq}号`;
}

/** Reads "12", "2026-12", "2026/12", "督〔2026〕12号" or "#12"; the year is left out when not typed. */
export function parseTaskRef(text: string): { year?: number; seq: number } | undefined {
  const t = text.trim().replace(/^#/, "");
  const bracketed = /^督?[〔[(（](\d{4})[〕\])）](\d{1,6})号?$/.exec(t);
  if (bracketed) return { year: Number(bracketed[1]), seq: Number(bracketed[2]) };
  const dashed = /^(\d{4})[-/—–－](\d{1,6})$/.exec(t);
  if (dashed) return { year: Number(dashed[1]), seq: Number(dashed[2]) };
  const short = /^(\d{1,6})号?$/.exec(t);
  if (short) return { seq: Number(short[1]) };
  return undefined;
}

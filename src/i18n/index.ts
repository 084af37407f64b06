import { en } from "./en.js";
import { type Messages, zhCN } from "./zh-CN.js";

export const LOCALES = ["zh-CN", "en"] as const;
export type Locale = (typeof LOCALES)[number];
export type { Messages };

const catalogues: Record<Locale, Messages> = { "zh-CN": zhCN, en };

/** The message catalogue for a language; zh-CN is the default. */
export function messagesFor(locale: Locale): Messages {
  return catalogues[locale];
}

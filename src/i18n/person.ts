import { AsyncLocalStorage } from "node:async_hooks";
import type { Locale } from "./index.js";

/**
 * The language of the person a request is for. What ducha says to one person — a command's
 * answer, a modal, a refusal, their App Home — follows their own Slack language where it is
 * English, and DUCHA_LOCALE otherwise; what goes to a channel (cards, notices, summaries) is rendered by the
 * delivery worker, outside any person, in DUCHA_LOCALE.
 */
const current = new AsyncLocalStorage<Locale>();

/** Runs `work` speaking `locale` to the person it is for. */
export function speaking<T>(locale: Locale, work: () => T): T {
  return current.run(locale, work);
}

/** The language of the person being answered now, or the office's. */
export function localeNow(office: Locale): Locale {
  return current.getStore() ?? office;
}

/** Runs `work` for no one in particular (a worker woken by a request must not inherit its person). */
export function forNoOne<T>(work: () => T): T {
  return current.exit(work);
}

/**
 * A person's Slack locale ("en-US", "en-GB") as ducha's language when it is English; null
 * otherwise, and the office's language (DUCHA_LOCALE) applies.
 */
export function localeOfSlack(slackLocale: string | undefined): Locale | null {
  return slackLocale?.toLowerCase().startsWith("en") ? "en" : null;
}

import type { AnyMiddlewareArgs, Middleware } from "@slack/bolt";
import type { WebClient } from "@slack/web-api";
import type { Locale } from "../i18n/index.js";
import { localeOfSlack, speaking } from "../i18n/person.js";
import type { Logger } from "../logger.js";

/** How long a person's language is remembered: a day (they rarely change it). */
const REMEMBER_MS = 24 * 3_600_000;
/** How long a request waits for users.info the first time: an answer within 3 s comes first. */
const LOOKUP_WAIT_MS = 300;

/** People's Slack languages, looked up once a day with users.info (include_locale). */
export class PersonLocales {
  readonly #known = new Map<string, { locale: Locale | null; at: number }>();
  readonly #pending = new Map<string, Promise<Locale | null>>();

  constructor(
    private readonly web: WebClient,
    private readonly office: Locale,
    private readonly logger: Logger,
  ) {}

  /** The language to speak to a person: theirs when ducha has it, else the office's. */
  async of(userId: string): Promise<Locale> {
    const known = this.#known.get(userId);
    if (known && Date.now() - known.at < REMEMBER_MS) return known.locale ?? this.office;
    const lookup = this.#pending.get(userId) ?? this.#lookUp(userId);
    const waited = await Promise.race([
      lookup,
      new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), LOOKUP_WAIT_MS).unref()),
    ]);
    return waited ?? this.office;
  }

  #lookUp(userId: string): Promise<Locale | null> {
    const lookup = this.web.users
      .info({ user: userId, include_locale: true })
      .then((info) => localeOfSlack((info.user as { locale?: string } | undefined)?.locale))
      .catch((error: unknown) => {
        this.logger.debug(
          { err: error, userId },
          "could not look up a person's language; using the office's",
        );
        return null;
      })
      .then((locale) => {
        this.#known.set(userId, { locale, at: Date.now() });
        this.#pending.delete(userId);
        return locale;
      });
    this.#pending.set(userId, lookup);
    return lookup;
  }
}

function userOf(body: unknown): string | undefined {
  const b = body as { user?: { id?: string } | string; user_id?: string };
  return typeof b.user === "string" ? b.user : (b.user?.id ?? b.user_id);
}

/** Answers each request in the language of the person who made it. */
export function speakToThePerson(locales: PersonLocales): Middleware<AnyMiddlewareArgs> {
  return async ({ body, next }) => {
    const userId = userOf(body);
    if (!userId) return next();
    const locale = await locales.of(userId);
    return speaking(locale, next);
  };
}

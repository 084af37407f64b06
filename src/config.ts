import fs from "node:fs";
import { z } from "zod";
import { isTimeZone } from "./domain/time.js";
import { LOCALES, type Locale, messagesFor } from "./i18n/index.js";
import { type ProxySettings, proxyFromEnv } from "./net.js";

/** Where the Web API lives unless SLACK_API_URL says otherwise (GovSlack, an emulator, tests). */
export const DEFAULT_SLACK_API_URL = "https://slack.com/api/";
/** SQLite beside the app unless DATABASE_URL says otherwise. */
export const DEFAULT_DATABASE_URL = "file:./data/ducha.db";

/**
 * A SQLite file (`file:./data/ducha.db`) or a PostgreSQL server with its database
 * (`postgresql://user:password@host:5432/ducha`). Checked here because Prisma's tools, given a
 * URL they cannot read, try to download an engine instead of saying so.
 */
export function isDatabaseUrl(value: string): boolean {
  if (/^file:.+/.test(value)) return true;
  if (!/^postgres(ql)?:\/\//i.test(value)) return false;
  try {
    const url = new URL(value);
    return url.hostname !== "" && url.pathname.length > 1;
  } catch {
    return false;
  }
}

/** Blank variables count as unset, so `PORT=` in .env means the default. */
function blankIsUnset<T extends z.ZodType>(schema: T) {
  return z.preprocess((value) => {
    if (typeof value !== "string") return value;
    const trimmed = value.trim();
    return trimmed === "" ? undefined : trimmed;
  }, schema);
}

/** The environment as ducha reads it. Keys are the variables' names. */
const ZEnv = z.object({
  SLACK_BOT_TOKEN: blankIsUnset(z.string().regex(/^xoxb-\S+$/)),
  SLACK_SIGNING_SECRET: blankIsUnset(z.string().optional()),
  SLACK_APP_TOKEN: blankIsUnset(
    z
      .string()
      .regex(/^xapp-\S+$/)
      .optional(),
  ),
  SLACK_API_URL: blankIsUnset(
    z
      .url({ protocol: /^https?$/ })
      .default(DEFAULT_SLACK_API_URL)
      .transform((url) => (url.endsWith("/") ? url : `${url}/`)),
  ),
  DATABASE_URL: blankIsUnset(z.string().refine(isDatabaseUrl).default(DEFAULT_DATABASE_URL)),
  PORT: blankIsUnset(z.coerce.number().int().min(0).max(65535).default(3000)),
  DUCHA_TZ: blankIsUnset(z.string().refine(isTimeZone).default("Asia/Shanghai")),
  DUCHA_LOCALE: blankIsUnset(z.enum(LOCALES).default("zh-CN")),
  DUCHA_ADMINS: blankIsUnset(
    z
      .string()
      .default("")
      .transform((value) =>
        value
          .split(/[,，\s]+/)
          .map((id) => id.trim())
          .filter(Boolean),
      )
      .pipe(z.array(z.string().regex(/^[UW][A-Z0-9]{2,}$/))),
  ),
  LOG_LEVEL: blankIsUnset(
    z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  ),
  DUCHA_WORKERS: blankIsUnset(z.coerce.number().int().min(1).max(16).default(1)),
});

/** Everything ducha needs from outside, validated once at start. */
export interface Config {
  slack: {
    botToken: string;
    /** Present in HTTP mode. */
    signingSecret: string | undefined;
    /** Present in Socket Mode. */
    appToken: string | undefined;
    apiUrl: string;
  };
  databaseUrl: string;
  port: number;
  timeZone: string;
  locale: Locale;
  /** Admins from the first start; they cannot be removed from Slack. */
  admins: readonly string[];
  logLevel: string;
  /** Processes serving on this machine (node:cluster), sharing the port and the database. */
  workers: number;
  /** HTTPS_PROXY / HTTP_PROXY / NO_PROXY: every outgoing call goes through the proxy. */
  proxy: ProxySettings;
}

/** A configuration that cannot start the bot; `message` names each bad variable and what it expects. */
export class ConfigError extends Error {
  readonly variables: readonly string[];
  constructor(message: string, variables: readonly string[]) {
    super(message);
    this.name = "ConfigError";
    this.variables = variables;
  }
}

/** Reads `.env` (when present) into `process.env` without overriding what is already set. */
export function loadDotEnv(path = ".env"): void {
  if (fs.existsSync(path)) {
    process.loadEnvFile(path);
  }
}

export function parseConfig(env: Record<string, string | undefined>): Config {
  const localeGuess = env.DUCHA_LOCALE === "en" ? "en" : "zh-CN";
  const result = ZEnv.safeParse(env);
  const bad = result.success ? [] : result.error.issues.map((issue) => String(issue.path[0]));
  // HTTP mode needs the signing secret; Socket Mode needs the app token instead.
  if (!env.SLACK_SIGNING_SECRET?.trim() && !env.SLACK_APP_TOKEN?.trim()) {
    bad.push("SLACK_SIGNING_SECRET");
  }
  const proxy = proxyFromEnv(env);
  if (proxy.httpsProxy && !isProxyUrl(proxy.httpsProxy)) bad.push("HTTPS_PROXY");
  if (proxy.httpProxy && !isProxyUrl(proxy.httpProxy)) bad.push("HTTP_PROXY");
  if (!result.success || bad.length > 0) {
    const m = messagesFor(localeGuess).config;
    const variables = [...new Set(bad)];
    const lines = variables.map((name) => {
      const given = env[name] ?? env[name.toLowerCase()];
      const state =
        given === undefined || given.trim() === "" ? m.missing : JSON.stringify(redact(name, given));
      return `  ${name} (${state}): ${m.expect[name] ?? ""}`;
    });
    throw new ConfigError([m.title, ...lines, m.hint].join("\n"), variables);
  }
  const e = result.data;
  return {
    slack: {
      botToken: e.SLACK_BOT_TOKEN,
      signingSecret: e.SLACK_SIGNING_SECRET,
      appToken: e.SLACK_APP_TOKEN,
      apiUrl: e.SLACK_API_URL,
    },
    databaseUrl: e.DATABASE_URL,
    port: e.PORT,
    timeZone: e.DUCHA_TZ,
    locale: e.DUCHA_LOCALE,
    admins: e.DUCHA_ADMINS,
    logLevel: e.LOG_LEVEL,
    workers: e.DUCHA_WORKERS,
    proxy,
  };
}

function isProxyUrl(value: string): boolean {
  return URL.canParse(value) && /^https?:$/.test(new URL(value).protocol);
}

/** Secrets are never echoed back, even when malformed. */
function redact(name: string, value: string): string {
  if (/TOKEN|SECRET/.test(name)) {
    return value.length > 6 ? `${value.slice(0, 5)}…` : "…";
  }
  // A proxy's password in its URL (http://user:pass@host) stays out of the message.
  return value.replace(/\/\/[^/@\s]*@/, "//…@");
}

import { createDuchaApp, SlackAuthError, SlackUnreachableError } from "./app.js";
import { systemClock } from "./clock.js";
import { ConfigError, loadDotEnv, parseConfig } from "./config.js";
import { type Messages, messagesFor } from "./i18n/index.js";
import { createLogger } from "./logger.js";
import { openDatabase } from "./store/database.js";
import { MigrationError, redactUrl } from "./store/migrate.js";
import { createStore } from "./store/store.js";
import { isPrimary, runWorkers, tellRunning } from "./workers.js";

/** Exit codes: 2 for configuration the operator must fix (a variable, a token), 1 for anything else. */
const EXIT_CONFIG = 2;
const EXIT_FAILURE = 1;

function fail(code: number, message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

/** Why the database cannot be used, in the operator's language. */
function databaseMessage(m: Messages, url: string, error: MigrationError): string {
  const d = m.startup.database;
  const migration = error.migration ?? "";
  switch (error.kind) {
    case "ahead":
      return d.ahead({ url, migration });
    case "modified":
      return d.modified({ url, migration });
    case "unfinished":
      return d.unfinished({ url, migration });
    case "orphans":
      return d.orphans({ url, migration });
    case "unavailable":
      return d.unavailable({ url, detail: error.detail ?? error.message });
  }
}

/** The code Slack refused a token with, when that is what happened. */
function refusalCode(error: unknown): string | undefined {
  const code = (error as { data?: { error?: unknown } } | null)?.data?.error;
  return typeof code === "string" ? code : undefined;
}

async function main(): Promise<void> {
  loadDotEnv();
  let config: ReturnType<typeof parseConfig>;
  try {
    config = parseConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) fail(EXIT_CONFIG, error.message);
    throw error;
  }
  const m = messagesFor(config.locale);
  const logger = createLogger(config.logLevel);

  let database: Awaited<ReturnType<typeof openDatabase>>;
  try {
    database = await openDatabase(config.databaseUrl);
  } catch (error) {
    if (error instanceof MigrationError)
      fail(EXIT_FAILURE, databaseMessage(m, redactUrl(config.databaseUrl), error));
    throw error;
  }
  if (config.workers > 1 && isPrimary()) {
    // Migrated (and its statistics gathered) once, here; the workers open it as it is.
    await database.close();
    await runWorkers(config.workers, logger);
  }
  const store = createStore(database);
  const bot = createDuchaApp({
    config,
    store,
    clock: systemClock,
    logger,
    scoringDatabaseUrl: config.databaseUrl,
  });

  try {
    const { port } = await bot.start();
    logger.info(
      { port, mode: config.slack.appToken ? "socket" : "http", pid: process.pid },
      "ducha is running",
    );
    tellRunning();
  } catch (error) {
    await store.close();
    if (error instanceof SlackAuthError) {
      fail(EXIT_CONFIG, m.startup.slackRefusedBotToken({ code: error.code, apiUrl: config.slack.apiUrl }));
    }
    if (error instanceof SlackUnreachableError) {
      fail(EXIT_FAILURE, m.startup.slackUnreachable({ apiUrl: config.slack.apiUrl, message: error.message }));
    }
    const code = refusalCode(error);
    if (config.slack.appToken && code) fail(EXIT_CONFIG, m.startup.slackRefusedAppToken({ code }));
    if ((error as { code?: unknown }).code === "EADDRINUSE") {
      fail(EXIT_CONFIG, m.startup.portInUse({ port: config.port }));
    }
    const message = error instanceof Error ? error.message : String(error);
    fail(EXIT_FAILURE, m.startup.failed({ message }));
  }

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "stopping: finishing work in flight");
    try {
      await bot.stop();
    } finally {
      await store.close();
      logger.info("stopped");
      process.exit(0);
    }
  };
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
  process.once("SIGINT", () => void shutdown("SIGINT"));
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  fail(
    EXIT_FAILURE,
    messagesFor(process.env.DUCHA_LOCALE === "en" ? "en" : "zh-CN").startup.failed({ message }),
  );
});

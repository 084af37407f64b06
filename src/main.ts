import { createDuchaApp, SlackAuthError } from "./app.js";
import { systemClock } from "./clock.js";
import { ConfigError, loadDotEnv, parseConfig } from "./config.js";
import { createLogger } from "./logger.js";
import { openDatabase } from "./store/database.js";
import { MigrationError } from "./store/migrate.js";
import { createStore } from "./store/store.js";

/** Exit codes: 2 for configuration the operator must fix, 1 for anything else that stops the start. */
const EXIT_CONFIG = 2;
const EXIT_FAILURE = 1;

function fail(code: number, message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
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
  const logger = createLogger(config.logLevel);

  let database: Awaited<ReturnType<typeof openDatabase>>;
  try {
    database = await openDatabase(config.databaseUrl);
  } catch (error) {
    if (error instanceof MigrationError)
      fail(EXIT_FAILURE, `ducha: DATABASE_URL ${config.databaseUrl}: ${error.message}`);
    throw error;
  }
  const store = createStore(database);
  const bot = createDuchaApp({ config, store, clock: systemClock, logger });

  try {
    const { port } = await bot.start();
    logger.info({ port, mode: config.slack.appToken ? "socket" : "http" }, "ducha is running");
  } catch (error) {
    await store.close();
    if (error instanceof SlackAuthError) {
      fail(
        EXIT_CONFIG,
        `ducha: ${error.message}. Check SLACK_BOT_TOKEN (and SLACK_API_URL: ${config.slack.apiUrl}).`,
      );
    }
    const message = error instanceof Error ? error.message : String(error);
    fail(EXIT_FAILURE, `ducha: could not start: ${message}`);
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
  fail(EXIT_FAILURE, `ducha: ${message}`);
});

import { LogLevel, type Logger as SlackLogger } from "@slack/bolt";
import pino from "pino";

export type Logger = pino.Logger;

/**
 * Standard output as the log's destination. Not pino's own (sonic-boom) destination: when
 * whoever reads the log goes away (a closed pipe), its flush at exit retries EPIPE forever and
 * the bot would never stop. process.stdout writes a pipe synchronously on Linux and reports a
 * closed one as an error, which is ignored here: the log is lost, the bot keeps working.
 */
let ignoringClosedStdout = false;
function stdout(): pino.DestinationStream {
  if (!ignoringClosedStdout) {
    ignoringClosedStdout = true;
    process.stdout.on("error", () => undefined);
  }
  return process.stdout;
}

/** JSON lines on stdout (or the given stream); tokens and secrets never reach the log. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { app: "ducha" },
      redact: {
        paths: ["token", "*.token", "headers.authorization", "*.headers.authorization"],
        censor: "[redacted]",
      },
    },
    destination ?? stdout(),
  );
}

/** Bolt, the Web API client and the Socket Mode client log through our logger. */
export function slackLogger(logger: Logger, name = "slack"): SlackLogger {
  let child = logger.child({ component: name });
  return {
    debug: (...msg: unknown[]) => child.debug(format(msg)),
    info: (...msg: unknown[]) => child.info(format(msg)),
    warn: (...msg: unknown[]) => child.warn(format(msg)),
    error: (...msg: unknown[]) => child.error(format(msg)),
    setLevel: () => {
      // The level is ours (LOG_LEVEL); Bolt's own setting is ignored on purpose.
    },
    getLevel: () => toSlackLevel(child.level),
    setName: (next: string) => {
      child = logger.child({ component: next });
    },
  };
}

function format(parts: unknown[]): string {
  return parts
    .map((part) =>
      part instanceof Error ? (part.stack ?? part.message) : typeof part === "string" ? part : safeJson(part),
    )
    .join(" ");
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

function toSlackLevel(level: string): LogLevel {
  switch (level) {
    case "trace":
    case "debug":
      return LogLevel.DEBUG;
    case "info":
      return LogLevel.INFO;
    case "warn":
      return LogLevel.WARN;
    default:
      return LogLevel.ERROR;
  }
}

import type { Messages } from "../i18n/index.js";
import type { Logger } from "../logger.js";
import type { ServiceDeps } from "../services/ports.js";

/** What listeners get: the use cases' dependencies plus the words and the log. */
export interface SlackDeps extends ServiceDeps {
  messages: Messages;
  locale: string;
  logger: Logger;
}

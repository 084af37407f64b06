import type { Messages } from "../i18n/index.js";
import type { Logger } from "../logger.js";
import type { ServiceDeps } from "../services/ports.js";
import type { DocumentFetcher } from "./documents.js";

/**
 * What listeners get: the use cases' dependencies, to hand to the use cases (a listener never
 * reads the store itself: `src/slack` may not import `src/store`, and the import rule in
 * biome.json and test/architecture.test.ts say so), plus the words and the log.
 */
export interface SlackDeps {
  /** For the use cases (src/services): the only way a listener changes or reads anything. */
  services: ServiceDeps;
  messages: Messages;
  locale: string;
  logger: Logger;
  /** Reads the text of files shared in Slack (a decision from a 会议纪要 .docx). */
  documents: DocumentFetcher;
}

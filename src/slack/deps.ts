import type { Messages } from "../i18n/index.js";
import type { Logger } from "../logger.js";
import type { ServiceDeps } from "../services/ports.js";
import type { DocumentFetcher } from "./documents.js";

/** What listeners get: the use cases' dependencies plus the words and the log. */
export interface SlackDeps extends ServiceDeps {
  messages: Messages;
  locale: string;
  logger: Logger;
  /** Reads the text of files shared in Slack (a decision from a 会议纪要 .docx). */
  documents: DocumentFetcher;
}

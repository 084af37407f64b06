import type { WebClient } from "@slack/web-api";
import type { SlackDeps } from "../deps.js";
import type { Reply } from "../render/blocks.js";

/** One `/ducha` invocation, already split into words. */
export interface CommandContext {
  deps: SlackDeps;
  client: WebClient;
  userId: string;
  channelId: string;
  triggerId: string;
  /** The words after the subcommand. */
  args: string[];
  /** The text after the subcommand, as typed. */
  rest: string;
}

/** A subcommand answers with an ephemeral reply, or with nothing when it opened a modal. */
export type Subcommand = (ctx: CommandContext) => Promise<Reply | null>;

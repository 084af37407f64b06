import type { SlackDeps } from "../deps.js";
import type { Reply } from "../views/blocks.js";

/** One `/ducha` invocation, already split into words. */
export interface CommandContext {
  deps: SlackDeps;
  userId: string;
  channelId: string;
  triggerId: string;
  /** The words after the subcommand. */
  args: string[];
}

export type Subcommand = (ctx: CommandContext) => Promise<Reply>;

import type { App } from "@slack/bolt";
import { AppError } from "../../domain/errors.js";
import { COMMAND } from "../contract.js";
import type { SlackDeps } from "../deps.js";
import { tokenize } from "../parse.js";
import type { Reply } from "../views/blocks.js";
import type { CommandContext, Subcommand } from "./context.js";
import { dept } from "./dept.js";
import { help } from "./help.js";
import { role } from "./role.js";
import { settings } from "./settings.js";
import { WORDS, type Word } from "./words.js";

const SUBCOMMANDS: Partial<Record<Word, Subcommand>> = { help, dept, role, settings };

/** Finds the subcommand for the first word (English or Chinese) and runs it. */
export async function runDuchaCommand(
  deps: SlackDeps,
  input: Omit<CommandContext, "deps" | "args"> & { text: string },
): Promise<Reply> {
  const [first, ...args] = tokenize(input.text);
  if (first === undefined) return help({ ...input, deps, args: [] });
  const entry = Object.entries(SUBCOMMANDS).find(([word]) =>
    (WORDS[word as Word] as readonly string[]).includes(first.toLowerCase()),
  );
  if (!entry) throw new AppError("unknown_command", { input: first });
  const [, subcommand] = entry;
  return (subcommand as Subcommand)({ ...input, deps, args });
}

export function register(app: App, deps: SlackDeps): void {
  app.command(COMMAND, async ({ command, ack, respond }) => {
    await ack();
    const reply = await runDuchaCommand(deps, {
      userId: command.user_id,
      channelId: command.channel_id,
      triggerId: command.trigger_id,
      text: command.text,
    });
    await respond({ response_type: "ephemeral", replace_original: false, ...reply });
  });
}

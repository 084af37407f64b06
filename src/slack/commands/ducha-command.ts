import type { App } from "@slack/bolt";
import { AppError } from "../../domain/errors.js";
import { type CommandWord, WORDS, type Word } from "../../i18n/words.js";
import { COMMAND } from "../contract.js";
import type { SlackDeps } from "../deps.js";
import { tokenize } from "../parse.js";
import { type Reply, splitReply } from "../render/blocks.js";
import { archiveCommand } from "./archive.js";
import type { CommandContext, Subcommand } from "./context.js";
import { dept } from "./dept.js";
import { help } from "./help.js";
import { inform } from "./information.js";
import { listTasks } from "./list.js";
import { check } from "./loops.js";
import { newDecision } from "./new.js";
import { role } from "./role.js";
import { searchCommand } from "./search.js";
import { settings } from "./settings.js";
import { showTask } from "./show.js";
import { exportLedger, score, summary } from "./summary.js";

/** A handler for every command of the vocabulary (src/i18n/words.ts, COMMANDS). */
export const SUBCOMMANDS: Record<CommandWord, Subcommand> = {
  help,
  dept,
  role,
  settings,
  new: newDecision,
  list: listTasks,
  show: showTask,
  summary,
  score,
  export: exportLedger,
  check,
  inform,
  search: searchCommand,
  archive: archiveCommand,
};

/** Finds the subcommand for the first word (English or Chinese) and runs it. */
export async function runDuchaCommand(
  deps: SlackDeps,
  input: Omit<CommandContext, "deps" | "args" | "rest"> & { text: string },
): Promise<Reply | null> {
  const [first, ...args] = tokenize(input.text);
  if (first === undefined) return help({ ...input, deps, args: [], rest: "" });
  const rest = input.text.slice(input.text.indexOf(first) + first.length).replace(/^[\s\u3000]+/, "");
  const entry = Object.entries(SUBCOMMANDS).find(([word]) =>
    (WORDS[word as Word] as readonly string[]).includes(first.toLowerCase()),
  );
  if (!entry) throw new AppError("unknown_command", { input: first });
  const [, subcommand] = entry;
  return (subcommand as Subcommand)({ ...input, deps, args, rest });
}

export function register(app: App, deps: SlackDeps): void {
  app.command(COMMAND, async ({ command, ack, respond, client }) => {
    await ack();
    const reply = await runDuchaCommand(deps, {
      client,
      userId: command.user_id,
      channelId: command.channel_id,
      triggerId: command.trigger_id,
      text: command.text,
    });
    if (!reply) return;
    // An answer too long for one message comes as numbered messages (a response_url takes five).
    for (const part of splitReply(reply, deps.messages.continued).slice(0, 5))
      await respond({ response_type: "ephemeral", replace_original: false, ...part });
  });
}

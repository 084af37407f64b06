import { AppError } from "../../domain/errors.js";
import { requestArchive } from "../../services/archive.js";
import { textReply } from "../render/blocks.js";
import type { Subcommand } from "./context.js";

/** `/ducha 归档 2026` (`archive`), admins: the year's archive is written on the server; progress by DM. */
export const archiveCommand: Subcommand = async (ctx) => {
  const [yearWord, ...rest] = ctx.args;
  const year = Number(yearWord);
  if (!yearWord || rest.length || !/^\d{4}$/.test(yearWord) || year < 2000 || year > 2200)
    throw new AppError("usage", { usage: "archive" });
  // The command's trigger tells one request from another (a retried delivery carries the same).
  const counts = await requestArchive(ctx.deps.services, { actor: ctx.userId, year, request: ctx.triggerId });
  return textReply(ctx.deps.messages.archive.requested({ year, tasks: counts.tasks }));
};

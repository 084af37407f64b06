import { AppError } from "../../domain/errors.js";
import { searchPage } from "../search-start.js";
import type { Subcommand } from "./context.js";

/** `/ducha 查找 words [filters]` (`search`). */
export const searchCommand: Subcommand = async (ctx) => {
  if (ctx.args.length === 0) throw new AppError("usage", { usage: "search" });
  return searchPage(ctx.deps, ctx.userId, ctx.args.join(" "), 1);
};

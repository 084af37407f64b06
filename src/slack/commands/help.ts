import { helpView } from "../render/admin-views.js";
import type { Subcommand } from "./context.js";

export const help: Subcommand = async ({ deps }) => helpView(deps.messages, deps.locale);

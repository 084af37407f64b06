import type { App } from "@slack/bolt";
import * as duchaCommand from "./commands/ducha-command.js";
import type { SlackDeps } from "./deps.js";

/** Every Slack surface registers here, one `register(app, deps)` per listener file. */
export function registerListeners(app: App, deps: SlackDeps): void {
  duchaCommand.register(app, deps);
}

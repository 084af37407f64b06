import type { App } from "@slack/bolt";
import * as coordination from "./actions/coordination.js";
import * as decisionDraft from "./actions/decision-draft.js";
import * as decisionFromFile from "./actions/decision-from-file.js";
import * as homeSearch from "./actions/home-search.js";
import * as infoActions from "./actions/information.js";
import * as listPage from "./actions/list-page.js";
import * as loopActions from "./actions/loops.js";
import * as searchPageAction from "./actions/search-page.js";
import * as summaryPost from "./actions/summary-post.js";
import * as taskCard from "./actions/task-card.js";
import * as duchaCommand from "./commands/ducha-command.js";
import type { SlackDeps } from "./deps.js";
import * as decisionFromMessage from "./shortcuts/decision-from-message.js";
import * as infoFromMessage from "./shortcuts/info-from-message.js";
import * as calendarImport from "./views/calendar-import.js";
import * as decisionSubmit from "./views/decision-submit.js";
import * as infoViews from "./views/information.js";
import * as loopViews from "./views/loops.js";
import * as taskActions from "./views/task-actions.js";
import * as taskSubmit from "./views/task-submit.js";

/**
 * Every Slack surface registers here, one `register(app, deps)` per listener file. Events (thread
 * replies, App Home) come through the inbox instead: src/slack/intake.ts.
 */
export function registerListeners(app: App, deps: SlackDeps): void {
  duchaCommand.register(app, deps);
  decisionFromMessage.register(app, deps);
  decisionFromFile.register(app, deps);
  decisionDraft.register(app, deps);
  decisionSubmit.register(app, deps);
  taskSubmit.register(app, deps);
  taskCard.register(app, deps);
  listPage.register(app, deps);
  summaryPost.register(app, deps);
  coordination.register(app, deps);
  taskActions.register(app, deps);
  calendarImport.register(app, deps);
  loopActions.register(app, deps);
  loopViews.register(app, deps);
  infoFromMessage.register(app, deps);
  infoActions.register(app, deps);
  infoViews.register(app, deps);
  searchPageAction.register(app, deps);
  homeSearch.register(app, deps);
}

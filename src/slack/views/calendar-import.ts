import type { App } from "@slack/bolt";
import { isAppError } from "../../domain/errors.js";
import { importHolidayNotice } from "../../services/calendar.js";
import type { SlackDeps } from "../deps.js";
import { describeError } from "../errors.js";
import { CALLBACK } from "../ids.js";
import { CALENDAR_NOTICE_INPUT, importedText } from "../render/admin-views.js";
import { StateReader } from "../view-state.js";
import { messageView, submitView } from "../within-deadline.js";

/** 日历 导入 through the modal: the notice is read; what cannot be read is shown on the field. */
export function register(app: App, deps: SlackDeps): void {
  app.view(CALLBACK.calendarImport, async ({ ack, body, view, client }) => {
    const text = (new StateReader(view.state).text(CALENDAR_NOTICE_INPUT) ?? "").trim();
    await submitView(
      deps,
      { ack, client, viewId: view.id },
      {
        work: async () => {
          try {
            const imported = await importHolidayNotice(deps.services, { actor: body.user.id, text });
            return { ok: true as const, text: importedText(deps.messages, imported) };
          } catch (error) {
            if (isAppError(error) && error.code === "notice_unreadable") {
              return { ok: false as const, text: describeError(error, deps.messages).text };
            }
            throw error;
          }
        },
        answer: (result) =>
          result.ok
            ? { response_action: "update", view: messageView(deps.messages, result.text) }
            : { response_action: "errors", errors: { [CALENDAR_NOTICE_INPUT]: result.text.slice(0, 2000) } },
        late: (result) => messageView(deps.messages, result.text),
      },
    );
  });
}

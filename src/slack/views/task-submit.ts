import type { App } from "@slack/bolt";
import { z } from "zod";
import type { TaskProblem } from "../../domain/decision.js";
import { saveDraftTask } from "../../services/decisions.js";
import { readTaskInput } from "../decision-input.js";
import { modalContext } from "../decision-start.js";
import type { SlackDeps } from "../deps.js";
import { CALLBACK, TASK_INPUT } from "../ids.js";
import { decisionModal } from "../render/decision-modal.js";
import { readMeta, StateReader } from "../view-state.js";
import { messageView, submitView } from "../within-deadline.js";

const ZTaskMeta = z.object({
  draftId: z.string(),
  key: z.string(),
  rootViewId: z.string(),
  isNew: z.boolean(),
});

const FIELD_BLOCK: Record<TaskProblem["field"], string> = {
  title: TASK_INPUT.title,
  lead: TASK_INPUT.lead,
  co: TASK_INPUT.co,
  due: TASK_INPUT.due,
  cadence: TASK_INPUT.cadenceHours,
};

/** Saves a task edited in the modal on top, then shows the updated list in the decision modal beneath. */
export function register(app: App, deps: SlackDeps): void {
  app.view(CALLBACK.task, async ({ ack, body, view, client }) => {
    const meta = readMeta(ZTaskMeta, view.private_metadata);
    const problemText = deps.messages.taskModal.problems;
    const input = readTaskInput(new StateReader(view.state), meta.key, deps.services.timeZone);
    if (!input.ok) {
      await ack({
        response_action: "errors",
        errors: Object.fromEntries(
          Object.entries(input.errors).map(([block, code]) => [block, problemText[code] ?? code]),
        ),
      });
      return;
    }
    await submitView(
      deps,
      { ack, client, viewId: view.id },
      {
        work: async () => {
          const saved = await saveDraftTask(deps.services, {
            actor: body.user.id,
            draftId: meta.draftId,
            task: input.task,
          });
          if (saved.ok) {
            await client.views.update({
              view_id: meta.rootViewId,
              view: decisionModal(saved.state, modalContext(deps)),
            });
          }
          return saved;
        },
        answer: (saved) => {
          if (saved.ok) return undefined;
          const errors: Record<string, string> = {};
          for (const p of saved.problems) {
            errors[FIELD_BLOCK[p.field]] ??= problemText[`${p.field}_${p.problem}`] ?? p.problem;
          }
          return { response_action: "errors", errors };
        },
        late: (saved) =>
          messageView(
            deps.messages,
            saved.ok
              ? deps.messages.slow.savedTask
              : saved.problems.map((p) => problemText[`${p.field}_${p.problem}`] ?? p.problem).join(" "),
          ),
      },
    );
  });
}

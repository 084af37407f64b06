import type { App } from "@slack/bolt";
import { type DecisionProblem, loadDraftState, submitDecision } from "../../services/decisions.js";
import { modalContext, ZDecisionMeta } from "../actions/decision-draft.js";
import { readDecisionFields } from "../decision-input.js";
import type { SlackDeps } from "../deps.js";
import { CALLBACK, DECISION_INPUT } from "../ids.js";
import { dispatchedModal } from "../render/decision-modal.js";
import { readMeta, StateReader } from "../view-state.js";

/** A decision's problems as field errors on the modal (tasks' problems show on the text field). */
function errorsOf(problems: readonly DecisionProblem[], deps: SlackDeps): Record<string, string> {
  const dm = deps.messages.decisionModal;
  const tp = deps.messages.taskModal.problems;
  const lines: string[] = [];
  for (const p of problems) {
    if (p.problem === "no_tasks") lines.push(dm.problemNoTasks);
    else if (p.problem === "task") {
      const what = p.problems
        .map((x) => tp[`${x.field}_${x.problem}`] ?? x.problem)
        .join(deps.messages.listSeparator);
      lines.push(dm.problemTask({ index: p.index + 1, title: p.title, problems: what }));
    }
  }
  const errors: Record<string, string> = {};
  if (lines.length) errors[DECISION_INPUT.text] = lines.slice(0, 3).join(" ");
  if (problems.some((p) => p.problem === "task" && p.problems.some((x) => x.problem === "before_decision"))) {
    errors[DECISION_INPUT.date] = dm.problemDate;
  }
  return errors;
}

/** 交办: dispatches the decision, or shows on the fields what still needs fixing. */
export function register(app: App, deps: SlackDeps): void {
  app.view(CALLBACK.decision, async ({ ack, body, view }) => {
    const { draftId } = readMeta(ZDecisionMeta, view.private_metadata);
    const actor = body.user.id;
    // A resent submission finds its decision by the view's id; the draft may be gone by then.
    const submissionKey = `view:${view.root_view_id ?? view.id}`;
    const current = await loadDraftState(deps, { actor, draftId }).catch(() => null);
    const fields = current
      ? readDecisionFields(new StateReader(view.state), current.draft)
      : {
          source: "other" as const,
          sourceRef: "",
          decidedOn: "1970-01-01",
          confidentiality: "public" as const,
          text: "",
        };
    const result = await submitDecision(deps, { actor, draftId, submissionKey, fields });
    if (!result.ok) {
      await ack({ response_action: "errors", errors: errorsOf(result.problems, deps) });
      return;
    }
    await ack({ response_action: "update", view: dispatchedModal(result, modalContext(deps)) });
  });
}

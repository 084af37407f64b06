import type { App } from "@slack/bolt";
import {
  type DecisionProblem,
  loadDraftState,
  rememberDecisionFields,
  submitDecision,
} from "../../services/decisions.js";
import { readDecisionFields } from "../decision-input.js";
import { modalContext, ZDecisionMeta } from "../decision-start.js";
import type { SlackDeps } from "../deps.js";
import { CALLBACK, DECISION_INPUT } from "../ids.js";
import { decisionModal, dispatchedModal } from "../render/decision-modal.js";
import { readMeta, StateReader } from "../view-state.js";
import { submitView } from "../within-deadline.js";

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
  app.view(CALLBACK.decision, async ({ ack, body, view, client }) => {
    const { draftId } = readMeta(ZDecisionMeta, view.private_metadata);
    const actor = body.user.id;
    // A resent submission finds its decision by the view's id; the draft may be gone by then.
    const submissionKey = `view:${view.root_view_id ?? view.id}`;
    await submitView(
      deps,
      { ack, client, viewId: view.id },
      {
        work: async () => {
          const current = await loadDraftState(deps.services, { actor, draftId }).catch(() => null);
          const fields = current
            ? readDecisionFields(new StateReader(view.state), current.draft)
            : {
                source: "other" as const,
                sourceRef: "",
                decidedOn: "1970-01-01",
                confidentiality: "public" as const,
                text: "",
              };
          const result = await submitDecision(deps.services, { actor, draftId, submissionKey, fields });
          return { result, fields };
        },
        answer: ({ result }) =>
          result.ok
            ? { response_action: "update", view: dispatchedModal(result, modalContext(deps)) }
            : { response_action: "errors", errors: errorsOf(result.problems, deps) },
        // Too late to mark the fields: the decision modal comes back with the problems on top.
        late: async ({ result, fields }) => {
          if (result.ok) return dispatchedModal(result, modalContext(deps));
          await rememberDecisionFields(deps.services, { actor, draftId, fields });
          const state = await loadDraftState(deps.services, { actor, draftId });
          const problems = Object.values(errorsOf(result.problems, deps)).join(" ");
          return decisionModal(state, modalContext(deps), problems);
        },
      },
    );
  });
}

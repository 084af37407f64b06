import { AsyncLocalStorage } from "node:async_hooks";
import type { AnyMiddlewareArgs, Middleware } from "@slack/bolt";
import type { Logger } from "../logger.js";
import type { InboxPort } from "../services/inbox.js";

/**
 * Acknowledged means stored, for modal submissions too (issue 31). A submission whose work ends
 * within Slack's deadline is answered with its outcome, and needs nothing more. One that runs
 * late is answered "正在处理" (src/slack/within-deadline.ts): at that moment it is written to the
 * inbox, claimed by this process, and each write of its work marks it done as it commits. Should
 * the process die before its work wrote anything, the claim lapses and the inbox worker runs the
 * submission again (src/slack/durable-clicks.ts, `replay`), then shows its outcome in the modal,
 * which still says "正在处理".
 *
 * A submission is not stored before it is answered: a process dying before the answer leaves
 * the person Slack's error, and they submit again; running the first as well would do it twice.
 */

/** How long the process that answered a late submission has to finish it before another may. */
export const VIEW_LEASE_MS = 10 * 60_000;

/** The submission being handled, for submitWithin: how to store it, and whether it is a rerun. */
export interface Submission {
  /** Stores it, claimed by this process: its inbox id, or null when it is stored already. */
  store(): Promise<number | null>;
  done(id: number): Promise<void>;
  settlingLater: InboxPort["settlingLater"];
  /** Run again by the inbox worker: its modal already says "正在处理", and no one waits for an answer. */
  replaying: boolean;
  logger: Logger;
}

const current = new AsyncLocalStorage<Submission>();

/** The modal submission being handled now, if any. */
export function currentSubmission(): Submission | undefined {
  return current.getStore();
}

/** The inbox key of a modal submission: one per submission (each has its own trigger_id). */
export function submissionKey(body: unknown): string | undefined {
  const { type, trigger_id: trigger } = (body ?? {}) as { type?: unknown; trigger_id?: unknown };
  return type === "view_submission" && typeof trigger === "string" ? `view:${trigger}` : undefined;
}

/** Makes each modal submission storable while it is handled (see above). */
export function durableViews(deps: {
  inbox: InboxPort;
  logger: Logger;
  /** True for a stored submission being run again (DurableClicks.handles). */
  replaying: (body: unknown) => boolean;
}): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const key = submissionKey(args.body);
    if (!key) {
      await args.next();
      return;
    }
    const body = JSON.stringify(args.body);
    const submission: Submission = {
      store: () => deps.inbox.acceptClick(key, body, VIEW_LEASE_MS),
      done: (id) => deps.inbox.done([id]),
      settlingLater: (work) => deps.inbox.settlingLater(work),
      replaying: deps.replaying(args.body),
      logger: deps.logger,
    };
    await current.run(submission, () => args.next());
  };
}

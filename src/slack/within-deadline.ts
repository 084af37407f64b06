import type { AckFn, types, ViewResponseAction } from "@slack/bolt";
import type { WebClient } from "@slack/web-api";
import type { Messages } from "../i18n/index.js";
import type { Logger } from "../logger.js";
import { isDatabaseTrouble } from "../services/health.js";
import { currentSubmission } from "./durable-views.js";
import { describeError } from "./errors.js";
import { section } from "./render/blocks.js";

/**
 * How long a view submission's work may run before the modal is answered anyway. Slack
 * waits 3 seconds for the answer and then shows the person an error, although the work may
 * still be saved; the rest of the 3 seconds is for the network.
 */
export const ACK_BUDGET_MS = 2_000;

const TIMED_OUT = Symbol("timed out");

/**
 * How long "正在处理" waits for a late submission to be stored: the rest of Slack's three seconds
 * after ACK_BUDGET_MS, less the network. A store that takes longer goes on behind the answer.
 */
const STORE_WAIT_MS = 500;

/** A modal with one message and a close button, in place of the one submitted. */
export function messageView(m: Messages, text: string): types.ModalView {
  return {
    type: "modal",
    title: { type: "plain_text", text: m.slow.title },
    close: { type: "plain_text", text: m.slow.close },
    blocks: [section(text)],
  };
}

export interface SubmitWithin<T> {
  ack: AckFn<ViewResponseAction> | AckFn<void>;
  client: WebClient;
  /** The submitted view: it is updated in place when the work ends late. */
  viewId: string;
  messages: Messages;
  logger: Logger;
  work: () => Promise<T>;
  /** The answer when the work ends in time: close the modal (undefined), show errors, update it. */
  answer: (result: T) => ViewResponseAction | undefined;
  /** The view shown when the work ends late; the default says it was submitted. */
  late?: (result: T) => types.ModalView | Promise<types.ModalView>;
  budgetMs?: number;
}

/**
 * Runs a view submission's work within Slack's deadline. When the work ends within the
 * budget, its own answer acknowledges the submission (an error thrown in time reaches the
 * error boundary, which shows it on top of the modal). When it does not, the modal is
 * answered at once with "正在处理" and updated with the outcome once the work is done, so
 * the person never sees Slack's error for a change that was in fact saved.
 */
export async function submitWithin<T>(options: SubmitWithin<T>): Promise<void> {
  const ack = options.ack as AckFn<ViewResponseAction | undefined>;
  // Its writes mark its inbox entry done, should it be stored (src/slack/durable-views.ts).
  const submission = currentSubmission();
  const begun = submission
    ? submission.settlingLater(() => options.work())
    : { result: options.work(), later: undefined };
  const running = begun.result.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  if (submission?.replaying) {
    // Run again by the inbox worker: the modal says "正在处理" already; its outcome is what is left.
    const outcome = await running;
    // The database's trouble is tried again later (DurableClicks), not shown as the outcome.
    if (!outcome.ok && isDatabaseTrouble(outcome.error)) throw outcome.error;
    await showOutcome(options, outcome);
    return;
  }
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), options.budgetMs ?? ACK_BUDGET_MS);
  });
  const first = await Promise.race([running, deadline]);
  clearTimeout(timer);
  if (first !== TIMED_OUT) {
    if (!first.ok) throw first.error;
    await ack(options.answer(first.value));
    return;
  }
  // Late: stored before "正在处理" is said, so a process dying meanwhile leaves it to be done by
  // another; not when its work has written already (it is in, and running it again would repeat it).
  const { later } = begun;
  const stored =
    submission && later && !later.committed
      ? submission.store().then(
          (id) => {
            if (id !== null) later.bind(id);
            return id;
          },
          (error: unknown) => {
            submission.logger.warn({ err: error }, "a late view submission could not be stored");
            return null;
          },
        )
      : undefined;
  // The answer does not wait past Slack's deadline for the store: it goes on behind.
  if (stored !== undefined) {
    await Promise.race([stored, new Promise((resolve) => setTimeout(resolve, STORE_WAIT_MS))]);
  }
  const m = options.messages;
  await ack({ response_action: "update", view: messageView(m, m.slow.working) });
  await showOutcome(options, await running);
  const id = await stored;
  if (submission && id !== null && id !== undefined) {
    await submission.done(id).catch((error: unknown) => {
      // Its claim lapses and it is run again: its writes, done already, marked it done with them.
      submission.logger.warn({ err: error }, "a late view submission could not be marked done");
    });
  }
}

/** A late submission's outcome, shown in the modal in place of "正在处理". */
async function showOutcome<T>(
  options: SubmitWithin<T>,
  outcome: { ok: true; value: T } | { ok: false; error: unknown },
): Promise<void> {
  const m = options.messages;
  let view: types.ModalView;
  if (outcome.ok) {
    view = options.late ? await options.late(outcome.value) : messageView(m, m.slow.done);
  } else {
    const { text, ref } = describeError(outcome.error, m);
    if (ref) options.logger.error({ err: outcome.error, ref }, "a late view submission failed");
    view = messageView(m, text);
  }
  try {
    await options.client.views.update({ view_id: options.viewId, view });
  } catch (error) {
    options.logger.warn({ err: error }, "could not show the outcome of a late submission");
  }
}

/**
 * A view submission's work within Slack's deadline, answered in the words of the person who
 * submitted it and logged as every other: what the view handlers share.
 */
export function submitView<T>(
  deps: { messages: Messages; logger: Logger },
  submission: { ack: SubmitWithin<T>["ack"]; client: WebClient; viewId: string },
  options: Pick<SubmitWithin<T>, "work" | "answer" | "late" | "budgetMs">,
): Promise<void> {
  return submitWithin({ ...submission, messages: deps.messages, logger: deps.logger, ...options });
}

import type { AckFn, types, ViewResponseAction } from "@slack/bolt";
import type { WebClient } from "@slack/web-api";
import type { Messages } from "../i18n/index.js";
import type { Logger } from "../logger.js";
import { describeError } from "./errors.js";
import { section } from "./render/blocks.js";

/**
 * How long a view submission's work may run before the modal is answered anyway. Slack
 * waits 3 seconds for the answer and then shows the person an error, although the work may
 * still be saved; the rest of the 3 seconds is for the network.
 */
export const ACK_BUDGET_MS = 2_000;

const TIMED_OUT = Symbol("timed out");

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
  const running = options.work().then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
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
  const m = options.messages;
  await ack({ response_action: "update", view: messageView(m, m.slow.working) });
  const outcome = await running;
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

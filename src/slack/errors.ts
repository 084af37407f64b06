import crypto from "node:crypto";
import type { AnyMiddlewareArgs, Middleware } from "@slack/bolt";
import { isAppError } from "../domain/errors.js";
import type { Messages } from "../i18n/index.js";
import type { Logger } from "../logger.js";
import { databaseTrouble } from "../services/health.js";
import type { Inflight } from "./inflight.js";

/** The words a person sees for an error: an AppError in their language, anything else as "internal" with a reference. */
export function describeError(error: unknown, m: Messages): { text: string; ref?: string } {
  if (isAppError(error)) {
    const render = m.errors[error.code] as (params: unknown) => string;
    return { text: shorten(render(error.params), m) };
  }
  const ref = crypto.randomBytes(4).toString("hex");
  const problem = databaseTrouble(error);
  if (problem) return { text: m.errors.database({ kind: problem.kind, ref }), ref };
  return { text: m.errors.internal({ ref }), ref };
}

/** Longest answer to an error: what a person typed is echoed back, and may be 40,000 characters. */
export const MAX_ERROR_TEXT = 2_000;

/** Cuts an answer Slack would refuse (or no one would read) and says so, visibly. */
function shorten(text: string, m: Messages): string {
  if (text.length <= MAX_ERROR_TEXT) return text;
  const cut = m.errors.shortened({ total: text.length });
  return `${text.slice(0, MAX_ERROR_TEXT - cut.length)}${cut}`;
}

interface ErrorSurface {
  type?: string;
  response_url?: string;
  user?: { id?: string } | string;
  user_id?: string;
  event?: { type?: string };
}

function userOf(body: ErrorSurface): string | undefined {
  if (typeof body.user === "string") return body.user;
  return body.user?.id ?? body.user_id;
}

/**
 * The one place errors from listeners end: the person is told in their language (ephemeral
 * for commands and buttons, a pushed modal for submissions, a DM otherwise), unexpected
 * errors are logged with a reference the person can quote, and the work counts as in flight
 * until the person has been told.
 */
export function errorBoundary(
  words: () => Messages,
  logger: Logger,
  inflight: Inflight,
): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const end = inflight.begin();
    try {
      await args.next();
    } catch (error) {
      const body = args.body as ErrorSurface;
      const { text, ref } = describeError(error, words());
      if (ref) {
        logger.error({ err: error, ref, type: body.type ?? body.event?.type }, "listener failed");
      } else {
        logger.info({ code: isAppError(error) ? error.code : undefined, type: body.type }, "request refused");
      }
      try {
        await tellUser(args, body, text);
      } catch (replyError) {
        logger.warn({ err: replyError, ref }, "could not tell the user about an error");
      }
    } finally {
      end();
    }
  };
}

async function tellUser(args: AnyMiddlewareArgs & { client: unknown }, body: ErrorSurface, text: string) {
  if (body.type === "view_submission" && "ack" in args && typeof args.ack === "function") {
    // Keep the person's modal (and what they typed) and show the error on top of it.
    try {
      await (args.ack as (response: unknown) => Promise<void>)({
        response_action: "push",
        view: {
          type: "modal",
          title: { type: "plain_text", text: "ducha" },
          close: { type: "plain_text", text: "OK" },
          blocks: [{ type: "section", text: { type: "mrkdwn", text } }],
        },
      });
      return;
    } catch {
      // Already acknowledged: fall through to a DM.
    }
  }
  if ("respond" in args && typeof args.respond === "function" && body.response_url) {
    await args.respond({ response_type: "ephemeral", replace_original: false, text });
    return;
  }
  if (body.event) return; // Events have no one to answer; the log has it.
  const userId = userOf(body);
  const client = args.client as {
    chat: { postMessage(a: { channel: string; text: string }): Promise<unknown> };
  };
  if (userId) await client.chat.postMessage({ channel: userId, text });
}

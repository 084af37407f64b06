import type { AnyMiddlewareArgs, Middleware } from "@slack/bolt";
import type { Messages } from "../i18n/index.js";

/**
 * The work behind the acknowledgements (issue 31): commands, clicks and modal submissions whose
 * handlers still run, and how far the inbox of thread replies lags. Past `limit` requests at
 * work, a new command or click is answered "busy, try again" instead of being acknowledged and
 * queued without end: what is refused is said so at once, and what is taken is done.
 */
export class Backlog {
  #requests = 0;
  #inboxLagMs = 0;

  constructor(readonly limit: number) {}

  /** Marks a request's work begun; call the returned function when it is over. */
  begin(): () => void {
    this.#requests++;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.#requests--;
    };
  }

  get requests(): number {
    return this.#requests;
  }

  get busy(): boolean {
    return this.#requests >= this.limit;
  }

  /** The inbox worker says how old the oldest event it just took was (0 when none waited). */
  noteInboxLag(ms: number): void {
    this.#inboxLagMs = Math.max(0, ms);
  }

  /** For `/healthz`. */
  snapshot(): { requests: number; limit: number; inboxLagSeconds: number } {
    return {
      requests: this.#requests,
      limit: this.limit,
      inboxLagSeconds: Math.round(this.#inboxLagMs / 100) / 10,
    };
  }
}

/** Requests at work before new commands and clicks are refused as busy. */
export const DEFAULT_BUSY_AT = 100;

type Body = { command?: unknown; type?: unknown; response_url?: unknown };

/**
 * Counts commands, clicks, shortcuts and modal submissions while their handlers run; refuses a
 * command or a click when the backlog is full, in words at its response_url at once, doing
 * nothing of it. Events are never
 * refused — a thread reply is stored in the inbox first and cannot be asked for again — and a
 * modal's submission is not either: what the person typed would be lost.
 */
export function admission(
  backlog: Backlog,
  words: () => Messages,
  /** A request queued rather than refused when the work is full (a stored click, src/slack/durable-clicks.ts). */
  queued: (body: unknown) => boolean = () => false,
): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const body = args.body as Body;
    const command = typeof body.command === "string";
    // A button on a message (its response_url says where to answer); one in a modal only
    // changes the modal and is let through.
    const click = body.type === "block_actions" && typeof body.response_url === "string";
    const counted =
      command ||
      body.type === "block_actions" ||
      body.type === "view_submission" ||
      body.type === "shortcut" ||
      body.type === "message_action";
    if (!counted) {
      await args.next();
      return;
    }
    if ((command || click) && backlog.busy && !queued(args.body)) {
      // Slack has its empty acknowledgement already (the intake answers every request with a
      // trigger at once, src/slack/receivers/inbox-first.ts); the words go to the response_url.
      if ("ack" in args && typeof args.ack === "function") await (args.ack as () => Promise<void>)();
      if ("respond" in args && typeof args.respond === "function")
        await args.respond({
          response_type: "ephemeral",
          replace_original: false,
          text: words().errors.busy(),
        });
      return;
    }
    const end = backlog.begin();
    try {
      await args.next();
    } finally {
      end();
    }
  };
}

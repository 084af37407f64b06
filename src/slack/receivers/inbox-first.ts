import { type IncomingMessage, ServerResponse } from "node:http";
import type { HTTPReceiver, SocketModeReceiver } from "@slack/bolt";
import { verifySlackRequest } from "@slack/bolt";
import type { Logger } from "../../logger.js";
import type { InboxPort } from "../../services/inbox.js";
import {
  CLICK_LEASE_MS,
  type DurableClicks,
  durableClick,
  durableClickOf,
  type StoredClick,
} from "../durable-clicks.js";
import { worthKeeping, ZEnvelope } from "../inbox/envelope.js";
import type { Inflight } from "../inflight.js";

/**
 * Acknowledged means stored. Slack does not resend what was answered 200, so an Events API
 * delivery (a thread reply, its edit or deletion) is written to the inbox first and answered
 * only once it is there; it is processed from the inbox afterwards, retried until the database
 * takes it. A delivery the database cannot take is answered 503, and Slack sends it again.
 *
 * Every request must be signed within five minutes of now, either way (Bolt checks only the
 * past); a command or click whose trigger_id was seen before is a replay and changes nothing.
 * A slash command, and a click that changes something at once, are stored too before they are
 * answered (src/slack/durable-clicks.ts); the rest are answered at once and checked for replay after.
 */

/** How far a request's timestamp may be from now, in seconds, either way. */
export const REQUEST_WINDOW_SEC = 300;
/** Slack's events are small; anything larger than this is not Slack's. */
const BODY_LIMIT = 10 * 1024 * 1024;

export interface IntakeOptions {
  inbox: InboxPort;
  logger: Logger;
  /** Work under way, which shutdown waits for: a request acknowledged before Bolt has it counts. */
  inflight?: Inflight;
  /** Something was stored: the worker should look. */
  onStored: () => void;
  /** The inbox could not take a kept event (answered 503, or not acknowledged): Slack may give up on it. */
  onRefused?: (event: Record<string, unknown>) => void;
  /** Clicks stored before they are answered, and run from the store. */
  clicks?: DurableClicks;
}

/** A stored click is answered once stored, or after this long while its store still runs. */
const CLICK_ACK_WAIT_MS = 2_000;
/**
 * A store still running this long after the answer is given up: the person is told it was not
 * saved (a database that stopped answering may hold it for minutes), and should it land after
 * all, it is marked done without being run, as the person was told.
 */
const CLICK_STORE_WAIT_MS = 3_000;

/**
 * Stores a click, then answers Slack (`acknowledge`): once stored, or after CLICK_ACK_WAIT_MS
 * while the store still runs. A click the store failed (or did not take in time) is not done,
 * and the person is told so in words at its response_url ("本次操作没有保存，请稍后再试"), not
 * left with Slack's bare warning. A stored click is then run at once.
 */
async function storeClick(
  options: IntakeOptions & { clicks: DurableClicks },
  click: StoredClick,
  acknowledge: () => void | Promise<void>,
): Promise<void> {
  const { inbox, logger, clicks } = options;
  const end = options.inflight?.begin() ?? (() => {});
  try {
    const stored = inbox.acceptClick(click.key, click.body, CLICK_LEASE_MS).then(
      (id) => ({ id }),
      (error: unknown) => ({ error }),
    );
    let timer: NodeJS.Timeout | undefined;
    const first = await Promise.race([
      stored,
      new Promise<undefined>((resolve) => {
        timer = setTimeout(() => resolve(undefined), CLICK_ACK_WAIT_MS);
      }),
    ]);
    clearTimeout(timer);
    await acknowledge();
    let late: NodeJS.Timeout | undefined;
    const outcome =
      first ??
      (await Promise.race([
        stored,
        new Promise<undefined>((resolve) => {
          late = setTimeout(() => resolve(undefined), CLICK_STORE_WAIT_MS);
        }),
      ]));
    clearTimeout(late);
    if (outcome === undefined) {
      logger.error({ key: click.key }, "intake: a click acknowledged was not stored in time");
      await clicks.notStored(click, undefined);
      void stored.then((landed) => {
        if ("id" in landed && landed.id !== null) void clicks.leaveUndone(landed.id);
      });
      return;
    }
    if ("error" in outcome) {
      logger.error({ err: outcome.error, key: click.key }, "intake: the inbox cannot take a click now");
      await clicks.notStored(click, outcome.error);
      return;
    }
    if (outcome.id === null) {
      logger.warn({ key: click.key }, "intake: a replayed click was answered and ignored");
      return;
    }
    options.onStored();
    await clicks.runInline(outcome.id, click);
  } finally {
    end();
  }
}

function reply(res: ServerResponse, status: number, body = ""): void {
  if (res.headersSent) return;
  res.writeHead(status, { "Content-Type": "text/plain; charset=utf-8" });
  res.end(body);
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > BODY_LIMIT) throw new Error("request body too large");
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * The trigger_id of a slash command, a click or a shortcut, from its form body: what makes a
 * replay recognisable. View submissions are left out: Slack itself sends them again when it
 * thinks an answer was lost, and a decision is dispatched once by its view (services).
 */
function triggerOf(form: string): string | undefined {
  const params = new URLSearchParams(form);
  const direct = params.get("trigger_id");
  if (direct) return direct;
  const payload = params.get("payload");
  if (!payload) return undefined;
  try {
    const parsed = JSON.parse(payload) as { trigger_id?: unknown; type?: unknown };
    if (parsed.type === "view_submission" || parsed.type === "view_closed") return undefined;
    return typeof parsed.trigger_id === "string" ? parsed.trigger_id : undefined;
  } catch {
    return undefined;
  }
}

/** The replay check waits this long for the database at most: an answer within 3 s comes first. */
const REPLAY_CHECK_MS = 300;

/** Puts the intake in front of Bolt's HTTP receiver, on the path Slack posts to. */
export function interceptHttp(
  receiver: HTTPReceiver,
  options: IntakeOptions & { path: string; signingSecret: string },
): void {
  const bolt = receiver.requestListener;
  const { inbox, logger } = options;
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== "POST" || req.url?.split("?")[0] !== options.path) return bolt(req, res);
    const raw = await readBody(req);
    // Bolt reads the body from here instead of the stream, already consumed.
    (req as IncomingMessage & { rawBody?: Buffer }).rawBody = raw;
    const text = raw.toString("utf8");
    const contentType = String(req.headers["content-type"] ?? "");
    if (
      contentType === "application/x-www-form-urlencoded" &&
      new URLSearchParams(text).get("ssl_check") === "1"
    ) {
      return bolt(req, res);
    }
    const timestamp = Number(req.headers["x-slack-request-timestamp"]);
    if (!Number.isFinite(timestamp) || Math.abs(Date.now() / 1000 - timestamp) > REQUEST_WINDOW_SEC) {
      logger.warn({ timestamp }, "intake: a request signed too far from now was refused");
      return reply(res, 401);
    }
    try {
      verifySlackRequest({
        signingSecret: options.signingSecret,
        body: text,
        headers: {
          "x-slack-signature": String(req.headers["x-slack-signature"] ?? ""),
          "x-slack-request-timestamp": timestamp,
        },
      });
    } catch {
      logger.warn("intake: a request with a wrong signature was refused");
      return reply(res, 401);
    }
    if (contentType.startsWith("application/json")) {
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        return reply(res, 400);
      }
      const envelope = ZEnvelope.safeParse(body);
      if (envelope.success) {
        if (!worthKeeping(envelope.data.event)) return reply(res, 200);
        try {
          await inbox.accept(envelope.data.event_id, text);
        } catch (error) {
          // Not stored, so not acknowledged: Slack sends it again.
          logger.error(
            { err: error, eventId: envelope.data.event_id },
            "intake: the inbox cannot take an event now",
          );
          options.onRefused?.(envelope.data.event);
          return reply(res, 503);
        }
        reply(res, 200);
        options.onStored();
        return;
      }
      return bolt(req, res);
    }
    const click = options.clicks ? durableClickOf(text) : undefined;
    if (click && options.clicks) {
      return storeClick({ ...options, clicks: options.clicks }, click, () => reply(res, 200));
    }
    const trigger = triggerOf(text);
    if (trigger) {
      // Acknowledged at once, then checked: every listener of a command, click or shortcut
      // acknowledges with nothing before it does anything (views, which answer with content,
      // carry no trigger here), so Slack gets the same empty 200 whether the request is new or
      // a replay, without waiting for the check's write. Measured on PostgreSQL with 64
      // commands in flight, the check's round trip on a busy event loop held the ack: p50 59 ms.
      // Bolt's own acknowledgement then goes to a response that reaches no one.
      // Until Bolt has the request (its listeners count their own work), shutdown waits for it:
      // acknowledged, it must not be dropped.
      const end = options.inflight?.begin() ?? (() => {});
      reply(res, 200);
      let first = true;
      try {
        // A busy database does not hold the work up for long either: then the check is skipped.
        first = await Promise.race([
          inbox.firstRequest(trigger),
          new Promise<boolean>((resolve) => setTimeout(() => resolve(true), REPLAY_CHECK_MS).unref()),
        ]);
      } catch {
        // The database is away: the request goes on and meets the same trouble with its words.
      }
      if (!first) {
        end();
        logger.warn({ trigger }, "intake: a replayed request was answered and ignored");
        return;
      }
      const sink = new ServerResponse(req);
      const close = sink.end.bind(sink);
      sink.end = ((...args: Parameters<ServerResponse["end"]>) => {
        end();
        // A listener that answers with content would be answering no one: say so, loudly.
        const [chunk] = args;
        if ((typeof chunk === "string" || Buffer.isBuffer(chunk)) && chunk.length > 0)
          logger.error({ trigger }, "intake: a listener acknowledged with content, which only views may do");
        return close(...args);
      }) as ServerResponse["end"];
      // Bolt answers every request within its 3 s; should it not, the count is not held forever.
      setTimeout(end, 10_000).unref();
      return bolt(req, sink);
    }
    return bolt(req, res);
  };
  receiver.requestListener = (req, res) => {
    handle(req, res).catch((error: unknown) => {
      logger.error({ err: error }, "intake: a request could not be read");
      reply(res, 500);
    });
  };
}

type SlackEventArgs = { type?: string; body?: unknown; ack: (response?: unknown) => Promise<void> };

/** Puts the intake in front of Bolt's Socket Mode receiver: events are stored before they are acknowledged. */
export function interceptSocket(receiver: SocketModeReceiver, options: IntakeOptions): void {
  const client = receiver.client;
  const bolt = client.listeners("slack_event") as ((args: SlackEventArgs) => Promise<void>)[];
  client.removeAllListeners("slack_event");
  client.on("slack_event", async (args: SlackEventArgs) => {
    if (args.type === "events_api") {
      const envelope = ZEnvelope.safeParse(args.body);
      if (envelope.success) {
        if (!worthKeeping(envelope.data.event)) {
          await args.ack();
          return;
        }
        try {
          await options.inbox.accept(envelope.data.event_id, JSON.stringify(args.body));
        } catch (error) {
          // Not acknowledged: Slack sends it again.
          options.logger.error({ err: error }, "intake: the inbox cannot take an event now");
          options.onRefused?.(envelope.data.event);
          return;
        }
        await args.ack();
        options.onStored();
        return;
      }
    }
    const click =
      (args.type === "interactive" || args.type === "slash_commands") &&
      options.clicks &&
      args.body &&
      typeof args.body === "object"
        ? durableClick(args.body as Record<string, unknown>)
        : undefined;
    if (click && options.clicks) {
      await storeClick({ ...options, clicks: options.clicks }, click, () => args.ack());
      return;
    }
    for (const listener of bolt) await listener(args);
  });
}

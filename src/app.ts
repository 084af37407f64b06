import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import { App, HTTPReceiver, SocketModeReceiver } from "@slack/bolt";
import { ErrorCode, WebClient, type WebClientOptions } from "@slack/web-api";
import { systemClock } from "./clock.js";
import type { Config } from "./config.js";
import { cleanDeep } from "./domain/clean-text.js";
import type { Clock } from "./domain/clock.js";
import { messagesFor } from "./i18n/index.js";
import { localeNow } from "./i18n/person.js";
import { jobDefinitions, rectificationWords } from "./jobs/jobs.js";
import { Scheduler } from "./jobs/scheduler.js";
import { type Logger, slackLogger } from "./logger.js";
import { createNetwork } from "./net.js";
import { warnUnknownCalendar } from "./services/calendar.js";
import { createDeliveryReads } from "./services/delivery-reads.js";
import { checkHealth, watchDatabase } from "./services/health.js";
import { createInboxPort } from "./services/inbox.js";
import { createJobSlots } from "./services/job-slots.js";
import { forgetStoredLights, refreshStoredLights } from "./services/lights.js";
import { createOutboxPort } from "./services/outbox.js";
import type { ServiceDeps } from "./services/ports.js";
import { ScoringThread } from "./services/scoring-thread.js";
import { catchUpSearch } from "./services/search.js";
import { admission, Backlog, DEFAULT_BUSY_AT } from "./slack/backlog.js";
import { EVENTS_PATH } from "./slack/contract.js";
import type { SlackDeps } from "./slack/deps.js";
import { createDocumentFetcher } from "./slack/documents.js";
import { DurableClicks } from "./slack/durable-clicks.js";
import { durableViews } from "./slack/durable-views.js";
import { errorBoundary } from "./slack/errors.js";
import { createSlackGateway } from "./slack/gateway.js";
import { healthHandler, startHealthServer } from "./slack/health.js";
import {
  AWAY_PROBE_MS,
  type MissedSince,
  MissedWhileAway,
  REREAD_PACE_MS,
  rereadThreads,
} from "./slack/inbox/reread.js";
import { type InboxOptions, InboxWorker } from "./slack/inbox/worker.js";
import { Inflight } from "./slack/inflight.js";
import { registerListeners } from "./slack/listeners.js";
import { type OutboxOptions, OutboxWorker } from "./slack/outbox/worker.js";
import { PersonLocales, speakToThePerson } from "./slack/person-locale.js";
import { interceptHttp, interceptSocket } from "./slack/receivers/inbox-first.js";
import { renderContext } from "./slack/render-context.js";
import type { Store } from "./store/store.js";

export interface DuchaAppOptions {
  config: Pick<Config, "slack" | "port" | "timeZone" | "locale" | "admins"> & Partial<Pick<Config, "proxy">>;
  store: Store;
  /** The office's time: deadlines, lights, schedules. */
  clock: Clock;
  logger: Logger;
  /** Real time for delivery (retries, pacing); the system clock unless a test says otherwise. */
  deliveryClock?: Clock;
  outbox?: Partial<OutboxOptions>;
  inbox?: Partial<InboxOptions>;
  /** Read open tasks' threads at start for replies missed while down (default true). */
  rereadThreads?: boolean;
  /** The pause between two threads read (conversations.replies' rate tier); tests use 0. */
  rereadPaceMs?: number;
  /** How often the database is asked whether it is back, after the inbox refused a reply. */
  awayProbeMs?: number;
  /** Start the minute tick of the scheduler (tests drive `scheduler.tick` themselves). */
  startScheduler?: boolean;
  /** Commands and clicks at work before new ones are answered "busy, try again" (Backlog). */
  busyAt?: number;
  /**
   * The database's URL, for a thread that works periods' scores out with a reading connection
   * of its own (services/scoring-thread.ts); without it they are worked out on the event loop.
   * `npm start` gives it; tests only where it is what they test (a thread takes a second to start).
   */
  scoringDatabaseUrl?: string;
}

/** The bot's identity as Slack reports it for the token (auth.test). */
export interface BotIdentity {
  userId: string;
  botId: string;
  teamId: string;
}

export interface DuchaApp {
  readonly app: App;
  readonly identity: BotIdentity | undefined;
  /** Checks the token, then listens. Resolves with the HTTP port (Slack's in HTTP mode, health's in Socket Mode). */
  start(): Promise<{ port: number }>;
  /** Stops taking requests, finishes what is in flight. The store is the caller's to close. */
  stop(): Promise<void>;
  /** Resolves when no request or delivery is under way. */
  idle(): Promise<void>;
  /** Delivers what the outbox owes until nothing is due soon. */
  settleOutbox(): Promise<void>;
  readonly scheduler: Scheduler;
}

/** Raised when Slack refuses the bot token at start. */
export class SlackAuthError extends Error {
  readonly code: string;
  constructor(code: string) {
    super(`Slack refused SLACK_BOT_TOKEN (${code})`);
    this.name = "SlackAuthError";
    this.code = code;
  }
}

/** Raised when Slack cannot be reached at start (no answer, a proxy in the way). */
export class SlackUnreachableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "SlackUnreachableError";
  }
}

const SHUTDOWN_GRACE_MS = 15_000;

export function createDuchaApp(options: DuchaAppOptions): DuchaApp {
  const { config, store, clock, logger } = options;
  const inflight = new Inflight();
  const backlog = new Backlog(options.busyAt ?? DEFAULT_BUSY_AT);
  const messages = messagesFor(config.locale);
  // Every outgoing call (Web API, uploads, the Socket Mode WebSocket) honours the proxy settings.
  const network = createNetwork(config.proxy);
  // Interactive calls must answer within Slack's 3 seconds: fail fast rather than retry for minutes.
  const clientOptions: WebClientOptions = {
    ...(network.dispatcher ? { fetch: network.fetch } : {}),
    slackApiUrl: config.slack.apiUrl,
    logger: slackLogger(logger, "web-api"),
    retryConfig: { retries: 2, factor: 2, minTimeout: 200, maxTimeout: 1_000 },
    rejectRateLimitedCalls: true,
    timeout: 10_000,
  };
  const web = new WebClient(config.slack.botToken, clientOptions);
  let identity: BotIdentity | undefined;
  const health = healthHandler(
    () => checkHealth({ store }, () => scheduler.lastTickAt),
    () => backlog.snapshot(),
  );
  const socketMode = Boolean(config.slack.appToken);
  const boltLogger = slackLogger(logger, "bolt");

  const receiver: SocketModeReceiver | HTTPReceiver = config.slack.appToken
    ? new SocketModeReceiver({
        appToken: config.slack.appToken,
        ...(network.dispatcher ? { dispatcher: network.dispatcher } : {}),
        logger: boltLogger,
        installerOptions: { clientOptions },
      })
    : new HTTPReceiver({
        signingSecret: config.slack.signingSecret ?? "",
        endpoints: EVENTS_PATH,
        logger: boltLogger,
        customRoutes: [{ path: "/healthz", method: ["GET"], handler: (req, res) => void health(req, res) }],
      });
  const databaseWatch = watchDatabase(store, logger.child({ component: "database" }));
  // Events are stored in the inbox before Slack is told they arrived (src/slack/intake.ts).
  const realClock = options.deliveryClock ?? systemClock;
  const inbox = createInboxPort({ store }, realClock);
  // Replies refused while the database is away: their threads are read again once it is back.
  const missedWhileAway = new MissedWhileAway({
    probe: () => inbox.missedSince(),
    onBack: (snapshot) => rereadInBackground(snapshot),
    logger: logger.child({ component: "reread" }),
    probeMs: options.awayProbeMs ?? AWAY_PROBE_MS,
    now: () => realClock.now(),
  });
  // Clicks that change something at once are stored before they are answered, and run from there.
  const clicks = new DurableClicks({
    inbox,
    logger: logger.child({ component: "clicks" }),
    backlog,
    clock: realClock,
    words: () => messagesFor(config.locale),
    process: (payload) => app.processEvent({ body: payload, ack: async () => {} }),
    kick: () => inboxWorker.kick(),
    fetch: network.fetch,
  });
  const intake = {
    inbox,
    clicks,
    logger: logger.child({ component: "intake" }),
    onStored: () => inboxWorker.kick(),
    onRefused: (event: Record<string, unknown>) => missedWhileAway.refused(event),
    inflight,
  };
  if (receiver instanceof HTTPReceiver) {
    interceptHttp(receiver, {
      ...intake,
      path: EVENTS_PATH,
      signingSecret: config.slack.signingSecret ?? "",
    });
  } else {
    interceptSocket(receiver, intake);
  }

  const app = new App({
    receiver,
    logger: boltLogger,
    clientOptions,
    authorize: async () => {
      if (!identity) throw new Error("the bot identity is not known yet");
      return {
        botToken: config.slack.botToken,
        botId: identity.botId,
        botUserId: identity.userId,
        teamId: identity.teamId,
      };
    },
  });

  // The outbox retries and paces by itself: its client must surface every error at once.
  const deliveryWeb = new WebClient(config.slack.botToken, {
    ...clientOptions,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
  });
  const locales = new PersonLocales(web, config.locale, logger.child({ component: "locale" }));
  const scoring =
    options.scoringDatabaseUrl === undefined
      ? undefined
      : new ScoringThread({
          databaseUrl: options.scoringDatabaseUrl,
          timeZone: config.timeZone,
          logger: logger.child({ component: "scoring" }),
        });
  const services: ServiceDeps = {
    ...(scoring ? { scoring } : {}),
    store,
    clock,
    slack: createSlackGateway(web, logger),
    outbox: { kick: () => worker.kick() },
    envAdmins: config.admins,
    timeZone: config.timeZone,
  };
  const deps: SlackDeps = {
    services,
    // Words for whoever is being answered now (src/i18n/person.ts); the office's outside a request.
    get messages() {
      return messagesFor(localeNow(config.locale));
    },
    get locale() {
      return localeNow(config.locale);
    },
    logger,
    documents: createDocumentFetcher({ token: config.slack.botToken, fetch: network.fetch }),
  };
  const worker = new OutboxWorker(
    {
      outbox: createOutboxPort(services),
      reads: createDeliveryReads(services),
      web: deliveryWeb,
      logger: logger.child({ component: "outbox" }),
      messages,
      inflight,
      clock: options.deliveryClock ?? systemClock,
      renderContext: () => renderContext(deps),
      services,
      fetch: network.fetch,
      // Slack's side was away longer than its retries of events: every open thread is read
      // from the outage's start, as at start.
      onSlackBack: (since) => {
        inbox
          .missedSince()
          .then((open) => rereadInBackground({ threads: open.threads, lastReceivedAt: since }))
          .catch((error: unknown) =>
            logger.warn({ err: error }, "could not read the threads after Slack's outage"),
          );
      },
    },
    options.outbox,
  );

  const inboxWorker = new InboxWorker(
    {
      inbox,
      services: deps,
      web,
      logger: logger.child({ component: "inbox" }),
      inflight,
      clock: realClock,
      locales,
      backlog,
      clicks,
    },
    options.inbox,
  );

  const scheduler = new Scheduler(
    {
      slots: createJobSlots(services),
      clock,
      logger: logger.child({ component: "scheduler" }),
      timeZone: config.timeZone,
      owner: `${os.hostname()}:${process.pid}`,
    },
    jobDefinitions(services, rectificationWords(messagesFor(config.locale))),
  );

  app.use(speakToThePerson(locales));
  app.use(errorBoundary(() => deps.messages, logger, inflight));
  app.use(clicks.middleware());
  // A modal submission answered "正在处理" is stored then, and run again should this process die.
  app.use(
    durableViews({
      inbox,
      logger: logger.child({ component: "views" }),
      replaying: (body) => clicks.handles(body),
    }),
  );
  app.use(
    admission(
      backlog,
      () => deps.messages,
      (body) => clicks.handles(body),
    ),
  );
  // What people typed, without invisible and control characters, before any listener reads it.
  app.use(async ({ body, next }) => {
    cleanDeep(body);
    await next();
  });
  registerListeners(app, deps);
  app.error(async (error) => {
    logger.error({ err: error }, "unhandled Slack error");
  });

  let healthServer: Server | undefined;

  let stopping = false;
  /** Listening already: replies sent while ducha was down are read from the threads meanwhile. */
  const rereadInBackground = (snapshot: MissedSince | undefined) => {
    if (!snapshot || !identity) return;
    const done = inflight.begin();
    void rereadThreads({
      snapshot,
      web,
      inbox,
      logger: logger.child({ component: "reread" }),
      botUserId: identity.userId,
      paceMs: options.rereadPaceMs ?? REREAD_PACE_MS,
      onStored: () => inboxWorker.kick(),
      stopped: () => stopping,
    })
      .catch((error: unknown) => logger.warn({ err: error }, "could not read the threads of open tasks"))
      .finally(done);
  };
  /**
   * Where replies sent while down would be, taken before listening. A database that cannot say
   * (away, or damaged where the inbox is kept) does not keep ducha from starting, so /healthz
   * can say what is wrong: it is asked again behind the listening every few seconds, and then
   * the open tasks' threads are read whole (replies stored already are passed by).
   */
  const missedAtStart = async (): Promise<MissedSince | undefined> => {
    try {
      return await inbox.missedSince();
    } catch (error) {
      logger.error(
        { err: error },
        "could not tell where replies sent while down would be: asking again behind the listening",
      );
      const probeMs = options.awayProbeMs ?? AWAY_PROBE_MS;
      void (async () => {
        while (!stopping) {
          await new Promise((resolve) => setTimeout(resolve, probeMs).unref());
          if (stopping) return;
          const open = await inbox.missedSince().catch(() => undefined);
          if (open) return rereadInBackground({ threads: open.threads, lastReceivedAt: null });
        }
      })();
      return undefined;
    }
  };

  return {
    app,
    get identity() {
      return identity;
    },
    async start() {
      identity = await authenticate(web);
      logger.info(
        { botUserId: identity.userId, team: identity.teamId, socketMode },
        "authenticated with Slack",
      );
      const damage = await store.quickCheck();
      if (damage) {
        logger.error(
          { damage },
          "the database file is damaged (PRAGMA quick_check): restore it from a backup (npm run backup keeps them); /healthz answers 503 until it is sound",
        );
      }
      databaseWatch.start();
      await forgetStoredLights(services).catch((error: unknown) =>
        logger.warn({ err: error }, "could not mark the stored lights for working out again"),
      );
      // Worked out again now, a turn at a time behind the listening, rather than by the first
      // list or App Home opened (which waited ~2.5 s for 6,000 open tasks at 50 requests a second).
      void inflight.track(
        refreshStoredLights(services).catch((error: unknown) =>
          logger.warn({ err: error }, "could not work the stored lights out again; the first list will"),
        ),
      );
      await worker.start();
      inboxWorker.start();
      // 查考's index catches up with the records behind the listening (a first start after the
      // upgrade reads every record once, in batches); a search catches up the rest itself.
      void inflight.track(
        catchUpSearch(services)
          .then((rows) => {
            if (rows) logger.info({ rows }, "search index caught up");
          })
          .catch((error: unknown) =>
            logger.warn({ err: error }, "could not bring the search index up to date"),
          ),
      );

      const unknown = await warnUnknownCalendar(services);
      if (unknown.length) {
        logger.warn(
          { years: unknown },
          "the calendar does not know these years' holidays: an admin should import the State Council's notice with /ducha 设置 日历 导入",
        );
      }
      // Where replies sent while down would be, taken before listening (live ones cannot move it).
      const missed = options.rereadThreads === false ? undefined : await missedAtStart();
      // Listening first; the scheduler's catch-up and the threads' re-reading go on behind.
      const startScheduler = () => ((options.startScheduler ?? true) ? scheduler.start() : Promise.resolve());
      if (socketMode) {
        await app.start();
        healthServer = await startHealthServer(config.port, health);
        await startScheduler();
        rereadInBackground(missed);
        return { port: (healthServer.address() as AddressInfo).port };
      }
      const server = (await app.start(config.port)) as Server;
      await startScheduler();
      rereadInBackground(missed);
      return { port: (server.address() as AddressInfo).port };
    },
    async stop() {
      stopping = true;
      await app.stop();
      await new Promise<void>((resolve) => (healthServer ? healthServer.close(() => resolve()) : resolve()));
      const grace = new Promise<void>((resolve) => setTimeout(resolve, SHUTDOWN_GRACE_MS).unref());
      await Promise.race([inflight.idle(), grace]);
      missedWhileAway.stop();
      await scheduler.stop();
      // What is still owed stays in the outbox, and what is received in the inbox, for the next start.
      await inboxWorker.stop();
      await worker.stop();
      await scoring?.close();
      databaseWatch.stop();
    },
    idle: () => inflight.idle(),
    settleOutbox: async () => {
      await inboxWorker.settle();
      await worker.settle();
    },
    scheduler,
  };
}

async function authenticate(web: WebClient): Promise<BotIdentity> {
  try {
    const result = await web.auth.test();
    if (!result.user_id || !result.bot_id || !result.team_id) {
      throw new SlackAuthError("not_a_bot_token");
    }
    return { userId: result.user_id, botId: result.bot_id, teamId: result.team_id };
  } catch (error) {
    if (error instanceof SlackAuthError) throw error;
    const code = (error as { data?: { error?: string } }).data?.error;
    if (code) throw new SlackAuthError(code);
    const { code: kind, message } = error as { code?: string; message?: string };
    if (kind === ErrorCode.RequestError || kind === ErrorCode.HTTPError) {
      throw new SlackUnreachableError(message ?? String(error), { cause: error });
    }
    throw error;
  }
}

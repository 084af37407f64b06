import crypto from "node:crypto";
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type WebSocket, WebSocketServer } from "ws";
import { readBody, readRequest } from "./helpers.js";
import { APP_ID, anEventEnvelope } from "./payloads.js";
import { slackSignatureHeaders } from "./signing.js";
import {
  ACK_DEADLINE_MS,
  type Delivery,
  type FakeSlackOptions,
  type Json,
  type PendingSocketAck,
} from "./types.js";
import { SlackWebApi } from "./web-api.js";

/** Slack's three retries, with its waits (a minute, five minutes) shortened for tests. */
const TEST_EVENT_RETRY_DELAYS_MS = [0, 200, 1_000] as const;

/**
 * The fake Slack's transport: the HTTP server the Web API, response_urls and uploads are
 * served on, the Socket Mode WebSocket, and the delivery of commands, events and
 * interactions to the app, signed as Slack signs them, within Slack's 3-second deadline.
 */
export abstract class SlackTransport extends SlackWebApi {
  protected server: http.Server | undefined;
  protected wss: WebSocketServer | undefined;
  protected socket: WebSocket | undefined;
  protected socketAcks = new Map<string, PendingSocketAck>();
  protected socketWaiters: (() => void)[] = [];
  protected httpTarget: { url: string; signingSecret: string } | undefined;
  protected pending = 0;
  protected idleWaiters: (() => void)[] = [];
  protected readonly ackDeadlineMs: number;
  /** Requests the app did not acknowledge within the deadline. */
  readonly lateAcks: { type: string; waitedMs: number }[] = [];
  /** Events Slack stopped sending after its retries: lost, unless the app stored them. */
  readonly eventsGivenUp: { eventId: string; event: Json }[] = [];
  protected readonly eventRetryDelaysMs: readonly number[];
  /** Every HTTP request sent to the app, as sent (for tests that replay one). */
  readonly sentRequests: { type: string; body: string; headers: Record<string, string>; url: string }[] = [];

  constructor(options: FakeSlackOptions = {}) {
    super(options);
    this.ackDeadlineMs = options.ackDeadlineMs ?? ACK_DEADLINE_MS;
    this.eventRetryDelaysMs = options.eventRetryDelaysMs ?? TEST_EVENT_RETRY_DELAYS_MS;
  }

  // ---------------------------------------------------------------- lifecycle

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      void this.route(req, res);
    });
    this.wss = new WebSocketServer({ noServer: true });
    this.server.on("upgrade", (req, socket, head) => {
      if (!req.url?.startsWith("/socket-mode")) {
        socket.destroy();
        return;
      }
      this.wss?.handleUpgrade(req, socket, head, (ws) => this.onSocket(ws));
    });
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
  }

  async stop(): Promise<void> {
    for (const pending of this.socketAcks.values()) clearTimeout(pending.timer);
    this.socket?.terminate();
    this.wss?.close();
    await new Promise<void>((resolve) => {
      if (!this.server) return resolve();
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }

  get baseUrl(): string {
    const address = this.server?.address() as AddressInfo | null;
    if (!address) throw new Error("the fake Slack server is not started");
    return `http://127.0.0.1:${address.port}`;
  }

  /** The value for SLACK_API_URL. */
  get apiUrl(): string {
    return `${this.baseUrl}/api/`;
  }

  /** Where to send commands, events and interactivity in HTTP mode. */
  connectHttp(url: string, signingSecret: string): void {
    this.httpTarget = { url, signingSecret };
    this.replicaUrls = [url];
  }

  /** Another replica behind the same load balancer: requests go to each in turn. */
  addHttpReplica(url: string): void {
    this.replicaUrls.push(url);
  }

  protected replicaUrls: string[] = [];
  protected nextReplica = 0;

  /** Where the next request goes: the replicas in turn, as a round-robin load balancer sends them. */
  protected targetUrl(): string {
    if (!this.httpTarget) throw new Error("no app connected over HTTP");
    const urls = this.replicaUrls.length ? this.replicaUrls : [this.httpTarget.url];
    return urls[this.nextReplica++ % urls.length] ?? this.httpTarget.url;
  }

  get socketConnected(): boolean {
    return this.socket !== undefined;
  }

  /** Resolves when an app has connected over Socket Mode. */
  async waitForSocket(): Promise<void> {
    if (this.socket) return;
    await new Promise<void>((resolve) => this.socketWaiters.push(resolve));
  }

  /** Resolves when nothing the fake Slack sends to the app is still under way. */
  async idle(): Promise<void> {
    while (this.pending > 0) {
      await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    }
  }

  /** Sends the bot a raw, signed HTTP request (for tests of signatures and retries). */
  async sendRaw(body: string, headers: Record<string, string>): Promise<Delivery> {
    if (!this.httpTarget) throw new Error("no app connected over HTTP");
    const response = await fetch(this.httpTarget.url, { method: "POST", headers, body });
    return { status: response.status, body: await readBody(response) };
  }

  /** The signing headers Slack would put on this body. */
  sign(body: string, timestamp?: number): Record<string, string> {
    if (!this.httpTarget) throw new Error("no app connected over HTTP");
    return slackSignatureHeaders(this.httpTarget.signingSecret, body, timestamp);
  }

  // ---------------------------------------------------------------- delivery to the app

  /**
   * Sends an event as Slack does: `deliveries` times on purpose (Slack may send one twice), and
   * after each delivery the app did not answer 2xx within the deadline, again, up to three
   * retries; an event still not acknowledged then is given up (`eventsGivenUp`).
   */
  protected async deliverEvent(event: Json, deliveries: number): Promise<Delivery[]> {
    const eventId = `Ev${crypto.randomBytes(5).toString("hex").toUpperCase()}`;
    const envelope = anEventEnvelope(event, { eventId, eventTime: Math.floor(this.clockNow() / 1000) });
    const results: Delivery[] = [];
    if (this.away) {
      // Slack cannot reach the app either: its retries come to nothing.
      this.eventsGivenUp.push({ eventId, event });
      return results;
    }
    let attempt = 0;
    for (let sent = 0; sent < deliveries; sent++) {
      let result = await this.deliverToApp("events_api", envelope, attempt++);
      results.push(result);
      for (const delay of this.eventRetryDelaysMs) {
        if (result.status >= 200 && result.status < 300) break;
        await new Promise((resolve) => setTimeout(resolve, delay));
        result = await this.deliverToApp("events_api", envelope, attempt++);
        results.push(result);
      }
      if (result.status < 200 || result.status >= 300) this.eventsGivenUp.push({ eventId, event });
    }
    return results;
  }

  protected async deliverToApp(
    type: "slash_commands" | "events_api" | "interactive",
    body: Json | Record<string, string>,
    retry = 0,
  ): Promise<Delivery> {
    this.pending++;
    try {
      if (this.socket) return await this.deliverOverSocket(type, body, retry);
      if (!this.httpTarget) throw new Error("no app is connected to the fake Slack");
      const raw =
        type === "events_api"
          ? JSON.stringify(body)
          : new URLSearchParams(body as Record<string, string>).toString();
      const headers: Record<string, string> = {
        "Content-Type": type === "events_api" ? "application/json" : "application/x-www-form-urlencoded",
        "User-Agent": "Slackbot 1.0 (+https://api.slack.com/robots)",
        ...slackSignatureHeaders(this.httpTarget.signingSecret, raw),
      };
      if (retry > 0) {
        headers["X-Slack-Retry-Num"] = String(retry);
        headers["X-Slack-Retry-Reason"] = "http_timeout";
      }
      const url = this.targetUrl();
      this.sentRequests.push({ type, body: raw, headers, url });
      const started = Date.now();
      try {
        const response = await fetch(url, {
          method: "POST",
          headers,
          body: raw,
          signal: AbortSignal.timeout(this.ackDeadlineMs),
        });
        return { status: response.status, body: await readBody(response) };
      } catch (error) {
        if ((error as Error).name !== "TimeoutError" && (error as Error).name !== "AbortError") {
          // Nothing listening (the app is down): Slack counts a failed delivery, and retries events.
          if (type === "events_api") return { status: 0, body: undefined };
          throw error;
        }
        // Slack stops waiting: the person sees an error, an event is sent again later.
        this.lateAcks.push({ type, waitedMs: Date.now() - started });
        return { status: 0, body: undefined, timedOut: true };
      }
    } finally {
      this.pending--;
      if (this.pending === 0) {
        const waiters = this.idleWaiters;
        this.idleWaiters = [];
        for (const resolve of waiters) resolve();
      }
    }
  }

  protected async deliverOverSocket(type: string, payload: unknown, retry: number): Promise<Delivery> {
    const socket = this.socket;
    if (!socket) throw new Error("no Socket Mode connection");
    const envelopeId = crypto.randomUUID();
    const started = Date.now();
    const ack = new Promise<unknown>((resolve) => {
      const timer = setTimeout(() => {
        this.socketAcks.delete(envelopeId);
        this.lateAcks.push({ type, waitedMs: Date.now() - started });
        resolve(undefined);
      }, this.ackDeadlineMs);
      this.socketAcks.set(envelopeId, { resolve, timer });
    });
    socket.send(
      JSON.stringify({
        envelope_id: envelopeId,
        type,
        payload,
        accepts_response_payload: type !== "events_api",
        ...(type === "events_api" ? { retry_attempt: retry, retry_reason: retry ? "timeout" : "" } : {}),
      }),
    );
    const body = await ack;
    return body === undefined ? { status: 0, body, timedOut: true } : { status: 200, body };
  }

  protected onSocket(ws: WebSocket): void {
    this.socket = ws;
    const ping = setInterval(() => ws.ping(), 5_000);
    ping.unref();
    ws.on("message", (data) => {
      let message: { envelope_id?: string; payload?: unknown };
      try {
        message = JSON.parse(String(data)) as typeof message;
      } catch {
        return;
      }
      const pending = message.envelope_id ? this.socketAcks.get(message.envelope_id) : undefined;
      if (!pending || !message.envelope_id) return;
      clearTimeout(pending.timer);
      this.socketAcks.delete(message.envelope_id);
      const payload = message.payload as Json | undefined;
      pending.resolve(payload && Object.keys(payload).length > 0 ? payload : {});
    });
    ws.on("close", () => {
      clearInterval(ping);
      if (this.socket === ws) this.socket = undefined;
    });
    ws.send(
      JSON.stringify({
        type: "hello",
        num_connections: 1,
        debug_info: { host: "fake-slack", build_number: 1, approximate_connection_time: 3600 },
        connection_info: { app_id: APP_ID },
      }),
    );
    const waiters = this.socketWaiters;
    this.socketWaiters = [];
    for (const resolve of waiters) resolve();
  }

  protected applyImmediateCommandResponse(delivery: Delivery, channel: string, user: string): void {
    const body = delivery.body;
    if (!body || typeof body !== "object") {
      if (typeof body === "string" && body.length > 0) {
        this.addEphemeral({ channel, user, text: body, via: "response_url", at: this.clockNow() });
      }
      return;
    }
    const message = body as Json;
    if (typeof message.text === "string" || Array.isArray(message.blocks)) {
      this.addEphemeral({
        channel,
        user,
        text: String(message.text ?? ""),
        blocks: message.blocks as Json[] | undefined,
        via: "response_url",
        at: this.clockNow(),
      });
    }
  }

  // ---------------------------------------------------------------- HTTP routing

  protected async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", this.baseUrl);
    const raw = await readRequest(req);
    try {
      if (url.pathname.startsWith("/api/")) {
        await this.answerApi(url.pathname.slice("/api/".length), req, raw, res);
      } else if (url.pathname.startsWith("/response/")) {
        this.responseUrl(url.pathname.slice("/response/".length), raw, res);
      } else if (url.pathname.startsWith("/files-pri/")) {
        this.privateFile(url.pathname.slice("/files-pri/".length), req, res);
      } else if (url.pathname.startsWith("/files-edge/")) {
        this.privateFile(url.pathname.slice("/files-edge/".length), req, res, { redirected: true });
      } else if (url.pathname.startsWith("/files-foreign/")) {
        // A host that is not Slack's: it would serve anyone; what matters is who sent a token here.
        this.foreignDownloads.push({ authorization: req.headers.authorization ?? null });
        res.writeHead(200, { "Content-Type": "application/octet-stream" }).end("not a Slack file");
      } else if (url.pathname.startsWith("/upload/")) {
        await this.upload(url.pathname.slice("/upload/".length), req, raw, res);
      } else {
        res.writeHead(404).end();
      }
    } catch (error) {
      res.writeHead(500, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ ok: false, error: "fatal_error", detail: String(error) }));
    }
  }
}

import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { Health } from "../services/health.js";

/**
 * `GET /healthz`: 200 `{"status":"ok","db":"ok",…}` when the database answers, 503 otherwise;
 * with the messages still owed to Slack (`outbox.owed`, `outbox.oldest`) and the scheduler's
 * last tick (`lastTick`), for an operator's alert on delivery or scheduling that has stalled;
 * and the work behind the acknowledgements (`backlog`: commands and clicks at work, the limit
 * past which new ones are refused as busy, how many seconds the inbox of replies lags).
 */
export function healthHandler(
  check: () => Promise<Health>,
  backlog?: () => { requests: number; limit: number; inboxLagSeconds: number },
) {
  return async (_req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const health = await check();
    const body = JSON.stringify({
      status: health.ok ? "ok" : "error",
      db: health.db,
      ...(health.reason ? { reason: health.reason } : {}),
      ...(health.outbox
        ? { outbox: { owed: health.outbox.owed, oldest: health.outbox.oldest?.toISOString() ?? null } }
        : {}),
      lastTick: health.lastTickAt?.toISOString() ?? null,
      ...(backlog ? { backlog: backlog() } : {}),
    });
    res.writeHead(health.ok ? 200 : 503, { "Content-Type": "application/json", "Cache-Control": "no-store" });
    res.end(body);
  };
}

/** In Socket Mode there is no Slack endpoint to share a port with: the health check gets its own server. */
export async function startHealthServer(
  port: number,
  handler: ReturnType<typeof healthHandler>,
): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    if (req.method === "GET" && req.url?.split("?")[0] === "/healthz") {
      void handler(req, res);
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, () => resolve());
  });
  return server;
}

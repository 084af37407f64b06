import type { ServiceDeps } from "./ports.js";

/** A health check answers fast or says the database is not answering. */
const DB_PING_TIMEOUT_MS = 2_000;

/** What `/healthz` reports. */
export interface Health {
  ok: boolean;
  db: "ok" | "unavailable";
}

export async function checkHealth(deps: Pick<ServiceDeps, "store">): Promise<Health> {
  const dbOk = await deps.store.ping(DB_PING_TIMEOUT_MS);
  return { ok: dbOk, db: dbOk ? "ok" : "unavailable" };
}

import type { Logger } from "../logger.js";
import {
  type DatabaseProblem,
  type DatabaseProblemKind,
  databaseProblem,
  isDatabaseError,
} from "../store/problems.js";
import type { Store } from "../store/store.js";
import type { ServiceDeps } from "./ports.js";

/** A health check answers fast or says the database is not answering. */
const DB_PING_TIMEOUT_MS = 2_000;
/** How long /healthz waits for the count of messages owed before it answers without it. */
const OWED_WAIT_MS = 1_000;

/** What `/healthz` reports: the database works, or what is wrong with it (and the driver's code). */
export interface Health {
  ok: boolean;
  db: "ok" | DatabaseProblemKind;
  reason?: string;
  /** Messages still owed to Slack and when the oldest was written (when the database answers). */
  outbox?: { owed: number; oldest: Date | null };
  /** When the scheduler's last minute tick finished (null before the first, or without one). */
  lastTickAt?: Date | null;
}

/**
 * Reads, and after a failure also writes: a full disk still lets the database be read, and
 * the office must not be told all is well while nothing it sends can be kept.
 */
export async function checkHealth(
  deps: Pick<ServiceDeps, "store">,
  lastTickAt: () => Date | null = () => null,
): Promise<Health> {
  const tick = { lastTickAt: lastTickAt() };
  const dbOk = await deps.store.ping(DB_PING_TIMEOUT_MS);
  if (!dbOk) return { ok: false, db: "unavailable", ...tick };
  const problem = deps.store.problem() ? await deps.store.recheck().catch(() => deps.store.problem()) : null;
  if (problem) return { ok: false, db: problem.kind, reason: problem.code, ...tick };
  // Within a moment or not at all: a health check waits in no line (work waits long in it).
  const owed = await Promise.race([
    deps.store.read((tx) => tx.outbox.owed()).catch(() => null),
    new Promise<null>((resolve) => setTimeout(() => resolve(null), OWED_WAIT_MS).unref()),
  ]);
  return {
    ok: true,
    db: "ok",
    ...(owed ? { outbox: { owed: owed.count, oldest: owed.oldest } } : {}),
    ...tick,
  };
}

/** What is wrong with the database, from an error a use case threw; null when it is not the database's. */
export function databaseTrouble(error: unknown): DatabaseProblem | null {
  return databaseProblem(error);
}

/** Whether a failure will pass once the database is back (then the work is tried again, not given up). */
export function isDatabaseTrouble(error: unknown): boolean {
  return isDatabaseError(error);
}

/** How often a database in trouble is looked at again, so service resumes by itself. */
const RECHECK_MS = 2_000;

/**
 * Says in the log when the database goes wrong (a full disk, a damaged file) and when it works
 * again, looking again every two seconds while it is in trouble: nothing waits for /healthz.
 */
export function watchDatabase(store: Store, logger: Logger): { start(): void; stop(): void } {
  let timer: NodeJS.Timeout | undefined;
  let told: string | null = null;
  const tick = async () => {
    const problem = store.problem() ? await store.recheck().catch(() => store.problem()) : null;
    const now = problem ? `${problem.kind}:${problem.code}` : null;
    if (now && now !== told) {
      logger.error(
        { problem },
        "the database cannot do its work: people are told to try again later, /healthz answers 503",
      );
    } else if (!now && told) {
      logger.info({ was: told }, "the database works again");
    }
    told = now;
  };
  return {
    start() {
      timer = setInterval(() => void tick(), RECHECK_MS);
      timer.unref();
    },
    stop() {
      clearInterval(timer);
    },
  };
}

import { parentPort, workerData } from "node:worker_threads";
import type { Period } from "../domain/period.js";
import type { DepartmentMark } from "../domain/scoring.js";
import { openForReading, providerOf } from "../store/database.js";
import { createStore } from "../store/store.js";
import { KeptScores } from "./scores-kept.js";

/**
 * The scores' thread (services/scoring-thread.ts): works periods' scores out on a reading
 * connection of its own, as asked, from the facts it keeps and brings up to date
 * (scores-kept.ts). The rules are the services' own (summary.ts `scoreAll`); only the thread and
 * the reading are different.
 */
type Ask = { id: number; period: Period; marks: DepartmentMark[] };

async function serve(port: NonNullable<typeof parentPort>): Promise<void> {
  const { databaseUrl, timeZone } = workerData as { databaseUrl: string; timeZone: string };
  const store = createStore(await openForReading(databaseUrl));
  const kept = new KeptScores(
    { store, timeZone },
    { idsInCommitOrder: providerOf(databaseUrl) === "sqlite" },
  );
  port.on("message", (message: Ask | "close") => {
    if (message === "close") {
      void store.close().finally(() => port.close());
      return;
    }
    kept.score(message.period, message.marks).then(
      (value) => port.postMessage({ id: message.id, value }),
      (error: unknown) =>
        port.postMessage({
          id: message.id,
          error: {
            message: error instanceof Error ? error.message : String(error),
            code: (error as { code?: unknown })?.code,
          },
        }),
    );
  });
  port.postMessage({ ready: true });
}

if (parentPort) void serve(parentPort);

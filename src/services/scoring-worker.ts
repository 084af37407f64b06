import { parentPort, workerData } from "node:worker_threads";
import type { Period } from "../domain/period.js";
import type { DepartmentMark } from "../domain/scoring.js";
import { openForReading } from "../store/database.js";
import { createStore } from "../store/store.js";
import { workOutScores } from "./summary.js";

/**
 * The scores' thread (services/scoring-thread.ts): works periods' scores out on a reading
 * connection of its own, one at a time, as asked. The rules are the services' own
 * (summary.ts `workOutScores`); only the thread is different.
 */
type Ask = { id: number; period: Period; marks: DepartmentMark[] };

async function serve(port: NonNullable<typeof parentPort>): Promise<void> {
  const { databaseUrl, timeZone } = workerData as { databaseUrl: string; timeZone: string };
  const store = createStore(await openForReading(databaseUrl));
  port.on("message", (message: Ask | "close") => {
    if (message === "close") {
      void store.close().finally(() => port.close());
      return;
    }
    workOutScores({ store, timeZone }, message.period, message.marks).then(
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

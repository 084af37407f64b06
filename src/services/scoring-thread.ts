import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { Period } from "../domain/period.js";
import type { DepartmentMark } from "../domain/scoring.js";
import type { Logger } from "../logger.js";
import type { ScoringPort } from "./ports.js";
import type { ScoredPeriod } from "./summary.js";

/**
 * A period's scores worked out on a thread of their own (issue 31). Scoring a month at the
 * office's size is ~0.3 s of SQLite statements (better-sqlite3 runs them on the calling thread)
 * and of arithmetic; the shared scores are exact, so at 25 replies a second nearly every
 * `/ducha 得分` works them out again, and on the one event loop that held every other request:
 * at 50 requests a second ~0.75 s of each second. Here the loop only sends the period and gets
 * the scores back; the thread reads with its own connection (on SQLite, WAL: it sees what was
 * committed when its read began). Started at the first ask; a thread that fails is replaced at
 * the next one.
 */
export class ScoringThread implements ScoringPort {
  #worker: Worker | undefined;
  #next = 1;
  readonly #waiting = new Map<
    number,
    { resolve: (value: ScoredPeriod) => void; reject: (error: Error) => void }
  >();

  constructor(private readonly options: { databaseUrl: string; timeZone: string; logger: Logger }) {}

  score(period: Period, marks: readonly DepartmentMark[]): Promise<ScoredPeriod> {
    const worker = this.#worker ?? this.#start();
    const id = this.#next++;
    return new Promise<ScoredPeriod>((resolve, reject) => {
      this.#waiting.set(id, { resolve, reject });
      worker.postMessage({ id, period, marks });
    });
  }

  async close(): Promise<void> {
    const worker = this.#worker;
    this.#worker = undefined;
    if (!worker) return;
    worker.postMessage("close");
    const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
    // A thread that does not close its connection within a few seconds is stopped.
    const timer = setTimeout(() => void worker.terminate(), 5_000);
    await exited;
    clearTimeout(timer);
  }

  #start(): Worker {
    const worker = startScorer({ databaseUrl: this.options.databaseUrl, timeZone: this.options.timeZone });
    this.#worker = worker;
    worker.unref();
    this.options.logger.info("scores: working them out on a thread of their own");
    worker.on(
      "message",
      (message: { id?: number; value?: ScoredPeriod; error?: { message: string; code?: unknown } }) => {
        if (message.id === undefined) return;
        const waiting = this.#waiting.get(message.id);
        if (!waiting) return;
        this.#waiting.delete(message.id);
        if (message.error) {
          // The database's trouble keeps its code, so the person is told as for any read.
          waiting.reject(Object.assign(new Error(message.error.message), { code: message.error.code }));
        } else if (message.value) waiting.resolve(message.value);
      },
    );
    const failAll = (error: Error) => {
      if (this.#worker === worker) this.#worker = undefined;
      for (const [id, waiting] of this.#waiting) {
        this.#waiting.delete(id);
        waiting.reject(error);
      }
    };
    worker.on("error", (error) => {
      this.options.logger.error({ err: error }, "the scores' thread failed; the next ask starts another");
      failAll(error);
    });
    worker.on("exit", (code) => {
      if (this.#waiting.size > 0) failAll(new Error(`the scores' thread stopped (exit code ${code})`));
      else if (this.#worker === worker) this.#worker = undefined;
    });
    return worker;
  }
}

/**
 * The thread: the compiled module beside this one, or, run from the sources (tests, `npm
 * start`), the TypeScript compiled by tsx's require hook in the thread itself (as the ledger's
 * writer, src/ledger/xlsx.ts).
 */
function startScorer(workerData: { databaseUrl: string; timeZone: string }): Worker {
  const here = import.meta.url;
  if (!here.endsWith(".ts")) return new Worker(new URL("./scoring-worker.js", here), { workerData });
  const tsx = createRequire(here).resolve("tsx/cjs/api");
  const file = fileURLToPath(new URL("./scoring-worker.ts", here));
  return new Worker(`require(${JSON.stringify(tsx)}).register(); require(${JSON.stringify(file)});`, {
    eval: true,
    workerData,
  });
}

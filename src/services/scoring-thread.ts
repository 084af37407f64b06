import type { Worker } from "node:worker_threads";
import type { Period } from "../domain/period.js";
import type { DepartmentMark } from "../domain/scoring.js";
import type { Logger } from "../logger.js";
import { startThread } from "../thread.js";
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

  /** Per period: the working-out under way, and the one asked for after it began. */
  readonly #runs = new Map<string, Run>();
  #computations = 0;

  constructor(private readonly options: { databaseUrl: string; timeZone: string; logger: Logger }) {}

  /** How many working-outs were sent to the thread (tests). */
  get computations(): number {
    return this.#computations;
  }

  /**
   * A period's scores, worked out after this ask: by the working-out under way when none is,
   * else by the next one, which begins when that one ends and serves everyone who asked
   * meanwhile. It reads after each of them asked, so none gets figures older than their ask
   * (the shared scores stay exact), and asks that come faster than a working-out lasts (~0.3 s
   * at the office's size, while replies move the stamp at every one) make one each, not a queue.
   */
  score(period: Period, marks: readonly DepartmentMark[]): Promise<ScoredPeriod> {
    // A running period's end is the moment of each ask: asks while one is worked out share the
    // next, scored up to the newest ask's moment (after each of theirs).
    const key = `${period.kind}:${period.start.getTime()}:${period.complete ? period.end.getTime() : "running"}`;
    const run = this.#runs.get(key);
    if (!run) return this.#begin(key, period, marks);
    if (run.next) {
      // The newest ask's marks (the 协调 lapsed by now) are the ones to score with.
      run.next.period = period;
      run.next.marks = marks;
      return run.next.promise;
    }
    let settle: Pick<NextRun, "resolve" | "reject"> | undefined;
    const promise = new Promise<ScoredPeriod>((resolve, reject) => {
      settle = { resolve, reject };
    });
    if (!settle) throw new Error("unreachable");
    run.next = { period, marks, promise, ...settle };
    return promise;
  }

  #begin(key: string, period: Period, marks: readonly DepartmentMark[]): Promise<ScoredPeriod> {
    const running = this.#post(period, marks);
    const run: Run = {};
    this.#runs.set(key, run);
    const after = () => {
      this.#runs.delete(key);
      const next = run.next;
      if (next) this.#begin(key, next.period, next.marks).then(next.resolve, next.reject);
    };
    running.then(after, after);
    return running;
  }

  #post(period: Period, marks: readonly DepartmentMark[]): Promise<ScoredPeriod> {
    this.#computations++;
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

interface NextRun {
  period: Period;
  marks: readonly DepartmentMark[];
  promise: Promise<ScoredPeriod>;
  resolve: (value: ScoredPeriod) => void;
  reject: (error: unknown) => void;
}

interface Run {
  next?: NextRun;
}

/** The thread (src/thread.ts). */
function startScorer(workerData: { databaseUrl: string; timeZone: string }): Worker {
  return startThread(import.meta.url, "scoring-worker", { workerData });
}

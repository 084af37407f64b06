import cluster, { type Worker } from "node:cluster";
import type { Logger } from "./logger.js";

/**
 * DUCHA_WORKERS > 1: this process forks that many ducha processes (node:cluster) and watches
 * them. They share the port (the connections are dealt out in turn) and the database, as
 * replicas do (README, "Running more than one"): one event loop was the ceiling on a machine
 * with more cores (at 50 requests a second the one process used 1.05 of 2 cores). The database
 * was migrated before they were forked, once.
 *
 * A worker that fails before it runs (a token Slack refuses, a port taken) stops them all with
 * its exit code: the operator has something to fix. One that dies later is started again.
 * SIGTERM or SIGINT stops each one as it stops alone (work in flight finished), then this one.
 */
export async function runWorkers(count: number, logger: Logger): Promise<never> {
  const running = new Set<Worker>();
  let stopping = false;
  const fork = () => {
    const worker = cluster.fork();
    let ready = false;
    worker.on("message", (message: unknown) => {
      if ((message as { ducha?: unknown } | null)?.ducha === "running") ready = true;
    });
    worker.on("exit", (code, signal) => {
      running.delete(worker);
      if (stopping) {
        if (running.size === 0) {
          logger.info("stopped: every worker");
          process.exit(0);
        }
        return;
      }
      if (!ready) {
        // It could not start: neither can the others; the operator has its message.
        stopping = true;
        for (const other of running) other.process.kill("SIGTERM");
        process.exit(typeof code === "number" && code !== 0 ? code : 1);
      }
      logger.error({ worker: worker.id, code, signal }, "a worker stopped unexpectedly; starting another");
      setTimeout(fork, 1_000).unref();
    });
    running.add(worker);
  };
  for (let i = 0; i < count; i++) fork();
  logger.info({ workers: count }, "started the workers");
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "stopping: every worker finishes its work in flight");
    if (running.size === 0) process.exit(0);
    for (const worker of running) worker.process.kill("SIGTERM");
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
  return new Promise<never>(() => {});
}

/** In a worker: tells the primary this one runs (a worker that exits later is started again). */
export function tellRunning(): void {
  if (cluster.isWorker) process.send?.({ ducha: "running" });
}

export const isPrimary = (): boolean => cluster.isPrimary;

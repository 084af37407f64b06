import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { Worker, type WorkerOptions } from "node:worker_threads";

/**
 * A worker thread running the module `name` that lies beside `here` (the caller's
 * import.meta.url): the compiled module when running compiled, or, run from the sources
 * (tests, `npm start`, the bench), the TypeScript compiled by tsx's require hook in the thread
 * itself (Node 20's module hooks do not reach worker threads). The ledger's writer and the
 * scores' thread start this way.
 */
export function startThread(here: string, name: string, options: WorkerOptions = {}): Worker {
  if (!here.endsWith(".ts")) return new Worker(new URL(`./${name}.js`, here), options);
  const tsx = createRequire(here).resolve("tsx/cjs/api");
  const file = fileURLToPath(new URL(`./${name}.ts`, here));
  return new Worker(`require(${JSON.stringify(tsx)}).register(); require(${JSON.stringify(file)});`, {
    ...options,
    eval: true,
  });
}

// Where ducha's memory goes (bench/startup.ts): the resident set after each part of the
// compiled bot (dist/) is loaded, in the order main.js loads them, with the garbage collected
// between steps. Run by node on dist/, after `tsc -p tsconfig.build.json`.
import v8 from "node:v8";
import vm from "node:vm";

v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc");
const mb = (n) => (n / 1024 / 1024).toFixed(0).padStart(4);
let last = process.memoryUsage().rss;
let lastAt = performance.now();
/** One line: the part, the resident set and its growth, the live heap, the time the step took. */
const show = (what) => {
  const ms = performance.now() - lastAt;
  gc();
  const { rss, heapUsed } = process.memoryUsage();
  process.stdout.write(
    `${what.padEnd(60)} ${mb(rss)} MB (${rss >= last ? "+" : ""}${mb(rss - last).trim()}), heap ${mb(heapUsed).trim()} MB, ${ms.toFixed(0).padStart(4)} ms\n`,
  );
  last = rss;
  lastAt = performance.now();
};
show("node itself");
await import("@slack/bolt");
show("@slack/bolt (and @slack/web-api, axios, express)");
await import("pino");
show("pino");
await import("../dist/generated/prisma/client.js");
show("Prisma client (generated, SQLite)");
await import("@prisma/adapter-better-sqlite3");
show("its better-sqlite3 adapter");
await import("../dist/generated/prisma-pg/client.js");
await import("@prisma/adapter-pg");
show("Prisma client for PostgreSQL and its pg adapter");
await import("chinese-days");
await import("chrono-node");
await import("luxon");
show("chinese-days, chrono-node, luxon");
await import("../dist/app.js");
show("the rest of ducha's code (dist/app.js)");
const { openDatabase } = await import("../dist/store/database.js");
const database = await openDatabase(`file:${process.env.DATABASE_FILE}`);
await database.client.task.count();
show("an open database (SQLite, migrations checked, a first query)");
const { parseConfig } = await import("../dist/config.js");
const { createStore } = await import("../dist/store/store.js");
const { createDuchaApp } = await import("../dist/app.js");
const { createLogger } = await import("../dist/logger.js");
const { systemClock } = await import("../dist/clock.js");
const config = parseConfig(process.env);
const store = createStore(database);
const bot = createDuchaApp({ config, store, clock: systemClock, logger: createLogger("error") });
await bot.start();
show("started (lights worked out, a missed daily run made up)");
await new Promise((resolve) => setTimeout(resolve, 4_000));
lastAt = performance.now();
show("idle four seconds later");
await import("exceljs");
show("exceljs, loaded when the first ledger is written");
await bot.stop();
await store.close();

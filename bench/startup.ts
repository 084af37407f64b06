/**
 * Start-up time and memory (issue 12, section 5), separate from bench.ts because each is a
 * process of its own: a bare Bolt app, ducha compiled (`node dist/main.js`) and ducha as
 * `npm start` runs it (`node --import tsx src/main.ts`), each started five times against the
 * fake Slack on an office of 2,000 tasks; the time is from spawn to its "listening" line, the
 * memory its resident set a few seconds later, idle. Then where ducha's memory goes: the
 * resident set as each part is loaded, in order, in one process.
 *
 *   npm run bench -- --startup
 */
import { type ChildProcess, execFile, execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { seedScale } from "../scripts/seed-scale.js";
import { FakeSlack } from "../test/fake-slack/fake-slack.js";
import { populate } from "../test/fake-slack/workspace.js";

const ROOT = path.resolve(import.meta.dirname, "..");
const RUNS = 5;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

/** Spawns, waits for the line saying it listens, measures; then stops it. */
async function startOnce(
  args: string[],
  env: Record<string, string>,
  ready: RegExp,
): Promise<{ ms: number; rss: number }> {
  const began = performance.now();
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout?.on("data", (c) => {
    out += String(c);
  });
  child.stderr?.on("data", (c) => {
    err += String(c);
  });
  try {
    while (!ready.test(out)) {
      if (child.exitCode !== null || performance.now() - began > 60_000)
        throw new Error(`did not start: ${err}${out}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const ms = performance.now() - began;
    // Idle: the start-up's own work (catch-up, a first outbox pass) has settled.
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    return { ms, rss: rssMb(child.pid ?? 0) };
  } finally {
    child.kill("SIGTERM");
    await new Promise((resolve) => child.once("exit", resolve));
  }
}

export async function startupBench(): Promise<string[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ducha-startup-"));
  const slack = new FakeSlack();
  await slack.start();
  populate(slack);
  try {
    process.stdout.write("start-up: building dist/, seeding 2,000 tasks… ");
    execFileSync("npx", ["tsc", "-p", "tsconfig.build.json"], { cwd: ROOT, stdio: "inherit" });
    const office = path.join(dir, "office.db");
    await seedScale(office, { departments: 50, tasks: 2_000, reports: 40_000 });
    process.stdout.write("done\n");
    const env = (db: string) => ({
      SLACK_BOT_TOKEN: slack.botToken,
      SLACK_SIGNING_SECRET: "bench-secret",
      SLACK_API_URL: slack.apiUrl,
      DATABASE_URL: `file:${db}`,
      PORT: "0",
      LOG_LEVEL: "info",
    });
    const systems: [string, string[], RegExp][] = [
      ["bare Bolt app", [path.join(ROOT, "bench/bare-app.mjs")], /listening/],
      ["ducha, node dist/main.js", [path.join(ROOT, "dist/main.js")], /ducha is running/],
      ["ducha, npm start (tsx)", ["--import", "tsx", path.join(ROOT, "src/main.ts")], /ducha is running/],
    ];
    const lines = [`start-up and idle memory (median of ${RUNS} starts; 2,000-task office, SQLite)`];
    for (const [name, args, ready] of systems) {
      const runs: { ms: number; rss: number }[] = [];
      for (let i = 0; i < RUNS; i++) {
        const db = path.join(dir, `run-${i}.db`);
        fs.copyFileSync(office, db);
        runs.push(await startOnce(args, env(db), ready));
        process.stdout.write(".");
      }
      lines.push(
        `  ${name.padEnd(28)} ${median(runs.map((r) => r.ms))
          .toFixed(0)
          .padStart(6)} ms to listening, ` +
          `${median(runs.map((r) => r.rss))
            .toFixed(0)
            .padStart(4)} MB resident, idle`,
      );
    }
    process.stdout.write("\n");
    lines.push("", "where ducha's memory goes (resident set as each part is loaded, in order, one process):");
    // Not execFileSync: the fake Slack in this process answers the bot it starts.
    const { stdout: accounting } = await promisify(execFile)(
      process.execPath,
      [path.join(ROOT, "bench/memory-parts.mjs")],
      {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH ?? "",
          HOME: process.env.HOME ?? "",
          DATABASE_FILE: path.join(dir, "run-0.db"),
          ...env(path.join(dir, "run-0.db")),
        },
        encoding: "utf8",
      },
    );
    lines.push(
      ...accounting
        .trimEnd()
        .split("\n")
        .map((l) => `  ${l}`),
    );
    return lines;
  } finally {
    await slack.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

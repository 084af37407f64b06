/**
 * Checks the README's production install on a fresh copy of the repository, as an operator
 * follows it: `npm ci --omit=dev`, then `npm start` — against the fake Slack (run from this
 * checkout, which has the dev dependencies). It fails when the install or the start breaks
 * without dev dependencies, when a configuration error does not exit 2 with words naming the
 * variable; it prints how long the install and the start took. `.ci/run` runs it after the tests.
 *
 *   npm run check:production
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { once } from "node:events";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { FakeSlack } from "../test/fake-slack/fake-slack.js";

const ROOT = path.resolve(import.meta.dirname, "..");
function step(what: string): void {
  process.stdout.write(`production check: ${what}\n`);
}

function failCheck(what: string): never {
  process.stderr.write(`production check FAILED: ${what}\n`);
  process.exit(1);
}

interface Run {
  child: ChildProcess;
  out: string;
  err: string;
  exited: Promise<number | null>;
}

function start(dir: string, env: Record<string, string>): Run {
  // Its own process group: a signal reaches npm and the bot, as Ctrl-C in a terminal does.
  const child = spawn("npm", ["start", "--silent"], {
    cwd: dir,
    detached: true,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? os.homedir(), ...env },
  });
  const run: Run = { child, out: "", err: "", exited: once(child, "exit").then(([code]) => code as number) };
  child.stdout?.on("data", (c) => {
    run.out += String(c);
  });
  child.stderr?.on("data", (c) => {
    run.err += String(c);
  });
  return run;
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ducha-production-"));
  try {
    step(`fresh copy in ${dir}`);
    execFileSync("git", ["clone", "--quiet", "--no-hardlinks", ROOT, dir], { stdio: "inherit" });
    // What the image ships (.dockerignore): no tests, no fixtures, no demo. The bot must start
    // from that alone, so nothing it runs may live beside the tests.
    for (const gone of ["test", "bench", path.join("scripts", "demo")])
      fs.rmSync(path.join(dir, gone), { recursive: true, force: true });
    for (const file of fs.readdirSync(path.join(dir, "src"), { recursive: true, encoding: "utf8" }))
      if (file.endsWith(".test.ts")) fs.rmSync(path.join(dir, "src", file));
    step("npm ci --omit=dev");
    const installStarted = Date.now();
    execFileSync("npm", ["ci", "--omit=dev", "--no-audit", "--no-fund"], { cwd: dir, stdio: "inherit" });
    step(`installed in ${((Date.now() - installStarted) / 1000).toFixed(1)} s`);
    for (const devOnly of ["vitest", "@biomejs/biome", "fast-check"]) {
      if (fs.existsSync(path.join(dir, "node_modules", devOnly))) failCheck(`${devOnly} was installed`);
    }

    step("a missing variable: exit 2, naming it, in Chinese");
    const unconfigured = start(dir, {});
    const unconfiguredCode = await unconfigured.exited;
    if (unconfiguredCode !== 2 || !unconfigured.err.includes("SLACK_BOT_TOKEN (未设置)")) {
      failCheck(`expected exit 2 naming SLACK_BOT_TOKEN, got ${unconfiguredCode}: ${unconfigured.err}`);
    }

    const slack = new FakeSlack();
    await slack.start();
    try {
      step("a token Slack refuses: exit 2, naming it");
      const refused = start(dir, {
        SLACK_BOT_TOKEN: "xoxb-wrong",
        SLACK_SIGNING_SECRET: "secret",
        SLACK_API_URL: slack.apiUrl,
        DATABASE_URL: `file:${path.join(dir, "data", "refused.db")}`,
        PORT: "0",
      });
      const refusedCode = await refused.exited;
      if (refusedCode !== 2 || !refused.err.includes("SLACK_BOT_TOKEN")) {
        failCheck(`expected exit 2 naming SLACK_BOT_TOKEN, got ${refusedCode}: ${refused.err}`);
      }

      step("npm start: listening, /healthz, SIGTERM");
      const began = Date.now();
      const run = start(dir, {
        SLACK_BOT_TOKEN: slack.botToken,
        SLACK_SIGNING_SECRET: "secret",
        SLACK_API_URL: slack.apiUrl,
        DATABASE_URL: `file:${path.join(dir, "data", "ducha.db")}`,
        PORT: "0",
      });
      try {
        while (!run.out.includes("ducha is running")) {
          if (Date.now() - began > 60_000 || run.child.exitCode !== null) {
            failCheck(`did not start: ${run.err}${run.out}`);
          }
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        const startMs = Date.now() - began;
        const line = run.out.split("\n").find((l) => l.includes("ducha is running")) ?? "{}";
        const { port } = JSON.parse(line) as { port: number };
        const health = await fetch(`http://127.0.0.1:${port}/healthz`);
        if (health.status !== 200) failCheck(`/healthz answered ${health.status}`);
        step(`started in ${(startMs / 1000).toFixed(1)} s; /healthz ${health.status}`);
        // SIGTERM to the group (npm does not pass it on); the bot's own word says it stopped cleanly.
        process.kill(-(run.child.pid ?? 0), "SIGTERM");
        await run.exited;
        // The bot may still be finishing after npm ends: its output ends when it does.
        if (run.child.stdout && !run.child.stdout.readableEnded) {
          await Promise.race([
            once(run.child.stdout, "end"),
            new Promise((resolve) => setTimeout(resolve, 30_000)),
          ]);
        }
        if (!run.out.includes('"msg":"stopped"')) failCheck(`no clean stop after SIGTERM: ${run.err}`);
      } finally {
        try {
          process.kill(-(run.child.pid ?? 0), "SIGKILL");
        } catch {
          // Already gone.
        }
      }
    } finally {
      await slack.stop();
    }
    step("passed");
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) =>
  failCheck(error instanceof Error ? (error.stack ?? error.message) : String(error)),
);

import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "../..");

export interface Run {
  child: ChildProcess;
  stdout: string;
  stderr: string;
  exited: Promise<number | null>;
}

/** Runs the real entry point as `npm start` does, with exactly this environment. */
export function runMain(env: Record<string, string>): Run {
  // A scratch working directory: a developer's own .env must not leak into the test.
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), "ducha-main-"));
  const child = spawn(
    process.execPath,
    ["--import", import.meta.resolve("tsx"), path.join(ROOT, "src/main.ts")],
    {
      cwd,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
    },
  );
  const run: Run = {
    child,
    stdout: "",
    stderr: "",
    exited: once(child, "exit").then(([code]) => code as number | null),
  };
  child.stdout?.on("data", (chunk) => {
    run.stdout += String(chunk);
  });
  child.stderr?.on("data", (chunk) => {
    run.stderr += String(chunk);
  });
  return run;
}

export async function waitFor(check: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Waits until the process says it is running, and returns the port it serves on. */
export async function portOf(run: Run): Promise<number> {
  await waitFor(() => run.stdout.includes("ducha is running") || run.child.exitCode !== null, 30_000);
  const line = run.stdout.split("\n").find((l) => l.includes("ducha is running"));
  if (!line) throw new Error(`ducha did not start:\n${run.stderr}\n${run.stdout}`);
  return (JSON.parse(line) as { port: number }).port;
}

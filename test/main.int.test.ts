import http from "node:http";
import type { AddressInfo } from "node:net";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateSqlite } from "../src/store/migrate.js";
import { FakeSlack } from "./fake-slack/fake-slack.js";
import { tempDbFile } from "./support/harness.js";
import { runMain, waitFor } from "./support/process.js";

let slack: FakeSlack;
beforeAll(async () => {
  slack = new FakeSlack();
  await slack.start();
});
afterAll(async () => {
  await slack.stop();
});

describe.concurrent("npm start (src/main.ts)", () => {
  it("exits 2 naming the missing variables when nothing is configured", async () => {
    const run = runMain({});
    expect(await run.exited).toBe(2);
    expect(run.stderr).toContain("SLACK_BOT_TOKEN");
    expect(run.stderr).toContain("SLACK_SIGNING_SECRET");
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it("exits 2 when Slack refuses the token", async () => {
    const run = runMain({
      SLACK_BOT_TOKEN: "xoxb-not-the-right-one",
      SLACK_SIGNING_SECRET: "s",
      SLACK_API_URL: slack.apiUrl,
      DATABASE_URL: `file:${tempDbFile()}`,
      PORT: "0",
    });
    expect(await run.exited).toBe(2);
    expect(run.stderr).toContain("invalid_auth");
    expect(run.stderr).toContain("SLACK_BOT_TOKEN");
  });

  it("exits 1 with a clear message when the database is ahead of the code", async () => {
    const file = tempDbFile();
    migrateSqlite(file);
    const db = new Database(file);
    db.prepare(
      `INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, started_at, applied_steps_count) VALUES ('x', 'y', datetime('now'), '29990101000000_future', datetime('now'), 1)`,
    ).run();
    db.close();
    const run = runMain({
      SLACK_BOT_TOKEN: slack.botToken,
      SLACK_SIGNING_SECRET: "s",
      SLACK_API_URL: slack.apiUrl,
      DATABASE_URL: `file:${file}`,
    });
    expect(await run.exited).toBe(1);
    expect(run.stderr).toContain("已由更新版本的督查助手迁移过（本版本不认识迁移 29990101000000_future）");
    expect(run.stderr).toContain("DATABASE_URL");
  });

  it("says what is wrong in the interface language: English when DUCHA_LOCALE=en", async () => {
    const run = runMain({
      SLACK_BOT_TOKEN: "xoxb-not-the-right-one",
      SLACK_SIGNING_SECRET: "s",
      SLACK_API_URL: slack.apiUrl,
      DATABASE_URL: `file:${tempDbFile()}`,
      PORT: "0",
      DUCHA_LOCALE: "en",
    });
    expect(await run.exited).toBe(2);
    expect(run.stderr).toContain("ducha cannot start: Slack refused SLACK_BOT_TOKEN (invalid_auth)");
  });

  it("exits 2 naming SLACK_APP_TOKEN when Slack refuses the app-level token (Socket Mode)", async () => {
    const run = runMain({
      SLACK_BOT_TOKEN: slack.botToken,
      SLACK_APP_TOKEN: "xapp-not-the-right-one",
      SLACK_API_URL: slack.apiUrl,
      DATABASE_URL: `file:${tempDbFile()}`,
      PORT: "0",
    });
    expect(await run.exited).toBe(2);
    expect(run.stderr).toContain("Slack 拒绝了 SLACK_APP_TOKEN（invalid_auth）");
  });

  it("exits 2 naming PORT when the port is taken", async () => {
    const taken = http.createServer();
    await new Promise<void>((resolve) => taken.listen(0, resolve));
    try {
      const run = runMain({
        SLACK_BOT_TOKEN: slack.botToken,
        SLACK_SIGNING_SECRET: "s",
        SLACK_API_URL: slack.apiUrl,
        DATABASE_URL: `file:${tempDbFile()}`,
        PORT: String((taken.address() as AddressInfo).port),
      });
      expect(await run.exited).toBe(2);
      expect(run.stderr).toMatch(/端口 \d+ 已被占用（PORT）/);
    } finally {
      taken.close();
    }
  });

  it("exits 2 naming HTTPS_PROXY when it is not a URL", async () => {
    const run = runMain({
      SLACK_BOT_TOKEN: slack.botToken,
      SLACK_SIGNING_SECRET: "s",
      HTTPS_PROXY: "proxy:3128",
    });
    expect(await run.exited).toBe(2);
    expect(run.stderr).toContain("HTTPS_PROXY");
  });

  it("stops on SIGTERM even when whoever read its log has gone (a closed pipe)", async () => {
    const run = runMain({
      SLACK_BOT_TOKEN: slack.botToken,
      SLACK_SIGNING_SECRET: "s",
      SLACK_API_URL: slack.apiUrl,
      DATABASE_URL: `file:${tempDbFile()}`,
      PORT: "0",
    });
    try {
      await waitFor(() => run.stdout.includes("ducha is running"));
      run.child.stdout?.destroy();
      await new Promise((resolve) => setTimeout(resolve, 200));
      run.child.kill("SIGTERM");
      const exited = await Promise.race([
        run.exited,
        new Promise((resolve) => setTimeout(() => resolve("still running"), 10_000)),
      ]);
      expect(exited).toBe(0);
    } finally {
      run.child.kill("SIGKILL");
    }
  });

  it("migrates, serves /healthz, and stops cleanly on SIGTERM", async () => {
    const run = runMain({
      SLACK_BOT_TOKEN: slack.botToken,
      SLACK_SIGNING_SECRET: "s",
      SLACK_API_URL: slack.apiUrl,
      DATABASE_URL: `file:${tempDbFile()}`,
      PORT: "0",
      LOG_LEVEL: "info",
    });
    try {
      await waitFor(() => run.stdout.includes("ducha is running"));
      const line = run.stdout.split("\n").find((l) => l.includes("ducha is running")) ?? "{}";
      const { port } = JSON.parse(line) as { port: number };
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(health.status).toBe(200);
      run.child.kill("SIGTERM");
      expect(await run.exited).toBe(0);
      expect(run.stdout).toContain('"msg":"stopped"');
    } finally {
      run.child.kill("SIGKILL");
    }
  });

  it("with DUCHA_WORKERS=2 runs two processes on one port, and stops both cleanly on SIGTERM", async () => {
    const run = runMain({
      SLACK_BOT_TOKEN: slack.botToken,
      SLACK_SIGNING_SECRET: "s",
      SLACK_API_URL: slack.apiUrl,
      DATABASE_URL: `file:${tempDbFile()}`,
      PORT: "0",
      LOG_LEVEL: "info",
      DUCHA_WORKERS: "2",
    });
    try {
      const running = () => run.stdout.split("\n").filter((l) => l.includes("ducha is running"));
      await waitFor(() => running().length === 2, 60_000);
      const lines = running().map((l) => JSON.parse(l) as { port: number; pid: number });
      // One port, two processes, neither of them the one started.
      expect(new Set(lines.map((l) => l.port)).size).toBe(1);
      expect(new Set(lines.map((l) => l.pid)).size).toBe(2);
      expect(lines.map((l) => l.pid)).not.toContain(run.child.pid);
      const port = lines[0]?.port;
      for (let i = 0; i < 4; i++) expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
      run.child.kill("SIGTERM");
      expect(await run.exited).toBe(0);
      expect(run.stdout.split("\n").filter((l) => l.includes('"msg":"stopped"'))).toHaveLength(2);
      expect(run.stdout).toContain("stopped: every worker");
      // No worker is left behind.
      for (const { pid } of lines) expect(() => process.kill(pid, 0)).toThrow();
    } finally {
      run.child.kill("SIGKILL");
    }
  }, 90_000);

  it("with DUCHA_WORKERS=2 exits 2 when Slack refuses the token, as one process does", async () => {
    const run = runMain({
      SLACK_BOT_TOKEN: "xoxb-not-the-right-one",
      SLACK_SIGNING_SECRET: "s",
      SLACK_API_URL: slack.apiUrl,
      DATABASE_URL: `file:${tempDbFile()}`,
      PORT: "0",
      DUCHA_WORKERS: "2",
    });
    expect(await run.exited).toBe(2);
    expect(run.stderr).toContain("SLACK_BOT_TOKEN");
  }, 90_000);
});

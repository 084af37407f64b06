import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { aSlashCommand } from "./fake-slack/payloads.js";
import { CHANNELS, PEOPLE, startTestBot, type TestBot } from "./support/harness.js";
import { dispatchMeeting, officeReady } from "./support/office.js";
import { Outsider } from "./support/outside.js";

let t: TestBot;

beforeEach(async () => {
  t = await startTestBot();
});
afterEach(async () => {
  await t.stop();
});

function addDepartmentBody(userId: string): string {
  return new URLSearchParams(
    aSlashCommand({
      user: { id: userId, name: "someone" },
      channel: CHANNELS.general,
      text: `单位 添加 市财政局 <#${CHANNELS.finance.id}|caizheng>`,
      responseUrl: `${t.slack.baseUrl}/response/nowhere`,
      triggerId: "1.2",
    }),
  ).toString();
}

const FORM = { "Content-Type": "application/x-www-form-urlencoded" };

describe("requests that are not from Slack", () => {
  it("answers 401 to a bad signature and touches nothing", async () => {
    const body = addDepartmentBody(PEOPLE.admin.id);
    const headers = { ...FORM, ...t.slack.sign(body), "X-Slack-Signature": `v0=${"0".repeat(64)}` };
    const result = await t.slack.sendRaw(body, headers);
    expect(result.status).toBe(401);
    await t.settle();
    expect(await t.store.read((r) => r.departments.listActive())).toEqual([]);
  });

  it("answers 401 to a missing signature", async () => {
    const body = addDepartmentBody(PEOPLE.admin.id);
    const result = await t.slack.sendRaw(body, FORM);
    expect(result.status).toBe(401);
    await t.settle();
    expect(await t.store.read((r) => r.departments.listActive())).toEqual([]);
  });

  it("answers 401 to a correctly signed request older than five minutes", async () => {
    const body = addDepartmentBody(PEOPLE.admin.id);
    const stale = Math.floor(Date.now() / 1000) - 6 * 60;
    const result = await t.slack.sendRaw(body, { ...FORM, ...t.slack.sign(body, stale) });
    expect(result.status).toBe(401);
    await t.settle();
    expect(await t.store.read((r) => r.departments.listActive())).toEqual([]);
  });

  it("accepts the same request signed now", async () => {
    const body = addDepartmentBody(PEOPLE.admin.id);
    const result = await t.slack.sendRaw(body, { ...FORM, ...t.slack.sign(body) });
    expect(result.status).toBe(200);
    await t.settle();
    expect(await t.store.read((r) => r.departments.listActive())).toHaveLength(1);
  });
});

describe("GET /healthz", () => {
  it("is 200 with the database up", async () => {
    await t.settle();
    const response = await fetch(`http://127.0.0.1:${t.port}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      status: "ok",
      db: "ok",
      outbox: { owed: 0, oldest: null },
      lastTick: null,
      // Nothing at work behind the acknowledgements, the limit past which new ones are refused.
      backlog: { requests: 0, limit: 100, inboxLagSeconds: 0 },
    });
  });

  it("reports what is still owed to Slack, since when, and the scheduler's last tick", async () => {
    await officeReady(t);
    // The bot is not in 市财政局's channel: its two cards are held, owed, until it is invited.
    t.slack.removeBot(CHANNELS.finance.id);
    await dispatchMeeting(t);
    await t.bot.scheduler.tick(t.clock.now());
    // What can be delivered is; what stays owed (the held cards) no longer moves under the check.
    await t.settle();
    const body = (await (await fetch(`http://127.0.0.1:${t.port}/healthz`)).json()) as {
      outbox: { owed: number; oldest: string };
      lastTick: string;
    };
    const owed = await t.store.read((r) => r.outbox.list({ state: "pending" }));
    expect(body.outbox.owed).toBeGreaterThanOrEqual(2);
    expect(body.outbox.owed).toBe(
      owed.length + (await t.store.read((r) => r.outbox.list({ state: "sending" }))).length,
    );
    expect(new Date(body.outbox.oldest).getTime()).toBeLessThanOrEqual(Date.now());
    expect(body.lastTick).toBe(t.clock.now().toISOString());
  });

  it("is 503 while the database cannot be read", async () => {
    // Someone breaks the database under the running bot (a restore gone wrong): the health
    // check's query fails. (A lock cannot stand in here: in WAL mode readers are never blocked.)
    const other = new Outsider(t.dbFile);
    await other.exec('ALTER TABLE "_prisma_migrations" RENAME TO "_moved_away"');
    try {
      const response = await fetch(`http://127.0.0.1:${t.port}/healthz`);
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({
        status: "error",
        db: "unavailable",
        lastTick: null,
        backlog: { requests: 0, limit: 100, inboxLagSeconds: 0 },
      });
    } finally {
      await other.exec('ALTER TABLE "_moved_away" RENAME TO "_prisma_migrations"');
      other.close();
    }
    // And it recovers when the database is back: at once, or (when work running meanwhile met
    // the broken file and marked a problem) once the store has looked again, within seconds.
    let again = await fetch(`http://127.0.0.1:${t.port}/healthz`);
    for (let i = 0; i < 50 && again.status !== 200; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      again = await fetch(`http://127.0.0.1:${t.port}/healthz`);
    }
    expect(again.status).toBe(200);
  });
});

describe("Slack failing while the bot replies", () => {
  it("logs a reply that cannot be delivered and does not crash", async () => {
    // The command carries a response_url Slack no longer honours (expired, as after an outage).
    const before = t.logs.length;
    const body = addDepartmentBody(PEOPLE.admin.id);
    const result = await t.slack.sendRaw(body, { ...FORM, ...t.slack.sign(body) });
    expect(result.status).toBe(200);
    await t.settle();
    const newLogs = t.logs.slice(before);
    expect(newLogs.some((l) => l.msg === "listener failed" && JSON.stringify(l).includes("404"))).toBe(true);
    expect(newLogs.some((l) => l.msg === "could not tell the user about an error")).toBe(true);
    // The work itself was done, and the bot keeps serving.
    expect(await t.store.read((r) => r.departments.listActive())).toHaveLength(1);
    await t.slack.command(PEOPLE.admin.id, CHANNELS.general.id, "单位 列表");
    await t.settle();
    expect(t.slack.lastEphemeral(PEOPLE.admin.id)?.text).toContain("单位列表");
  });

  it("logs the failure with its cause and keeps serving", async () => {
    t.slack.failNext({ method: "conversations.info", status: 200, error: "fatal_error" });
    await t.slack.command(
      PEOPLE.admin.id,
      CHANNELS.general.id,
      `单位 添加 市财政局 <#${CHANNELS.finance.id}|caizheng>`,
    );
    await t.settle();
    const warning = t.logs.find((l) => l.msg === "could not check a channel");
    expect(JSON.stringify(warning)).toContain("fatal_error");
    await t.slack.command(PEOPLE.admin.id, CHANNELS.general.id, "单位 列表");
    await t.settle();
    expect(t.slack.lastEphemeral(PEOPLE.admin.id)?.text).toContain("单位列表");
  });
});

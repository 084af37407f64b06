import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeSlack } from "../fake-slack/fake-slack.js";
import { populate } from "../fake-slack/workspace.js";
import { PEOPLE, startTestBot, textOf } from "../support/harness.js";
import { cardOf, dispatchMeeting, officeReady } from "../support/office.js";
import { adminQuery, type OwnPostgres, pgCount, startOwnCluster, withDatabase } from "../support/postgres.js";
import { portOf, type Run, runMain, waitFor } from "../support/process.js";

/**
 * The real process on PostgreSQL, with the server taken away under it. A server of the test's
 * own (never TEST_POSTGRES_URL's, which other tests share): it is stopped and started again.
 */
let server: OwnPostgres;
const runs: Run[] = [];
beforeAll(async () => {
  server = await startOwnCluster();
});
afterAll(async () => {
  for (const run of runs.splice(0)) run.child.kill("SIGKILL");
  await server?.stop();
});

const count = pgCount;

describe("PostgreSQL stopped under the running bot", () => {
  it("tells the person to try again within 3 s, writes nothing half, and works again once it is back, without a restart", async () => {
    await adminQuery(server.adminUrl, `CREATE DATABASE "office"`);
    const url = withDatabase(server.adminUrl, "office");
    const fake = new FakeSlack();
    await fake.start();
    populate(fake);
    try {
      const t = await startTestBot({ slack: fake, ownSlack: false, databaseUrl: url });
      await officeReady(t);
      await dispatchMeeting(t);
      await t.stop({ keepSlack: true });
      const card = cardOf({ slack: fake } as never, 1);
      const urges = () => count(url, `SELECT count(*) AS n FROM "Event" WHERE "type" = 'task.urged'`);
      expect(await urges()).toBe(0);

      const secret = crypto.randomBytes(16).toString("hex");
      const run = runMain({
        SLACK_BOT_TOKEN: fake.botToken,
        SLACK_SIGNING_SECRET: secret,
        SLACK_API_URL: fake.apiUrl,
        DATABASE_URL: url,
        PORT: "0",
        LOG_LEVEL: "info",
        DUCHA_ADMINS: PEOPLE.admin.id,
      });
      runs.push(run);
      const port = await portOf(run);
      fake.connectHttp(`http://127.0.0.1:${port}/slack/events`, secret);
      const health = async () => {
        const response = await fetch(`http://127.0.0.1:${port}/healthz`);
        return { status: response.status, body: (await response.json()) as Record<string, unknown> };
      };
      expect((await health()).status).toBe(200);

      server.pause();
      const toldBefore = fake.ephemerals.length;
      await fake.clickInMessage(PEOPLE.leader.id, card.channel, card.ts, "task_urge");
      await fake.command(PEOPLE.supervisor.id, card.channel, "列表");
      await fake.idle();
      // Both answered in time, each with "the database is away, nothing saved, try again".
      expect(fake.lateAcks).toEqual([]);
      await waitFor(() => fake.ephemerals.length - toldBefore >= 2, 10_000).catch(() => undefined);
      const told = fake.ephemerals.slice(toldBefore).map((e) => textOf(e));
      expect(told).toHaveLength(2);
      for (const text of told) expect(text).toMatch(/数据库暂时无法访问，本次操作没有保存，请稍后再试/);
      const down = await health();
      expect(down.status).toBe(503);
      expect(down.body).toMatchObject({ db: "unavailable" });

      server.resume();
      // The bot finds the database again by itself.
      await waitFor(async () => (await health()).status === 200, 30_000);
      expect(await urges()).toBe(0);
      await fake.clickInMessage(PEOPLE.leader.id, card.channel, card.ts, "task_urge");
      await fake.idle();
      await waitFor(async () => (await urges()) === 1, 10_000);
      expect(fake.lateAcks).toEqual([]);
      expect(run.child.exitCode).toBeNull();
    } finally {
      await fake.stop();
    }
  });
});

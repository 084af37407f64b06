import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/store/database.js";
import { createStore } from "../../src/store/store.js";
import { FakeSlack } from "../fake-slack/fake-slack.js";
import { populate } from "../fake-slack/workspace.js";
import { CHANNELS, PEOPLE, startTestBot, type TestBot } from "../support/harness.js";
import { cardOf, dispatchMeeting, officeReady, taskBySeq } from "../support/office.js";
import { mountSmallDisk, type SmallDisk } from "./small-disk.js";

/** Fails the test instead of hanging it: after a full disk nothing may wait forever. */
function within<T>(ms: number, work: Promise<T>): Promise<T> {
  return Promise.race([
    work,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`still waiting after ${ms} ms`)), ms)),
  ]);
}

let disk: SmallDisk | string;
beforeAll(() => {
  disk = mountSmallDisk();
});
afterAll(() => {
  if (typeof disk !== "string") disk.unmount();
});
const skip = () => typeof disk === "string";
const theDisk = () => {
  if (typeof disk === "string") throw new Error(disk);
  return disk;
};

describe("a full disk", () => {
  let file = "";
  let t: TestBot | undefined;
  afterEach(async () => {
    theDisk().free();
    await t?.stop();
    t = undefined;
  });

  it.skipIf(skip())(
    "fails each write at once, keeps reads, and writes again once space is freed",
    async () => {
      file = path.join(theDisk().dir, "store.db");
      const store = createStore(await openDatabase(`file:${file}`));
      const department = (name: string) => ({
        name,
        channelId: `C${name}`,
        aliases: [],
        members: [],
        by: "U1",
      });
      try {
        await store.transaction((tx) => tx.departments.create(department("市财政局")));
        theDisk().fill(file);
        for (let i = 0; i < 3; i++) {
          await expect(
            within(
              10_000,
              store.transaction(async (tx) => {
                for (let k = 0; k < 40; k++)
                  await tx.departments.create(department(`单位${i}-${k}${"名".repeat(100)}`));
              }),
            ),
          ).rejects.toThrow(/full/i);
        }
        expect(store.problem()).toMatchObject({ kind: "full" });
        expect(
          await within(
            5_000,
            store.read((r) => r.departments.listActive()),
          ),
        ).toHaveLength(1);
        expect(await store.recheck()).toMatchObject({ kind: "full" });
        theDisk().free();
        // The write that SQLite left half-done was rolled back and its lock released: the next one goes.
        expect(await within(5_000, store.recheck())).toBeNull();
        await within(
          5_000,
          store.transaction((tx) => tx.departments.create(department("市住建局"))),
        );
        const names = (await store.read((r) => r.departments.listActive())).map((d) => d.name).sort();
        expect(names).toEqual(["市住建局", "市财政局"]);
      } finally {
        await store.close();
      }
    },
  );

  it.skipIf(skip())(
    "tells the person to try later within 3 s, says so on /healthz, loses no reply, and recovers alone",
    async () => {
      const slack = new FakeSlack({ eventRetryDelaysMs: [0, 1_500, 4_000] });
      await slack.start();
      populate(slack);
      t = await startTestBot({ slack, ownSlack: true, dbFile: path.join(theDisk().dir, "bot.db") });
      const bot = t;
      await officeReady(bot);
      await dispatchMeeting(bot);
      const card = cardOf(bot, 1);
      theDisk().fill(bot.dbFile);

      // A reply while the disk is full: not stored, so not acknowledged; Slack sends it again.
      const replied = bot.slack.say(PEOPLE.finance1.id, card.channel, "进度70%，主体工程已完工", {
        threadTs: card.ts,
      });
      // A command that writes: refused with words, in time.
      await bot.slack.command(
        PEOPLE.admin.id,
        CHANNELS.general.id,
        `单位 添加 市水务局 <#${CHANNELS.general.id}|general>`,
      );
      await expect
        .poll(() => bot.slack.lastEphemeral(PEOPLE.admin.id)?.text ?? "", { timeout: 3_000, interval: 20 })
        .toContain("磁盘已满");
      expect(bot.slack.lastEphemeral(PEOPLE.admin.id)?.text).toContain("请稍后再试");
      expect(bot.slack.lateAcks).toEqual([]);
      const health = await fetch(`http://127.0.0.1:${bot.port}/healthz`);
      expect(health.status).toBe(503);
      expect(await health.json()).toEqual({
        status: "error",
        db: "full",
        reason: expect.stringMatching(/FULL/),
        lastTick: null,
        backlog: { requests: 0, limit: 100, inboxLagSeconds: expect.any(Number) },
      });
      expect(bot.logs.some((l) => l.level >= 50 && JSON.stringify(l).includes("SQLITE_FULL"))).toBe(true);

      theDisk().free();
      await replied;
      await bot.settle();
      expect(bot.slack.eventsGivenUp).toEqual([]);
      await expect
        .poll(async () => (await fetch(`http://127.0.0.1:${bot.port}/healthz`)).status, { timeout: 5_000 })
        .toBe(200);
      const task = await taskBySeq(bot, 1);
      const reports = await bot.store.read((r) => r.reports.listForTask(task.id));
      expect(reports.map((r) => r.progress)).toEqual([70]);
      // And the office goes on: the command works now.
      await bot.slack.command(PEOPLE.admin.id, CHANNELS.general.id, "单位 列表");
      await bot.settle();
      expect(bot.slack.lastEphemeral(PEOPLE.admin.id)?.text).toContain("单位列表");
    },
  );
});

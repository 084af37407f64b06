import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PEOPLE, startTestBot, type TestBot, textOf } from "../support/harness.js";
import { dispatchMeeting, ducha, officeReady } from "../support/office.js";
import { mountSmallDisk, type SmallDisk } from "./small-disk.js";

/**
 * 立卷归档 on a full disk: the archive stops with a clear message to the admin, leaves nothing under
 * the final name, and goes on once there is room again.
 */

let t: TestBot;
let disk: SmallDisk | string;
beforeAll(async () => {
  disk = mountSmallDisk(4096);
  if (typeof disk === "string") return;
  process.env.ARCHIVE_DIR = path.join(disk.dir, "archive");
  t = await startTestBot();
  await officeReady(t);
  await dispatchMeeting(t);
});
afterAll(async () => {
  delete process.env.ARCHIVE_DIR;
  if (typeof disk === "string") return;
  await t.stop();
  disk.unmount();
});

describe("立卷归档 on a full disk", () => {
  it("stops and says the disk is full, leaves no half ZIP, and goes on once there is room", async (ctx) => {
    if (typeof disk === "string") return ctx.skip();
    const small = disk;
    small.fill(path.join(small.dir, "filler.db"));
    expect(await ducha(t, PEOPLE.admin, "归档 2026")).toContain("已开始归档");
    await t.settle();
    const told = () => t.slack.directMessages(PEOPLE.admin.id).map((m) => textOf(m));
    expect(told().some((m) => m.includes("归档未完成：服务器磁盘已满"))).toBe(true);
    const archive = path.join(small.dir, "archive");
    expect(fs.existsSync(path.join(archive, "督查档案-2026.zip"))).toBe(false);

    small.free();
    expect(await ducha(t, PEOPLE.admin, "归档 2026")).toContain("已开始归档");
    await t.settle();
    expect(told().some((m) => m.includes("归档完成：督查档案-2026.zip"))).toBe(true);
    expect(fs.readdirSync(archive)).toEqual(["督查档案-2026.zip"]);
  });
});

import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { owe } from "../src/domain/outbox.js";
import { startOfDay } from "../src/domain/time.js";
import { blocksTextLength, MESSAGE_BLOCKS_TEXT_MAX } from "./fake-slack/block-kit.js";
import type { FakeMessage } from "./fake-slack/fake-slack.js";
import { CHANNELS, PEOPLE, startTestBot, type TestBot, textOf } from "./support/harness.js";
import { dispatchMeeting, officeReady } from "./support/office.js";

/**
 * A busy department, as an office has them: every message the bot builds for it must fit one
 * Slack message (50 blocks, ~12,000 characters of block text, which the fake Slack enforces),
 * or say how many more there are and where; none is refused, none is dropped.
 */

const at = (date: string, time = "09:00") => {
  const [h, m] = time.split(":").map(Number);
  return new Date(startOfDay(date, "Asia/Shanghai").getTime() + ((h ?? 0) * 60 + (m ?? 0)) * 60_000);
};

/** A ~40-character task title, each different. */
const title = (n: number) => `全面完成第${n}批城镇老旧小区综合整治改造项目的资金拨付和竣工验收工作`;

/** Dispatches `count` tasks for 市财政局, all due 12月2日 (overdue from Thursday 12-03). */
async function dispatchBusyDepartment(t: TestBot, count: number): Promise<void> {
  for (let start = 0; start < count; start += 60) {
    const items = Array.from(
      { length: Math.min(60, count - start) },
      (_, i) => `${start + i + 1}. 财政局负责，12月2日前${title(start + i + 1)}。`,
    );
    await dispatchMeeting(t, `市政府专题会议研究决定：\n${items.join("\n")}`);
  }
}

async function tickAt(t: TestBot, date: string) {
  t.clock.set(at(date));
  await t.bot.scheduler.tick(t.clock.now());
  await t.settle();
}

/** Task numbers named in a message, and the "另有N项" it says it left out. */
function counted(message: FakeMessage | undefined): { listed: number; more: number } {
  const text = textOf(message ? { text: "", blocks: message.blocks ?? [] } : undefined);
  const listed = new Set(text.match(/督〔2026〕\d+号/g) ?? []).size;
  const more = Number(text.match(/另有(\d+)项/)?.[1] ?? 0);
  return { listed, more };
}

const refusedForLength = (t: TestBot) =>
  t.slack.calls.filter((c) => c.error === "msg_blocks_too_long" || c.error === "invalid_blocks");

describe.each([90, 300])("a department with %i overdue tasks", (count) => {
  let t: TestBot;
  beforeAll(async () => {
    t = await startTestBot();
    await officeReady(t);
    await dispatchBusyDepartment(t, count);
  }, 240_000);
  afterAll(async () => {
    await t.stop();
  });

  it("gets its daily digest, the worst first, within Slack's limits, saying how many more and where", async () => {
    await tickAt(t, "2026-12-03");
    expect(refusedForLength(t)).toEqual([]);
    const digests = t.slack.messages(CHANNELS.finance.id).filter((m) => m.text.includes("督查提醒"));
    expect(digests).toHaveLength(1);
    const digest = digests[0];
    expect(blocksTextLength(digest?.blocks)).toBeLessThanOrEqual(MESSAGE_BLOCKS_TEXT_MAX);
    expect(digest?.blocks?.length).toBeLessThanOrEqual(50);
    const { listed, more } = counted(digest);
    expect(listed).toBeGreaterThan(10);
    expect(listed + more).toBe(count);
    expect(textOf(digest)).toContain("/ducha 列表 单位 市财政局");
  });

  it("lists the department's tasks a page at a time within the limits", async () => {
    await t.slack.command(PEOPLE.supervisor.id, CHANNELS.general.id, "列表 单位 市财政局");
    await t.settle();
    const list = t.slack.lastEphemeral(PEOPLE.supervisor.id);
    expect(refusedForLength(t)).toEqual([]);
    expect(blocksTextLength(list?.blocks)).toBeLessThanOrEqual(MESSAGE_BLOCKS_TEXT_MAX);
    expect(textOf(list)).toContain(`${count} 项`);
  });

  it("escalates every stalled task in one list to the supervision channel and one to the leader, within the limits", async () => {
    // No report for seven working days: reminded, urged, then escalated (提级督办).
    for (const day of ["2026-12-10", "2026-12-11", "2026-12-14"]) await tickAt(t, day);
    expect(refusedForLength(t)).toEqual([]);
    const supervision = t.slack.messages(CHANNELS.supervision.id).filter((m) => m.text.includes("提级督办"));
    expect(supervision).toHaveLength(1);
    const toOffice = counted(supervision[0]);
    expect(toOffice.listed + toOffice.more).toBe(count);
    const leader = t.slack.directMessages(PEOPLE.leader.id).filter((m) => m.text.includes("督办报告"));
    expect(leader).toHaveLength(1);
    const toLeader = counted(leader[0]);
    expect(toLeader.listed + toLeader.more).toBe(count);
    // Every digest of the runs went out too.
    const digests = t.slack.messages(CHANNELS.finance.id).filter((m) => m.text.includes("督查提醒"));
    expect(digests.length).toBeGreaterThanOrEqual(4);
    for (const digest of digests) {
      const { listed, more } = counted(digest);
      expect(listed + more).toBe(count);
    }
  });

  it("posted every card and rollup without a refusal", async () => {
    expect(t.slack.calls.filter((c) => c.method.startsWith("chat.") && c.error)).toEqual([]);
  });
});

describe("long messages", () => {
  let t: TestBot;
  beforeAll(async () => {
    t = await startTestBot();
    await officeReady(t);
  });
  afterAll(async () => {
    await t.stop();
  });

  it("a decision of 60 tasks with 190-character titles: its rollup says how many more and where", async () => {
    const items = Array.from({ length: 60 }, (_, i) => `${i + 1}. 财政局负责，12月20日前${title(i + 1)}。`);
    await dispatchMeeting(t, `市政府第20次常务会议研究决定：\n${items.join("\n")}`);
    // Titles as long as a person may type them (the splitter proposes 40 characters).
    const db = new Database(t.dbFile);
    db.prepare(`UPDATE "Task" SET "title" = ? || "title"`).run("关于".repeat(75));
    db.close();
    const decisionId = (await t.store.read((r) => r.tasks.byNumber(2026, 1)))?.decision.id ?? 0;
    await t.store.transaction((tx) => tx.outbox.enqueue(owe.rollupUpdate(decisionId)));
    await t.settle();
    expect(refusedForLength(t)).toEqual([]);
    const rollups = [...t.slack.channels.values()].flatMap((c) =>
      c.messages.filter((m) => m.botId && m.text.includes("决策已交办")),
    );
    expect(rollups).toHaveLength(1);
    expect(textOf(rollups[0])).toContain("关于关于");
    const { listed, more } = counted(rollups[0]);
    expect(more).toBeGreaterThan(0);
    expect(listed + more).toBe(60);
    expect(textOf(rollups[0])).toContain("/ducha 列表 全部");
  });

  it("a message too long for one is posted as numbered messages, in order, each once even after a failure", async () => {
    const sections = Array.from({ length: 12 }, (_, i) => ({
      type: "section",
      text: { type: "mrkdwn", text: `第${i + 1}段：${"情况说明".repeat(700)}` },
    }));
    // The second part fails once after the first is posted: the retry does not post the first again.
    t.slack.failNext({
      method: "chat.postMessage",
      status: 200,
      error: "internal_error",
      when: (args) =>
        (args.metadata as { event_payload?: { key?: string } })?.event_payload?.key === "text:long#2",
    });
    await t.store.transaction((tx) =>
      tx.outbox.enqueue({
        key: "text:long",
        lane: CHANNELS.leadership.id,
        message: { kind: "text", channel: CHANNELS.leadership.id, text: "长消息", blocks: sections },
      }),
    );
    await t.settle();
    const posted = t.slack.messages(CHANNELS.leadership.id).filter((m) => m.text.includes("长消息"));
    expect(posted.length).toBe(4);
    for (const m of posted) expect(blocksTextLength(m.blocks)).toBeLessThanOrEqual(MESSAGE_BLOCKS_TEXT_MAX);
    const all = posted.map((m) => textOf({ text: "", blocks: m.blocks ?? [] })).join("\n");
    expect(all.match(/第\d+段/g)).toEqual(Array.from({ length: 12 }, (_, i) => `第${i + 1}段`));
    expect(textOf(posted[1])).toContain("接上条，第2/4条");
    expect(textOf(posted[0])).toContain("本消息共4条");
  });
});

import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { DEFAULT_OUTBOX_OPTIONS } from "../src/slack/outbox/worker.js";
import { manifestBotScopes } from "./fake-slack/scopes.js";
import { CHANNELS, PEOPLE, startTestBot, type TestBot, textOf } from "./support/harness.js";
import { ManualClock } from "./support/manual-clock.js";
import { cardOf, dispatchMeeting, officeReady, taskBySeq } from "./support/office.js";

let t: TestBot;
afterEach(async () => {
  await t.stop();
});

const reactionsOn = (m: { reactions: Map<string, Set<string>> } | undefined) => [
  ...(m?.reactions.keys() ?? []),
];
const told = (channelId: string, word: string) =>
  t.slack.messages(channelId).filter((m) => m.botId && m.text.includes(word));
const dmsMentioning = (userId: string, word: string) =>
  t.slack.directMessages(userId).filter((m) => m.text.includes(word));

describe("installed from an older manifest that lacks reactions:write", () => {
  it("fails each reaction at once without holding the card, and tells the admins once what to do", async () => {
    t = await startTestBot({ scopes: manifestBotScopes().filter((s) => s !== "reactions:write") });
    await officeReady(t);
    await dispatchMeeting(t);
    const card = cardOf(t, 1);
    const first = await t.slack.say(PEOPLE.finance1.id, card.channel, "进度30%，方案已报审", {
      threadTs: card.ts,
    });
    await t.settle();
    const second = await t.slack.say(PEOPLE.finance1.id, card.channel, "进度50%，已完成招标", {
      threadTs: card.ts,
    });
    await t.settle();

    // Stored and shown on the card, though no reaction could be added.
    expect((await taskBySeq(t, 1)).progress).toBe(50);
    expect(textOf(cardOf(t, 1))).toContain("50%");
    expect(reactionsOn(t.slack.message(card.channel, first.ts))).toEqual([]);
    expect(reactionsOn(t.slack.message(card.channel, second.ts))).toEqual([]);
    // Tried once each: a missing scope is not a hiccup to retry.
    expect(t.slack.callsTo("reactions.add").map((c) => c.error)).toEqual(["missing_scope", "missing_scope"]);
    const dead = await t.store.read((r) => r.outbox.list({ state: "dead" }));
    expect(dead.map((e) => [e.message.kind, e.lastError])).toEqual([
      ["reaction", "missing_scope:reactions:write"],
      ["reaction", "missing_scope:reactions:write"],
    ]);
    // Told once, in words that say what to do, to the supervision channel and to the admin.
    const notices = told(CHANNELS.supervision.id, "reactions:write");
    expect(notices).toHaveLength(1);
    expect(notices[0]?.text).toContain("manifest.yml");
    expect(notices[0]?.text).toContain("重新安装");
    expect(dmsMentioning(PEOPLE.admin.id, "reactions:write")).toHaveLength(1);
  });

  it("reacts again once the app is reinstalled, and tells again if the scope is lost once more", async () => {
    t = await startTestBot({ scopes: manifestBotScopes().filter((s) => s !== "reactions:write") });
    await officeReady(t);
    await dispatchMeeting(t);
    const card = cardOf(t, 1);
    const reply = async (text: string) => {
      const m = await t.slack.say(PEOPLE.finance1.id, card.channel, text, { threadTs: card.ts });
      await t.settle();
      return t.slack.message(card.channel, m.ts);
    };
    await reply("进度10%");
    t.slack.grantScopes(manifestBotScopes());
    expect(reactionsOn(await reply("进度20%"))).toEqual(["white_check_mark"]);
    t.slack.grantScopes(manifestBotScopes().filter((s) => s !== "reactions:write"));
    await reply("进度30%");
    expect(told(CHANNELS.supervision.id, "reactions:write")).toHaveLength(2);
  });
});

describe("a channel that is archived", () => {
  it("fails the card at once (no retries), keeps the other channels going and reports it once", async () => {
    t = await startTestBot();
    await officeReady(t);
    t.slack.archive(CHANNELS.transport.id);
    await dispatchMeeting(t);
    // Its card and the two notices to it as a co-operating department: each tried once.
    const posts = t.slack.callsTo("chat.postMessage").filter((c) => c.args.channel === CHANNELS.transport.id);
    const keys = posts.map((c) => (c.args.metadata as { event_payload: { key: string } }).event_payload.key);
    expect(posts.map((c) => c.error)).toEqual(["is_archived", "is_archived", "is_archived"]);
    expect(new Set(keys).size).toBe(3);
    expect(t.slack.messages(CHANNELS.finance.id).filter((m) => m.botId).length).toBeGreaterThanOrEqual(2);
    const notices = told(CHANNELS.supervision.id, "已归档");
    expect(notices).toHaveLength(1);
    expect(notices[0]?.text).toContain(`<#${CHANNELS.transport.id}>`);
    expect(dmsMentioning(PEOPLE.admin.id, "已归档")).toHaveLength(1);
  });
});

describe("a person's own click", () => {
  it("shows on the card without waiting for the channel's pace or for more changes", async () => {
    const delivery = new ManualClock(new Date("2026-12-01T00:00:00Z"));
    t = await startTestBot({
      deliveryClock: delivery,
      outbox: { paceMs: DEFAULT_OUTBOX_OPTIONS.paceMs, debounceMs: DEFAULT_OUTBOX_OPTIONS.debounceMs },
    });
    await officeReady(t);
    // Let the dispatch through, moving delivery time along as it asks.
    const mover = setInterval(() => delivery.advance(10_000), 5);
    await dispatchMeeting(t);
    clearInterval(mover);
    await t.settle();
    const card = cardOf(t, 1);
    const quiet = async () => {
      await t.slack.idle();
      await t.bot.idle();
    };
    // Delivery time now stands still: a post to the channel would wait for the pace, an
    // update caused by a thread reply waits for more changes.
    // A co-operating department reports: the card is owed an update, the task stays unacknowledged.
    await t.slack.say(PEOPLE.transport1.id, card.channel, "进度40%，资金已到位一半", { threadTs: card.ts });
    await quiet();
    await new Promise((resolve) => setTimeout(resolve, 300));
    await quiet();
    expect(textOf(cardOf(t, 1))).not.toContain("40%");

    await t.slack.clickInMessage(PEOPLE.finance1.id, card.channel, card.ts, "task_ack");
    await quiet();
    // The click's update goes at once, and shows the reply's change too (it is rendered when sent).
    await expect.poll(() => textOf(cardOf(t, 1)), { timeout: 5_000, interval: 20 }).toContain("办理中");
    const after = textOf(cardOf(t, 1));
    expect(after).toContain("办理中");
    expect(after).toContain("40%");
  });
});

describe("a busy database", () => {
  /** Another process holds SQLite's write lock for a while, as a long job or a backup would. */
  function holdWriteLock(file: string, ms: number): Promise<void> {
    const other = new Database(file);
    other.exec("BEGIN IMMEDIATE");
    return new Promise((resolve) =>
      setTimeout(() => {
        other.exec("COMMIT");
        other.close();
        resolve();
      }, ms),
    );
  }

  it("answers a modal within Slack's 3 seconds, then shows that the report was saved", async () => {
    t = await startTestBot();
    await officeReady(t);
    await dispatchMeeting(t);
    const card = cardOf(t, 1);
    await t.slack.clickInMessage(PEOPLE.finance1.id, card.channel, card.ts, "task_report");
    await t.settle();
    const modal = t.slack.openModal(PEOPLE.finance1.id);
    if (!modal) throw new Error("no report modal");
    const released = holdWriteLock(t.dbFile, 4_000);
    const result = await t.slack.submit(PEOPLE.finance1.id, modal.id, {
      a_text: "完成一半，资金已拨付至区财政",
      a_progress: "50",
    });
    expect(t.slack.lateAcks).toEqual([]);
    expect(result.outcome).toBe("updated");
    expect(textOf({ text: "", blocks: t.slack.views.get(modal.id)?.view.blocks as unknown[] })).toContain(
      "正在处理",
    );
    await released;
    await expect
      .poll(() => textOf({ text: "", blocks: t.slack.views.get(modal.id)?.view.blocks as unknown[] }), {
        timeout: 15_000,
        interval: 50,
      })
      .toContain("已提交");
    expect((await taskBySeq(t, 1)).progress).toBe(50);
  });

  it("answers the decision modal in time, then shows the tasks dispatched", async () => {
    t = await startTestBot();
    await officeReady(t);
    await t.slack.command(
      PEOPLE.supervisor.id,
      CHANNELS.general.id,
      "新建 一、财政局牵头，12月20日前完成资金清算。",
    );
    await t.settle();
    const modal = t.slack.openModal(PEOPLE.supervisor.id);
    if (!modal) throw new Error("no decision modal");
    const released = holdWriteLock(t.dbFile, 4_000);
    const result = await t.slack.submit(PEOPLE.supervisor.id, modal.id);
    expect(t.slack.lateAcks).toEqual([]);
    expect(result.outcome).toBe("updated");
    await released;
    await expect
      .poll(() => textOf({ text: "", blocks: t.slack.views.get(modal.id)?.view.blocks as unknown[] }), {
        timeout: 15_000,
        interval: 50,
      })
      .toContain("督〔2026〕1号");
    await t.settle();
    expect(cardOf(t, 1).channel).toBe(CHANNELS.finance.id);
  });
});

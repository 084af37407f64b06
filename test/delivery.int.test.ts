import { WebClient } from "@slack/web-api";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startOfDay } from "../src/domain/time.js";
import { DEFAULT_OUTBOX_OPTIONS } from "../src/slack/outbox/worker.js";
import type { FakeMessage } from "./fake-slack/fake-slack.js";
import { MEETING_DECISION } from "./fake-slack/scenario.js";
import {
  CHANNELS,
  channelRef,
  mention,
  PEOPLE,
  startTestBot,
  type TestBot,
  textOf,
} from "./support/harness.js";
import { ManualClock } from "./support/manual-clock.js";
import { cardOf, dispatchMeeting, officeReady, openNewDecision } from "./support/office.js";

let t: TestBot;

afterEach(async () => {
  await t.stop();
});

/** The outbox key of a message ducha posted (kept in its metadata). */
const keyOf = (m: FakeMessage) => (m.metadata?.event_payload as { key?: string } | undefined)?.key;

function botMessagesEverywhere(): FakeMessage[] {
  return [...t.slack.channels.values()].flatMap((c) => c.messages.filter((m) => m.botId));
}

describe("a Slack outage", () => {
  beforeEach(async () => {
    t = await startTestBot();
    await officeReady(t);
  });

  it("500s then 429s: every owed message is delivered exactly once, and in order", async () => {
    t.slack.failNext({ method: "chat.postMessage", status: 500, times: 4 });
    t.slack.failNext({ method: "chat.postMessage", status: 429, retryAfter: 1, times: 2 });
    await dispatchMeeting(t);
    await expect
      .poll(() => botMessagesEverywhere().filter((m) => keyOf(m)?.startsWith("card:")).length, {
        timeout: 10_000,
      })
      .toBe(5);
    await t.settle();
    const keys = botMessagesEverywhere()
      .map(keyOf)
      .filter((k): k is string => Boolean(k));
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.filter((k) => k.startsWith("card:"))).toHaveLength(5);
    expect(keys.filter((k) => k.startsWith("notice:"))).toHaveLength(3);
    expect(keys.filter((k) => k.startsWith("rollup:"))).toHaveLength(1);
    // In each channel, cards arrive in the order they were owed.
    const financeCards = t.slack.messages(CHANNELS.finance.id).filter((m) => keyOf(m)?.startsWith("card:"));
    expect(financeCards.map((m) => /^督〔2026〕\d+号/.exec(m.text)?.[0])).toEqual([
      "督〔2026〕1号",
      "督〔2026〕4号",
    ]);
    const failures = t.slack.callsTo("chat.postMessage").filter((c) => !c.ok);
    expect(failures.map((c) => c.status)).toEqual([500, 500, 500, 500, 429, 429]);
    expect(await t.store.read((r) => r.outbox.countByState())).not.toHaveProperty("pending");
  });

  it("a post that reached Slack though the answer was lost is not posted again", async () => {
    t.slack.failNext({ method: "chat.postMessage", status: 502, afterProcessing: true });
    await dispatchMeeting(t);
    await t.settle();
    const cards = botMessagesEverywhere().filter((m) => keyOf(m)?.startsWith("card:"));
    expect(cards).toHaveLength(5);
    expect(new Set(cards.map(keyOf)).size).toBe(5);
    // The first card's ts was found again in Slack, so its notices still link to it.
    const [first] = await t.store.read((r) => r.tasks.list({ ids: [1] }, { skip: 0, take: 1 }));
    expect(first?.card).not.toBeNull();
    expect(t.slack.callsTo("conversations.history").length).toBeGreaterThan(0);
  });

  it("a confidential DM whose post succeeded behind a 502 is not sent again", async () => {
    t.slack.failNext({
      method: "chat.postMessage",
      status: 502,
      afterProcessing: true,
      when: (args) => String(args.channel).startsWith("U"),
    });
    const modal = await openNewDecision(t, MEETING_DECISION);
    await t.slack.submit(PEOPLE.supervisor.id, modal.id, { d_conf: "secret" });
    await t.settle();
    expect(t.slack.calls.some((c) => c.error === "http_502_after_ok")).toBe(true);
    const dms = [...t.slack.channels.values()]
      .filter((c) => c.isIm)
      .flatMap((c) => c.messages.filter((m) => m.botId && keyOf(m)?.startsWith("secret")));
    // Each lead department member gets one DM per task: 市财政局's two members × two tasks, and so on.
    expect(dms.length).toBeGreaterThanOrEqual(5);
    expect(dms.map(keyOf).sort()).toEqual([...new Set(dms.map(keyOf))].sort());
    expect(t.slack.directMessages(PEOPLE.finance1.id).filter((m) => m.botId)).toHaveLength(2);
  });

  it("an export shared behind a 502 from files.completeUploadExternal is not shared again", async () => {
    await dispatchMeeting(t);
    t.slack.failNext({ method: "files.completeUploadExternal", status: 502, afterProcessing: true });
    await t.slack.command(PEOPLE.supervisor.id, CHANNELS.general.id, "导出");
    await t.settle();
    expect(t.slack.calls.some((c) => c.error === "http_502_after_ok")).toBe(true);
    const files = t.slack.directMessages(PEOPLE.supervisor.id).flatMap((m) => m.files);
    expect(files).toHaveLength(1);
    expect((await t.store.read((r) => r.outbox.list({ state: "dead" }))).map((e) => e.key)).toEqual([]);
  });

  it("an export whose share Slack finishes a moment later is not shared again after a 502", async () => {
    await dispatchMeeting(t);
    // Slack shares uploaded files asynchronously: the ledger shows in the DM 300 ms after completing.
    t.slack.shareDelayMs = 300;
    t.slack.failNext({ method: "files.completeUploadExternal", status: 502, afterProcessing: true });
    await t.slack.command(PEOPLE.supervisor.id, CHANNELS.general.id, "导出");
    await t.settle();
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(t.slack.calls.some((c) => c.error === "http_502_after_ok")).toBe(true);
    const files = t.slack.directMessages(PEOPLE.supervisor.id).flatMap((m) => m.files);
    expect(files).toHaveLength(1);
  });

  it("a message left half-sent by a process that died is looked for before it is sent again", async () => {
    // The process claimed a message, Slack received it, and the process died before recording that.
    // Owed and claimed in one transaction: the running worker must not claim it in between.
    const claimedAt = new Date(Date.now() - 10 * 60_000);
    await t.store.transaction(async (tx) => {
      await tx.outbox.enqueue({
        key: "text:probe",
        lane: CHANNELS.finance.id,
        message: { kind: "text", channel: CHANNELS.finance.id, text: "试发" },
      });
      const probe = await tx.outbox.byKey("text:probe");
      await tx.outbox.claim([probe?.id ?? 0], claimedAt, new Date(claimedAt.getTime() + 30_000));
    });
    const web = new WebClient(t.slack.botToken, { slackApiUrl: t.slack.apiUrl });
    const sent = await web.chat.postMessage({
      channel: CHANNELS.finance.id,
      text: "试发",
      metadata: { event_type: "ducha_outbox", event_payload: { key: "text:probe" } },
    });
    await t.stop({ keepSlack: true });
    t = await startTestBot({ slack: t.slack, ownSlack: true, databaseUrl: t.databaseUrl });
    await t.settle();
    expect(t.slack.messages(CHANNELS.finance.id).filter((m) => m.text === "试发")).toHaveLength(1);
    expect(await t.store.read((r) => r.outbox.byKey("text:probe"))).toMatchObject({
      state: "sent",
      resultTs: sent.ts,
    });
  });

  it("a claim left by a process that died is taken over by a running worker once it runs out", async () => {
    // Another replica claimed a card update and died; this process keeps running, no restart.
    // Owed and claimed in one transaction: the running worker must not claim it in between.
    const claimedUntil = Date.now() + 4_000;
    await t.store.transaction(async (tx) => {
      await tx.outbox.enqueue({
        key: "text:orphan",
        lane: CHANNELS.finance.id,
        message: { kind: "text", channel: CHANNELS.finance.id, text: "孤儿消息" },
      });
      const orphan = await tx.outbox.byKey("text:orphan");
      await tx.outbox.claim([orphan?.id ?? 0], new Date(), new Date(claimedUntil));
    });
    await t.settle();
    // While its claim runs, nobody sends it (checked only if the settling ended before it ran out).
    if (Date.now() < claimedUntil)
      expect(t.slack.messages(CHANNELS.finance.id).filter((m) => m.text === "孤儿消息")).toHaveLength(0);
    await expect
      .poll(() => t.slack.messages(CHANNELS.finance.id).filter((m) => m.text === "孤儿消息").length, {
        timeout: 15_000,
        interval: 50,
      })
      .toBe(1);
    await t.settle();
    expect((await t.store.read((r) => r.outbox.byKey("text:orphan")))?.state).toBe("sent");
  });

  it("a send whose claim still runs is left to its process; one whose claim ran out is taken over", async () => {
    // Owed and claimed in one transaction: the running worker must not claim it in between.
    const owe = (key: string, leaseMinutes: number, channel: string) =>
      t.store.transaction(async (tx) => {
        await tx.outbox.enqueue({
          key,
          lane: channel,
          message: { kind: "ledger.upload", channel, filter: {}, reason: "export" },
        });
        const entry = await tx.outbox.byKey(key);
        // Claimed 40 minutes ago (a ledger takes long), its lease renewed until now + leaseMinutes.
        await tx.outbox.claim(
          [entry?.id ?? 0],
          new Date(Date.now() - 40 * 60_000),
          new Date(Date.now() + leaseMinutes * 60_000),
        );
      });
    await owe("ledger:busy", 10, CHANNELS.supervision.id);
    await owe("ledger:dead", -1, CHANNELS.leadership.id);
    await t.stop({ keepSlack: true });
    t = await startTestBot({ slack: t.slack, ownSlack: true, databaseUrl: t.databaseUrl });
    await t.settle();
    expect((await t.store.read((r) => r.outbox.byKey("ledger:busy")))?.state).toBe("sending");
    expect((await t.store.read((r) => r.outbox.byKey("ledger:dead")))?.state).toBe("sent");
    expect(t.slack.messages(CHANNELS.leadership.id).flatMap((m) => m.files)).toHaveLength(1);
    expect(t.slack.messages(CHANNELS.supervision.id).flatMap((m) => m.files)).toHaveLength(0);
  });

  it("a ledger upload that reached Slack before its process died is not shared again", async () => {
    const period = {
      kind: "month" as const,
      key: "2026-11",
      start: new Date("2026-10-31T16:00:00Z"),
      end: new Date("2026-11-30T16:00:00Z"),
    };
    await t.store.transaction(async (tx) => {
      await tx.outbox.enqueue({
        key: "ledger:shared",
        lane: CHANNELS.leadership.id,
        message: {
          kind: "ledger.upload",
          channel: CHANNELS.leadership.id,
          filter: { period },
          reason: "overflow",
        },
      });
      // Claimed in the same transaction: the running worker must not take it in between.
      const entry = await tx.outbox.byKey("ledger:shared");
      await tx.outbox.claim(
        [entry?.id ?? 0],
        new Date(Date.now() - 40 * 60_000),
        new Date(Date.now() - 60_000),
      );
    });
    // It had been shared, under the name the ledger of that period gets.
    const web = new WebClient(t.slack.botToken, { slackApiUrl: t.slack.apiUrl });
    await web.filesUploadV2({
      channel_id: CHANNELS.leadership.id,
      file: Buffer.from("xlsx"),
      filename: "督查台账_2026-11.xlsx",
    });
    await t.stop({ keepSlack: true });
    t = await startTestBot({ slack: t.slack, ownSlack: true, databaseUrl: t.databaseUrl });
    await t.settle();
    expect((await t.store.read((r) => r.outbox.byKey("ledger:shared")))?.state).toBe("sent");
    expect(t.slack.messages(CHANNELS.leadership.id).flatMap((m) => m.files.map((f) => f.name))).toEqual([
      "督查台账_2026-11.xlsx",
    ]);
  });
});

describe("a revoked token", () => {
  it("pauses delivery and loses nothing: once the token works, what was owed goes out once, in order, and the admins are told", async () => {
    t = await startTestBot({ outbox: { authPauseMs: 50, maxAuthPauseMs: 200 } });
    await officeReady(t);
    await t.settle();
    const callsBefore = t.slack.calls.length;
    t.slack.revokeToken();
    const texts = ["第一条", "第二条", "第三条"];
    await t.store.transaction((tx) =>
      tx.outbox.enqueueAll(
        texts.map((text, i) => ({
          key: `text:outage-${i}`,
          lane: CHANNELS.finance.id,
          message: { kind: "text" as const, channel: CHANNELS.finance.id, text },
        })),
      ),
    );
    // Long enough for several pauses: nothing is given up meanwhile.
    const until = Date.now() + 1_500;
    while (Date.now() < until) {
      await t.settle();
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const owed = await t.store.read((r) => r.outbox.list({ lane: CHANNELS.finance.id }));
    expect(owed.filter((e) => e.key.startsWith("text:outage")).map((e) => [e.state, e.status])).toEqual([
      ["pending", "paused"],
      ["pending", null],
      ["pending", null],
    ]);
    expect(t.logs.filter((l) => l.msg.startsWith("outbox: Slack refuses the bot token"))).toHaveLength(1);
    expect(t.slack.calls.slice(callsBefore).filter((c) => c.ok)).toEqual([]);

    t.slack.restoreToken();
    await expect
      .poll(() => t.slack.messages(CHANNELS.finance.id).filter((m) => texts.includes(m.text)).length, {
        timeout: 5_000,
        interval: 50,
      })
      .toBe(3);
    await t.settle();
    expect(
      t.slack
        .messages(CHANNELS.finance.id)
        .filter((m) => texts.includes(m.text))
        .map((m) => m.text),
    ).toEqual(texts);
    const told = [t.slack.messages(CHANNELS.supervision.id), t.slack.directMessages(PEOPLE.admin.id)].map(
      (messages) => messages.filter((m) => m.text.includes("token_revoked")),
    );
    expect(told.map((m) => m.length)).toEqual([1, 1]);
    expect(told[0]?.[0]?.text).toContain("已按原顺序补发");
  });
});

describe("a token outage with much owed", () => {
  const CODES = ["invalid_auth", "account_inactive", "token_revoked", "token_expired", "not_authed"] as const;

  it.each(CODES)(
    "%s for 90 s with 20 messages owed: the first goes within 30 s of its end, all once, in each lane's order",
    async (code) => {
      // Delivery's own time, moved a second at a time: the pauses are the production ones.
      const delivery = new ManualClock(new Date("2026-12-01T01:00:00Z"));
      t = await startTestBot({
        deliveryClock: delivery,
        outbox: {
          authPauseMs: DEFAULT_OUTBOX_OPTIONS.authPauseMs,
          maxAuthPauseMs: DEFAULT_OUTBOX_OPTIONS.maxAuthPauseMs,
        },
      });
      await officeReady(t);
      await t.settle();
      const lanes = [CHANNELS.finance.id, CHANNELS.housing.id, CHANNELS.transport.id];
      const owed = Array.from({ length: 20 }, (_, i) => ({
        text: `积压消息${i + 1}`,
        lane: lanes[i % lanes.length] as string,
      }));
      t.slack.revokeToken(code);
      await t.store.transaction((tx) =>
        tx.outbox.enqueueAll(
          owed.map((m, i) => ({
            key: `text:owed-${i}`,
            lane: m.lane,
            message: { kind: "text" as const, channel: m.lane, text: m.text },
          })),
        ),
      );
      const start = delivery.now().getTime();
      const posted = () =>
        lanes.flatMap((lane) => t.slack.messages(lane).filter((m) => m.text.startsWith("积压消息")));
      let firstAt: number | undefined;
      for (let second = 0; second <= 200 && posted().length < owed.length; second++) {
        delivery.set(new Date(start + second * 1_000));
        if (second === 90) t.slack.restoreToken();
        await t.bot.settleOutbox();
        if (firstAt === undefined && posted().length > 0) firstAt = second;
      }
      expect(firstAt).toBeDefined();
      expect((firstAt ?? Infinity) - 90).toBeLessThanOrEqual(30);
      // While refused: one probe per pause, not one try per message owed.
      const refusedTries = t.slack.calls.filter((c) => c.error === code).length;
      expect(refusedTries).toBeLessThanOrEqual(8);
      // Every message once, each lane in the order it was owed.
      for (const lane of lanes) {
        expect(
          t.slack
            .messages(lane)
            .filter((m) => m.text.startsWith("积压消息"))
            .map((m) => m.text),
        ).toEqual(owed.filter((m) => m.lane === lane).map((m) => m.text));
      }
      // Told once when it stopped (the log: Slack cannot carry it) and once when it resumed.
      expect(t.logs.filter((l) => l.msg.startsWith("outbox: Slack refuses the bot token"))).toHaveLength(1);
      expect(t.slack.directMessages(PEOPLE.admin.id).filter((m) => m.text.includes(code))).toHaveLength(1);
      expect(t.slack.messages(CHANNELS.supervision.id).filter((m) => m.text.includes(code))).toHaveLength(1);
    },
  );

  it("resumes at once when the bot starts again with a token Slack takes", async () => {
    t = await startTestBot({ outbox: { authPauseMs: 60_000, maxAuthPauseMs: 60_000 } });
    await officeReady(t);
    await t.settle();
    t.slack.revokeToken("invalid_auth");
    await t.store.transaction((tx) =>
      tx.outbox.enqueue({
        key: "text:paused",
        lane: CHANNELS.finance.id,
        message: { kind: "text", channel: CHANNELS.finance.id, text: "暂停中的消息" },
      }),
    );
    await t.settle();
    expect((await t.store.read((r) => r.outbox.byKey("text:paused")))?.status).toBe("paused");
    await t.stop({ keepSlack: true });
    t.slack.restoreToken();
    // The admin fixed the token and restarted: no waiting out the minute's pause.
    t = await startTestBot({ slack: t.slack, ownSlack: true, databaseUrl: t.databaseUrl });
    await t.settle();
    expect(t.slack.messages(CHANNELS.finance.id).filter((m) => m.text === "暂停中的消息")).toHaveLength(1);
  });
});

describe("/ducha 设置 投递", () => {
  it("lists what was given up, and an admin sends it again once the cause is mended", async () => {
    t = await startTestBot();
    await officeReady(t);
    await t.settle();
    t.slack.failNext({ method: "chat.postMessage", status: 200, error: "invalid_blocks" });
    await t.store.transaction((tx) =>
      tx.outbox.enqueue({
        key: "text:refused",
        lane: CHANNELS.finance.id,
        message: { kind: "text", channel: CHANNELS.finance.id, text: "被拒收的消息" },
      }),
    );
    await t.settle();
    const dead = await t.store.read((r) => r.outbox.byKey("text:refused"));
    expect(dead?.state).toBe("dead");

    await t.slack.command(PEOPLE.finance1.id, CHANNELS.general.id, "设置 投递");
    await t.settle();
    expect(t.slack.lastEphemeral(PEOPLE.finance1.id)?.text).toContain("管理员");

    await t.slack.command(PEOPLE.admin.id, CHANNELS.general.id, "设置 投递");
    await t.settle();
    const listed = t.slack.lastEphemeral(PEOPLE.admin.id)?.text ?? "";
    expect(listed).toContain(`#${dead?.id} 消息 → <#${CHANNELS.finance.id}> · \`invalid_blocks\``);

    await t.slack.command(PEOPLE.admin.id, CHANNELS.general.id, "设置 投递 重发 abc");
    await t.settle();
    expect(t.slack.lastEphemeral(PEOPLE.admin.id)?.text).toContain("设置 投递 重发 编号");

    await t.slack.command(PEOPLE.admin.id, CHANNELS.general.id, `设置 投递 重发 ${dead?.id}`);
    await t.settle();
    expect(t.slack.lastEphemeral(PEOPLE.admin.id)?.text).toContain("已重新投递 1 条消息");
    await expect
      .poll(() => t.slack.messages(CHANNELS.finance.id).filter((m) => m.text === "被拒收的消息").length, {
        timeout: 5_000,
        interval: 50,
      })
      .toBe(1);
    await t.slack.command(PEOPLE.admin.id, CHANNELS.general.id, "设置 投递");
    await t.settle();
    expect(t.slack.lastEphemeral(PEOPLE.admin.id)?.text).toContain("没有投递失败的消息");
  });
});

describe("the cost of a daily run", () => {
  it("grows with the departments and the newly flagged tasks, not with all the tasks", async () => {
    t = await startTestBot();
    const departments = Array.from({ length: 10 }, (_, i) => ({
      channel: { id: `C0DEPT${String(i).padStart(3, "0")}`, name: `dept${i}` },
      name: `第${i + 1}局`,
    }));
    for (const d of departments) {
      t.slack.addChannel({ ...d.channel, members: Object.values(PEOPLE).map((p) => p.id) });
      await t.slack.command(
        PEOPLE.admin.id,
        CHANNELS.general.id,
        `单位 添加 ${d.name} ${channelRef(d.channel)} ${mention(PEOPLE.finance1)}`,
      );
    }
    await t.slack.command(
      PEOPLE.admin.id,
      CHANNELS.general.id,
      `角色 添加 ${mention(PEOPLE.supervisor)} 督查员`,
    );
    await t.settle();
    const items = (offset: number) =>
      Array.from(
        { length: 25 },
        (_, i) =>
          `${i + 1}. ${departments[(offset + i) % 10]?.name}负责，12月31日前完成第${offset + i + 1}项工作。`,
      ).join("\n");
    for (let n = 0; n < 8; n++) await dispatchMeeting(t, `会议议定：\n${items(n * 25)}`);
    expect(await t.store.read((r) => r.tasks.count({}))).toBe(200);
    const at = (date: string) => new Date(startOfDay(date, "Asia/Shanghai").getTime() + 9 * 3_600_000);

    // Wednesday: no department acknowledged, so every card turns yellow (newly flagged) and each department gets a digest.
    let before = t.slack.calls.length;
    t.clock.set(at("2026-12-02"));
    await t.bot.scheduler.tick(t.clock.now());
    await t.settle();
    const first = t.slack.calls.slice(before);
    const newlyFlagged = first.filter((c) => c.method === "chat.update").length;
    expect(first.filter((c) => c.method === "chat.postMessage")).toHaveLength(10);
    expect(first.length).toBeLessThanOrEqual(
      10 + newlyFlagged + 10 /* rollup updates: one per decision at most */,
    );

    // Thursday: nothing changed; only the ten digests.
    before = t.slack.calls.length;
    t.clock.set(at("2026-12-03"));
    await t.bot.scheduler.tick(t.clock.now());
    await t.settle();
    const second = t.slack.calls.slice(before);
    expect(second.map((c) => c.method)).toEqual(Array(10).fill("chat.postMessage"));
    expect(textOf(t.slack.messages(departments[0]?.channel.id ?? "").at(-1))).toContain(
      "*尚未签收*（20 项）",
    );
    // 200 tasks dispatched through the real modal: a minute on PostgreSQL's round trips.
  }, 120_000);
});

describe("pacing and channels the bot cannot post in", () => {
  it("posts at most one message per channel per pace interval", async () => {
    t = await startTestBot({ outbox: { paceMs: 150 } });
    await officeReady(t);
    await dispatchMeeting(t);
    const times = t.slack
      .callsTo("chat.postMessage")
      .filter((c) => c.ok && c.args.channel === CHANNELS.housing.id)
      .map((c) => c.at);
    expect(times.length).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < times.length; i++)
      expect((times[i] ?? 0) - (times[i - 1] ?? 0)).toBeGreaterThanOrEqual(150);
  });

  it("adds reactions by the method's budget for the workspace, not the channel's pace, and drops those owed too long", async () => {
    // Delivery's clock starts at the moment the messages are stamped with (their age is told by it).
    const delivery = new ManualClock(new Date());
    t = await startTestBot({
      deliveryClock: delivery,
      // A channel's posts one a second; reactions 60 a minute in bursts of 3.
      outbox: { paceMs: 1_000, reactionsPerMinute: 60, reactionBurst: 3, reactionStaleMs: 600_000 },
    });
    await officeReady(t);
    await dispatchMeeting(t);
    // Cards out: delivery's clock moved on until nothing is owed.
    for (let i = 0; i < 30; i++) {
      delivery.set(new Date(delivery.now().getTime() + 1_000));
      await t.settle();
    }
    const reactionsBefore = t.slack.callsTo("reactions.add").filter((c) => c.ok).length;
    const card = cardOf(t, 1);
    // Six replies in one channel (财政's), at one moment of delivery's clock.
    for (let i = 1; i <= 6; i++)
      await t.slack.say(PEOPLE.finance1.id, card.channel, `进度${i}0%，资金拨付第${i}批完成`, {
        threadTs: card.ts,
      });
    await t.settle();
    const added = () => t.slack.callsTo("reactions.add").filter((c) => c.ok).length - reactionsBefore;
    // The burst at once: three in a channel within one second, past its pace of one.
    expect(added()).toBe(3);
    delivery.set(new Date(delivery.now().getTime() + 1_000));
    await t.settle();
    expect(added()).toBe(4);
    // Ten minutes on, the two still owed are dropped, not sent; nothing is left owed.
    delivery.set(new Date(delivery.now().getTime() + 601_000));
    await t.settle();
    expect(added()).toBe(4);
    expect(t.logs.filter((l) => l.msg === "outbox: a reaction owed too long was dropped")).toHaveLength(2);
    const owed = await t.store.read((r) => r.outbox.list({ state: "pending" }));
    expect(owed.filter((m) => m.message.kind === "reaction")).toEqual([]);
  });

  it("drops a digest for a channel the bot was removed from, and tells the supervision channel once", async () => {
    t = await startTestBot();
    await officeReady(t);
    await dispatchMeeting(t);
    t.slack.removeBot(CHANNELS.transport.id);
    for (const day of ["2026-12-02", "2026-12-03"]) {
      t.clock.set(new Date(startOfDay(day, "Asia/Shanghai").getTime() + 9 * 3_600_000));
      await t.bot.scheduler.tick(t.clock.now());
      await t.settle();
    }
    const told = t.slack
      .messages(CHANNELS.supervision.id)
      .filter((m) => m.text.includes(`<#${CHANNELS.transport.id}>`));
    expect(told.map((m) => m.text)).toEqual([expect.stringContaining("无法送达（not_in_channel），已放弃")]);
    const dead = await t.store.read((r) => r.outbox.list({ state: "dead", lane: CHANNELS.transport.id }));
    expect(dead.map((e) => e.message.kind)).toEqual(["digest", "digest"]);
  });
});

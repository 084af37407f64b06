import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOfDay } from "../src/domain/time.js";
import { MEETING_DECISION } from "./fake-slack/scenario.js";
import { CHANNELS, PEOPLE, startTestBot, type TestBot } from "./support/harness.js";
import { cardOf, officeReady, openNewDecision } from "./support/office.js";

/**
 * A confidential decision through a whole scenario — dispatched, acknowledged, reported on with a
 * difficulty, urged, listed, summarised, exported, run through the daily and weekly jobs — and
 * then every outgoing Web API call and every word said to someone not entitled, searched for what
 * is confidential: the titles, the requirements, the reports. And the log, for the bot token and
 * the signing secret.
 */

let t: TestBot;
/** What no channel and no one outside the task's departments and the office may read. */
const SECRETS = [
  "老旧小区改造",
  "城中村改造",
  "公交站台",
  "供暖补贴",
  "施工围挡",
  "资金拨付到位一半",
  "拆迁户不配合",
];

const at = (date: string, time: string) => {
  const [h, m] = time.split(":").map(Number);
  return new Date(startOfDay(date, "Asia/Shanghai").getTime() + ((h ?? 0) * 60 + (m ?? 0)) * 60_000);
};

beforeAll(async () => {
  t = await startTestBot({ logLevel: "debug" });
  await officeReady(t);
  const modal = await openNewDecision(t, MEETING_DECISION);
  await t.slack.submit(PEOPLE.supervisor.id, modal.id, { d_conf: "secret" });
  await t.settle();
  const card = cardOf(t, 1);
  await t.slack.clickInMessage(PEOPLE.finance1.id, card.channel, card.ts, "task_ack");
  await t.slack.say(PEOPLE.finance1.id, card.channel, "进度50%，资金拨付到位一半", { threadTs: card.ts });
  const housing = cardOf(t, 2);
  await t.slack.say(PEOPLE.housing1.id, housing.channel, "遇到困难：拆迁户不配合，需要协调", {
    threadTs: housing.ts,
  });
  await t.slack.clickInMessage(PEOPLE.leader.id, card.channel, card.ts, "task_urge");
  await t.settle();
  for (const [who, text] of [
    [PEOPLE.outsider, "列表 全部"],
    [PEOPLE.outsider, "查看 1"],
    [PEOPLE.transport1, "查看 2"],
    [PEOPLE.leader, "汇总 本周"],
    [PEOPLE.supervisor, "列表 全部"],
    [PEOPLE.supervisor, "导出"],
  ] as const) {
    await t.slack.command(who.id, CHANNELS.general.id, text);
    await t.settle();
  }
  await t.slack.openHome(PEOPLE.outsider.id);
  for (const [date, time] of [
    ["2026-12-02", "09:00"],
    ["2026-12-04", "17:00"],
    ["2026-12-21", "09:00"],
  ] as const) {
    t.clock.set(at(date, time));
    await t.bot.scheduler.tick(t.clock.now());
    await t.settle();
  }
});
afterAll(async () => {
  await t.stop();
});

/** People entitled to a confidential task: its departments' members and the office. */
const ENTITLED = new Set<string>([
  PEOPLE.finance1.id,
  PEOPLE.finance2.id,
  PEOPLE.housing1.id,
  PEOPLE.transport1.id,
  PEOPLE.supervisor.id,
  PEOPLE.leader.id,
  PEOPLE.admin.id,
]);

describe("a confidential decision, through a whole scenario", () => {
  it("never shows a title, requirement or report in a channel, or to anyone not entitled", () => {
    const leaks: string[] = [];
    for (const call of t.slack.calls) {
      const channel = String(call.args.channel ?? call.args.channel_id ?? call.args.user_id ?? "");
      // A DM to an entitled person may carry the details; everything else may not.
      const toEntitledPerson =
        ENTITLED.has(channel) ||
        [...t.slack.channels.values()].some(
          (c) => c.id === channel && c.isIm && [...c.members].some((m) => ENTITLED.has(m)),
        ) ||
        (call.method.startsWith("views.") && ENTITLED.has(String(call.args.user_id ?? "")));
      if (toEntitledPerson && call.method !== "chat.postEphemeral") continue;
      if (call.method === "chat.postEphemeral" && ENTITLED.has(String(call.args.user ?? ""))) continue;
      if (call.method === "views.open" || call.method === "views.update" || call.method === "views.push")
        continue;
      const sent = JSON.stringify(call.args);
      for (const secret of SECRETS)
        if (sent.includes(secret)) leaks.push(`${call.method} → ${channel}: ${secret}`);
    }
    for (const e of t.slack.ephemerals.filter((e) => !ENTITLED.has(e.user))) {
      const sent = JSON.stringify(e);
      for (const secret of SECRETS) if (sent.includes(secret)) leaks.push(`ephemeral → ${e.user}: ${secret}`);
    }
    expect(leaks).toEqual([]);
    // The scenario did reach the places a leak would show: channels, the outsider, the jobs.
    expect(t.slack.calls.filter((c) => c.method === "chat.postMessage").length).toBeGreaterThan(10);
    expect(t.slack.ephemeralsFor(PEOPLE.outsider.id).length).toBeGreaterThanOrEqual(2);
    expect(t.slack.calls.some((c) => c.method === "views.publish")).toBe(true);
  });

  it("never writes the bot token or the signing secret to the log", () => {
    const log = JSON.stringify(t.logs);
    expect(t.logs.filter((l) => l.level <= 20).length).toBeGreaterThan(20);
    expect(log).not.toContain(t.slack.botToken);
    expect(log).not.toContain(t.signingSecret);
  });
});

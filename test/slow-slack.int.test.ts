import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MEETING_DECISION } from "./fake-slack/scenario.js";
import { CHANNELS, PEOPLE, startTestBot, type TestBot, textOf } from "./support/harness.js";
import { cardOf, dispatchMeeting, officeReady } from "./support/office.js";

/**
 * Slack through a slow proxy, as government networks have them: every Web API call takes
 * 800 ms to reach Slack, and a trigger_id lasts three seconds from the click. A modal must be
 * opened first and filled after, or it never opens (expired_trigger_id).
 */

let t: TestBot;
beforeEach(async () => {
  t = await startTestBot();
  await officeReady(t);
});
afterEach(async () => {
  await t.stop();
});

const SLOW_CALL_MS = 800;
const modalText = (person: string) =>
  textOf({ text: "", blocks: t.slack.openModal(person)?.view.blocks as unknown[] });
const expired = () => t.slack.calls.filter((c) => c.error === "expired_trigger_id");

describe("the message shortcut 转为督办事项 through a slow proxy", () => {
  it("opens its modal first, then fills it with the tasks, even when the message's link takes seconds", async () => {
    const message = await t.slack.say(PEOPLE.leader.id, CHANNELS.general.id, MEETING_DECISION);
    await t.settle();
    t.slack.callLatencyMs = SLOW_CALL_MS;
    t.slack.answerLatencyMs["chat.getPermalink"] = 2_500;
    await t.slack.messageShortcut(
      PEOPLE.supervisor.id,
      CHANNELS.general.id,
      message.ts,
      "ducha_decision_from_message",
    );
    await t.settle();
    expect(expired()).toEqual([]);
    // The first call after the click opens the modal; the link and the cutting follow.
    const calls = t.slack.calls.map((c) => c.method);
    expect(calls.indexOf("views.open")).toBeLessThan(calls.indexOf("chat.getPermalink"));
    await expect
      .poll(() => modalText(PEOPLE.supervisor.id), { timeout: 15_000, interval: 100 })
      .toContain("督办事项（5 项）");
    expect(modalText(PEOPLE.supervisor.id)).toContain(t.slack.permalink(CHANNELS.general.id, message.ts));
  });

  it("opens the reading modal first for a message with a Word file", async () => {
    const docx = fs.readFileSync(path.join(import.meta.dirname, "fixtures/documents/decision.docx"));
    const message = await t.slack.say(PEOPLE.leader.id, CHANNELS.general.id, "请按纪要抓好落实", {
      files: [{ name: "会议纪要.docx", bytes: docx }],
    });
    await t.settle();
    t.slack.callLatencyMs = SLOW_CALL_MS;
    t.slack.answerLatencyMs["chat.getPermalink"] = 2_500;
    await t.slack.messageShortcut(
      PEOPLE.supervisor.id,
      CHANNELS.general.id,
      message.ts,
      "ducha_decision_from_message",
    );
    await t.settle();
    expect(expired()).toEqual([]);
    await expect
      .poll(() => modalText(PEOPLE.supervisor.id), { timeout: 20_000, interval: 100 })
      .toContain("督办事项");
  });

  it("still refuses a person who may not create decisions, without opening anything", async () => {
    const message = await t.slack.say(PEOPLE.leader.id, CHANNELS.general.id, MEETING_DECISION);
    await t.settle();
    t.slack.callLatencyMs = SLOW_CALL_MS;
    await t.slack.messageShortcut(
      PEOPLE.finance1.id,
      CHANNELS.general.id,
      message.ts,
      "ducha_decision_from_message",
    );
    await t.settle();
    expect(t.slack.openModal(PEOPLE.finance1.id)).toBeUndefined();
    expect(t.slack.calls.filter((c) => c.method === "views.open")).toEqual([]);
  });
});

describe("card buttons that open modals through a slow proxy", () => {
  it.each([
    ["task_report", PEOPLE.finance1.id, "反馈"],
    ["task_claim", PEOPLE.finance1.id, "办结"],
    ["task_extend", PEOPLE.finance1.id, "延期"],
    ["task_cancel", PEOPLE.supervisor.id, "撤销"],
  ])("%s opens its modal within the trigger's three seconds", async (actionId, person, word) => {
    await dispatchMeeting(t);
    // 申请办结 is offered once the task is being worked on.
    await t.slack.clickInMessage(PEOPLE.finance1.id, cardOf(t, 1).channel, cardOf(t, 1).ts, "task_ack");
    await t.settle();
    const card = cardOf(t, 1);
    t.slack.callLatencyMs = SLOW_CALL_MS;
    await t.slack.clickInMessage(person, card.channel, card.ts, actionId);
    await t.settle();
    expect(expired()).toEqual([]);
    expect(t.slack.openModal(person)).toBeDefined();
    expect(modalText(person) + JSON.stringify(t.slack.openModal(person)?.view.title)).toContain(word);
  });
});

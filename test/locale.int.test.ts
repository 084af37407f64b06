import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CHANNELS, PEOPLE, startTestBot, type TestBot, textOf } from "./support/harness.js";
import { cardOf, dispatchMeeting, officeReady, threadNotices } from "./support/office.js";

/**
 * Languages per person: what ducha says to one person follows their Slack language (users.info,
 * looked up once); what goes to a channel stays in the office's language (DUCHA_LOCALE).
 */

let t: TestBot;
beforeEach(async () => {
  t = await startTestBot();
  await officeReady(t);
  await dispatchMeeting(t);
  const speakEnglish = (id: string) => {
    const user = t.slack.users.get(id);
    if (user) user.locale = "en-US";
  };
  speakEnglish(PEOPLE.outsider.id);
  speakEnglish(PEOPLE.leader.id);
});
afterEach(async () => {
  await t.stop();
});

async function ask(person: { id: string }, text: string): Promise<string> {
  await t.slack.command(person.id, CHANNELS.general.id, text);
  await t.settle();
  return textOf(t.slack.lastEphemeral(person.id));
}

describe("the language of each person", () => {
  it("answers a person whose Slack is in English in English, and the others in Chinese", async () => {
    expect(await ask(PEOPLE.outsider, "help")).toContain("supervision assistant");
    expect(await ask(PEOPLE.finance1, "help")).toContain("督查");
    expect(await ask(PEOPLE.finance1, "help")).not.toContain("supervision assistant");
    // Refusals too, and dates the English way.
    expect(await ask(PEOPLE.outsider, "导出")).toMatch(/^Only /);
    const list = await ask(PEOPLE.leader, "列表 全部");
    expect(list).toMatch(/Dec \d+/);
    expect(list).not.toMatch(/12月\d+日/);
    expect(await ask(PEOPLE.supervisor, "列表 全部")).toMatch(/12月\d+日/);
  });

  it("keeps what goes to a channel in the office's language, whoever caused it", async () => {
    const card = cardOf(t, 1);
    await t.slack.clickInMessage(PEOPLE.leader.id, card.channel, card.ts, "task_urge");
    await t.settle();
    expect(threadNotices(t, cardOf(t, 1)).at(-1)).toContain("催办");
    expect(textOf(cardOf(t, 1))).toContain("牵头单位");
  });

  it("shows App Home in the person's language, and asks Slack once per person", async () => {
    await t.slack.openHome(PEOPLE.outsider.id);
    await t.settle();
    const home = t.slack.calls
      .filter((c) => c.method === "views.publish" && c.args.user_id === PEOPLE.outsider.id)
      .at(-1);
    expect(JSON.stringify(home?.args.view)).not.toMatch(/[\u4e00-\u9fff]{4}/);
    await ask(PEOPLE.outsider, "help");
    await ask(PEOPLE.outsider, "列表");
    const lookups = t.slack.calls.filter(
      (c) => c.method === "users.info" && c.args.user === PEOPLE.outsider.id,
    );
    expect(
      lookups.filter((c) => c.args.include_locale === true || c.args.include_locale === "true"),
    ).toHaveLength(1);
  });
});

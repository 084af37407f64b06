import { expect } from "vitest";
import type { FakeMessage, FakeView } from "../fake-slack/fake-slack.js";
import { duchaAs, MEETING_DECISION, setUpOffice } from "../fake-slack/scenario.js";
import { CHANNELS, PEOPLE } from "../fake-slack/workspace.js";
import { type TestBot, textOf } from "./harness.js";

/** The office set up (three bureaus, a supervisor, a leader, channels), as every lifecycle test starts. */
export async function officeReady(t: TestBot): Promise<void> {
  await setUpOffice(duchaAs(t.slack, t.settle));
}

export async function openNewDecision(
  t: TestBot,
  text: string,
  person: { id: string } = PEOPLE.supervisor,
): Promise<FakeView> {
  await t.slack.command(person.id, CHANNELS.general.id, `新建 ${text}`);
  await t.settle();
  const modal = t.slack.openModal(person.id);
  if (!modal)
    throw new Error(`no modal opened; got ${JSON.stringify(t.slack.lastEphemeral(person.id)?.text)}`);
  return modal;
}

/** Dispatches the five-item meeting decision; tasks 1 and 4 are 市财政局's, 2 and 5 住建局's, 3 交通局's. */
export async function dispatchMeeting(t: TestBot, text = MEETING_DECISION): Promise<void> {
  const modal = await openNewDecision(t, text);
  const result = await t.slack.submit(PEOPLE.supervisor.id, modal.id, {
    d_ref: "市政府常务会议纪要〔2026〕15号",
    d_leader: PEOPLE.leader.id,
  });
  expect(result.outcome).toBe("updated");
  await t.settle();
}

/** The card of task 督〔2026〕seq号, as it stands in its channel now. */
export function cardOf(t: TestBot, seq: number): FakeMessage {
  for (const channel of t.slack.channels.values()) {
    const card = channel.messages.find(
      (m) =>
        m.botId &&
        m.blocks?.some(
          (b) => b.type === "header" && textOf({ text: "", blocks: [b] }).includes(`督〔2026〕${seq}号`),
        ),
    );
    if (card) return card;
  }
  throw new Error(`no card for task ${seq}`);
}

/** The action_ids of a card's buttons, in order. */
export function buttonsOf(card: FakeMessage): string[] {
  return (card.blocks ?? [])
    .filter((b) => b.type === "actions")
    .flatMap((b) => (b.elements as { action_id: string }[]).map((e) => e.action_id));
}

/** The bot's replies in a card's thread. */
export function threadNotices(t: TestBot, card: FakeMessage): string[] {
  return t.slack
    .replies(card.channel, card.ts)
    .filter((m) => m.botId)
    .map((m) => m.text);
}

export async function taskBySeq(t: TestBot, seq: number) {
  const task = await t.store.read((r) => r.tasks.byNumber(2026, seq));
  if (!task) throw new Error(`no task ${seq}`);
  return task;
}

/** A person presses a button on task `seq`'s card; returns what they alone were told, if anything. */
export async function pressOn(
  t: TestBot,
  person: { id: string },
  seq: number,
  actionId: string,
): Promise<string | undefined> {
  const before = t.slack.ephemeralsFor(person.id).length;
  const card = cardOf(t, seq);
  await t.slack.clickInMessage(person.id, card.channel, card.ts, actionId);
  await t.settle();
  const told = t.slack.ephemeralsFor(person.id).slice(before);
  return told.length ? textOf(told.at(-1)) : undefined;
}

/** Fills and submits the modal the person has open. */
export async function fillModal(
  t: TestBot,
  person: { id: string },
  inputs: Record<string, string | string[] | null>,
) {
  const modal = t.slack.openModal(person.id);
  if (!modal) throw new Error("no modal open");
  const result = await t.slack.submit(person.id, modal.id, inputs);
  await t.settle();
  return result;
}

/** A member replies in task `seq`'s card thread: a progress report. */
export async function replyOn(t: TestBot, person: { id: string }, seq: number, text: string): Promise<void> {
  const card = cardOf(t, seq);
  await t.slack.say(person.id, card.channel, text, { threadTs: card.ts });
  await t.settle();
}

/** What `/ducha …` told the person. */
export async function ducha(
  t: TestBot,
  person: { id: string },
  text: string,
  channelId = "C0GENERAL",
): Promise<string> {
  const before = t.slack.ephemeralsFor(person.id).length;
  await t.slack.command(person.id, channelId, text);
  await t.settle();
  const told = t.slack.ephemeralsFor(person.id).slice(before);
  return told.map((e) => textOf(e)).join("\n");
}

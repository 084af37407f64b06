import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHANNELS, PEOPLE, startTestBot, type TestBot, textOf } from "./support/harness.js";
import { cardOf, dispatchMeeting, ducha, officeReady } from "./support/office.js";

/** Waits (polling) for what does not need the database. */
async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 300 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(check()).toBe(true);
}

/**
 * The work behind the acknowledgements is bounded (issue 31): past `busyAt` commands and clicks
 * at work, a new one is answered "busy, try again" at once — never acknowledged and then lost —
 * and /healthz says how much is at work. Here the database is held for three seconds while a
 * burst of 60 催办 clicks arrives at a bot that takes 8 at a time.
 */

let t: TestBot;
beforeAll(async () => {
  t = await startTestBot({ busyAt: 8 });
  await officeReady(t);
  await dispatchMeeting(t);
  await t.settle();
});
afterAll(async () => {
  await t.stop();
});

const urged = () =>
  t.store
    .read((tx) => tx.events.forTask(1))
    .then((events) => events.filter((e) => e.type === "task.urged").length);

describe("a burst beyond the backlog", () => {
  it("does each acknowledged click or says at once that it was not done; none is lost", async () => {
    const card = cardOf(t, 1);
    const before = t.slack.ephemeralsFor(PEOPLE.supervisor.id).length;
    const urgedBefore = await urged();
    let health: { backlog?: { requests: number; limit: number } } = {};
    // Another process's long write holds the database: the clicks' work waits behind it.
    const held = t.store.transaction(async () => {
      const clicks = Array.from({ length: 60 }, () =>
        t.slack.clickInMessage(PEOPLE.supervisor.id, card.channel, card.ts, "task_urge"),
      );
      const deliveries = await Promise.all(clicks);
      // Every click acknowledged within Slack's three seconds, the refused ones included.
      expect(deliveries.every((d) => d.status === 200 && !d.timedOut)).toBe(true);
      // Each goes to work once the replay check has had its moment (src/slack/receivers/inbox-first.ts).
      for (let i = 0; i < 50 && (health.backlog?.requests ?? 0) < 8; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        health = (await (await fetch(`http://127.0.0.1:${t.port}/healthz`)).json()) as typeof health;
      }
    }, 10_000);
    await held;
    await t.settle();
    expect(health.backlog).toMatchObject({ requests: 8, limit: 8 });
    const told = t.slack
      .ephemeralsFor(PEOPLE.supervisor.id)
      .slice(before)
      .map((e) => textOf(e));
    const busy = told.filter((text) => text.includes("正忙"));
    // The eight taken are done; the 52 others were told so, and nothing else was said.
    expect((await urged()) - urgedBefore).toBe(8);
    expect(busy).toHaveLength(52);
    expect(told.filter((text) => !text.includes("正忙"))).toEqual([]);
  });

  it("answers a command 'busy' at once while full, and takes it again once the work is done", async () => {
    const held = t.store.transaction(async () => {
      const card = cardOf(t, 2);
      await Promise.all(
        Array.from({ length: 8 }, () =>
          t.slack.clickInMessage(PEOPLE.supervisor.id, card.channel, card.ts, "task_urge"),
        ),
      );
      const before = t.slack.ephemeralsFor(PEOPLE.supervisor.id).length;
      const refused = await t.slack.command(PEOPLE.supervisor.id, CHANNELS.general.id, "帮助");
      expect(refused.status).toBe(200);
      await until(() => t.slack.ephemeralsFor(PEOPLE.supervisor.id).length > before);
      expect(textOf(t.slack.ephemeralsFor(PEOPLE.supervisor.id).at(-1))).toContain("正忙");
    }, 10_000);
    await held;
    await t.settle();
    expect(await ducha(t, PEOPLE.supervisor, "帮助")).not.toContain("正忙");
    const health = (await (await fetch(`http://127.0.0.1:${t.port}/healthz`)).json()) as {
      backlog: { requests: number; inboxLagSeconds: number };
    };
    expect(health.backlog.requests).toBe(0);
    expect(health.backlog.inboxLagSeconds).toBe(0);
  });
});

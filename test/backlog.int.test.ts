import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { durableClickOf } from "../src/slack/durable-clicks.js";
import { submissionKey } from "../src/slack/durable-views.js";
import { slackSignatureHeaders } from "./fake-slack/signing.js";
import { CHANNELS, PEOPLE, startTestBot, type TestBot, textOf } from "./support/harness.js";
import { cardOf, dispatchMeeting, ducha, officeReady, taskBySeq } from "./support/office.js";

/** Waits (polling) for what does not need the database. */
async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 300 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(check()).toBe(true);
}

/**
 * The work behind the acknowledgements is bounded (issue 31), and nothing acknowledged is lost.
 * A click that changes something at once (催办 here) is stored before Slack is answered; past
 * `busyAt` requests at work it waits in the inbox and is done by the inbox worker, never refused
 * after it was pressed. A command past `busyAt` is answered "busy, try again" at once and not
 * done; /healthz says how much is at work.
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

/** A request Slack sent, sent again as it was (a replay), signed anew. */
const sendAgain = (raw: string) =>
  fetch(`http://127.0.0.1:${t.port}/slack/events`, {
    method: "POST",
    headers: {
      "Content-Type": "application/x-www-form-urlencoded",
      ...slackSignatureHeaders(t.signingSecret, raw),
    },
    body: raw,
  });

const urged = (taskId = 1) =>
  t.store
    .read((tx) => tx.events.forTask(taskId))
    .then((events) => events.filter((e) => e.type === "task.urged").length);

describe("a burst beyond the backlog", () => {
  it("stores every acknowledged click and does it, the ones beyond the backlog later; none is lost or refused", async () => {
    const card = cardOf(t, 1);
    const before = t.slack.ephemeralsFor(PEOPLE.supervisor.id).length;
    const urgedBefore = await urged();
    // Another process's write holds the database for a second while 60 clicks arrive.
    const held = t.store.transaction(() => new Promise((resolve) => setTimeout(resolve, 1_000)), 10_000);
    let peak = 0;
    const watching = (async () => {
      for (let i = 0; i < 100; i++) {
        const health = (await (await fetch(`http://127.0.0.1:${t.port}/healthz`)).json()) as {
          backlog: { requests: number; limit: number };
        };
        expect(health.backlog.limit).toBe(8);
        peak = Math.max(peak, health.backlog.requests);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    const deliveries = await Promise.all(
      Array.from({ length: 60 }, () =>
        t.slack.clickInMessage(PEOPLE.supervisor.id, card.channel, card.ts, "task_urge"),
      ),
    );
    await held;
    // Every click acknowledged within Slack's three seconds, once stored.
    expect(deliveries.every((d) => d.status === 200 && !d.timedOut)).toBe(true);
    const stored = await t.store.read((tx) => tx.inbox.backlog());
    await watching;
    await t.settle();
    // All 60 done: at most eight at work at once, the rest by the inbox worker after them.
    expect((await urged()) - urgedBefore).toBe(60);
    expect(peak).toBeGreaterThan(0);
    expect(peak).toBeLessThanOrEqual(8);
    expect(stored.failed).toBe(0);
    expect(await t.store.read((tx) => tx.inbox.backlog())).toMatchObject({ waiting: 0, failed: 0 });
    // No one was told of a refusal or an error.
    const told = t.slack
      .ephemeralsFor(PEOPLE.supervisor.id)
      .slice(before)
      .map((e) => textOf(e));
    expect(told).toEqual([]);
  });

  it("answers a command 'busy' at once while full, and takes it again once the work is done", async () => {
    // Eight 办理反馈 buttons at work: their modals open slowly (Slack's answer takes 2 s).
    t.slack.answerLatencyMs["views.open"] = 2_000;
    const card = cardOf(t, 2);
    const opening = Array.from({ length: 8 }, () =>
      t.slack.clickInMessage(PEOPLE.housing1.id, card.channel, card.ts, "task_report"),
    );
    await until(() => t.slack.calls.filter((c) => c.method === "views.open").length >= 8);
    const before = t.slack.ephemeralsFor(PEOPLE.supervisor.id).length;
    const refused = await t.slack.command(PEOPLE.supervisor.id, CHANNELS.general.id, "帮助");
    expect(refused.status).toBe(200);
    await until(() => t.slack.ephemeralsFor(PEOPLE.supervisor.id).length > before);
    expect(textOf(t.slack.ephemeralsFor(PEOPLE.supervisor.id).at(-1))).toContain("正忙");
    await Promise.all(opening);
    t.slack.answerLatencyMs["views.open"] = 0;
    await t.settle();
    expect(await ducha(t, PEOPLE.supervisor, "帮助")).not.toContain("正忙");
    const health = (await (await fetch(`http://127.0.0.1:${t.port}/healthz`)).json()) as {
      backlog: { requests: number; inboxLagSeconds: number };
    };
    expect(health.backlog.requests).toBe(0);
    expect(health.backlog.inboxLagSeconds).toBe(0);
  });
});

describe("a click acknowledged by a process that died before doing it", () => {
  it("is done by the inbox worker once the dead process's claim lapses, and once only", async () => {
    const card = cardOf(t, 4);
    const urgedBefore = await urged(4);
    // The process that took the click: it stored it and answered Slack, then died.
    const dead = http.createServer((req, res) => {
      req.resume();
      req.on("end", () => res.writeHead(200).end());
    });
    await new Promise<void>((resolve) => dead.listen(0, "127.0.0.1", resolve));
    const { port } = dead.address() as AddressInfo;
    t.slack.connectHttp(`http://127.0.0.1:${port}/slack/events`, t.signingSecret);
    const delivery = await t.slack.clickInMessage(PEOPLE.supervisor.id, card.channel, card.ts, "task_urge");
    expect(delivery.status).toBe(200);
    const raw = t.slack.sentRequests.at(-1)?.body ?? "";
    const click = durableClickOf(raw);
    if (!click) throw new Error("催办 is stored before it is answered");
    const lapsed = new Date(Date.now() - 1_000);
    await t.store.transaction((tx) => tx.inbox.acceptClaimed(click.key, click.body, lapsed, lapsed));
    await new Promise<void>((resolve) => dead.close(() => resolve()));
    t.slack.connectHttp(`http://127.0.0.1:${t.port}/slack/events`, t.signingSecret);
    expect(await urged(4)).toBe(urgedBefore);
    // This process's inbox worker (it looks every 200 ms here) finds the claim lapsed and does the click.
    for (let i = 0; i < 100 && (await urged(4)) === urgedBefore; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await t.settle();
    expect((await urged(4)) - urgedBefore).toBe(1);
    expect(await t.store.read((tx) => tx.inbox.backlog())).toMatchObject({ waiting: 0, failed: 0 });
    // The same request sent again (a replay) is answered and changes nothing.
    expect((await sendAgain(raw)).status).toBe(200);
    await t.settle();
    expect((await urged(4)) - urgedBefore).toBe(1);
  });
});

describe("a command acknowledged by a process that died before answering it", () => {
  it("is answered at its response_url by the inbox worker once the claim lapses, once only", async () => {
    const dead = http.createServer((req, res) => {
      req.resume();
      req.on("end", () => res.writeHead(200).end());
    });
    await new Promise<void>((resolve) => dead.listen(0, "127.0.0.1", resolve));
    const { port } = dead.address() as AddressInfo;
    t.slack.connectHttp(`http://127.0.0.1:${port}/slack/events`, t.signingSecret);
    const answersBefore = t.slack.ephemeralsFor(PEOPLE.supervisor.id).length;
    const delivery = await t.slack.command(PEOPLE.supervisor.id, CHANNELS.general.id, "帮助");
    expect(delivery.status).toBe(200);
    const raw = t.slack.sentRequests.at(-1)?.body ?? "";
    const command = durableClickOf(raw);
    if (!command) throw new Error("a command is stored before it is answered");
    expect(command.key).toMatch(/^command:/);
    // The process that took it stored it, answered Slack, and died.
    const lapsed = new Date(Date.now() - 1_000);
    await t.store.transaction((tx) => tx.inbox.acceptClaimed(command.key, command.body, lapsed, lapsed));
    await new Promise<void>((resolve) => dead.close(() => resolve()));
    t.slack.connectHttp(`http://127.0.0.1:${t.port}/slack/events`, t.signingSecret);
    expect(t.slack.ephemeralsFor(PEOPLE.supervisor.id).length).toBe(answersBefore);
    // This process's inbox worker finds the claim lapsed and runs the command: its answer comes.
    await until(() => t.slack.ephemeralsFor(PEOPLE.supervisor.id).length > answersBefore);
    await t.settle();
    expect(t.slack.ephemeralsFor(PEOPLE.supervisor.id).length).toBe(answersBefore + 1);
    expect(textOf(t.slack.ephemeralsFor(PEOPLE.supervisor.id).at(-1))).toContain("/ducha");
    expect(await t.store.read((tx) => tx.inbox.backlog())).toMatchObject({ waiting: 0, failed: 0 });
    // Sent again (a replay), it is answered 200 and not run a second time.
    expect((await sendAgain(raw)).status).toBe(200);
    await t.settle();
    expect(t.slack.ephemeralsFor(PEOPLE.supervisor.id).length).toBe(answersBefore + 1);
  });
});

describe("a modal submission answered 正在处理", () => {
  /** Presses 申请延期 on task `seq`'s card; the modal it opens. */
  async function extensionModal(person: { id: string }, seq: number) {
    const card = cardOf(t, seq);
    await t.slack.clickInMessage(person.id, card.channel, card.ts, "task_extend");
    await t.settle();
    const modal = t.slack.openModal(person.id);
    if (!modal) throw new Error("申请延期 opens a modal");
    return modal;
  }
  const modalText = (person: { id: string }) =>
    textOf({ text: "", blocks: t.slack.openModal(person.id)?.view.blocks as unknown[] });
  const pending = async (seq: number) => (await taskBySeq(t, seq)).pendingExtension;

  it("by a process that died before its work wrote is done by the inbox worker, and its modal shows the outcome", async () => {
    const modal = await extensionModal(PEOPLE.transport1, 3);
    // The process that took the submission stored it, answered "正在处理", and died.
    const dead = http.createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        const working = {
          type: "modal",
          title: { type: "plain_text", text: "督查助手" },
          blocks: [{ type: "section", text: { type: "mrkdwn", text: "正在处理，请稍候" } }],
        };
        res.writeHead(200, { "Content-Type": "application/json" });
        res.end(JSON.stringify({ response_action: "update", view: working }));
      });
    });
    await new Promise<void>((resolve) => dead.listen(0, "127.0.0.1", resolve));
    const { port } = dead.address() as AddressInfo;
    t.slack.connectHttp(`http://127.0.0.1:${port}/slack/events`, t.signingSecret);
    const submitted = await t.slack.submit(PEOPLE.transport1.id, modal.id, {
      a_date: "2026-12-31",
      a_reason: "排查点位增加",
    });
    expect(submitted.outcome).toBe("updated");
    const raw = t.slack.sentRequests.at(-1)?.body ?? "";
    const payload = JSON.parse(new URLSearchParams(raw).get("payload") ?? "{}") as Record<string, unknown>;
    const key = submissionKey(payload);
    if (!key) throw new Error("a view submission has a key");
    const lapsed = new Date(Date.now() - 1_000);
    await t.store.transaction((tx) => tx.inbox.acceptClaimed(key, JSON.stringify(payload), lapsed, lapsed));
    await new Promise<void>((resolve) => dead.close(() => resolve()));
    t.slack.connectHttp(`http://127.0.0.1:${t.port}/slack/events`, t.signingSecret);
    expect(modalText(PEOPLE.transport1)).toContain("正在处理");
    // This process's inbox worker finds the claim lapsed and runs the submission.
    for (let i = 0; i < 100 && (await pending(3)) === null; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await t.settle();
    expect(await pending(3)).toMatchObject({ reason: "排查点位增加" });
    expect(modalText(PEOPLE.transport1)).not.toContain("正在处理");
    expect(await t.store.read((tx) => tx.inbox.backlog())).toMatchObject({ waiting: 0, failed: 0 });
  });

  it("is stored as it is answered, and marked done by its work's write", async () => {
    const modal = await extensionModal(PEOPLE.finance1, 1);
    // Another process's write holds the database past the two seconds a submission's work has.
    const held = t.store.transaction(() => new Promise((resolve) => setTimeout(resolve, 2_300)), 10_000);
    const submitted = await t.slack.submit(PEOPLE.finance1.id, modal.id, {
      a_date: "2026-12-31",
      a_reason: "资金拨付需要会签",
    });
    expect(submitted.outcome).toBe("updated");
    await held;
    await t.settle();
    expect(await pending(1)).toMatchObject({ reason: "资金拨付需要会签" });
    expect(modalText(PEOPLE.finance1)).not.toContain("正在处理");
    // It was stored (the same key is taken), and is done: nothing waits to be run again.
    const raw = t.slack.sentRequests.filter((r) => r.body.includes("view_submission")).at(-1)?.body ?? "";
    const key = submissionKey(JSON.parse(new URLSearchParams(raw).get("payload") ?? "{}"));
    if (!key) throw new Error("a view submission has a key");
    const later = new Date(Date.now() + 60_000);
    expect(await t.store.transaction((tx) => tx.inbox.acceptClaimed(key, "{}", later, later))).toBeNull();
    expect(await t.store.read((tx) => tx.inbox.backlog())).toMatchObject({ waiting: 0, failed: 0 });
  });
});

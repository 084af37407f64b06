import Database from "better-sqlite3";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PEOPLE, startTestBot, type TestBot, textOf } from "./support/harness.js";
import {
  buttonsOf,
  cardOf,
  dispatchMeeting,
  officeReady,
  openNewDecision,
  taskBySeq,
} from "./support/office.js";

/**
 * What a hostile tester types, everywhere a person can type: commands, thread replies, the
 * decision modal, the report modal. No handler may fail on it, every person gets an answer,
 * nothing is half-stored, and nothing of it acts as markup in what ducha sends.
 */

/** Pieces that break naive code: mentions, links, markup, control and invisible characters, scripts. */
const HOSTILE_PIECES = [
  "<!channel>",
  "<!here>",
  "<@U0EVIL>",
  "<#C0EVIL>",
  "<https://evil.example|看这里>",
  "```",
  "`",
  "*",
  "_",
  "~",
  "&lt;",
  "&amp;",
  "\u0000",
  "\u001b[31m",
  "\u200b",
  "\u202e",
  "\u2066",
  "\ufeff",
  "👨‍👩‍👧",
  "🚧",
  "ＡＢＣ１２３％",
  "مرحبا",
  "עברית",
  "进度50%",
  "12月20日前",
  "市财政局",
  "一、",
  "\n",
  "；",
  ";",
  "!",
] as const;

const hostileText = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .array(fc.constantFrom(...HOSTILE_PIECES), { minLength: 1, maxLength: 12 })
      .map((a) => a.join("")),
  },
  { weight: 2, arbitrary: fc.string({ unit: "grapheme", minLength: 1, maxLength: 80 }) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", minLength: 1, maxLength: 80 }) },
  { weight: 1, arbitrary: fc.constantFrom("甲".repeat(10_000), `${"<!channel>".repeat(1_000)}`) },
);

/** Raw markup that must never reach Slack from what a person typed. */
const DANGEROUS = ["<!channel>", "<!here>", "<@U0EVIL>", "<#C0EVIL>", "<https://evil.example"];

/** Every piece of mrkdwn in a value: `text` of mrkdwn objects, and a message's top-level text. */
function mrkdwnIn(value: unknown, out: string[] = []): string[] {
  if (typeof value === "string" && /^[[{]/.test(value.trim())) {
    try {
      return mrkdwnIn(JSON.parse(value), out);
    } catch {
      return out;
    }
  }
  if (Array.isArray(value)) {
    for (const item of value) mrkdwnIn(item, out);
  } else if (value && typeof value === "object") {
    const record = value as Record<string, unknown>;
    if (record.type === "mrkdwn" && typeof record.text === "string") out.push(record.text);
    for (const [key, child] of Object.entries(record))
      if (key !== "text" || typeof child !== "string") mrkdwnIn(child, out);
  }
  return out;
}

function sentMrkdwn(t: TestBot, fromCall: number, fromEphemeral: number): string[] {
  const texts: string[] = [];
  for (const call of t.slack.calls.slice(fromCall)) {
    if (call.method.startsWith("chat.") && typeof call.args.text === "string") texts.push(call.args.text);
    mrkdwnIn(call.args.blocks, texts);
    mrkdwnIn(call.args.view, texts);
  }
  for (const e of t.slack.ephemerals.slice(fromEphemeral)) {
    texts.push(e.text);
    mrkdwnIn(e.blocks, texts);
  }
  for (const view of t.slack.views.values()) mrkdwnIn(view.view, texts);
  return texts;
}

let t: TestBot;
beforeAll(async () => {
  t = await startTestBot();
  await officeReady(t);
  await dispatchMeeting(t);
  // Task 3 acknowledged, so its card offers 申请办结 and 申请延期.
  const three = cardOf(t, 3);
  await t.slack.clickInMessage(PEOPLE.transport1.id, three.channel, three.ts, "task_ack");
  await t.settle();
});
afterAll(async () => {
  await t.stop();
});

describe("hostile input everywhere a person types", () => {
  it("never fails a handler, always answers, stores whole or nothing, and never lets markup through", async () => {
    let step = 0;
    await fc.assert(
      fc.asyncProperty(
        hostileText,
        fc.constantFrom("command", "reply", "decision", "report", "reason", "notice", "extend", "claim"),
        async (text, where) => {
          step++;
          const calls = t.slack.calls.length;
          const ephemerals = t.slack.ephemerals.length;
          const logs = t.logs.length;
          if (where === "command") {
            const before = t.slack.ephemeralsFor(PEOPLE.admin.id).length;
            await t.slack.command(PEOPLE.admin.id, "C0GENERAL", text);
            await t.settle();
            // An answer, in words: the help, or what was not understood.
            expect(t.slack.ephemeralsFor(PEOPLE.admin.id).length).toBeGreaterThan(before);
          } else if (where === "reply") {
            const card = cardOf(t, 1);
            const task = await taskBySeq(t, 1);
            const before = await t.store.read((r) => r.reports.listForTask(task.id));
            await t.slack.say(PEOPLE.finance1.id, card.channel, text, { threadTs: card.ts });
            await t.settle();
            const after = await t.store.read((r) => r.reports.listForTask(task.id));
            // A reply is a report, whole, or (nothing visible left in it) nothing at all.
            expect(after.length - before.length).toBeLessThanOrEqual(1);
            if (after.length > before.length)
              expect(after.at(-1)?.text).not.toMatch(/[\p{Cf}]|[^\P{Cc}\n\t]/u);
          } else if (where === "decision") {
            const tasksBefore = await t.store.read((r) => r.tasks.list({}, { skip: 0, take: 1_000 }));
            const modal = await openNewDecision(t, text).catch(() => undefined);
            if (modal) {
              const result = await t.slack.submit(PEOPLE.supervisor.id, modal.id, {
                d_ref: text.slice(0, 100),
              });
              expect(["closed", "errors", "updated", "pushed", "cleared", "blocked"]).toContain(
                result.outcome,
              );
              await t.settle();
            } else {
              // No modal: the person was told why.
              expect(textOf(t.slack.lastEphemeral(PEOPLE.supervisor.id))).not.toBe("");
            }
            const tasksAfter = await t.store.read((r) => r.tasks.list({}, { skip: 0, take: 1_000 }));
            for (const task of tasksAfter.slice(tasksBefore.length))
              expect(task.card ?? task.title).toBeTruthy();
          } else if (where === "extend" || where === "claim") {
            // 申请延期 and 申请办结 on task 3 with the text as the reason and the evidence; a claim
            // is then returned, so the next round finds the task open again.
            const card = cardOf(t, 3);
            const action = where === "extend" ? "task_extend" : "task_claim";
            const before = t.slack.openModal(PEOPLE.transport1.id)?.id;
            if (buttonsOf(card).includes(action)) {
              await t.slack.clickInMessage(PEOPLE.transport1.id, card.channel, card.ts, action);
              await t.settle();
            }
            const modal = t.slack.openModal(PEOPLE.transport1.id);
            if (modal && modal.id !== before) {
              const inputs: Record<string, string> =
                where === "extend" ? { a_date: "2027-03-01", a_reason: text } : { a_text: text };
              const result = await t.slack.submit(PEOPLE.transport1.id, modal.id, inputs);
              expect(["closed", "errors", "updated", "pushed", "cleared", "blocked"]).toContain(
                result.outcome,
              );
              await t.settle();
            }
            const task = await taskBySeq(t, 3);
            if (task.pendingExtension && buttonsOf(cardOf(t, 3)).includes("task_extension_approve")) {
              const fresh = cardOf(t, 3);
              await t.slack.clickInMessage(
                PEOPLE.supervisor.id,
                fresh.channel,
                fresh.ts,
                "task_extension_approve",
              );
              await t.settle();
            }
            if (task.state === "pending_review" && buttonsOf(cardOf(t, 3)).includes("task_return")) {
              const fresh = cardOf(t, 3);
              await t.slack.clickInMessage(PEOPLE.supervisor.id, fresh.channel, fresh.ts, "task_return");
              await t.settle();
              const back = t.slack.openModal(PEOPLE.supervisor.id);
              if (back) {
                await t.slack.submit(PEOPLE.supervisor.id, back.id, { a_reason: "材料不全" });
                await t.settle();
              }
            }
          } else if (where === "notice") {
            const before = t.slack.ephemeralsFor(PEOPLE.admin.id).length;
            await t.slack.command(PEOPLE.admin.id, "C0GENERAL", `设置 日历 导入 ${text}`);
            await t.settle();
            expect(t.slack.ephemeralsFor(PEOPLE.admin.id).length).toBeGreaterThan(before);
          } else if (where === "reason") {
            // 撤销 with the text as the reason, then 重新督办 with it: both modals take it whole.
            for (const action of ["task_cancel", "task_reopen"]) {
              const card = cardOf(t, 5);
              await t.slack.clickInMessage(PEOPLE.supervisor.id, card.channel, card.ts, action);
              await t.settle();
              const modal = t.slack.openModal(PEOPLE.supervisor.id);
              if (!modal) continue;
              const result = await t.slack.submit(PEOPLE.supervisor.id, modal.id, { a_reason: text });
              expect(["closed", "errors", "updated", "pushed", "cleared", "blocked"]).toContain(
                result.outcome,
              );
              await t.settle();
            }
          } else {
            const card = cardOf(t, 4);
            await t.slack.clickInMessage(PEOPLE.finance1.id, card.channel, card.ts, "task_report");
            await t.settle();
            const modal = t.slack.openModal(PEOPLE.finance1.id);
            if (modal) {
              const result = await t.slack.submit(PEOPLE.finance1.id, modal.id, {
                a_text: text,
                a_progress: "30",
              });
              expect(["closed", "errors", "updated", "pushed", "cleared", "blocked"]).toContain(
                result.outcome,
              );
              await t.settle();
            }
          }
          expect(t.slack.lateAcks).toEqual([]);
          const failures = t.logs.slice(logs).filter((l) => l.level >= 50);
          expect(failures.map((l) => l.msg)).toEqual([]);
          for (const sent of sentMrkdwn(t, calls, ephemerals)) {
            for (const danger of DANGEROUS) expect(sent, `step ${step} (${where})`).not.toContain(danger);
          }
        },
      ),
      { numRuns: 60, seed: 20261130, endOnFailure: true },
    );
    expect(await t.store.read((r) => r.inbox.backlog())).toMatchObject({ failed: 0 });
    // The sweep reached the modals it means to: claims and extension requests were made.
    const db = new Database(t.dbFile, { readonly: true });
    const made = (sql: string) => Number((db.prepare(sql).get() as { n: number }).n);
    expect(made(`SELECT count(*) AS n FROM "Report" WHERE "kind" = 'claim'`)).toBeGreaterThan(0);
    expect(made('SELECT count(*) AS n FROM "Extension"')).toBeGreaterThan(0);
    db.close();
  });
});

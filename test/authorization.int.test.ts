import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  decide,
  decideOffice,
  type Membership,
  type OfficeAction,
  type TaskAction,
} from "../src/domain/lifecycle.js";
import { maySeeScoreOf } from "../src/domain/permissions.js";
import type { RoleName } from "../src/domain/roles.js";
import { TASK_STATES, type TaskState } from "../src/domain/task-state.js";
import { ACTION } from "../src/slack/ids.js";
import { MEETING_DECISION } from "./fake-slack/scenario.js";
import { CHANNELS, PEOPLE, startTestBot, type TestBot, textOf } from "./support/harness.js";
import { cardOf, dispatchMeeting, officeReady, openNewDecision, taskBySeq } from "./support/office.js";
import { Outsider } from "./support/outside.js";

/**
 * The authorization matrix: every card button × every kind of person × every task state, public
 * and confidential, and every office command × every kind of person, pressed and typed through
 * Slack. What happens must be what the one policy (src/domain/lifecycle.ts) says: refused in
 * words (and nothing changed, no modal), or done (a modal opened, or the state moved as it says);
 * and a confidential task's title is never told to someone it was refused to.
 */

const PERSONS: { who: { id: string }; label: string; membership: Membership; roles: RoleName[] }[] = [
  { who: PEOPLE.finance1, label: "lead member", membership: "lead", roles: [] },
  { who: PEOPLE.housing1, label: "co member", membership: "co", roles: [] },
  { who: PEOPLE.outsider, label: "outsider", membership: "none", roles: [] },
  { who: PEOPLE.supervisor, label: "supervisor", membership: "none", roles: ["supervisor"] },
  { who: PEOPLE.leader, label: "leader", membership: "none", roles: ["leader"] },
  { who: PEOPLE.admin, label: "admin", membership: "none", roles: ["admin"] },
];

const BUTTONS: [string, TaskAction][] = [
  [ACTION.ack, "ack"],
  [ACTION.report, "report"],
  [ACTION.claim, "claim"],
  [ACTION.extend, "extend"],
  [ACTION.urge, "urge"],
  [ACTION.verify, "verify"],
  [ACTION.return, "return"],
  [ACTION.approveExtension, "approve_extension"],
  [ACTION.rejectExtension, "reject_extension"],
  [ACTION.cancel, "cancel"],
  [ACTION.reopen, "reopen"],
  [ACTION.coordinate, "coordinate"],
  [ACTION.siteCheck, "site_check"],
];

/** Every button, as a stale client could still show them all. */
const allButtons = (taskId: number) => [
  {
    type: "actions",
    block_id: "matrix",
    elements: BUTTONS.map(([actionId]) => ({
      type: "button",
      action_id: actionId,
      value: String(taskId),
      text: { type: "plain_text", text: actionId },
    })),
  },
];

let t: TestBot;
let db: Database.Database;
let outsider: Outsider;
beforeAll(async () => {
  t = await startTestBot();
  await officeReady(t);
  await dispatchMeeting(t);
  const modal = await openNewDecision(t, MEETING_DECISION);
  await t.slack.submit(PEOPLE.supervisor.id, modal.id, { d_conf: "secret", d_ref: "机密纪要" });
  await t.settle();
  db = new Database(t.dbFile, { readonly: true });
  outsider = new Outsider(t.dbFile);
});
afterAll(async () => {
  db.close();
  outsider.close();
  await t.stop();
});

/** Puts a task in a state directly, as the matrix needs each state in turn. */
async function setState(taskId: number, state: TaskState): Promise<void> {
  await outsider.exec(`UPDATE "Task" SET "state" = '${state}' WHERE "id" = ${taskId}`);
}

function eventsOf(taskId: number): number {
  return Number(
    (db.prepare('SELECT count(*) AS n FROM "Event" WHERE "taskId" = ?').get(taskId) as { n: number }).n,
  );
}

describe("the authorization matrix", () => {
  for (const [seq, kind] of [
    [1, "public"],
    [6, "confidential"],
  ] as const) {
    it(`card buttons × people × states on a ${kind} task follow the one policy`, async () => {
      const task = await taskBySeq(t, seq);
      const card = cardOf(t, seq);
      const mismatches: string[] = [];
      let checked = 0;
      for (const state of TASK_STATES) {
        for (const person of PERSONS) {
          for (const [actionId, action] of BUTTONS) {
            await setState(task.id, state);
            const expected = decide(action, {
              state,
              extensionPending: false,
              membership: person.membership,
              roles: new Set(person.roles),
            });
            const ephemerals = t.slack.ephemeralsFor(person.who.id).length;
            const events = eventsOf(task.id);
            const modalBefore = t.slack.openModal(person.who.id)?.id;
            await t.slack.clickInMessage(person.who.id, card.channel, card.ts, actionId, {
              staleBlocks: allButtons(task.id),
            });
            await t.settle();
            const told = t.slack
              .ephemeralsFor(person.who.id)
              .slice(ephemerals)
              .map((e) => textOf(e));
            const modal = t.slack.openModal(person.who.id);
            const openedModal = modal !== undefined && modal.id !== modalBefore;
            const after = (await taskBySeq(t, seq)).state;
            const where = `${state} · ${person.label} · ${action}`;
            checked++;
            if (!expected.allowed) {
              if (told.length === 0) mismatches.push(`${where}: refused by the policy, but no one was told`);
              if (openedModal) mismatches.push(`${where}: refused by the policy, but a modal opened`);
              if (after !== state)
                mismatches.push(`${where}: refused by the policy, but the state became ${after}`);
              if (eventsOf(task.id) !== events)
                mismatches.push(`${where}: refused, but something was recorded`);
              if (kind === "confidential" && person.membership === "none" && person.roles.length === 0) {
                for (const text of told)
                  if (text.includes(task.title)) mismatches.push(`${where}: the title was told`);
              }
            } else {
              const done = openedModal || after !== state || eventsOf(task.id) !== events;
              if (!done)
                mismatches.push(
                  `${where}: allowed by the policy, but nothing happened (${told.join(" / ")})`,
                );
              if (!openedModal && expected.next && after !== expected.next) {
                mismatches.push(`${where}: allowed, expected ${expected.next}, got ${after}`);
              }
              if (told.some((text) => /出错|只有/.test(text)))
                mismatches.push(`${where}: allowed, but refused: ${told}`);
            }
            if (modal) await t.slack.closeModal(person.who.id, modal.id);
          }
        }
      }
      await setState(task.id, "in_progress");
      expect(checked).toBe(TASK_STATES.length * PERSONS.length * BUTTONS.length);
      expect(mismatches).toEqual([]);
    });
  }

  it("a modal opened while allowed and submitted after the task moved on changes nothing", async () => {
    const task = await taskBySeq(t, 4);
    const card = cardOf(t, 4);
    const cases: {
      actionId: string;
      person: { id: string };
      open: TaskState;
      submittedIn: TaskState;
      inputs: Record<string, string>;
    }[] = [
      {
        actionId: ACTION.report,
        person: PEOPLE.finance1,
        open: "in_progress",
        submittedIn: "closed",
        inputs: { a_text: "进度60%，已完成招标", a_progress: "60" },
      },
      {
        actionId: ACTION.claim,
        person: PEOPLE.finance1,
        open: "in_progress",
        submittedIn: "cancelled",
        inputs: { a_text: "已全部完成" },
      },
      {
        actionId: ACTION.extend,
        person: PEOPLE.finance1,
        open: "in_progress",
        submittedIn: "pending_review",
        inputs: { a_date: "2027-01-20", a_reason: "资金未到位" },
      },
      {
        actionId: ACTION.return,
        person: PEOPLE.supervisor,
        open: "pending_review",
        submittedIn: "in_progress",
        inputs: { a_reason: "材料不全" },
      },
      {
        actionId: ACTION.cancel,
        person: PEOPLE.supervisor,
        open: "in_progress",
        submittedIn: "cancelled",
        inputs: { a_reason: "已并入其他事项" },
      },
      {
        actionId: ACTION.reopen,
        person: PEOPLE.supervisor,
        open: "closed",
        submittedIn: "in_progress",
        inputs: { a_reason: "领导要求继续督办" },
      },
    ];
    const mismatches: string[] = [];
    for (const c of cases) {
      await setState(task.id, c.open);
      await t.slack.clickInMessage(c.person.id, card.channel, card.ts, c.actionId, {
        staleBlocks: allButtons(task.id),
      });
      await t.settle();
      const modal = t.slack.openModal(c.person.id);
      if (!modal) {
        mismatches.push(`${c.actionId}: no modal opened in ${c.open}`);
        continue;
      }
      await setState(task.id, c.submittedIn);
      const events = eventsOf(task.id);
      const result = await t.slack.submit(c.person.id, modal.id, c.inputs);
      await t.settle();
      const after = (await taskBySeq(t, 4)).state;
      if (after !== c.submittedIn)
        mismatches.push(`${c.actionId}: submitted in ${c.submittedIn}, the state became ${after}`);
      if (eventsOf(task.id) !== events)
        mismatches.push(`${c.actionId}: submitted in ${c.submittedIn}, something was recorded`);
      if (!["errors", "pushed", "updated"].includes(result.outcome))
        mismatches.push(
          `${c.actionId}: submitted in ${c.submittedIn}, the person was not told (${result.outcome})`,
        );
      const open = t.slack.openModal(c.person.id);
      if (open) await t.slack.closeModal(c.person.id, open.id);
    }
    await setState(task.id, "in_progress");
    expect(mismatches).toEqual([]);
  });

  it("office commands × people follow the one policy", async () => {
    // Looking at the settings is for anyone (they hold nothing confidential); changing them is for admins.
    const commands: [string, OfficeAction | "admin" | "anyone"][] = [
      ["新建 一、财政局牵头，12月20日前完成资金清算。", "create_decision"],
      ["汇总 本周", "view_summary"],
      // A unit's own score is its members' too (maySeeScoreOf): 市财政局 is the lead member's unit.
      ["得分 市财政局", "score"],
      ["导出", "export"],
      ["设置", "anyone"],
      ["设置 补跑 24", "admin"],
      [`单位 添加 市水务局 <#${CHANNELS.general.id}|general>`, "admin"],
      [`角色 添加 <@${PEOPLE.outsider.id}> 领导`, "admin"],
    ];
    const mismatches: string[] = [];
    for (const person of PERSONS) {
      for (const [text, action] of commands) {
        const allowed =
          action === "anyone"
            ? true
            : action === "admin"
              ? person.roles.includes("admin")
              : action === "score"
                ? maySeeScoreOf(
                    {
                      userId: person.who.id,
                      roles: new Set(person.roles),
                      // 1 stands for 市财政局, the unit of the lead member; the co member's is another.
                      departmentIds: new Set(
                        person.membership === "lead" ? [1] : person.membership === "co" ? [2] : [],
                      ),
                    },
                    1,
                  )
                : decideOffice(action, new Set(person.roles)).allowed;
        const ephemerals = t.slack.ephemeralsFor(person.who.id).length;
        const modalBefore = t.slack.openModal(person.who.id)?.id;
        await t.slack.command(person.who.id, CHANNELS.general.id, text);
        await t.settle();
        const told = t.slack
          .ephemeralsFor(person.who.id)
          .slice(ephemerals)
          .map((e) => textOf(e));
        const modal = t.slack.openModal(person.who.id);
        const refused = told.some((m) => m.includes("只有"));
        const where = `${person.label} · ${text.split(" ")[0]}`;
        if (allowed && refused) mismatches.push(`${where}: allowed by the policy, but refused`);
        if (!allowed && !refused)
          mismatches.push(`${where}: refused by the policy, but not refused: ${told.join(" / ")}`);
        if (!allowed && modal && modal.id !== modalBefore)
          mismatches.push(`${where}: refused, but a modal opened`);
        if (modal) await t.slack.closeModal(person.who.id, modal.id);
      }
    }
    expect(mismatches).toEqual([]);
  });
});

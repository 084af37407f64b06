import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { duchaAs, MEETING_DECISION, setUpOffice } from "../src/emulator/scenario.js";
import { CHANNELS, PEOPLE, startTestBot, type TestBot, textOf } from "./support/harness.js";

let t: TestBot;

beforeEach(async () => {
  t = await startTestBot();
  await setUpOffice(duchaAs(t.slack, t.settle));
});
afterEach(async () => {
  await t.stop();
});

/** Cards posted by the bot in a channel (top-level messages whose header carries a task number). */
function cards(channelId: string) {
  return t.slack
    .messages(channelId)
    .filter(
      (m) =>
        m.botId &&
        m.blocks?.some(
          (b) => b.type === "header" && /督〔2026〕\d+号/.test(textOf({ text: "", blocks: [b] })),
        ),
    );
}

async function openNewDecision(text: string, person: { id: string } = PEOPLE.supervisor) {
  await t.slack.command(person.id, CHANNELS.general.id, `新建 ${text}`);
  await t.settle();
  const modal = t.slack.openModal(person.id);
  if (!modal)
    throw new Error(`no modal opened; got ${JSON.stringify(t.slack.lastEphemeral(person.id)?.text)}`);
  return modal;
}

describe("/ducha new", () => {
  it("opens the decision modal with the text already cut into tasks", async () => {
    const modal = await openNewDecision(MEETING_DECISION);
    expect(modal.view.callback_id).toBe("decision_submit");
    const text = textOf({ text: "", blocks: modal.view.blocks as unknown[] });
    expect(text).toContain("督办事项（5 项）");
    expect(text).toContain("*1. 完成老旧小区改造资金拨付*");
    expect(text).toContain("牵头：市财政局 · 配合：市住房和城乡建设局、市交通运输局");
    expect(text).toContain("时限：12月15日（推断）");
    expect(text).toContain("每周反馈");
    const values = modal.state.values;
    expect(values.d_text?.d_text?.value).toBe(MEETING_DECISION);
    expect(values.d_date?.d_date?.selected_date).toBe("2026-12-01");
  });

  it("refuses someone who is not a supervisor, leader or admin", async () => {
    await t.slack.command(PEOPLE.finance1.id, CHANNELS.general.id, `新建 ${MEETING_DECISION}`);
    await t.settle();
    expect(t.slack.openModal(PEOPLE.finance1.id)).toBeUndefined();
    expect(t.slack.lastEphemeral(PEOPLE.finance1.id)?.text).toContain(
      "只有督查员、领导、管理员可以交办督办事项",
    );
  });
});

describe("dispatching a decision", () => {
  it("posts a card per task in the lead's channel, notices to co-operating departments, and a rollup", async () => {
    const modal = await openNewDecision(MEETING_DECISION);
    const result = await t.slack.submit(PEOPLE.supervisor.id, modal.id, {
      d_ref: "市政府常务会议纪要〔2026〕15号",
    });
    expect(result.outcome).toBe("updated");
    expect(
      textOf({ text: "", blocks: t.slack.openModal(PEOPLE.supervisor.id)?.view.blocks as unknown[] }),
    ).toContain("已交办 5 项督办事项");
    await t.settle();
    const finance = cards(CHANNELS.finance.id);
    const housing = cards(CHANNELS.housing.id);
    const transport = cards(CHANNELS.transport.id);
    expect(finance.map((m) => m.text)).toEqual([
      expect.stringContaining("督〔2026〕1号 完成老旧小区改造资金拨付"),
      expect.stringContaining("督〔2026〕4号"),
    ]);
    expect(housing).toHaveLength(2);
    expect(transport).toHaveLength(1);
    const card = textOf(finance[0]);
    expect(card).toContain("市住房和城乡建设局、市交通运输局");
    expect(card).toContain("12月15日（还有10个工作日）");
    expect(card).toContain("待签收");
    expect(card).toContain("绿灯");
    expect(card).toContain("市政府常务会议纪要〔2026〕15号");
    const buttons = (finance[0]?.blocks ?? []).filter((b) => b.type === "actions");
    expect(buttons.flatMap((b) => (b.elements as { action_id: string }[]).map((e) => e.action_id))).toEqual([
      "task_ack",
      "task_report",
      "task_extend",
      "task_urge",
      "task_cancel",
    ]);
    // Task 1 has two co-operating departments: each is told, with a link to the card.
    const notices = t.slack.messages(CHANNELS.housing.id).filter((m) => m.text.includes("为配合单位"));
    expect(notices.map((m) => m.text)).toContainEqual(
      expect.stringContaining("督〔2026〕1号「完成老旧小区改造资金拨付」"),
    );
    expect(notices[0]?.text).toContain(`/archives/${CHANNELS.finance.id}/p`);
    // The rollup in the supervision channel lists every task with its link and light.
    const [rollup] = t.slack.messages(CHANNELS.supervision.id);
    const rollupText = textOf(rollup);
    expect(rollupText).toContain("决策已交办");
    expect(rollupText).toContain("共 5 项");
    for (let n = 1; n <= 5; n++) expect(rollupText).toMatch(new RegExp(`<https://[^|]+\\|督〔2026〕${n}号>`));
  });

  it("records the decision, the tasks and their events in one go", async () => {
    const modal = await openNewDecision(MEETING_DECISION);
    await t.slack.submit(PEOPLE.supervisor.id, modal.id);
    await t.settle();
    const tasks = await t.store.read((r) => r.tasks.list({}, { skip: 0, take: 10 }));
    expect(tasks.map((task) => task.seq).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5]);
    expect(tasks.every((task) => task.card !== null)).toBe(true);
    const events = await t.store.read((r) => r.events.listRecent(50));
    expect(events.filter((e) => e.type === "task.dispatched")).toHaveLength(5);
    expect(events.filter((e) => e.type === "decision.created")).toHaveLength(1);
  });
});

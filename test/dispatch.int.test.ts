import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { FakeView } from "./fake-slack/fake-slack.js";
import { duchaAs, MEETING_DECISION, setUpOffice } from "./fake-slack/scenario.js";
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
    expect(card).toContain("*办理时限*\n12月15日\n");
    expect(card).toContain("待签收");
    expect(card).toContain("绿灯");
    expect(card).toContain("市政府常务会议纪要〔2026〕15号");
    const buttons = (finance[0]?.blocks ?? []).filter((b) => b.type === "actions");
    expect(buttons.flatMap((b) => (b.elements as { action_id: string }[]).map((e) => e.action_id))).toEqual([
      "task_ack",
      "task_report",
      "task_extend",
      "task_urge",
      "task_coordinate",
      "task_cancel",
    ]);
    // Task 1 has two co-operating departments: each is told, with a link to the card.
    const notices = t.slack.messages(CHANNELS.housing.id).filter((m) => m.text.includes("为配合单位"));
    expect(notices.map((m) => m.text)).toContainEqual(
      expect.stringContaining(
        "督〔2026〕1号“完成老旧小区改造资金拨付”由市财政局牵头，市住房和城乡建设局为配合单位",
      ),
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

describe("the message shortcut 转为督办事项", () => {
  it("opens the modal from a leader's message and answers with the rollup in its thread", async () => {
    const message = await t.slack.say(PEOPLE.leader.id, CHANNELS.general.id, MEETING_DECISION);
    await t.settle();
    await t.slack.messageShortcut(
      PEOPLE.supervisor.id,
      CHANNELS.general.id,
      message.ts,
      "ducha_decision_from_message",
    );
    await t.settle();
    const modal = t.slack.openModal(PEOPLE.supervisor.id);
    expect(modal).toBeDefined();
    const text = textOf({ text: "", blocks: modal?.view.blocks as unknown[] });
    expect(text).toContain(`来自 <${t.slack.permalink(CHANNELS.general.id, message.ts)}|这条消息>`);
    expect(text).toContain("督办事项（5 项）");
    await t.slack.submit(PEOPLE.supervisor.id, modal?.id ?? "", { d_source: "meeting" });
    await t.settle();
    const [rollup] = t.slack.replies(CHANNELS.general.id, message.ts);
    expect(textOf(rollup)).toContain("*决策已交办*：会议");
    expect(t.slack.messages(CHANNELS.supervision.id)).toHaveLength(0);
    const [task] = await t.store.read((r) => r.tasks.list({}, { skip: 0, take: 1 }));
    expect(task?.decision.sourceUrl).toBe(t.slack.permalink(CHANNELS.general.id, message.ts));
  });
});

describe("editing the tasks in the modal", () => {
  async function editTask(key: string) {
    const root = await openNewDecision(MEETING_DECISION);
    await t.slack.clickInView(PEOPLE.supervisor.id, root.id, "decision_task_menu", {
      selected: `edit:${key}`,
    });
    await t.settle();
    const pushed = t.slack.openModal(PEOPLE.supervisor.id);
    expect(pushed?.view.callback_id).toBe("decision_task_submit");
    return { root, pushed: pushed ?? root };
  }

  it("shows a missing lead, a title over 200 characters and a due date before the decision on their fields", async () => {
    const { pushed } = await editTask("t1");
    const missingLead = await t.slack.submit(PEOPLE.supervisor.id, pushed.id, { t_lead: null });
    expect(missingLead.errors).toEqual({ t_lead: "请选择牵头单位" });
    const tooLong = await t.slack.submit(PEOPLE.supervisor.id, pushed.id, {
      t_lead: "1",
      t_title: "长".repeat(201),
    });
    expect(tooLong.errors).toEqual({ t_title: "事项名称不能超过 200 字" });
    const early = await t.slack.submit(PEOPLE.supervisor.id, pushed.id, {
      t_title: "拨付资金",
      t_due: "2026-11-20",
    });
    expect(early.errors).toEqual({ t_due: "办理时限不能早于决策日期" });
  });

  it("saves an edited task and shows it, no longer guessed, in the decision modal", async () => {
    const { root, pushed } = await editTask("t2");
    const saved = await t.slack.submit(PEOPLE.supervisor.id, pushed.id, {
      t_title: "制定城中村改造三年行动方案",
      t_due: "2026-12-20",
      t_co: ["1"],
    });
    expect(saved.outcome).toBe("closed");
    await t.settle();
    const text = textOf({
      text: "",
      blocks: t.slack.openModal(PEOPLE.supervisor.id)?.view.blocks as unknown[],
    });
    expect(t.slack.openModal(PEOPLE.supervisor.id)?.id).toBe(root.id);
    expect(text).toContain("*2. 制定城中村改造三年行动方案*");
    expect(text).toContain("牵头：市住房和城乡建设局 · 配合：市财政局\n时限：12月20日 · 每周反馈\n");
  });

  it("adds a task, removes one and cuts an edited text again", async () => {
    const root = await openNewDecision(MEETING_DECISION);
    await t.slack.clickInView(PEOPLE.supervisor.id, root.id, "decision_task_add");
    await t.settle();
    const added = t.slack.openModal(PEOPLE.supervisor.id);
    expect(added?.view.title).toMatchObject({ text: "添加督办事项" });
    await t.slack.submit(PEOPLE.supervisor.id, added?.id ?? "", {
      t_title: "开展冬季消防安全检查",
      t_lead: "3",
      t_due: "2026-12-10",
    });
    await t.settle();
    const rootText = () =>
      textOf({ text: "", blocks: t.slack.openModal(PEOPLE.supervisor.id)?.view.blocks as unknown[] });
    expect(rootText()).toContain("督办事项（6 项）");
    expect(rootText()).toContain("*6. 开展冬季消防安全检查*");
    await t.slack.clickInView(PEOPLE.supervisor.id, root.id, "decision_task_menu", { selected: "remove:t1" });
    await t.settle();
    expect(rootText()).toContain("督办事项（5 项）");
    expect(rootText()).not.toContain("完成老旧小区改造资金拨付");
    t.slack.type(PEOPLE.supervisor.id, root.id, {
      d_text: "一、财政局本月底前完成审计整改。\n二、交通局两周内完成路灯维修。",
    });
    await t.slack.clickInView(PEOPLE.supervisor.id, root.id, "decision_resplit");
    await t.settle();
    expect(rootText()).toContain("督办事项（2 项）");
    expect(rootText()).toContain("*2. 完成路灯维修*");
    // What the person typed in the text box survives the update.
    expect(t.slack.openModal(PEOPLE.supervisor.id)?.state.values.d_text?.d_text?.value).toContain("路灯维修");
  });
});

describe("submitting a decision that is not ready", () => {
  it("says there are no tasks when the text names none", async () => {
    const modal = await openNewDecision("");
    const result = await t.slack.submit(PEOPLE.supervisor.id, modal.id);
    expect(result.outcome).toBe("errors");
    expect(result.errors.d_text).toContain("还没有督办事项");
    expect(await t.store.read((r) => r.tasks.count({}))).toBe(0);
  });

  it("names the task whose lead is missing or whose department was removed meanwhile", async () => {
    const modal = await openNewDecision(
      "一、市城管局牵头，本月底前完成占道整治。\n二、交通局两周内完成路灯维修。",
    );
    const missing = await t.slack.submit(PEOPLE.supervisor.id, modal.id);
    expect(missing.errors.d_text).toContain("第 1 项“完成占道整治”请选择牵头单位");
    await t.slack.clickInView(PEOPLE.supervisor.id, modal.id, "decision_task_menu", {
      selected: "remove:t1",
    });
    await t.settle();
    // An admin removes the lead department while the modal is open.
    await t.slack.command(PEOPLE.admin.id, CHANNELS.general.id, "单位 删除 交通局");
    await t.settle();
    const removed = await t.slack.submit(PEOPLE.supervisor.id, modal.id);
    expect(removed.errors.d_text).toContain("所选牵头单位已删除，请重新选择");
    expect(await t.store.read((r) => r.tasks.count({}))).toBe(0);
  });

  it("refuses a decision date after a task's due date", async () => {
    const modal = await openNewDecision(MEETING_DECISION);
    const result = await t.slack.submit(PEOPLE.supervisor.id, modal.id, { d_date: "2026-12-20" });
    expect(result.errors.d_date).toBe("决策日期晚于某些事项的办理时限，请核对。");
  });
});

describe("a decision submitted twice", () => {
  it("is created once, whether Slack resends it or the person double-clicks", async () => {
    const modal = await openNewDecision(MEETING_DECISION);
    const [first, second] = await Promise.all([
      t.slack.submit(PEOPLE.supervisor.id, modal.id),
      t.slack.resubmit(PEOPLE.supervisor.id, modal.id),
    ]);
    expect(first.outcome).toBe("updated");
    expect(second.status).toBe(200);
    const third = await t.slack.resubmit(PEOPLE.supervisor.id, modal.id);
    expect((third.body as { response_action?: string }).response_action).toBe("update");
    await t.settle();
    expect(await t.store.read((r) => r.tasks.count({}))).toBe(5);
    expect(cards(CHANNELS.finance.id)).toHaveLength(2);
  });
});

describe("a decision with 30 tasks", () => {
  it("fits the modal and dispatches every task", async () => {
    const items = Array.from(
      { length: 30 },
      (_, i) =>
        `${i + 1}. ${["财政局", "住建局", "交通局"][i % 3]}负责，12月${10 + (i % 15)}日前完成第${i + 1}项重点工作。`,
    );
    const modal = await openNewDecision(`专题会议议定事项：\n${items.join("\n")}`);
    expect(textOf({ text: "", blocks: modal.view.blocks as unknown[] })).toContain("督办事项（30 项）");
    expect((modal.view.blocks as unknown[]).length).toBeLessThanOrEqual(100);
    const result = await t.slack.submit(PEOPLE.supervisor.id, modal.id);
    expect(result.outcome).toBe("updated");
    await t.settle();
    expect(cards(CHANNELS.finance.id)).toHaveLength(10);
    expect(cards(CHANNELS.housing.id)).toHaveLength(10);
    expect(cards(CHANNELS.transport.id)).toHaveLength(10);
    const rollup = textOf(t.slack.messages(CHANNELS.supervision.id)[0]);
    expect(rollup).toContain("共 30 项");
    expect(rollup).toContain("督〔2026〕30号");
  });
});

describe("concurrent decisions", () => {
  it("get distinct, consecutive numbers", async () => {
    const supervisors = [PEOPLE.supervisor, PEOPLE.leader, PEOPLE.admin];
    const modals: FakeView[] = [];
    for (const person of supervisors) modals.push(await openNewDecision(MEETING_DECISION, person));
    const results = await Promise.all(
      supervisors.map((person, i) => t.slack.submit(person.id, modals[i]?.id ?? "")),
    );
    expect(results.map((r) => r.outcome)).toEqual(["updated", "updated", "updated"]);
    await t.settle();
    const tasks = await t.store.read((r) => r.tasks.list({}, { skip: 0, take: 100 }));
    expect(tasks.map((task) => task.seq).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 15 }, (_, i) => i + 1),
    );
    // Each decision's tasks are numbered together.
    const byDecision = new Map<number, number[]>();
    for (const task of tasks)
      byDecision.set(task.decision.id, [...(byDecision.get(task.decision.id) ?? []), task.seq]);
    for (const seqs of byDecision.values()) {
      const sorted = seqs.sort((a, b) => a - b);
      expect((sorted.at(-1) ?? 0) - (sorted[0] ?? 0)).toBe(4);
    }
  });
});

describe("a confidential decision", () => {
  it("never shows a title in a channel, and sends the details by DM to the lead's members", async () => {
    const modal = await openNewDecision(MEETING_DECISION);
    await t.slack.submit(PEOPLE.supervisor.id, modal.id, { d_conf: "secret" });
    await t.settle();
    const titles = ["老旧小区改造", "城中村改造", "公交站台", "供暖补贴", "施工围挡"];
    for (const channel of t.slack.channels.values()) {
      if (channel.isIm) continue;
      for (const message of channel.messages.filter((m) => m.botId)) {
        for (const title of titles) expect(textOf(message), `#${channel.name}`).not.toContain(title);
      }
    }
    expect(textOf(cards(CHANNELS.finance.id)[0])).toContain("不公开事项，详情已私信承办人");
    const dm = t.slack
      .directMessages(PEOPLE.finance1.id)
      .map((m) => textOf(m))
      .join("\n");
    expect(dm).toContain("完成老旧小区改造资金拨付");
    expect(dm).toContain("供暖补贴");
    expect(t.slack.directMessages(PEOPLE.finance2.id)).toHaveLength(2);
    expect(
      t.slack
        .directMessages(PEOPLE.transport1.id)
        .map((m) => textOf(m))
        .join("\n"),
    ).toContain("公交站台");
    // Lists hide the title from those not entitled, and show it to the department's members.
    await t.slack.command(PEOPLE.outsider.id, CHANNELS.general.id, "列表 全部");
    await t.slack.command(PEOPLE.finance1.id, CHANNELS.general.id, "列表");
    await t.settle();
    const outsiderList = textOf(t.slack.lastEphemeral(PEOPLE.outsider.id));
    for (const title of titles) expect(outsiderList).not.toContain(title);
    expect(outsiderList).toMatch(/督〔2026〕1号> 不公开事项/);
    expect(textOf(t.slack.lastEphemeral(PEOPLE.finance1.id))).toContain("完成老旧小区改造资金拨付");
  });
});

describe("a channel the bot is not in", () => {
  it("holds the card, tells the submitter how to fix it, and delivers it once the bot is invited", async () => {
    t.slack.removeBot(CHANNELS.transport.id);
    const modal = await openNewDecision(MEETING_DECISION);
    await t.slack.submit(PEOPLE.supervisor.id, modal.id);
    await t.settle();
    expect(cards(CHANNELS.transport.id)).toHaveLength(0);
    expect(cards(CHANNELS.finance.id)).toHaveLength(2);
    const [dm] = t.slack.directMessages(PEOPLE.supervisor.id);
    expect(dm?.text).toContain(`<#${CHANNELS.transport.id}>`);
    expect(dm?.text).toContain("/invite @ducha");
    expect(
      textOf(t.slack.messages(CHANNELS.supervision.id).find((m) => m.text.includes("not_in_channel"))),
    ).toContain(`<#${CHANNELS.transport.id}>`);
    const held = await t.store.read((r) => r.outbox.list({ lane: CHANNELS.transport.id, state: "pending" }));
    expect(held.length).toBeGreaterThan(0);
    t.slack.inviteBot(CHANNELS.transport.id);
    await expect
      .poll(async () => cards(CHANNELS.transport.id).length, { timeout: 5_000, interval: 50 })
      .toBe(1);
    await t.settle();
    expect(t.slack.messages(CHANNELS.transport.id).some((m) => m.text.includes("为配合单位"))).toBe(true);
    // Told once, not at every retry.
    expect(t.slack.directMessages(PEOPLE.supervisor.id)).toHaveLength(1);
  });
});

describe("/ducha list and /ducha show", () => {
  beforeEach(async () => {
    const modal = await openNewDecision(MEETING_DECISION);
    await t.slack.submit(PEOPLE.supervisor.id, modal.id);
    await t.settle();
  });

  async function reply(person: { id: string }, text: string): Promise<string> {
    await t.slack.command(person.id, CHANNELS.general.id, text);
    await t.settle();
    return textOf(t.slack.lastEphemeral(person.id));
  }

  it("lists a member's department's tasks by default, all of them on request, and one department's", async () => {
    const mine = await reply(PEOPLE.finance1, "列表");
    expect(mine).toContain("督办事项 · 我的（共 2 项）");
    expect(mine).toMatch(
      /<https:[^|]+\|督〔2026〕1号> 完成老旧小区改造资金拨付 — 市财政局 — 12月15日 — 待签收/,
    );
    expect(await reply(PEOPLE.supervisor, "list all")).toContain("（共 5 项）");
    expect(await reply(PEOPLE.supervisor, "列表 单位 住建")).toContain(
      "督办事项 · 市住房和城乡建设局（共 3 项）",
    );
    expect(await reply(PEOPLE.supervisor, "列表 红灯")).toContain("没有红灯的督办事项");
    expect(await reply(PEOPLE.supervisor, "列表 单位 教育局")).toContain("没有找到单位“教育局”");
    expect(await reply(PEOPLE.supervisor, "列表 紫灯")).toContain("正确的写法");
  });

  it("pages long lists with buttons", async () => {
    for (let i = 0; i < 4; i++) {
      const modal = await openNewDecision(MEETING_DECISION);
      await t.slack.submit(PEOPLE.supervisor.id, modal.id);
      await t.settle();
    }
    const first = await reply(PEOPLE.supervisor, "列表 全部");
    expect(first).toContain("（共 25 项，第 1/2 页）");
    const listing = t.slack.lastEphemeral(PEOPLE.supervisor.id);
    expect(listing?.blocks?.some((b) => JSON.stringify(b).includes("list_page_next"))).toBe(true);
  });

  it("shows one task by number, and says so when there is none", async () => {
    const shown = await reply(PEOPLE.outsider, "查看 1");
    expect(shown).toContain("督〔2026〕1号 完成老旧小区改造资金拨付");
    expect(shown).toContain("事项卡片");
    expect(await reply(PEOPLE.outsider, "show 2026-3")).toContain("完成全市公交站台安全隐患排查整改");
    expect(await reply(PEOPLE.outsider, "查看 99")).toContain("没有找到督办事项“99”");
    expect(await reply(PEOPLE.outsider, "查看")).toContain("正确的写法");
  });
});

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CHANNELS, PEOPLE, startTestBot, type TestBot, textOf } from "./support/harness.js";
import { cardOf, dispatchMeeting, officeReady, taskBySeq } from "./support/office.js";

let t: TestBot;

beforeEach(async () => {
  t = await startTestBot();
  await officeReady(t);
});
afterEach(async () => {
  await t.stop();
});

const homeText = (userId: string) =>
  textOf({ text: "", blocks: t.slack.homeView(userId)?.view.blocks as unknown[] });

describe("App Home", () => {
  it("shows a member their departments' open tasks grouped by light, with links", async () => {
    await dispatchMeeting(t);
    const card = cardOf(t, 2);
    await t.slack.say(PEOPLE.housing1.id, card.channel, "拆迁资金遇到困难", { threadTs: card.ts });
    await t.settle();
    await t.slack.openHome(PEOPLE.housing1.id);
    await t.settle();
    const home = homeText(PEOPLE.housing1.id);
    expect(home).toContain("我的督办事项");
    expect(home).toContain(":large_yellow_circle: 黄灯（1 项）");
    expect(home).toContain(":large_green_circle: 绿灯（2 项）");
    expect(home).toMatch(/<https:[^|]+\|督〔2026〕2号> 制定城中村改造实施方案/);
    expect(home).not.toContain("督查总览");
    expect(home).not.toContain("足额下达冬季供暖补贴资金"); // 市财政局's, not 住建局's
  });

  it("shows a supervisor the whole board with counts per light and per department", async () => {
    await dispatchMeeting(t);
    // 12-16: tasks due 12-15 are overdue, the others stalled (no report in 7 working days).
    t.clock.set(new Date("2026-12-16T02:00:00Z"));
    await t.slack.openHome(PEOPLE.supervisor.id);
    await t.settle();
    const home = homeText(PEOPLE.supervisor.id);
    expect(home).toContain("督查总览");
    expect(home).toContain("在办 *5* 项 · :red_circle: 红灯 5");
    expect(home).toMatch(/\*市财政局\* 在办 2：:red_circle: 2/);
    expect(home).toContain("红灯事项");
    expect(home).toContain("您还不是任何单位的成员");
  });

  it("stays within 100 blocks with more tasks than fit, pointing to /ducha list for the rest", async () => {
    const items = Array.from(
      { length: 40 },
      (_, i) => `${i + 1}. 财政局负责，12月${10 + (i % 15)}日前完成第${i + 1}项工作。`,
    );
    for (let round = 0; round < 2; round++) await dispatchMeeting(t, `会议议定：\n${items.join("\n")}`);
    await t.slack.openHome(PEOPLE.finance1.id);
    await t.slack.openHome(PEOPLE.supervisor.id);
    await t.settle();
    for (const person of [PEOPLE.finance1, PEOPLE.supervisor]) {
      const view = t.slack.homeView(person.id);
      expect(((view?.view.blocks ?? []) as unknown[]).length).toBeLessThanOrEqual(100);
    }
    expect(homeText(PEOPLE.finance1.id)).toContain("还有 65 项未列出，请用 `/ducha 列表` 查看全部");
    expect(t.slack.callsTo("views.publish").every((c) => c.ok)).toBe(true);
  });
});

describe("App Home beside the replies", () => {
  it("is drawn beside the line of events: a reply behind a slow views.publish is stored meanwhile", async () => {
    await dispatchMeeting(t);
    let answer = () => {};
    t.slack.heldAnswers["views.publish"] = new Promise<void>((resolve) => {
      answer = resolve;
    });
    await t.slack.openHome(PEOPLE.housing1.id);
    await expect.poll(() => t.slack.callsTo("views.publish").length, { timeout: 10_000 }).toBe(1);
    const card = cardOf(t, 2);
    await t.slack.say(PEOPLE.housing1.id, card.channel, "进度40%，已完成摸底调查", { threadTs: card.ts });
    // views.publish has not answered yet: the reply is stored all the same.
    const task = await taskBySeq(t, 2);
    await expect
      .poll(async () => (await t.store.read((r) => r.reports.listForTask(task.id))).length, {
        timeout: 10_000,
      })
      .toBe(1);
    expect(t.slack.callsTo("views.publish")).toHaveLength(1);
    answer();
    await t.settle();
    expect(homeText(PEOPLE.housing1.id)).toContain("我的督办事项");
    // Drawn once and marked done: a settled inbox draws it no more.
    expect(t.slack.callsTo("views.publish")).toHaveLength(1);
  });
});

describe("/ducha show history", () => {
  it("lists who did what and when, with before → after", async () => {
    await dispatchMeeting(t);
    const card = cardOf(t, 1);
    await t.slack.clickInMessage(PEOPLE.finance1.id, card.channel, card.ts, "task_ack");
    await t.settle();
    await t.slack.say(PEOPLE.finance1.id, card.channel, "进度30%，首批资金已拨付", { threadTs: card.ts });
    await t.settle();
    await t.slack.command(PEOPLE.outsider.id, CHANNELS.general.id, "查看 1");
    await t.settle();
    const shown = textOf(t.slack.lastEphemeral(PEOPLE.outsider.id));
    expect(shown).toContain("办理记录");
    expect(shown).toContain(`12月1日 09:00 <@${PEOPLE.supervisor.id}> 交办\n`);
    expect(shown).toContain(`<@${PEOPLE.finance1.id}> 签收（待签收 → 办理中）`);
    expect(shown).toContain(`<@${PEOPLE.finance1.id}> 反馈进展（进度 30%）`);
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sortKeyOf } from "../src/store/search.js";
import { MEETING_DECISION } from "./fake-slack/scenario.js";
import { CHANNELS, mention, PEOPLE, startTestBot, type TestBot, textOf } from "./support/harness.js";
import {
  dispatchMeeting,
  ducha,
  fillModal,
  officeReady,
  openNewDecision,
  pressOn,
  replyOn,
} from "./support/office.js";

/**
 * 查考 on the real app over HTTP: `/ducha 查找` finds decisions, tasks, reports and information of
 * any state by two- and four-character Chinese words, newest first, narrowed by unit, source,
 * leader, year and state; a 不公开 record only for those entitled; a page at a time.
 * Tasks (the meeting decision): 1 老旧小区改造资金拨付 (财政, closed below), 2 城中村改造实施方案 (住建),
 * 3 公交站台安全隐患排查整改 (交通, cancelled below), 4 冬季供暖补贴资金 (财政), 5 主干道施工围挡整治方案 (住建).
 */

let t: TestBot;
beforeAll(async () => {
  t = await startTestBot();
  await officeReady(t);
  await dispatchMeeting(t);
  await replyOn(t, PEOPLE.finance1, 4, "进度30%，供暖补贴第一批已下达3个区");
  await pressOn(t, PEOPLE.finance1, 1, "task_ack");
  await pressOn(t, PEOPLE.finance1, 1, "task_claim");
  await fillModal(t, PEOPLE.finance1, { a_text: "改造资金已全部拨付" });
  await pressOn(t, PEOPLE.supervisor, 1, "task_verify");
  await fillModal(t, PEOPLE.supervisor, {});
  await pressOn(t, PEOPLE.supervisor, 3, "task_cancel");
  await fillModal(t, PEOPLE.supervisor, { a_reason: "并入全市交通安全专项整治" });
  // A 不公开 decision: its task (督〔2026〕6号, 财政) is for the office and 财政 only.
  const modal = await openNewDecision(t, "一、财政局牵头，12月20日前完成重点单位安保经费核拨。");
  await t.slack.submit(PEOPLE.supervisor.id, modal.id, { d_conf: "secret", d_ref: "机密纪要" });
  await t.settle();
});
afterAll(async () => {
  await t.stop();
});

const find = (person: { id: string }, text: string) => ducha(t, person, `查找 ${text}`);

describe("/ducha 查找", () => {
  it("finds a two- and a four-character word, newest first, with the word highlighted", async () => {
    const heating = await find(PEOPLE.supervisor, "供暖");
    expect(heating).toContain("督〔2026〕4号");
    // The report (newest) before the task.
    expect(heating.indexOf("反馈")).toBeLessThan(heating.indexOf("事项 ·"));
    expect(heating).toContain("*供暖*");
    const hoarding = await find(PEOPLE.supervisor, "围挡整治");
    expect(hoarding).toContain("督〔2026〕5号");
    expect(hoarding).not.toContain("督〔2026〕4号");
    // No word of two characters: how to search.
    expect(await find(PEOPLE.supervisor, "暖")).toContain("至少两个字");
    expect(await find(PEOPLE.supervisor, "，。！")).toContain("至少两个字");
    expect(await find(PEOPLE.supervisor, "不存在的词语")).toContain("没有找到");
  });

  it("finds closed and cancelled tasks, and narrows by state, unit, source, leader and year", async () => {
    expect(await find(PEOPLE.supervisor, "老旧小区 已办结")).toContain("督〔2026〕1号");
    // In progress: the decision (others of its tasks are open), not the closed task.
    expect(await find(PEOPLE.supervisor, "老旧小区 在办")).not.toContain("督〔2026〕1号");
    expect(await find(PEOPLE.supervisor, "公交站台 已撤销")).toContain("督〔2026〕3号");
    const housing = await find(PEOPLE.supervisor, "改造 单位 住建局");
    expect(housing).toContain("督〔2026〕2号");
    expect(housing).not.toContain("督〔2026〕1号");
    expect(await find(PEOPLE.supervisor, "改造 单位 不存在局")).toContain("不存在局");
    expect(await find(PEOPLE.supervisor, "改造 来源 批示")).toContain("没有找到");
    expect(await find(PEOPLE.supervisor, "改造 来源 会议")).toContain("督〔2026〕2号");
    expect(await find(PEOPLE.supervisor, `改造 领导 ${mention(PEOPLE.leader)}`)).toContain("督〔2026〕2号");
    expect(await find(PEOPLE.supervisor, `改造 领导 ${mention(PEOPLE.admin)}`)).toContain("没有找到");
    expect(await find(PEOPLE.supervisor, "改造 2025")).toContain("没有找到");
    expect(await find(PEOPLE.supervisor, "改造 2026")).toContain("督〔2026〕2号");
    expect(await find(PEOPLE.supervisor, "改造 本年")).toContain("督〔2026〕2号");
  });

  it("finds a 不公开 task only for those entitled to it", async () => {
    expect(await find(PEOPLE.supervisor, "安保经费")).toContain("督〔2026〕6号");
    expect(await find(PEOPLE.finance1, "安保经费")).toContain("督〔2026〕6号");
    expect(await find(PEOPLE.housing1, "安保经费")).toContain("没有找到");
    expect(await find(PEOPLE.outsider, "安保经费")).toContain("没有找到");
  });

  it("goes a page at a time, and finds information reports too", async () => {
    for (let i = 1; i <= 12; i++) await replyOn(t, PEOPLE.housing1, 2, `城中村第${i}片区入户调查完成`);
    const first = await find(PEOPLE.supervisor, "入户调查");
    expect(first.match(/入户调查/g)?.length).toBeGreaterThanOrEqual(10);
    expect(first).toContain("第12片区");
    const answer = t.slack.ephemeralsFor(PEOPLE.supervisor.id).at(-1);
    const before = t.slack.ephemeralsFor(PEOPLE.supervisor.id).length;
    expect(JSON.stringify(answer?.blocks)).toContain("search_page");
    if (!answer) throw new Error("no answer");
    await t.slack.clickInEphemeral(PEOPLE.supervisor.id, answer, "search_page");
    await t.settle();
    const page2 = t.slack
      .ephemeralsFor(PEOPLE.supervisor.id)
      .slice(before)
      .map((e) => textOf(e))
      .join("\n");
    expect(page2).toContain("第 2 页");
    expect(page2).toContain("第1片区");

    // An information report, and a task dispatched from the meeting later: found as they come.
    await t.slack.command(PEOPLE.finance1.id, CHANNELS.general.id, "报送");
    await t.settle();
    await fillModal(t, PEOPLE.finance1, {
      i_title: "城东区燃气管道破裂",
      i_date: "2026-12-01",
      i_time: "08:00",
      i_category: "incident",
      i_urgency: "urgent",
      i_text: "燃气管道破裂，已关阀",
      i_conf: "internal",
    });
    const gas = await find(PEOPLE.supervisor, "燃气");
    expect(gas).toContain("信息");
    expect(gas).toContain("信〔2026〕1号");
    expect(MEETING_DECISION).toContain("供暖");
  });
});

describe("the index's order", () => {
  it("hands hits newest first, a page at a time, across PostgreSQL's walk of the newest entries and its GIN index", async () => {
    // 60 entries written out of time order, some in the same second; every third holds 防汛.
    const base = Date.UTC(2026, 5, 1);
    const entries = Array.from({ length: 60 }, (_, i) => {
      const n = (i * 37) % 60;
      return {
        kind: (["report", "task", "decision"] as const)[n % 3] ?? "report",
        refId: 900_000 + i,
        taskId: null,
        decisionId: null,
        infoId: null,
        at: new Date(base + Math.floor(n / 2) * 3_600_000),
        text: n % 3 === 0 ? `第${n}次汛前检查，防汛物资到位` : `第${n}次例行检查`,
      };
    });
    await t.store.transaction((tx) => tx.search.add(entries));
    const expected = entries
      .filter((e) => e.text.includes("防汛"))
      .sort((a, b) => (sortKeyOf(b) > sortKeyOf(a) ? 1 : -1))
      .map((e) => e.text);
    expect(expected).toHaveLength(20);
    // The walk covers 7 entries (2 or 3 hits): every page but the first comes from the GIN index.
    for (const recent of [7, 10_000])
      for (const skip of [0, 3, 9, 18]) {
        const hits = await t.store.read((tx) =>
          tx.search.find({
            grams: ["防汛"],
            words: ["防汛"],
            filter: { period: { start: new Date(base), end: new Date(base + 40 * 3_600_000) } },
            office: true,
            departmentIds: [],
            skip,
            take: 5,
            recent,
          }),
        );
        expect(hits.map((h) => h.text)).toEqual(expected.slice(skip, skip + 5));
      }
  });
});

describe("the office's search box on the App Home", () => {
  it("searches on Enter and shows the hits under the box; a unit's member has no box", async () => {
    await t.slack.openHome(PEOPLE.supervisor.id);
    await t.settle();
    const home = t.slack.homeView(PEOPLE.supervisor.id);
    expect(JSON.stringify(home?.view)).toContain("home_search");
    await t.slack.clickInView(PEOPLE.supervisor.id, home?.id ?? "", "home_search", { selected: "供暖" });
    await t.settle();
    const after = textOf({
      text: "",
      blocks: t.slack.homeView(PEOPLE.supervisor.id)?.view.blocks as unknown[],
    });
    expect(after).toContain("查找“供暖”");
    expect(after).toContain("督〔2026〕4号");
    await t.slack.clickInView(PEOPLE.supervisor.id, home?.id ?? "", "home_search", { selected: "暖" });
    await t.settle();
    expect(
      textOf({ text: "", blocks: t.slack.homeView(PEOPLE.supervisor.id)?.view.blocks as unknown[] }),
    ).toContain("至少两个字");
    await t.slack.openHome(PEOPLE.housing1.id);
    await t.settle();
    expect(JSON.stringify(t.slack.homeView(PEOPLE.housing1.id)?.view)).not.toContain("home_search");
  });
});

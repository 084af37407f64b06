import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CHANNELS, PEOPLE, startTestBot, type TestBot, textOf } from "./support/harness.js";
import {
  buttonsOf,
  cardOf,
  dispatchMeeting,
  officeReady,
  taskBySeq,
  threadNotices,
} from "./support/office.js";

let t: TestBot;

beforeEach(async () => {
  t = await startTestBot();
  await officeReady(t);
  await dispatchMeeting(t);
});
afterEach(async () => {
  await t.stop();
});

/**
 * A person presses a button on task `seq`'s card (on an older copy of it when `stale` is given:
 * a client not yet refreshed); returns what they alone were told, if anything.
 */
async function press(
  person: { id: string },
  seq: number,
  actionId: string,
  stale?: Record<string, unknown>[],
): Promise<string | undefined> {
  const before = t.slack.ephemeralsFor(person.id).length;
  const card = cardOf(t, seq);
  await t.slack.clickInMessage(
    person.id,
    card.channel,
    card.ts,
    actionId,
    stale ? { staleBlocks: stale } : {},
  );
  await t.settle();
  const told = t.slack.ephemeralsFor(person.id).slice(before);
  return told.length ? textOf(told.at(-1)) : undefined;
}

/** Fills and submits the modal the last press opened. */
async function fill(person: { id: string }, inputs: Record<string, string | string[] | null>) {
  const modal = t.slack.openModal(person.id);
  if (!modal) throw new Error("no modal open");
  const result = await t.slack.submit(person.id, modal.id, inputs);
  await t.settle();
  return result;
}

describe("签收", () => {
  it("a member of the lead department acknowledges; the card and the thread say so", async () => {
    expect(await press(PEOPLE.finance2, 1, "task_ack")).toBeUndefined();
    expect(await taskBySeq(t, 1)).toMatchObject({ state: "in_progress", ackBy: PEOPLE.finance2.id });
    expect(buttonsOf(cardOf(t, 1))).toEqual([
      "task_report",
      "task_claim",
      "task_extend",
      "task_urge",
      "task_coordinate",
      "task_cancel",
    ]);
    expect(textOf(cardOf(t, 1))).toContain("办理中");
    expect(threadNotices(t, cardOf(t, 1))).toEqual([`:white_check_mark: <@${PEOPLE.finance2.id}> 已签收。`]);
  });

  it("is refused to a co-operating department's member, to an outsider, and a second time", async () => {
    expect(await press(PEOPLE.transport1, 1, "task_ack")).toContain(
      "只有牵头单位（市财政局）的成员可以签收督〔2026〕1号",
    );
    expect(await press(PEOPLE.outsider, 1, "task_ack")).toContain("只有牵头单位（市财政局）的成员");
    expect((await taskBySeq(t, 1)).state).toBe("dispatched");
    const before = cardOf(t, 1).blocks;
    await press(PEOPLE.finance1, 1, "task_ack");
    // The button is gone from the card; pressed on a copy not yet refreshed, it is refused.
    expect(buttonsOf(cardOf(t, 1))).not.toContain("task_ack");
    expect(await press(PEOPLE.finance2, 1, "task_ack", before)).toContain("督〔2026〕1号已经签收过了");
  });
});

describe("反馈进展 by the modal", () => {
  it("asks for what was done, records percentage and blocker, and tells the thread", async () => {
    await press(PEOPLE.housing1, 2, "task_report");
    const empty = await fill(PEOPLE.housing1, { a_progress: "40" });
    expect(empty.errors).toEqual({ a_text: "请写明进展情况" });
    await fill(PEOPLE.housing1, {
      a_text: "完成三个片区摸底，规划调整审批未批复",
      a_blocker: ["blocked"],
      a_cause: "policy",
    });
    const task = await taskBySeq(t, 2);
    expect(task).toMatchObject({ state: "in_progress", progress: 40 });
    expect(task.openBlocker).toMatchObject({ cause: "policy" });
    const [notice] = threadNotices(t, cardOf(t, 2));
    expect(notice).toContain("反馈进展：进度 40%。完成三个片区摸底");
    expect(notice).toContain("困难（政策）");
    expect(textOf(cardOf(t, 2))).toContain("困难（政策");
  });

  it("is refused before the modal opens to someone not in the task's departments", async () => {
    expect(await press(PEOPLE.outsider, 2, "task_report")).toContain(
      "只有牵头单位或配合单位的成员可以反馈进展",
    );
    expect(t.slack.openModal(PEOPLE.outsider.id)).toBeUndefined();
  });
});

describe("申请办结, 退回, 验收通过", () => {
  it("claims with evidence, is returned with a reason, claimed again and verified", async () => {
    await press(PEOPLE.finance1, 1, "task_ack");
    await press(PEOPLE.finance1, 1, "task_claim");
    expect((await fill(PEOPLE.finance1, {})).errors).toEqual({ a_text: "请写明办结情况" });
    await fill(PEOPLE.finance1, { a_text: "资金已全部拨付，见拨款凭证 https://oa.example.gov.cn/doc/123" });
    let task = await taskBySeq(t, 1);
    expect(task.state).toBe("pending_review");
    expect(task.claimedAt).toEqual(t.clock.now());
    expect(buttonsOf(cardOf(t, 1))).toEqual(["task_verify", "task_site_check", "task_return", "task_cancel"]);
    expect(textOf(cardOf(t, 1))).toContain("已申请办结");

    expect(await press(PEOPLE.finance1, 1, "task_verify")).toContain("只有督查员可以验收");
    const claimedCard = cardOf(t, 1).blocks;
    await press(PEOPLE.supervisor, 1, "task_return");
    expect((await fill(PEOPLE.supervisor, {})).errors).toEqual({ a_reason: "请写明理由" });
    await fill(PEOPLE.supervisor, { a_reason: "缺少第二批资金的拨付凭证" });
    task = await taskBySeq(t, 1);
    expect(task).toMatchObject({ state: "in_progress", returnCount: 1, claimedAt: null });
    expect(threadNotices(t, cardOf(t, 1)).at(-1)).toContain("退回，请继续办理：缺少第二批资金的拨付凭证");
    const workingCard = cardOf(t, 1).blocks;

    expect(await press(PEOPLE.supervisor, 1, "task_verify", claimedCard)).toContain("尚未申请办结，无需验收");
    await press(PEOPLE.finance1, 1, "task_claim");
    await fill(PEOPLE.finance1, { a_text: "两批资金均已拨付，凭证已补齐" });
    await press(PEOPLE.supervisor, 1, "task_verify");
    await fill(PEOPLE.supervisor, { l_note: "凭证齐全" });
    task = await taskBySeq(t, 1);
    expect(task.state).toBe("closed");
    const card = textOf(cardOf(t, 1));
    expect(card).toContain("已办结");
    expect(card).toContain("按期办结");
    expect(buttonsOf(cardOf(t, 1))).toEqual(["task_reopen"]);
    expect(threadNotices(t, cardOf(t, 1)).at(-1)).toContain("验收通过，事项办结");
    expect(await press(PEOPLE.finance1, 1, "task_report", workingCard)).toContain("已办结，不能再反馈进展");
  });
});

describe("申请延期", () => {
  it("is approved: the due date moves and the extension is counted", async () => {
    await press(PEOPLE.transport1, 3, "task_extend");
    const early = await fill(PEOPLE.transport1, { a_date: "2026-12-10", a_reason: "需要更多时间" });
    expect(early.errors).toEqual({ a_date: "延期后的时限必须晚于现在的办理时限。" });
    await fill(PEOPLE.transport1, { a_date: "2026-12-31", a_reason: "排查点位增加到 1,200 个" });
    let task = await taskBySeq(t, 3);
    expect(task.pendingExtension).toMatchObject({ reason: "排查点位增加到 1,200 个", late: false });
    expect(buttonsOf(cardOf(t, 3))).toContain("task_extension_approve");
    expect(textOf(cardOf(t, 3))).toContain("申请延期至 12月31日");
    expect(await press(PEOPLE.transport1, 3, "task_extend")).toContain("已有一份延期申请待审批");
    expect(await press(PEOPLE.leader, 3, "task_extension_approve")).toContain("只有督查员可以批准延期");
    await press(PEOPLE.supervisor, 3, "task_extension_approve");
    task = await taskBySeq(t, 3);
    expect(task).toMatchObject({ extensionCount: 1, pendingExtension: null });
    expect(task.dueAt.toISOString()).toBe("2026-12-31T16:00:00.000Z");
    expect(textOf(cardOf(t, 3))).toContain("12月31日");
    expect(textOf(cardOf(t, 3))).toContain("延期 1 次");
    expect(threadNotices(t, cardOf(t, 3)).at(-1)).toContain("批准延期，办理时限改为 12月31日");
  });

  it("is rejected with a reason; a request after the due date is marked late", async () => {
    t.clock.set(new Date("2026-12-16T02:00:00Z"));
    await press(PEOPLE.transport1, 3, "task_extend");
    const modal = t.slack.openModal(PEOPLE.transport1.id);
    expect(textOf({ text: "", blocks: modal?.view.blocks as unknown[] })).toContain("已超过办理时限");
    await fill(PEOPLE.transport1, { a_date: "2026-12-25", a_reason: "材料采购延误" });
    expect((await taskBySeq(t, 3)).pendingExtension?.late).toBe(true);
    await press(PEOPLE.supervisor, 3, "task_extension_reject");
    await fill(PEOPLE.supervisor, { a_reason: "请按原计划加快推进" });
    const task = await taskBySeq(t, 3);
    expect(task).toMatchObject({ extensionCount: 0, pendingExtension: null });
    expect(threadNotices(t, cardOf(t, 3)).at(-1)).toContain("驳回延期申请。请按原计划加快推进");
  });
});

describe("催办, 撤销, 重新督办, ⭐", () => {
  it("urges in the thread, mentioning the lead department's members", async () => {
    expect(await press(PEOPLE.finance1, 1, "task_urge")).toContain("只有督查员、领导和管理员可以催办");
    await press(PEOPLE.leader, 1, "task_urge");
    expect(threadNotices(t, cardOf(t, 1)).at(-1)).toContain(
      `催办：请 <@${PEOPLE.finance1.id}>、<@${PEOPLE.finance2.id}> 抓紧推进`,
    );
  });

  it("cancels with a reason and reopens", async () => {
    await press(PEOPLE.supervisor, 4, "task_cancel");
    await fill(PEOPLE.supervisor, { a_reason: "已并入督〔2026〕1号统筹办理" });
    expect((await taskBySeq(t, 4)).state).toBe("cancelled");
    expect(textOf(cardOf(t, 4))).toContain("已撤销");
    expect(buttonsOf(cardOf(t, 4))).toEqual(["task_reopen"]);
    await press(PEOPLE.supervisor, 4, "task_reopen");
    await fill(PEOPLE.supervisor, { a_reason: "领导要求单独督办" });
    expect((await taskBySeq(t, 4)).state).toBe("in_progress");
    expect(threadNotices(t, cardOf(t, 4)).at(-1)).toContain("重新督办：领导要求单独督办");
  });

  it("stars the latest report as exemplary; only overseers may", async () => {
    const card = cardOf(t, 2);
    await t.slack.say(
      PEOPLE.housing1.id,
      card.channel,
      "进度50%，创新采用“居民议事会”协商方案，签约率达95%",
      { threadTs: card.ts },
    );
    await t.settle();
    expect(await press(PEOPLE.housing1, 2, "report_star")).toContain(
      "只有督查员、领导和管理员可以列为先进经验",
    );
    await press(PEOPLE.supervisor, 2, "report_star");
    const reports = await t.store.read((r) => r.reports.listForTask(2));
    expect(reports.find((r) => r.kind === "report")?.starredBy).toBe(PEOPLE.supervisor.id);
    expect(textOf(cardOf(t, 2))).toContain(`已由 <@${PEOPLE.supervisor.id}> 列为先进经验`);
    expect(threadNotices(t, cardOf(t, 2)).at(-1)).toContain("列为先进经验");
  });
});

describe("推广先进经验", () => {
  it("posts a starred report to every unit's channel once, by the office only", async () => {
    const card = cardOf(t, 2);
    await t.slack.say(
      PEOPLE.housing1.id,
      card.channel,
      "进度50%，创新采用“居民议事会”协商方案，签约率达95%",
      {
        threadTs: card.ts,
      },
    );
    await t.settle();
    await press(PEOPLE.supervisor, 2, "report_star");
    const notice = t.slack
      .replies(card.channel, card.ts)
      .filter((m) => m.botId && m.text.includes("列为先进经验"))
      .at(-1);
    if (!notice) throw new Error("no 列为先进经验 notice");
    const spread = async (person: { id: string }) => {
      const before = t.slack.ephemeralsFor(person.id).length;
      await t.slack.clickInMessage(person.id, card.channel, notice.ts, "report_spread");
      await t.settle();
      return t.slack
        .ephemeralsFor(person.id)
        .slice(before)
        .map((e) => textOf(e))
        .join("\n");
    };
    // A unit's member may not; the office may, and pressing again posts nothing twice.
    expect(await spread(PEOPLE.housing1)).toContain("只有");
    expect(await spread(PEOPLE.supervisor)).toContain("已推广到 3 个单位的频道");
    await spread(PEOPLE.supervisor);
    for (const unit of [CHANNELS.finance, CHANNELS.housing, CHANNELS.transport]) {
      const posts = t.slack.messages(unit.id).filter((m) => m.botId && m.text.includes("推广先进经验"));
      expect(posts).toHaveLength(1);
      expect(textOf(posts[0])).toContain("市住房和城乡建设局在");
      expect(textOf(posts[0])).toContain("居民议事会");
    }
  });
});

describe("the decision's rollup", () => {
  it("follows the tasks' changes", async () => {
    await press(PEOPLE.finance1, 1, "task_ack");
    await press(PEOPLE.finance1, 1, "task_claim");
    await fill(PEOPLE.finance1, { a_text: "已拨付" });
    await press(PEOPLE.supervisor, 1, "task_verify");
    await fill(PEOPLE.supervisor, {});
    const rollup = t.slack.messages(t.slack.channels.get("C0SUPERVI")?.id ?? "")[0];
    expect(textOf(rollup)).toMatch(/督〔2026〕1号> 完成老旧小区改造资金拨付 — 市财政局 — 12月15日 — 已办结/);
    expect(textOf(rollup)).toContain("已办结 1");
  });
});

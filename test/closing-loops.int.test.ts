import mammoth from "mammoth";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startOfDay } from "../src/domain/time.js";
import type { FakeMessage } from "./fake-slack/types.js";
import { PEOPLE, startTestBot, type TestBot, textOf } from "./support/harness.js";
import {
  cardOf,
  dispatchMeeting,
  ducha,
  fillModal,
  officeReady,
  pressOn,
  taskBySeq,
  threadNotices,
} from "./support/office.js";

/**
 * Closing the loops, on the real app over HTTP (DESIGN: Closing the loops): 验收 with its 意见
 * and a 回头看 day; 实地核查 before 验收 of a 民生 task, 不属实 returning the claim as 虚报; 报结
 * to the leader (a line per task, then the .docx with 阅 and 再批示); 再批示 reopening the tasks
 * and telling the units; 我交办的; 回头看 asked on its day (a holiday moves it), answered in the
 * thread, marked 反弹 and scored.
 *
 * The meeting decision's tasks: 1 and 4 are 市财政局's (4 is 供暖: 民生), 2 and 5 住建局's, 3
 * 交通局's (群众出行: 民生). Its 交办领导 is 赵市长.
 */

let t: TestBot;
const at = (date: string, time = "09:00") => {
  const [h, m] = time.split(":").map(Number);
  return new Date(startOfDay(date, "Asia/Shanghai").getTime() + ((h ?? 0) * 60 + (m ?? 0)) * 60_000);
};
const LEAD: Record<number, { id: string }> = {
  1: PEOPLE.finance1,
  2: PEOPLE.housing1,
  3: PEOPLE.transport1,
  4: PEOPLE.finance1,
  5: PEOPLE.housing1,
};

async function claim(seq: number, text = "已全部完成，资金已拨付到位") {
  if ((await taskBySeq(t, seq)).state === "dispatched")
    await pressOn(t, LEAD[seq] ?? PEOPLE.finance1, seq, "task_ack");
  await pressOn(t, LEAD[seq] ?? PEOPLE.finance1, seq, "task_claim");
  await fillModal(t, LEAD[seq] ?? PEOPLE.finance1, { a_text: text });
}

/** The supervisor verifies: presses 验收通过 and submits its modal. Returns what they were told instead, if anything. */
async function verify(seq: number, inputs: Record<string, string | null> = {}) {
  const told = await pressOn(t, PEOPLE.supervisor, seq, "task_verify");
  if (told) return told;
  const result = await fillModal(t, PEOPLE.supervisor, inputs);
  return result.outcome === "errors" ? JSON.stringify(result) : undefined;
}

async function siteCheck(seq: number, finding: "true" | "partly" | "false", note: string) {
  await pressOn(t, PEOPLE.supervisor, seq, "task_site_check");
  return fillModal(t, PEOPLE.supervisor, {
    l_checkers: "李督查、王科长",
    l_date: "2026-12-03",
    l_place: "城东供热站",
    l_finding: finding,
    l_note: note,
  });
}

async function home(person: { id: string }): Promise<string> {
  await t.slack.openHome(person.id);
  await t.settle();
  return textOf({ text: "", blocks: t.slack.homeView(person.id)?.view.blocks as unknown[] });
}

const dms = (person: { id: string }) => t.slack.directMessages(person.id).filter((m) => m.botId);

function withButton(messages: readonly FakeMessage[], actionId: string): FakeMessage {
  const found = [...messages]
    .reverse()
    .find((m) => JSON.stringify(m.blocks ?? []).includes(`"action_id":"${actionId}"`));
  if (!found) throw new Error(`no message with ${actionId}`);
  return found;
}

async function click(person: { id: string }, message: FakeMessage, actionId: string): Promise<string> {
  const before = t.slack.ephemeralsFor(person.id).length;
  await t.slack.clickInMessage(person.id, message.channel, message.ts, actionId);
  await t.settle();
  return t.slack
    .ephemeralsFor(person.id)
    .slice(before)
    .map((e) => textOf(e))
    .join("\n");
}

beforeEach(async () => {
  // Scores on their own thread, as `npm start` works them out (a 虚报's −10 is read there).
  t = await startTestBot({ scoringThread: true });
  await officeReady(t);
  await dispatchMeeting(t);
});
afterEach(async () => {
  await t.stop();
});

describe("实地核查 before 验收 of a 民生 task", () => {
  it("refuses 验收 until a check found the claim true; 不属实 returns the claim as 虚报 (−10)", async () => {
    const taskId4 = (await taskBySeq(t, 4)).id;
    await claim(4);
    expect(await verify(4)).toContain("验收前须先实地核查");
    expect((await taskBySeq(t, 4)).state).toBe("pending_review");
    // Only supervisors record checks.
    expect(await pressOn(t, PEOPLE.finance1, 4, "task_site_check")).toContain("只有督查员");

    // On the spot, the heating subsidy has not reached the households: the claim is false.
    const result = await siteCheck(4, "false", "抽查3个小区，补贴尚未发放到户");
    expect(result.outcome).toBe("updated");
    const task = await taskBySeq(t, 4);
    expect(task.state).toBe("in_progress");
    expect(task.claimedAt).toBeNull();
    expect(threadNotices(t, cardOf(t, 4)).join("\n")).toMatch(/实地核查：不属实.*虚报/);
    const score = await ducha(t, PEOPLE.supervisor, "得分 市财政局 本月");
    expect(t.logs.some((l) => l.msg === "scores: working them out on a thread of their own")).toBe(true);
    expect(score).toContain("虚报");
    expect(score).toMatch(/虚报[^\n]*-10/);

    // Claimed again, checked again (属实), with the photos taken on the spot and shared in the
    // thread: now it can be verified.
    await claim(4, "补贴已全部发放到户，附发放名册");
    const card = cardOf(t, 4);
    const photo = await t.slack.say(PEOPLE.supervisor.id, card.channel, "现场照片", {
      threadTs: card.ts,
      files: [{ name: "入户核查照片.jpg", bytes: "jpeg", mimetype: "image/jpeg" }],
    });
    await t.settle();
    await pressOn(t, PEOPLE.supervisor, 4, "task_site_check");
    await fillModal(t, PEOPLE.supervisor, {
      l_checkers: "李督查",
      l_date: "2026-12-03",
      l_place: "城东区3个小区",
      l_finding: "true",
      l_note: "入户核实5户，均已到账",
      l_files: [photo.files[0]?.id ?? ""],
    });
    const checks = await t.store.read((r) => r.siteChecks.ofTask(taskId4));
    expect(checks.map((c) => c.finding)).toEqual(["false", "true"]);
    expect(checks[1]?.files.map((f) => f.name)).toEqual(["入户核查照片.jpg"]);
    expect(checks[0]?.falseClaim).toBe(true);
    expect(await verify(4, { l_note: "经实地核查属实，同意办结" })).toBeUndefined();
    expect((await taskBySeq(t, 4)).state).toBe("closed");
    const shown = await ducha(t, PEOPLE.supervisor, "查看 4");
    expect(shown).toContain("实地核查（不属实）");
    expect(shown).toContain("同意办结");
  });
});

describe("报结 to the leader, 阅 and 再批示", () => {
  it("tells the leader each task as it closes, then sends the report with 阅 and 再批示", async () => {
    // 交通局's task is cancelled: the rest make the decision done.
    await pressOn(t, PEOPLE.supervisor, 3, "task_cancel");
    await fillModal(t, PEOPLE.supervisor, { a_reason: "并入全市交通安全专项整治" });

    await claim(1);
    expect(await verify(1, { l_note: "资金拨付凭证齐全，同意办结" })).toBeUndefined();
    const lines = dms(PEOPLE.leader).map((m) => m.text);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("督〔2026〕1号");
    expect(lines[0]).toContain("已办结 1/4 项");

    for (const seq of [2, 5]) {
      await claim(seq);
      expect(await verify(seq)).toBeUndefined();
    }
    await claim(4);
    await siteCheck(4, "partly", "大部分已发放，个别小区延迟两天");
    expect(await verify(4)).toBeUndefined();

    const told = dms(PEOPLE.leader);
    // A line for each of the first three, then the report (a file) and its message.
    expect(told.filter((m) => m.text.includes("已验收办结"))).toHaveLength(3);
    const report = told.flatMap((m) => m.files).find((f) => f.name.endsWith(".docx"));
    expect(report?.name).toBe("批示件办理情况报告-1-1.docx");
    const { value } = await mammoth.extractRawText({ buffer: report?.bytes ?? Buffer.alloc(0) });
    expect(value).toContain("关于“市政府常务会议纪要〔2026〕15号”批示件办理情况的报告");
    for (const heading of ["一、批示要求", "二、办理情况", "三、佐证材料", "四、办理时效", "五、验收意见"])
      expect(value).toContain(heading);
    expect(value).toContain("赵市长：");
    expect(value).toContain("已全部完成，资金已拨付到位");
    expect(value).toContain("资金拨付凭证齐全，同意办结");
    expect(value).toContain("实地核查城东供热站，结论：部分属实");
    expect(value).toMatch(/督〔2026〕1号：.*交办，时限.*验收办结，用时 \d+ 个工作日，按期办结/);
    expect(value).toContain("特此报告");

    // The office sees it is not yet read, in the list and on its App Home.
    expect(await ducha(t, PEOPLE.supervisor, "列表 报结")).toContain("报结未阅（1 件）");
    expect(await home(PEOPLE.supervisor)).toContain("*批示件报结*：1 件领导未阅");
    const notice = withButton(dms(PEOPLE.leader), "closure_read");
    expect(notice.text).toContain("已全部办结（4 项）");
    expect(await click(PEOPLE.supervisor, notice, "closure_read")).toContain("只有交办领导本人");
    expect(await click(PEOPLE.leader, notice, "closure_read")).toContain("已阅");
    expect(await ducha(t, PEOPLE.supervisor, "列表 报结")).toContain("报结均已阅");

    // 再批示: more is wanted; the units get the tasks back, told in each card's thread.
    expect(await click(PEOPLE.outsider, notice, "closure_reinstruct")).toContain("只有交办领导本人");
    await click(PEOPLE.leader, notice, "closure_reinstruct");
    const result = await fillModal(t, PEOPLE.leader, {
      l_text: "成效明显。请住建、财政部门建立长效机制，春节前再报一次",
      l_action: "reopen",
      l_due: "2027-01-29",
    });
    expect(result.outcome).toBe("updated");
    for (const seq of [1, 2, 4, 5]) {
      const task = await taskBySeq(t, seq);
      expect(task.state).toBe("in_progress");
      expect(task.dueAt).toEqual(at("2027-01-30", "00:00"));
    }
    expect((await taskBySeq(t, 3)).state).toBe("cancelled");
    const thread = threadNotices(t, cardOf(t, 1)).join("\n");
    expect(thread).toContain("再批示：成效明显");
    expect(thread).toContain(`<@${PEOPLE.finance1.id}>`);

    // 我交办的: the leader's decision's open tasks, red first.
    expect(await home(PEOPLE.leader)).toMatch(/我交办的\*：红灯 \d+ 项，黄灯 \d+ 项，绿灯 \d+ 项/);
    expect(await home(PEOPLE.supervisor)).not.toContain("批示件报结");
    const mine = await ducha(t, PEOPLE.leader, "列表 我交办的");
    expect(mine).toContain("我交办的");
    for (const seq of [1, 2, 4, 5]) expect(mine).toContain(`督〔2026〕${seq}号`);
    expect(mine).not.toContain("督〔2026〕3号");
    expect(await ducha(t, PEOPLE.finance1, "列表 我交办的")).toContain("供领导、督查员和管理员查看");

    // Closed again, it is reported again: the second round.
    for (const seq of [1, 2, 5]) {
      await claim(seq);
      await verify(seq);
    }
    await claim(4);
    await siteCheck(4, "true", "长效机制已建立");
    await verify(4);
    const again = dms(PEOPLE.leader)
      .flatMap((m) => m.files)
      .map((f) => f.name);
    expect(again).toContain("批示件办理情况报告-1-2.docx");
  });
});

describe("回头看", () => {
  it("is asked on its day (a holiday moves it to the next working day), answered in the thread, and 反弹 reopens and costs −5", async () => {
    await claim(1);
    // The 回头看 day must be after today.
    expect(await verify(1, { l_recheck_on: "2026-12-01" })).toContain("今天以后");
    expect(await verify(1, { l_recheck_on: "2026-12-16" })).toBeUndefined();
    expect(threadNotices(t, cardOf(t, 1)).join("\n")).toContain("将于 12月16日 回头看");
    // The 16th is made a holiday.
    await ducha(t, PEOPLE.admin, "设置 日历 2026-12-16 休");
    expect(await ducha(t, PEOPLE.supervisor, "列表 回头看")).toContain("待回头看");

    const asked = () => threadNotices(t, cardOf(t, 1)).filter((n) => n.includes("*回头看*"));
    for (const day of ["2026-12-15", "2026-12-16"]) {
      t.clock.set(at(day));
      await t.bot.scheduler.tick(t.clock.now());
      await t.settle();
      expect(asked()).toEqual([]);
    }
    t.clock.set(at("2026-12-17"));
    await t.bot.scheduler.tick(t.clock.now());
    await t.settle();
    expect(asked()).toHaveLength(1);
    expect(asked()[0]).toContain(`<@${PEOPLE.finance1.id}>`);
    // Asked once, however often the run is made.
    await t.bot.scheduler.tick(t.clock.now());
    await t.settle();
    expect(asked()).toHaveLength(1);

    // The unit answers in the thread.
    const card = cardOf(t, 1);
    await t.slack.say(PEOPLE.finance1.id, card.channel, "回头看：资金使用正常，附近期照片", {
      threadTs: card.ts,
    });
    await t.settle();
    expect(await ducha(t, PEOPLE.supervisor, "列表 回头看")).toContain("单位已答复，待认定");
    expect(await home(PEOPLE.supervisor)).toContain("*回头看*：1 项待认定");

    const question = withButton(t.slack.replies(card.channel, card.ts), "recheck_relapsed");
    // Only supervisors decide.
    expect(await click(PEOPLE.finance1, question, "recheck_held")).toContain("只有督查员");
    await click(PEOPLE.supervisor, question, "recheck_relapsed");
    const result = await fillModal(t, PEOPLE.supervisor, { l_note: "抽查发现2个小区改造后又出现管道渗漏" });
    expect(result.outcome).not.toBe("errors");
    const task = await taskBySeq(t, 1);
    expect(task.state).toBe("in_progress");
    expect(threadNotices(t, cardOf(t, 1)).join("\n")).toContain("认定问题反弹");
    expect(await click(PEOPLE.supervisor, question, "recheck_held")).toContain("已经认定过了");
    const score = await ducha(t, PEOPLE.supervisor, "得分 市财政局 本月");
    expect(score).toMatch(/回头看问题反弹[^\n]*-5/);
    expect(await ducha(t, PEOPLE.supervisor, "列表 回头看")).toContain("没有待办的回头看");
  });
});

describe("报结 when Slack fails", () => {
  it("is retried through the outbox; one Slack refuses is listed in 设置 投递 and sent again", async () => {
    for (const seq of [2, 3, 4, 5]) {
      await pressOn(t, PEOPLE.supervisor, seq, "task_cancel");
      await fillModal(t, PEOPLE.supervisor, { a_reason: "合并办理" });
    }
    const toLeader = (args: unknown) => (args as { channel?: string }).channel === PEOPLE.leader.id;
    // Slack away for the first two tries, then refusing the message outright.
    t.slack.failNext({ method: "chat.postMessage", status: 500, times: 2, when: toLeader });
    t.slack.failNext({ method: "chat.postMessage", status: 200, error: "invalid_blocks", when: toLeader });
    await claim(1);
    expect(await verify(1)).toBeUndefined();
    await t.settle();
    // The report itself (a file) went; its message with 阅 and 再批示 was refused.
    expect(dms(PEOPLE.leader).flatMap((m) => m.files.map((f) => f.name))).toEqual([
      "批示件办理情况报告-1-1.docx",
    ]);
    expect(dms(PEOPLE.leader).some((m) => JSON.stringify(m.blocks ?? []).includes("closure_read"))).toBe(
      false,
    );
    const listed = await ducha(t, PEOPLE.admin, "设置 投递");
    expect(listed).toContain(`报结（阅、再批示） → <@${PEOPLE.leader.id}>`);
    const id = /#(\d+) 报结/.exec(listed)?.[1];
    expect(await ducha(t, PEOPLE.admin, `设置 投递 重发 ${id}`)).toContain("已重新投递 1 条消息");
    await expect
      .poll(
        async () => {
          await t.settle();
          return dms(PEOPLE.leader).filter((m) => JSON.stringify(m.blocks ?? []).includes("closure_read"))
            .length;
        },
        { timeout: 5_000, interval: 50 },
      )
      .toBe(1);
  });
});

describe("the loops' settings", () => {
  it("offer a 回头看 day by source or tag at 验收, and name the tags that need 实地核查", async () => {
    expect(await ducha(t, PEOPLE.supervisor, "设置 回头看 会议 30")).toContain("只有管理员");
    expect(await ducha(t, PEOPLE.admin, "设置 回头看 会议 三十")).toContain("/ducha 设置 回头看");
    expect(await ducha(t, PEOPLE.admin, "设置 回头看 会议 30")).toContain("验收时默认回头看：会议 30 天后");
    expect(await ducha(t, PEOPLE.admin, "设置 回头看 民生 20")).toContain("#民生 20 天后");
    expect(await ducha(t, PEOPLE.admin, "设置 实地核查 安全")).toContain("须实地核查的标签：安全");
    expect(await ducha(t, PEOPLE.admin, "设置 整改期限 7")).toContain("整改措施 7 个工作日内报送");
    // 供暖 (民生) no longer needs a check; its 回头看 is offered 20 days on (the shorter default).
    await claim(4);
    await pressOn(t, PEOPLE.supervisor, 4, "task_verify");
    const modal = t.slack.openModal(PEOPLE.supervisor.id);
    expect(JSON.stringify(modal?.view)).toContain('"initial_date":"2026-12-21"');
    await fillModal(t, PEOPLE.supervisor, {});
    expect((await taskBySeq(t, 4)).state).toBe("closed");
    // Task 1 (no tag): the meeting's 30 days.
    await claim(1);
    await pressOn(t, PEOPLE.supervisor, 1, "task_verify");
    expect(JSON.stringify(t.slack.openModal(PEOPLE.supervisor.id)?.view)).toContain(
      '"initial_date":"2026-12-31"',
    );
    // 0 removes a default.
    expect(await ducha(t, PEOPLE.admin, "设置 回头看 会议 0")).not.toContain("会议 30 天后");
  });
});

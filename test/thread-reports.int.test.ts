import ExcelJS from "exceljs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { anEventEnvelope } from "./fake-slack/payloads.js";
import { CHANNELS, PEOPLE, startTestBot, type TestBot, textOf } from "./support/harness.js";
import { cardOf, dispatchMeeting, ducha, fillModal, officeReady, taskBySeq } from "./support/office.js";

let t: TestBot;

beforeEach(async () => {
  t = await startTestBot();
  await officeReady(t);
  await dispatchMeeting(t);
});
afterEach(async () => {
  await t.stop();
});

async function reply(person: { id: string }, seq: number, text: string, deliveries = 1) {
  const card = cardOf(t, seq);
  const message = await t.slack.say(person.id, card.channel, text, { threadTs: card.ts, deliveries });
  await t.settle();
  return message;
}

const reactionsOn = (message: { reactions: Map<string, Set<string>> }) => [...message.reactions.keys()];

async function reportsOf(seq: number) {
  const task = await taskBySeq(t, seq);
  return t.store.read((r) => r.reports.listForTask(task.id));
}

describe("replies in a card's thread", () => {
  it("become a report with its percentage, move the task into progress and update the card", async () => {
    const message = await reply(PEOPLE.finance1, 1, "进度60%，已完成招标，下周进场施工");
    expect(reactionsOn(t.slack.message(message.channel, message.ts) ?? message)).toEqual([
      "white_check_mark",
    ]);
    const [report] = await reportsOf(1);
    expect(report).toMatchObject({
      kind: "report",
      progress: 60,
      perfunctory: false,
      blocker: false,
      userId: PEOPLE.finance1.id,
    });
    const task = await taskBySeq(t, 1);
    expect(task).toMatchObject({ state: "in_progress", progress: 60, ackBy: PEOPLE.finance1.id });
    const card = textOf(cardOf(t, 1));
    expect(card).toContain("进度 60%");
    expect(card).toContain("已完成招标，下周进场施工");
    expect(card).toContain("办理中");
  });

  it("are kept without control or invisible characters, as the person sees them", async () => {
    await reply(PEOPLE.finance1, 1, "进度\u000050%，\u200b资金\u202e已拨付\u001b[0m到位");
    const [report] = await reportsOf(1);
    expect(report?.text).toBe("进度50%，资金已拨付[0m到位");
    expect(report?.progress).toBe(50);
  });

  it("count once when Slack delivers the same reply three times", async () => {
    await reply(PEOPLE.finance1, 1, "进度30%，方案已报审", 3);
    expect(await reportsOf(1)).toHaveLength(1);
    expect(t.slack.callsTo("reactions.add")).toHaveLength(1);
  });

  it("count once when the same message arrives again under another event id", async () => {
    const message = await reply(PEOPLE.finance1, 1, "进度30%，方案已报审");
    const card = cardOf(t, 1);
    const envelope = anEventEnvelope(
      {
        type: "message",
        user: PEOPLE.finance1.id,
        text: message.text,
        ts: message.ts,
        thread_ts: card.ts,
        channel: card.channel,
        channel_type: "channel",
        event_ts: message.ts,
      },
      { eventId: "Ev0ANOTHERID", eventTime: Math.floor(Date.now() / 1000) },
    );
    const body = JSON.stringify(envelope);
    await t.slack.sendRaw(body, { "Content-Type": "application/json", ...t.slack.sign(body) });
    await t.settle();
    expect(await reportsOf(1)).toHaveLength(1);
  });

  it("read a blocker and its cause, show it on the card and turn the light yellow", async () => {
    const message = await reply(PEOPLE.housing1, 2, "拆迁补偿资金遇到困难，市级配套款至今未到位");
    expect(reactionsOn(t.slack.message(message.channel, message.ts) ?? message)).toEqual(["construction"]);
    const [report] = await reportsOf(2);
    expect(report).toMatchObject({ blocker: true, cause: "funding" });
    const card = textOf(cardOf(t, 2));
    expect(card).toContain("困难（资金");
    expect(card).toContain("黄灯 · 有困难待协调");
  });

  it("flag filler as 走过场: recorded, but the stall clock does not reset", async () => {
    await reply(PEOPLE.finance1, 1, "进度20%，完成现场踏勘");
    const before = (await taskBySeq(t, 1)).lastSubstantiveAt;
    t.clock.advance(2 * 86_400_000);
    const filler = await reply(PEOPLE.finance1, 1, "正在推进");
    expect(reactionsOn(t.slack.message(filler.channel, filler.ts) ?? filler)).toEqual(["warning"]);
    const reports = await reportsOf(1);
    expect(reports.map((r) => r.perfunctory)).toEqual([false, true]);
    expect((await taskBySeq(t, 1)).lastSubstantiveAt).toEqual(before);
    t.clock.advance(86_400_000);
    await reply(PEOPLE.finance1, 1, "进度20%，完成现场踏勘");
    expect((await reportsOf(1)).at(-1)?.perfunctory).toBe(true);
  });

  it("keep a non-member's reply as a comment, without reacting or touching the card", async () => {
    const before = textOf(cardOf(t, 1));
    const question = await reply(PEOPLE.supervisor, 1, "请问资金何时能拨付到位？");
    expect(reactionsOn(t.slack.message(question.channel, question.ts) ?? question)).toEqual([]);
    const [comment] = await reportsOf(1);
    expect(comment).toMatchObject({ kind: "comment", userId: PEOPLE.supervisor.id });
    expect((await taskBySeq(t, 1)).state).toBe("dispatched");
    expect(textOf(cardOf(t, 1))).toBe(before);
  });

  it("count a co-operating department's reply as a report without changing the lead's state", async () => {
    await reply(PEOPLE.transport1, 1, "交通局已完成施工路段交通组织方案，进度50%");
    const [report] = await reportsOf(1);
    expect(report?.kind).toBe("report");
    expect((await taskBySeq(t, 1)).state).toBe("dispatched");
  });

  it("never take the bot's own messages or another bot's for reports", async () => {
    // ducha's own thread notices are echoed back by Slack; another app posts in the thread too.
    await t.slack.clickInMessage(PEOPLE.finance1.id, cardOf(t, 1).channel, cardOf(t, 1).ts, "task_ack");
    await t.settle();
    const card = cardOf(t, 1);
    const envelope = anEventEnvelope(
      {
        type: "message",
        subtype: "bot_message",
        bot_id: "B0OTHERBOT",
        text: "进度90%",
        ts: "1795000000.000100",
        thread_ts: card.ts,
        channel: card.channel,
        channel_type: "channel",
        event_ts: "1795000000.000100",
      },
      { eventId: "Ev0OTHERBOT1", eventTime: Math.floor(Date.now() / 1000) },
    );
    const body = JSON.stringify(envelope);
    await t.slack.sendRaw(body, { "Content-Type": "application/json", ...t.slack.sign(body) });
    await t.settle();
    expect(await reportsOf(1)).toEqual([]);
  });

  it("follow an edit: the report is read again and the change logged", async () => {
    const message = await reply(PEOPLE.finance1, 1, "进度60%，已完成招标");
    await t.slack.edit(PEOPLE.finance1.id, message.channel, message.ts, "进度70%，已完成招标并签订合同");
    await t.settle();
    const [report] = await reportsOf(1);
    expect(report).toMatchObject({ progress: 70, text: "进度70%，已完成招标并签订合同" });
    expect((await taskBySeq(t, 1)).progress).toBe(70);
    expect(textOf(cardOf(t, 1))).toContain("进度 70%");
    const events = await t.store.read((r) => r.events.listRecent(5));
    expect(events.find((e) => e.type === "report.edited")?.before).toMatchObject({ progress: 60 });
  });

  it("follow a deletion: the report is retracted and the progress goes back", async () => {
    await reply(PEOPLE.finance1, 1, "进度40%，资金已到位一半");
    const mistake = await reply(PEOPLE.finance1, 1, "进度90%，基本完成");
    expect((await taskBySeq(t, 1)).progress).toBe(90);
    await t.slack.delete(PEOPLE.finance1.id, mistake.channel, mistake.ts);
    await t.settle();
    const reports = await reportsOf(1);
    expect(reports.find((r) => r.ts === mistake.ts)?.retractedAt).not.toBeNull();
    expect((await taskBySeq(t, 1)).progress).toBe(40);
    expect(textOf(cardOf(t, 1))).toContain("进度 40%");
    const events = await t.store.read((r) => r.events.listRecent(5));
    expect(events.some((e) => e.type === "report.retracted")).toBe(true);
  });

  it("keep which open tasks have a blocker through a reply, an edit and a deletion, as the card reads it", async () => {
    // The daily run and the summaries find blocked tasks by the task row's flag; a card reads
    // the task's latest reports. After each change both must say the same.
    const blockers = async () => {
      const task = await taskBySeq(t, 2);
      const slim = (await t.store.read((r) => r.taskLights.openSlim())).find((s) => s.id === task.id);
      const view = await t.store.read((r) => r.tasks.view(task.id));
      expect(slim?.openBlocker ?? null).toEqual(view?.openBlocker ?? null);
      return slim?.openBlocker?.cause ?? null;
    };
    const hard = await reply(PEOPLE.housing1, 2, "拆迁补偿资金遇到困难，市级配套款至今未到位");
    expect(await blockers()).toBe("funding");
    await t.slack.edit(PEOPLE.housing1.id, hard.channel, hard.ts, "进度50%，拆迁补偿资金已全部拨付");
    await t.settle();
    expect(await blockers()).toBeNull();
    await reply(PEOPLE.housing1, 2, "政策口径不明确，推进遇到困难，需要市里协调");
    expect(await blockers()).toBe("policy");
    const after = await reply(PEOPLE.housing1, 2, "进度60%，协调会已召开");
    expect(await blockers()).toBeNull();
    await t.slack.delete(PEOPLE.housing1.id, after.channel, after.ts);
    await t.settle();
    expect(await blockers()).toBe("policy");
  });

  it("offer the 申请办结 button when a reply says it is done, without closing anything", async () => {
    await reply(PEOPLE.finance1, 1, "已全部完成，请验收");
    const offer = t.slack.lastEphemeral(PEOPLE.finance1.id);
    expect(offer?.text).toContain("请点“申请办结”");
    expect(JSON.stringify(offer?.blocks)).toContain("task_claim");
    expect((await taskBySeq(t, 1)).state).toBe("in_progress");
  });

  it("ignore replies that are not in a card's thread", async () => {
    const parent = await t.slack.say(PEOPLE.finance1.id, CHANNELS.finance.id, "大家好");
    await t.slack.say(PEOPLE.finance2.id, CHANNELS.finance.id, "进度50%", { threadTs: parent.ts });
    await t.settle();
    expect(await t.store.read((r) => r.reports.listForTask(1))).toEqual([]);
  });
});

describe("replies with files and replies also sent to the channel", () => {
  const scan = { name: "老旧小区改造资金拨付清单（扫描件）.pdf", mimetype: "application/pdf" };

  it("take a reply with a scanned document as a report, and keep the file as evidence", async () => {
    const card = cardOf(t, 1);
    const message = await t.slack.say(PEOPLE.finance1.id, card.channel, "进度70%，拨付清单见附件", {
      threadTs: card.ts,
      files: [scan],
    });
    await t.settle();
    const [report] = await reportsOf(1);
    expect(report).toMatchObject({ kind: "report", progress: 70, perfunctory: false });
    expect(reactionsOn(t.slack.message(card.channel, message.ts) ?? message)).toEqual(["white_check_mark"]);
    const [file] = message.files;
    const kept = await t.store.read((r) => r.reports.filesOfTask(report?.taskId ?? 0));
    expect(kept).toEqual([
      expect.objectContaining({
        fileId: file?.id,
        name: scan.name,
        mimetype: "application/pdf",
        reportId: report?.id,
      }),
    ]);
    expect(kept[0]?.permalink).toMatch(/^https:\/\/.+\/files\//);
    // On the card, in /ducha 查看 (with who and when) and in the history.
    expect(textOf(cardOf(t, 1))).toContain(`<${kept[0]?.permalink}|${scan.name}>`);
    const shown = await ducha(t, PEOPLE.supervisor, "查看 1");
    expect(shown).toContain("附件（1 个）");
    expect(shown).toContain(`:paperclip: <${kept[0]?.permalink}|${scan.name}> · <@${PEOPLE.finance1.id}>`);
    expect(shown).toMatch(/反馈进展（进度 70%） :paperclip: <https:/);
    // And in the ledger's sheet of reports.
    await ducha(t, PEOPLE.supervisor, "导出");
    const shared = t.slack
      .directMessages(PEOPLE.supervisor.id)
      .flatMap((m) => m.files)
      .at(-1);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(shared?.bytes as unknown as ArrayBuffer);
    const sheet = book.getWorksheet("反馈记录") as ExcelJS.Worksheet;
    expect(sheet.getRow(1).getCell(15).value).toBe("附件");
    expect(sheet.getRow(2).getCell(15).value).toBe(`${scan.name} ${kept[0]?.permalink}`);
  });

  it("count a file sent without a word as a report that says something new (not 走过场)", async () => {
    const card = cardOf(t, 1);
    await t.slack.say(PEOPLE.finance1.id, card.channel, "", { threadTs: card.ts, files: [scan] });
    await t.settle();
    const [report] = await reportsOf(1);
    expect(report).toMatchObject({ kind: "report", perfunctory: false });
    expect((await taskBySeq(t, 1)).lastSubstantiveAt).not.toBeNull();
  });

  it("take a reply also sent to the channel as a report, once", async () => {
    const card = cardOf(t, 1);
    await t.slack.say(PEOPLE.finance1.id, card.channel, "进度35%，已完成首批拨付", {
      threadTs: card.ts,
      broadcast: true,
      deliveries: 2,
    });
    await t.settle();
    const reports = await reportsOf(1);
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({ kind: "report", progress: 35 });
    expect(textOf(cardOf(t, 1))).toContain("进度 35%");
  });

  it("let a completion claim point to a file shared in the thread", async () => {
    const card = cardOf(t, 1);
    const message = await t.slack.say(PEOPLE.finance1.id, card.channel, "已全部完成，验收材料见附件", {
      threadTs: card.ts,
      files: [scan, { name: "现场照片.jpg", mimetype: "image/jpeg" }],
    });
    await t.settle();
    await t.slack.clickInMessage(PEOPLE.finance1.id, card.channel, card.ts, "task_claim");
    await t.settle();
    const modal = t.slack.openModal(PEOPLE.finance1.id);
    expect(JSON.stringify(modal?.view.blocks)).toContain(scan.name);
    const [pdf] = message.files;
    await fillModal(t, PEOPLE.finance1, { a_text: "资金已全部拨付到位", a_files: [pdf?.id ?? ""] });
    const task = await taskBySeq(t, 1);
    expect(task.state).toBe("pending_review");
    const claim = (await reportsOf(1)).find((r) => r.kind === "claim");
    const files = await t.store.read((r) => r.reports.filesOfTask(task.id));
    expect(files.filter((f) => f.reportId === claim?.id).map((f) => f.name)).toEqual([scan.name]);
    const history = await ducha(t, PEOPLE.supervisor, "查看 1");
    expect(history).toMatch(/申请办结（办理中 → 已申请办结）[^\n]*:paperclip: <https:[^|]+\|老旧小区/);
  });
});

describe("the card's progress", () => {
  it("stays when a later report gives no number, and follows an edited percentage", async () => {
    const first = await reply(PEOPLE.finance1, 1, "进度30%，方案已报审");
    await reply(PEOPLE.finance1, 1, "已与施工单位对接，下周进场");
    let card = textOf(cardOf(t, 1));
    expect(card).toContain("进度 30%");
    expect(card).toContain("已与施工单位对接");
    expect(card).toMatch(/最近反馈 \d+月\d+日/);
    await t.slack.edit(PEOPLE.finance1.id, first.channel, first.ts, "进度45%，方案已报审");
    await t.settle();
    card = textOf(cardOf(t, 1));
    expect(card).toContain("进度 45%");
    expect(card).not.toContain("进度 30%");
  });
});

describe("card updates", () => {
  it("come as one update for a burst of replies", async () => {
    await t.stop();
    t = await startTestBot({ outbox: { debounceMs: 3_000 } });
    await officeReady(t);
    await dispatchMeeting(t);
    const card = cardOf(t, 1);
    const updatesBefore = t.slack.callsTo("chat.update").filter((c) => c.args.ts === card.ts).length;
    for (const text of [
      "进度10%",
      "进度20%，完成测量",
      "进度30%，完成设计",
      "进度40%，开始施工",
      "进度50%，完成一半",
    ]) {
      await t.slack.say(PEOPLE.finance1.id, card.channel, text, { threadTs: card.ts });
    }
    await t.settle();
    const updates =
      t.slack.callsTo("chat.update").filter((c) => c.args.ts === card.ts).length - updatesBefore;
    expect(updates).toBe(1);
    expect(textOf(cardOf(t, 1))).toContain("进度 50%");
  });
});

import fs from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CHANNELS, PEOPLE, startTestBot, type TestBot, textOf } from "./support/harness.js";
import { cardOf, dispatchMeeting, officeReady, taskBySeq } from "./support/office.js";

/**
 * Files as Slack hands them over outside an ordinary channel: stubs to look up in Slack Connect
 * channels and DMs, downloads redirected to Slack's own file hosts (Enterprise Grid).
 */

let t: TestBot;
beforeEach(async () => {
  t = await startTestBot();
  await officeReady(t);
});
afterEach(async () => {
  await t.stop();
});

const fixture = (name: string) => fs.readFileSync(new URL(`./fixtures/documents/${name}`, import.meta.url));
const DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

describe("files that arrive as stubs (file_access: check_file_info)", () => {
  it("in a Slack Connect channel: a reply's evidence is looked up with files.info and kept", async () => {
    await dispatchMeeting(t);
    const card = cardOf(t, 1);
    t.slack.shareExternally(card.channel);
    const scan = { name: "资金拨付清单（扫描件）.pdf", mimetype: "application/pdf" };
    await t.slack.say(PEOPLE.finance1.id, card.channel, "进度70%，拨付清单见附件", {
      threadTs: card.ts,
      files: [scan],
    });
    await t.settle();
    const task = await taskBySeq(t, 1);
    const kept = await t.store.read((r) => r.reports.filesOfTask(task.id));
    expect(kept.map((f) => f.name)).toEqual([scan.name]);
    expect(t.slack.callsTo("files.info").length).toBeGreaterThanOrEqual(1);
    expect(textOf(cardOf(t, 1))).toContain(scan.name);
  });

  it("in a DM: a decision's file is looked up and offered as 新建督办", async () => {
    t.slack.fileStubsInDms = true;
    await t.slack.dm(PEOPLE.supervisor.id, "", {
      files: [{ name: "市政府第15次常务会议纪要.docx", bytes: fixture("decision.docx"), mimetype: DOCX }],
    });
    await t.settle();
    const answers = t.slack.directMessages(PEOPLE.supervisor.id).filter((m) => m.botId);
    expect(answers).toHaveLength(1);
    expect(textOf(answers[0])).toContain("收到《市政府第15次常务会议纪要.docx》");
  });
});

describe("a download redirected", () => {
  async function readFromMessage() {
    const message = await t.slack.say(PEOPLE.leader.id, CHANNELS.general.id, "请按纪要抓好落实", {
      files: [{ name: "会议纪要.docx", bytes: fixture("decision.docx"), mimetype: DOCX }],
    });
    await t.settle();
    await t.slack.messageShortcut(
      PEOPLE.supervisor.id,
      CHANNELS.general.id,
      message.ts,
      "ducha_decision_from_message",
    );
    await t.settle();
    return textOf({ text: "", blocks: t.slack.openModal(PEOPLE.supervisor.id)?.view.blocks as unknown[] });
  }

  it("to another of Slack's file hosts is followed, with the token", async () => {
    t.slack.redirectDownloads = "slack";
    expect(await readFromMessage()).toContain("督办事项（");
    expect(t.slack.downloads.filter((d) => d.served)).toHaveLength(1);
  });

  it("to a host that is not Slack's is not followed: the token stays home, and the person is told", async () => {
    t.slack.redirectDownloads = "foreign";
    const shown = await readFromMessage();
    expect(t.slack.foreignDownloads).toEqual([]);
    expect(shown).not.toContain("督办事项（");
    expect(shown).toContain("会议纪要.docx");
  });
});

import fs from "node:fs";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { FakeView } from "./fake-slack/fake-slack.js";
import { duchaAs, setUpOffice } from "./fake-slack/scenario.js";
import { CHANNELS, PEOPLE, startTestBot, type TestBot, textOf } from "./support/harness.js";

/**
 * Decisions from files (issue 14, part 1): the message shortcut 转为督办事项 on a message
 * carrying a 会议纪要 .docx, an instruction .doc or a PDF reads the file through files.info and
 * url_private (the fake Slack checks the token and that the bot may see the file) and opens
 * the decision modal cut exactly as the same text typed after /ducha 新建.
 */

let t: TestBot;

beforeEach(async () => {
  t = await startTestBot();
  await setUpOffice(duchaAs(t.slack, t.settle));
});
afterEach(async () => {
  await t.stop();
});

const fixture = (name: string) => fs.readFileSync(new URL(`./fixtures/documents/${name}`, import.meta.url));
const DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

const blocksText = (view: FakeView) => textOf({ text: "", blocks: view.view.blocks as unknown[] });
/** The modal's tasks, from its header on: what the splitter made of the text. */
const tasksOf = (view: FakeView) => {
  const text = blocksText(view);
  return text.slice(text.indexOf("督办事项（"));
};

async function typed(text: string): Promise<FakeView> {
  await t.slack.command(PEOPLE.supervisor.id, CHANNELS.general.id, `新建 ${text}`);
  await t.settle();
  const modal = t.slack.openModal(PEOPLE.supervisor.id);
  if (!modal) throw new Error("no modal for the typed text");
  await t.slack.closeModal(PEOPLE.supervisor.id, modal.id);
  return modal;
}

async function fromFile(
  file: { name: string; bytes: Buffer; mimetype?: string },
  options: { channel?: string; person?: string } = {},
): Promise<FakeView | undefined> {
  const channel = options.channel ?? CHANNELS.general.id;
  const message = await t.slack.say(PEOPLE.leader.id, channel, "请按纪要抓好落实", { files: [file] });
  await t.settle();
  await t.slack.messageShortcut(
    options.person ?? PEOPLE.supervisor.id,
    channel,
    message.ts,
    "ducha_decision_from_message",
  );
  await t.settle();
  return t.slack.openModal(options.person ?? PEOPLE.supervisor.id);
}

function draftsStored(): number {
  const db = new Database(t.dbFile, { readonly: true });
  try {
    return (db.prepare("SELECT count(*) AS n FROM DecisionDraft").get() as { n: number }).n;
  } finally {
    db.close();
  }
}

describe("a decision from a file (转为督办事项 on a message with a file)", () => {
  it("cuts a .docx 会议纪要 into the same tasks as its text, keeping the file and its number as the source", async () => {
    const text = fixture("decision.txt").toString("utf8").trim();
    const expected = tasksOf(await typed(text));
    expect(expected).toContain("督办事项（5 项）");
    const modal = await fromFile({
      name: "市政府第15次常务会议纪要.docx",
      bytes: fixture("decision.docx"),
      mimetype: DOCX,
    });
    expect(modal?.view.callback_id).toBe("decision_submit");
    if (!modal) return;
    expect(tasksOf(modal)).toBe(expected);
    expect(blocksText(modal)).toMatch(/读取自文件 <https:\/\/[^|]+\|《市政府第15次常务会议纪要\.docx》>/);
    expect(modal.state.values.d_ref?.d_ref?.value).toBe("市政府第15次常务会议纪要 市府纪〔2026〕15号");
    expect(modal.state.values.d_text?.d_text?.value).toBe(text);
    // The file was fetched with the bot's token.
    expect(t.slack.downloads).toEqual([expect.objectContaining({ served: true })]);

    await t.slack.submit(PEOPLE.supervisor.id, modal.id, { d_source: "meeting" });
    await t.settle();
    const [task] = await t.store.read((r) => r.tasks.list({}, { skip: 0, take: 1 }));
    expect(task?.decision.sourceRef).toBe("市政府第15次常务会议纪要 市府纪〔2026〕15号");
    const db = new Database(t.dbFile, { readonly: true });
    const row = db.prepare("SELECT sourceFileName, sourceFileUrl, source FROM Decision").get() as Record<
      string,
      string
    >;
    db.close();
    expect(row.sourceFileName).toBe("市政府第15次常务会议纪要.docx");
    expect(row.sourceFileUrl).toMatch(/^https:\/\/.+\/files\/.+/);
    expect(row.source).toBe("meeting");
    // The card links the original document.
    const card = t.slack
      .messages(CHANNELS.finance.id)
      .find((m) => m.botId && textOf(m).includes("督〔2026〕1号"));
    expect(textOf(card)).toMatch(/原件 <https:\/\/[^|]+\|《市政府第15次常务会议纪要\.docx》>/);
  });

  it("cuts a legacy .doc instruction and a PDF with a text layer as their text", async () => {
    const instruction = fixture("instruction.txt").toString("utf8").trim();
    const expectedDoc = tasksOf(await typed(instruction));
    expect(expectedDoc).toMatch(/督办事项（[1-9] 项）/);
    const doc = await fromFile({
      name: "批示.doc",
      bytes: fixture("instruction.doc"),
      mimetype: "application/msword",
    });
    expect(doc && tasksOf(doc)).toBe(expectedDoc);
    expect(doc?.state.values.d_ref?.d_ref?.value).toBe(
      "关于中山路塌陷路段抢修和冬季供暖保障工作的批示 市政府办〔2026〕32号",
    );
    const source = doc?.state.values.d_source?.d_source?.selected_option as { value?: string } | undefined;
    expect(source?.value).toBe("instruction");
    if (doc) await t.slack.closeModal(PEOPLE.supervisor.id, doc.id);

    const expectedPdf = tasksOf(await typed(fixture("decision.txt").toString("utf8").trim()));
    const pdf = await fromFile({
      name: "纪要.pdf",
      bytes: fixture("decision.pdf"),
      mimetype: "application/pdf",
    });
    expect(pdf && tasksOf(pdf)).toBe(expectedPdf);
  });

  it("says what it could not read and what to do, storing nothing: a scan, a password, a broken file, too large, not a document", async () => {
    const cases: { file: { name: string; bytes: Buffer; mimetype?: string }; says: string }[] = [
      {
        file: { name: "扫描件.pdf", bytes: fixture("scan.pdf") },
        says: "没有可读取的文字，可能是扫描件或图片",
      },
      { file: { name: "加密.pdf", bytes: fixture("encrypted.pdf") }, says: "设有密码" },
      { file: { name: "损坏.docx", bytes: Buffer.from("PK\u0003\u0004 truncated") }, says: "已损坏" },
      { file: { name: "大文件.txt", bytes: Buffer.alloc(10 * 1024 * 1024 + 1, 0x41) }, says: "超过 10 MB" },
      {
        file: { name: "现场.jpg", bytes: Buffer.from("jpeg"), mimetype: "image/jpeg" },
        says: "不是督查助手能读取的文件",
      },
    ];
    for (const { file, says } of cases) {
      const modal = await fromFile(file);
      expect(modal?.view.callback_id, file.name).toBe("decision_unreadable");
      const text = modal ? blocksText(modal) : "";
      expect(text, file.name).toContain(`《${file.name}》`);
      expect(text, file.name).toContain(says);
      expect(text, file.name).toContain("粘贴在“/ducha 新建”后面");
      if (modal) await t.slack.closeModal(PEOPLE.supervisor.id, modal.id);
    }
    expect(draftsStored()).toBe(0);
    // The oversized and the picture were judged by files.info and never downloaded.
    expect(t.slack.downloads).toHaveLength(3);
  });

  it("says Slack could not be reached when the download fails, and stores nothing", async () => {
    t.slack.failNextDownloads = 1;
    const modal = await fromFile({ name: "纪要.docx", bytes: fixture("decision.docx") });
    expect(modal?.view.callback_id).toBe("decision_unreadable");
    expect(modal && blocksText(modal)).toContain("没能从 Slack 下载《纪要.docx》，请稍后再试");
    expect(t.slack.downloads).toEqual([expect.objectContaining({ served: false })]);
    expect(draftsStored()).toBe(0);
  });

  it("cannot read a file in a channel the bot is not in, and says how to let it", async () => {
    t.slack.addChannel({
      id: "C0PRIVATE",
      name: "banzi",
      members: [PEOPLE.leader.id, PEOPLE.supervisor.id],
      botIsMember: false,
    });
    const modal = await fromFile(
      { name: "纪要.docx", bytes: fixture("decision.docx") },
      { channel: "C0PRIVATE" },
    );
    expect(modal?.view.callback_id).toBe("decision_unreadable");
    expect(modal && blocksText(modal)).toContain("请先把督查助手添加到这个频道");
    expect(t.slack.downloads).toEqual([]);
    expect(draftsStored()).toBe(0);
  });

  it("fetches nothing for someone who may not start a decision", async () => {
    const modal = await fromFile(
      { name: "纪要.docx", bytes: fixture("decision.docx") },
      { person: PEOPLE.finance1.id },
    );
    expect(modal).toBeUndefined();
    expect(t.slack.callsTo("files.info")).toHaveLength(0);
    expect(t.slack.downloads).toEqual([]);
  });
});

describe("a file shared with the bot in a DM", () => {
  it("gets 新建督办 once (resent events too), which reads it into the decision modal", async () => {
    const message = await t.slack.dm(PEOPLE.supervisor.id, "", {
      files: [{ name: "市政府第15次常务会议纪要.docx", bytes: fixture("decision.docx"), mimetype: DOCX }],
      deliveries: 2,
    });
    await t.settle();
    const answers = t.slack.directMessages(PEOPLE.supervisor.id).filter((m) => m.botId);
    expect(answers).toHaveLength(1);
    const [offer] = answers;
    expect(textOf(offer)).toContain("收到《市政府第15次常务会议纪要.docx》。点“新建督办”");
    expect(offer?.ts).not.toBe(message.ts);
    const expected = tasksOf(await typed(fixture("decision.txt").toString("utf8").trim()));
    await t.slack.clickInMessage(
      PEOPLE.supervisor.id,
      message.channel,
      offer?.ts ?? "",
      "decision_from_file",
    );
    await t.settle();
    const modal = t.slack.openModal(PEOPLE.supervisor.id);
    expect(modal?.view.callback_id).toBe("decision_submit");
    expect(modal && tasksOf(modal)).toBe(expected);
    expect(modal?.state.values.d_ref?.d_ref?.value).toBe("市政府第15次常务会议纪要 市府纪〔2026〕15号");
  });

  it("tells someone who may not start a decision what files are for, with no button", async () => {
    await t.slack.dm(PEOPLE.finance1.id, "", {
      files: [{ name: "材料.docx", bytes: fixture("decision.docx") }],
    });
    await t.settle();
    const [answer] = t.slack.directMessages(PEOPLE.finance1.id).filter((m) => m.botId);
    expect(textOf(answer)).toContain("只把督查员、领导或管理员发来的文件拆分为督办事项");
    expect(JSON.stringify(answer?.blocks ?? [])).not.toContain("decision_from_file");
    expect(t.slack.downloads).toEqual([]);
  });
});

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
import mammoth from "mammoth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import yauzl from "yauzl";
import { writeArchive } from "../src/archive/archive.js";
import { messagesFor } from "../src/i18n/index.js";
import { PEOPLE, startTestBot, type TestBot, textOf } from "./support/harness.js";
import { cardOf, dispatchMeeting, ducha, fillModal, officeReady, pressOn } from "./support/office.js";

/**
 * 立卷归档 on the real app: `/ducha 归档 2026` (admins) writes the year's ZIP on the server — a
 * folder per task named by its 档号 with its 交办单, reports and the evidence files themselves, a
 * 目录 — and tells the admin by DM; a file Slack no longer serves is listed as missing; a run
 * stopped halfway goes on from the last whole task, and never leaves half a ZIP under its name.
 */

let t: TestBot;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ducha-archive-"));
let photo = Buffer.alloc(0);
let goneName = "";

/** Every entry of a ZIP, by name, with its bytes. */
function unzip(file: string): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    const entries = new Map<string, Buffer>();
    yauzl.open(file, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error);
      zip.on("entry", (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (err, stream) => {
          if (err || !stream) return reject(err);
          const chunks: Buffer[] = [];
          stream.on("data", (c: Buffer) => chunks.push(c));
          stream.on("end", () => {
            entries.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.on("end", () => resolve(entries));
      zip.readEntry();
    });
  });
}

beforeAll(async () => {
  process.env.ARCHIVE_DIR = dir;
  t = await startTestBot();
  await officeReady(t);
  await dispatchMeeting(t);
  // Evidence in task 4's thread: a photo, and a scan later deleted from Slack.
  const card = cardOf(t, 4);
  photo = Buffer.from("JPEG bytes of the heating station");
  await t.slack.say(PEOPLE.finance1.id, card.channel, "进度60%，补贴已下达，附现场照片", {
    threadTs: card.ts,
    files: [
      { name: "现场照片.jpg", bytes: photo, mimetype: "image/jpeg" },
      { name: "拨款凭证.pdf", bytes: "PDF", mimetype: "application/pdf" },
    ],
  });
  await t.settle();
  const gone = [...t.slack.files.values()].find((f) => f.name === "拨款凭证.pdf");
  goneName = gone?.name ?? "";
  if (gone) t.slack.files.delete(gone.id);
  await pressOn(t, PEOPLE.finance1, 1, "task_ack");
  await pressOn(t, PEOPLE.finance1, 1, "task_claim");
  await fillModal(t, PEOPLE.finance1, { a_text: "改造资金已全部拨付" });
  await pressOn(t, PEOPLE.supervisor, 1, "task_verify");
  await fillModal(t, PEOPLE.supervisor, { l_note: "凭证齐全，同意办结" });
});
afterAll(async () => {
  await t.stop();
  delete process.env.ARCHIVE_DIR;
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("/ducha 归档", () => {
  it("writes the year's ZIP: 目录, a folder per task with its 交办单, reports and evidence; the admin is told", async () => {
    expect(await ducha(t, PEOPLE.supervisor, "归档 2026")).toContain("只有管理员");
    expect(await ducha(t, PEOPLE.admin, "归档 去年")).toContain("/ducha 归档 2026");
    expect(await ducha(t, PEOPLE.admin, "归档 2026")).toContain("已开始归档 2026 年的 5 项事项");
    await t.settle();
    const told = t.slack.directMessages(PEOPLE.admin.id).map((m) => textOf(m));
    // Told when it started (the message then shows the progress), and when it was done.
    const started = t.slack
      .callsTo("chat.postMessage")
      .map((c) => String((c.args as { text?: string }).text));
    expect(started.some((m) => m.includes("开始归档 2026 年督办事项，共 5 项（其中 4 项尚未办结"))).toBe(
      true,
    );
    expect(told).toContain(":file_cabinet: 归档中：已完成 5/5 项。");
    const done = told.find((m) => m.includes("归档完成"));
    expect(done).toContain("督查档案-2026.zip");
    expect(done).toContain("5 项事项、1 个文件；1 个文件 Slack 已不再提供");

    const zip = await unzip(path.join(dir, "督查档案-2026.zip"));
    expect(fs.readdirSync(dir)).toEqual(["督查档案-2026.zip"]);
    const names = [...zip.keys()];
    expect(names).toContain("目录.xlsx");
    for (let seq = 1; seq <= 5; seq++) {
      const folder = `2026-督-000${seq}`;
      expect(names).toContain(`${folder}/交办单.docx`);
      expect(names).toContain(`${folder}/反馈记录.xlsx`);
    }
    // The evidence itself, byte for byte.
    expect(zip.get("2026-督-0004/佐证材料/现场照片.jpg")?.equals(photo)).toBe(true);
    const { value: order } = await mammoth.extractRawText({
      buffer: zip.get("2026-督-0001/交办单.docx") ?? Buffer.alloc(0),
    });
    expect(order).toContain("督办事项交办单");
    expect(order).toContain("完成老旧小区改造资金拨付");
    expect(order).toContain("凭证齐全，同意办结");
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(zip.get("目录.xlsx") as unknown as ArrayBuffer);
    const rows = (book.getWorksheet("目录")?.getSheetValues() ?? [])
      .filter(Boolean)
      .map((r) => (r as unknown[]).slice(1));
    expect(rows[0]?.[0]).toBe("档号");
    expect(rows).toHaveLength(6);
    const four = rows.find((r) => r[0] === "2026-督-0004");
    expect(four?.slice(8, 10)).toEqual([1, goneName]);
    expect(rows.find((r) => r[0] === "2026-督-0001")?.[7]).toBe("已办结");
    const reports = new ExcelJS.Workbook();
    await reports.xlsx.load(zip.get("2026-督-0004/反馈记录.xlsx") as unknown as ArrayBuffer);
    const reportRows = (reports.getWorksheet("反馈记录")?.getSheetValues() ?? [])
      .filter(Boolean)
      .map((r) => (r as unknown[]).slice(1));
    expect(reportRows[1]?.[3]).toBe("进度60%，补贴已下达，附现场照片");
    expect(String(reportRows[1]?.[5])).toContain("现场照片.jpg");
  });

  it("goes on from the last whole task after a stop, and never leaves half a ZIP under its name", async () => {
    const target = fs.mkdtempSync(path.join(os.tmpdir(), "ducha-archive-resume-"));
    const options = {
      deps: { store: t.store },
      year: 2026,
      dir: target,
      m: messagesFor("zh-CN"),
      locale: "zh-CN",
      tz: "Asia/Shanghai",
    };
    let fetched = 0;
    let done = 0;
    await expect(
      writeArchive({
        ...options,
        fetchFile: async () => {
          fetched++;
          return Buffer.from("x");
        },
        onProgress: (n) => {
          done = n;
          // The process dies after the third task.
          if (n === 3) throw Object.assign(new Error("killed"), { code: "KILLED" });
        },
      }),
    ).rejects.toThrow("killed");
    expect(done).toBe(3);
    expect(fs.existsSync(path.join(target, "督查档案-2026.zip"))).toBe(false);
    const written = fs.readdirSync(path.join(target, "2026.staging"));
    expect(written.filter((n) => !n.endsWith(".tmp")).sort()).toEqual([
      "2026-督-0001",
      "2026-督-0002",
      "2026-督-0003",
    ]);
    // Started again: the three whole folders are kept, the rest written; task 4's files fetched once more.
    fetched = 0;
    const result = await writeArchive({
      ...options,
      fetchFile: async () => {
        fetched++;
        return Buffer.from("x");
      },
    });
    expect(result.tasks).toBe(5);
    expect(fetched).toBe(2);
    expect(fs.readdirSync(target)).toEqual(["督查档案-2026.zip"]);
    expect((await unzip(result.file)).has("2026-督-0005/交办单.docx")).toBe(true);
    fs.rmSync(target, { recursive: true, force: true });
  });
});

import fs from "node:fs";
import { describe, expect, it } from "vitest";
import {
  documentKind,
  MAX_DOCUMENT_BYTES,
  readDocumentText,
  readHeading,
  sourceRefOf,
  UnreadableDocument,
} from "./read.js";

const fixture = (name: string) =>
  fs.readFileSync(new URL(`../../test/fixtures/documents/${name}`, import.meta.url));
const typed = (name: string) => fixture(name).toString("utf8").trim();

async function reason(work: Promise<unknown>): Promise<string> {
  try {
    await work;
  } catch (error) {
    if (error instanceof UnreadableDocument) return error.reason;
    throw error;
  }
  return "read";
}

describe("reading a decision's file", () => {
  it("reads a .docx, a .doc and a PDF's text layer as the text they were made from", async () => {
    expect(await readDocumentText(fixture("decision.docx"), "docx")).toBe(typed("decision.txt"));
    expect(await readDocumentText(fixture("instruction.doc"), "doc")).toBe(typed("instruction.txt"));
    // The PDF's printed lines and the spaces its text layer puts around digits are undone.
    expect(await readDocumentText(fixture("decision.pdf"), "pdf")).toBe(typed("decision.txt"));
  });

  it("reads plain text in UTF-8 and in GB18030", async () => {
    const text = "请财政局年底前足额下达冬季供暖补贴资金。";
    expect(await readDocumentText(Buffer.from(text), "text")).toBe(text);
    const gbk = Buffer.from([0xc7, 0xeb, 0xb2, 0xc6, 0xd5, 0xfe, 0xbe, 0xd6]); // 请财政局
    expect(await readDocumentText(gbk, "text")).toBe("请财政局");
  });

  it("goes by the bytes, not the name: a .doc renamed .docx is still read", async () => {
    expect(await readDocumentText(fixture("instruction.doc"), "docx")).toBe(typed("instruction.txt"));
  });

  it("says why it cannot read a scan, a password-protected or broken file, or one too large", async () => {
    expect(await reason(readDocumentText(fixture("scan.pdf"), "pdf"))).toBe("no_text");
    expect(await reason(readDocumentText(fixture("encrypted.pdf"), "pdf"))).toBe("encrypted");
    expect(await reason(readDocumentText(Buffer.from("PK\u0003\u0004 not really a zip"), "docx"))).toBe(
      "broken",
    );
    expect(await reason(readDocumentText(fixture("decision.pdf").subarray(0, 2_000), "pdf"))).toBe("broken");
    expect(await reason(readDocumentText(Buffer.alloc(MAX_DOCUMENT_BYTES + 1), "text"))).toBe("too_large");
    // An Office file protected by a password is an OLE container holding EncryptionInfo.
    const wrapped = Buffer.concat([
      Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
      Buffer.alloc(512),
      Buffer.from("EncryptionInfo", "utf16le"),
    ]);
    expect(await reason(readDocumentText(wrapped, "docx"))).toBe("encrypted");
  });

  it("knows documents by name or type, and nothing else", () => {
    expect(documentKind("会议纪要.DOCX")).toBe("docx");
    expect(documentKind("批示.doc")).toBe("doc");
    expect(documentKind("scan", "application/pdf")).toBe("pdf");
    expect(documentKind("现场.jpg", "image/jpeg")).toBeNull();
    expect(documentKind("台账.xlsx")).toBeNull();
  });
});

describe("a document's heading", () => {
  it("finds the title and the document number in the first lines", () => {
    const heading = readHeading(typed("decision.txt"));
    expect(heading).toEqual({ title: "市政府第15次常务会议纪要", number: "市府纪〔2026〕15号" });
    expect(sourceRefOf(heading, "纪要.docx")).toBe("市政府第15次常务会议纪要 市府纪〔2026〕15号");
    expect(readHeading(typed("instruction.txt"))).toEqual({
      title: "关于中山路塌陷路段抢修和冬季供暖保障工作的批示",
      number: "市政府办〔2026〕32号",
    });
  });

  it("falls back to the file's name when the text has neither", () => {
    const heading = readHeading("请财政局年底前足额下达冬季供暖补贴资金。");
    expect(heading).toEqual({});
    expect(sourceRefOf(heading, "张市长批示.docx")).toBe("张市长批示");
  });
});

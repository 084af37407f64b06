/**
 * The text of a decision that arrives as a file: a Word document (.docx, and the older .doc
 * offices still send), a PDF with a text layer, or plain text. Everything happens in memory,
 * within MAX_DOCUMENT_BYTES; nothing is written to disk. The readers (mammoth, word-extractor,
 * unpdf with its PDF.js) are loaded when the first file is read, not at every start.
 */

export const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;

export type DocumentKind = "docx" | "doc" | "pdf" | "text";

/** Why a file's text could not be read: each has its own words for the person. */
export type UnreadableReason =
  | "unsupported"
  | "too_large"
  | "no_text"
  | "encrypted"
  | "broken"
  | "not_visible"
  | "download_failed";

export class UnreadableDocument extends Error {
  readonly reason: UnreadableReason;
  constructor(reason: UnreadableReason, options?: { cause?: unknown }) {
    super(`the document cannot be read: ${reason}`, options);
    this.name = "UnreadableDocument";
    this.reason = reason;
  }
}

const EXTENSIONS: Record<string, DocumentKind> = {
  docx: "docx",
  docm: "docx",
  doc: "doc",
  wps: "doc",
  pdf: "pdf",
  txt: "text",
  text: "text",
  md: "text",
};

const MIME_TYPES: Record<string, DocumentKind> = {
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
  "application/msword": "doc",
  "application/pdf": "pdf",
  "text/plain": "text",
};

/** What kind of document a file is by its name and type; null for anything else (an image, a spreadsheet). */
export function documentKind(name: string, mimetype = ""): DocumentKind | null {
  const extension = name.includes(".") ? (name.split(".").pop() ?? "").toLowerCase() : "";
  return EXTENSIONS[extension] ?? MIME_TYPES[mimetype.split(";")[0]?.trim() ?? ""] ?? null;
}

const ZIP = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
/** OLE compound file: a .doc, or a .docx encrypted with a password (Office wraps it in one). */
const OLE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
const PDF = Buffer.from("%PDF-");
/** The stream an encrypted Office document keeps its key data in, as its UTF-16 directory name. */
const ENCRYPTION_INFO = Buffer.from("EncryptionInfo", "utf16le");

/** Reads the text of a document; throws UnreadableDocument saying why it could not. */
export async function readDocumentText(bytes: Buffer, kind: DocumentKind): Promise<string> {
  if (bytes.length > MAX_DOCUMENT_BYTES) throw new UnreadableDocument("too_large");
  // The bytes decide, not the name: a .doc saved as .docx is read as what it is.
  const actual = sniff(bytes) ?? kind;
  if (actual === "encrypted") throw new UnreadableDocument("encrypted");
  let text: string;
  try {
    text = await extract(bytes, actual);
  } catch (error) {
    if (error instanceof UnreadableDocument) throw error;
    const name = (error as { name?: string }).name;
    if (name === "PasswordException") throw new UnreadableDocument("encrypted", { cause: error });
    throw new UnreadableDocument("broken", { cause: error });
  }
  const clean = tidy(text, actual);
  if (!/[\p{L}\p{N}]/u.test(clean)) throw new UnreadableDocument("no_text");
  return clean;
}

function sniff(bytes: Buffer): DocumentKind | "encrypted" | null {
  if (bytes.subarray(0, 4).equals(ZIP)) return "docx";
  if (bytes.subarray(0, 8).equals(OLE)) return bytes.includes(ENCRYPTION_INFO) ? "encrypted" : "doc";
  if (bytes.subarray(0, 1024).includes(PDF)) return "pdf";
  return null;
}

async function extract(bytes: Buffer, kind: DocumentKind): Promise<string> {
  switch (kind) {
    case "docx": {
      const { default: mammoth } = await import("mammoth");
      return (await mammoth.extractRawText({ buffer: bytes })).value;
    }
    case "doc": {
      const { default: WordExtractor } = await import("word-extractor");
      const document = await new WordExtractor().extract(bytes);
      return document.getBody();
    }
    case "pdf": {
      const { extractText, getDocumentProxy } = await import("unpdf");
      const pdf = await getDocumentProxy(new Uint8Array(bytes));
      try {
        return unwrapPdfLines((await extractText(pdf, { mergePages: true })).text);
      } finally {
        await pdf.destroy();
      }
    }
    case "text":
      return decodeText(bytes);
  }
}

/** Plain text as offices save it: UTF-8, or GB18030 (GBK) from older Windows editors. */
function decodeText(bytes: Buffer): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes).replace(/^\uFEFF/, "");
  } catch {
    return new TextDecoder("gb18030").decode(bytes);
  }
}

const HAN = "\\p{Script=Han}\\u3000-\\u303f\\uff00-\\uffef";
/** A space PDF text layers put between Chinese and digits ("12 月 15 日"), never typed. */
const SPACE_BY_HAN = new RegExp(
  `(?<=[${HAN}])[ \\t]+(?=[${HAN}\\d])|(?<=[${HAN}\\d])[ \\t]+(?=[${HAN}])`,
  "gu",
);
/** Where a new paragraph starts: a numbered item (一、 1. （一） 第一条) or a heading. */
const ITEM_START =
  /^\s*(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十\d]+）|\(\d+\)|\d+[.、．]|第[一二三四五六七八九十\d]+[条项])/;
/** A line that ends a sentence or a heading-like short line. */
const LINE_END = /[。；：！？;:!?）)]\s*$/;

/**
 * A PDF's text comes in printed lines: a sentence carried over to the next line is joined
 * back, unless that line starts a new numbered item.
 */
function unwrapPdfLines(text: string): string {
  const lines = text.replace(SPACE_BY_HAN, "").split("\n");
  const out: string[] = [];
  for (const line of lines) {
    const previous = out.at(-1);
    if (
      previous !== undefined &&
      previous.trim() !== "" &&
      line.trim() !== "" &&
      !LINE_END.test(previous) &&
      !ITEM_START.test(line) &&
      previous.length >= 30
    ) {
      out[out.length - 1] = previous + line.trim();
    } else {
      out.push(line);
    }
  }
  return out.join("\n");
}

/** Lines trimmed, runs of blank lines (Word paragraphs come with one each) made single breaks. */
function tidy(text: string, kind: DocumentKind): string {
  const lines = text
    .replace(/\r\n?/g, "\n")
    .replace(/[\v\f]/g, "\n")
    .split("\n")
    .map((line) => line.replace(/[\s\u3000]+$/u, "").replace(/^[ \t]+/, ""));
  const kept = kind === "text" ? lines : lines.filter((line) => line.trim() !== "");
  return kept
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/** The document number (文号) and the title a document carries in its first lines, where present. */
export interface DocumentHeading {
  /** 〔2026〕15号, with its issuing prefix when it has one: 市府纪〔2026〕15号. */
  number?: string;
  /** 市政府第15次常务会议纪要, 关于…的批示. */
  title?: string;
}

const DOC_NUMBER =
  /([\p{Script=Han}]{0,8}[〔［[（(【]\s*(?:19|20)\d{2}\s*[〕］\]）)】]\s*第?\s*\d{1,4}\s*号)/u;
const TITLE_WORDS = /(?:纪要|批示|通知|意见|决定|方案|办法|通报|函|报告|请示|指示|讲话|要求)$|会议/;

export function readHeading(text: string): DocumentHeading {
  const head = text
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean)
    .slice(0, 6);
  const heading: DocumentHeading = {};
  const numbered = head.map((line) => DOC_NUMBER.exec(line)?.[1]).find(Boolean);
  if (numbered) heading.number = numbered.replace(/\s+/g, "");
  const title = head.find(
    (line) =>
      line.length <= 40 &&
      !ITEM_START.test(line) &&
      !DOC_NUMBER.test(line) &&
      !/[，。；：,;:]$/.test(line) &&
      TITLE_WORDS.test(line),
  );
  if (title) heading.title = title.replace(/[（(]\s*(?:19|20)\d{2}年.*[）)]$/u, "").trim();
  return heading;
}

/** 文号或会议名称 as the decision modal's field takes it: 市政府第15次常务会议纪要 市府纪〔2026〕15号. */
export function sourceRefOf(heading: DocumentHeading, fileName: string): string {
  const parts = [heading.title, heading.number].filter((p): p is string => Boolean(p));
  if (parts.length) return parts.join(" ").slice(0, 150);
  return fileName.replace(/\.[^.]+$/, "").slice(0, 150);
}

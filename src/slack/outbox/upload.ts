import { createReadStream, createWriteStream } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { ErrorCode, type WebClient } from "@slack/web-api";
import { writeLedger } from "../../ledger/xlsx.js";
import type { LedgerSource } from "../../services/ledger.js";
import type { RenderContext } from "../render/format.js";

/** Display names of Slack users, cached for the process: the ledger shows names, not IDs. */
const nameCache = new WeakMap<WebClient, Map<string, string>>();

export function userNames(web: WebClient) {
  const cache = nameCache.get(web) ?? new Map<string, string>();
  nameCache.set(web, cache);
  return async (ids: readonly string[]): Promise<ReadonlyMap<string, string>> => {
    for (const id of new Set(ids)) {
      if (cache.has(id)) continue;
      try {
        const info = await web.users.info({ user: id });
        cache.set(id, info.user?.profile?.real_name || info.user?.real_name || info.user?.name || id);
      } catch {
        // A person who left, or Slack not answering: the ID is still a reference.
        cache.set(id, id);
      }
    }
    return cache;
  };
}

/** Where a file for a person goes: their DM with the bot. */
async function conversationFor(web: WebClient, target: string): Promise<string> {
  if (!/^[UW]/.test(target)) return target;
  const opened = await web.conversations.open({ users: target });
  const id = opened.channel?.id;
  if (!id) {
    throw Object.assign(new Error("conversations.open returned no channel"), {
      code: ErrorCode.PlatformError,
      data: { error: "channel_not_found" },
    });
  }
  return id;
}

/**
 * A file with this name already shared in the channel or DM (after an attempt whose outcome is
 * unknown). Slack shares an uploaded file asynchronously: a file completed a moment ago may not
 * be in the conversation yet, so it is looked for again, once a second, for `settleMs` before
 * the answer is no (and the file is shared again).
 */
async function alreadyShared(
  web: WebClient,
  channel: string,
  filename: string,
  settleMs: number,
): Promise<boolean> {
  const until = Date.now() + settleMs;
  for (;;) {
    const history = await web.conversations.history({ channel, limit: 100 });
    if ((history.messages ?? []).some((m) => (m.files ?? []).some((f) => f.name === filename))) return true;
    if (Date.now() >= until) return false;
    await new Promise((resolve) => setTimeout(resolve, Math.min(1_000, Math.max(10, until - Date.now()))));
  }
}

export interface LedgerUpload {
  web: WebClient;
  source: LedgerSource;
  render: RenderContext;
  target: string;
  filename: string;
  title: string;
  comment(written: { tasks: number; reports: number }): string;
  revealSecret: boolean;
  reconcile: boolean;
  /** How long a reconciling attempt looks for a file shared asynchronously before sharing again. */
  shareSettleMs: number;
  /** fetch for the upload URL (through the proxy, when there is one). */
  fetch?: typeof globalThis.fetch;
  /** Files shared in the same post as the ledger (a bulletin's .docx). */
  attachments?: readonly { filename: string; title: string; bytes: Buffer }[];
  /** A message in the same conversation saying 正在生成 with the share done, then ready. */
  progress?: LedgerProgress;
}

export interface LedgerProgress {
  building(percent: number): string;
  ready(seconds: number): string;
  failed(): string;
  /** At most one update in this long (Slack's chat.update allows ~50 a minute). */
  everyMs: number;
}

/**
 * The progress message of a long build: posted at once, updated at most every `everyMs` with
 * the share of rows written, and told when the file is ready or the build failed. It is a
 * courtesy: a Slack error on it never stops the file.
 */
class ProgressMessage {
  #ts: string | undefined;
  #last = 0;
  #chain: Promise<unknown> = Promise.resolve();
  constructor(
    private readonly web: WebClient,
    private readonly channel: string,
    private readonly words: LedgerProgress,
    private readonly total: number,
  ) {}

  async start(): Promise<void> {
    const posted = await this.web.chat
      .postMessage({ channel: this.channel, text: this.words.building(0) })
      .catch(() => undefined);
    this.#ts = posted?.ts;
    this.#last = Date.now();
  }

  written(rows: number): void {
    if (!this.#ts || Date.now() - this.#last < this.words.everyMs) return;
    this.#last = Date.now();
    const percent = Math.min(99, Math.floor((rows / Math.max(1, this.total)) * 100));
    this.#say(this.words.building(percent));
  }

  async end(text: string): Promise<void> {
    this.#say(text);
    await this.#chain;
  }

  #say(text: string): void {
    const ts = this.#ts;
    if (!ts) return;
    this.#chain = this.#chain.then(() =>
      this.web.chat.update({ channel: this.channel, ts, text }).catch(() => undefined),
    );
  }
}

/**
 * Builds the ledger into a temporary file (streamed: memory stays flat however large it is),
 * then uploads it the way Slack asks: files.getUploadURLExternal, the bytes streamed to the URL
 * it gives, files.completeUploadExternal to share it. The web client's filesUploadV2 would read
 * the whole file into memory first, which a ledger of every task and report should not need.
 */
export async function uploadLedger(
  upload: LedgerUpload,
): Promise<{ tasks: number; reports: number; skipped?: boolean }> {
  const { web, render } = upload;
  const channel = await conversationFor(web, upload.target);
  if (upload.reconcile && (await alreadyShared(web, channel, upload.filename, upload.shareSettleMs))) {
    return { tasks: 0, reports: 0, skipped: true };
  }
  const started = Date.now();
  const progress = upload.progress
    ? new ProgressMessage(web, channel, upload.progress, await upload.source.size())
    : undefined;
  await progress?.start();
  const dir = await mkdtemp(path.join(os.tmpdir(), "ducha-ledger-"));
  try {
    const file = path.join(dir, upload.filename);
    const out = createWriteStream(file);
    const finished = new Promise<void>((resolve, reject) => {
      out.on("finish", () => resolve());
      out.on("error", reject);
    });
    const written = await writeLedger({
      out,
      source: upload.source,
      m: render.m,
      locale: render.locale,
      tz: render.tz,
      revealSecret: upload.revealSecret,
      names: userNames(web),
      onProgress: (written) => progress?.written(written.tasks + written.reports),
    });
    await finished;
    const { size } = await stat(file);
    const shared = [];
    for (const attachment of upload.attachments ?? []) {
      const id = await sendFile(upload, attachment.filename, attachment.bytes.length, () =>
        Readable.from([attachment.bytes]),
      );
      shared.push({ id, title: attachment.title });
    }
    const id = await sendFile(upload, upload.filename, size, () => createReadStream(file));
    await web.files.completeUploadExternal({
      files: [{ id, title: upload.title }, ...shared],
      channel_id: channel,
      initial_comment: upload.comment(written),
    });
    await progress?.end(upload.progress?.ready(Math.max(1, Math.round((Date.now() - started) / 1000))) ?? "");
    return { tasks: written.tasks, reports: written.reports };
  } catch (error) {
    await progress?.end(upload.progress?.failed() ?? "");
    throw error;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** One file's bytes to the URL files.getUploadURLExternal gives; its file ID. */
async function sendFile(
  upload: Pick<LedgerUpload, "web" | "fetch">,
  filename: string,
  size: number,
  bytes: () => NodeJS.ReadableStream,
): Promise<string> {
  const target = await upload.web.files.getUploadURLExternal({ filename, length: size });
  if (!target.upload_url || !target.file_id) throw new Error("files.getUploadURLExternal gave no upload URL");
  let response: Response;
  try {
    response = await (upload.fetch ?? fetch)(target.upload_url, {
      method: "POST",
      headers: { "Content-Type": "application/octet-stream", "Content-Length": String(size) },
      body: bytes() as unknown as ReadableStream,
      duplex: "half",
    } as RequestInit & { duplex: "half" });
  } catch (error) {
    // The network, not Slack's answer: worth another try.
    throw Object.assign(new Error(`upload failed: ${(error as Error).message}`), {
      code: ErrorCode.RequestError,
    });
  }
  if (!response.ok) {
    throw Object.assign(new Error(`upload failed: HTTP ${response.status}`), {
      code: ErrorCode.HTTPError,
      statusCode: response.status,
    });
  }
  await response.arrayBuffer();
  return target.file_id;
}

/**
 * Files made in memory (a summary's chart) shared in a channel in one post, with a comment.
 * After an attempt whose outcome is unknown, a file of the same name already there counts.
 */
export async function shareFiles(share: {
  web: WebClient;
  target: string;
  files: readonly { filename: string; title: string; bytes: Buffer }[];
  comment: string;
  reconcile: boolean;
  shareSettleMs: number;
  fetch?: typeof globalThis.fetch;
}): Promise<{ skipped?: boolean }> {
  const channel = await conversationFor(share.web, share.target);
  const first = share.files[0];
  if (!first) return { skipped: true };
  if (share.reconcile && (await alreadyShared(share.web, channel, first.filename, share.shareSettleMs)))
    return { skipped: true };
  const ids: { id: string; title: string }[] = [];
  for (const file of share.files) {
    const id = await sendFile(
      { web: share.web, ...(share.fetch ? { fetch: share.fetch } : {}) },
      file.filename,
      file.bytes.length,
      () => Readable.from([file.bytes]),
    );
    ids.push({ id, title: file.title });
  }
  const [head, ...rest] = ids;
  if (!head) return { skipped: true };
  await share.web.files.completeUploadExternal({
    files: [head, ...rest],
    channel_id: channel,
    initial_comment: share.comment,
  });
  return {};
}

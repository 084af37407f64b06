import type { WebClient } from "@slack/web-api";
import {
  documentKind,
  MAX_DOCUMENT_BYTES,
  readDocumentText,
  readHeading,
  sourceRefOf,
  UnreadableDocument,
} from "../documents/read.js";

/** A decision's file as Slack shows it in a message (name may be missing on a hidden file). */
export interface SlackFileRef {
  id: string;
  name?: string;
  mimetype?: string;
}

/** What a file said: its text, and the 文号或会议名称 its heading gives. */
export interface ReadDocument {
  name: string;
  permalink?: string;
  text: string;
  sourceRef: string;
}

export interface DocumentFetcher {
  /** Downloads a file shared in Slack and reads its text; throws UnreadableDocument saying why not. */
  read(client: WebClient, file: SlackFileRef): Promise<ReadDocument>;
}

/** Slack's answers that mean the bot may not see the file (not in its channel, deleted). */
const NOT_VISIBLE = new Set(["file_not_found", "file_deleted", "access_denied", "not_in_channel"]);

/** The first of a message's files that can be a decision's text, or the first file when none can. */
export function pickDocument<F extends SlackFileRef>(files: readonly F[]): F | undefined {
  return files.find((f) => f.name && documentKind(f.name, f.mimetype)) ?? files[0];
}

/**
 * Files come from `files.info` and `url_private` with the bot token (the files:read scope),
 * through the same network settings as every other call; the bytes stay in memory and are
 * dropped once read.
 */
export function createDocumentFetcher(options: {
  token: string;
  fetch: typeof globalThis.fetch;
}): DocumentFetcher {
  return {
    async read(client, ref) {
      let info: {
        name?: string;
        mimetype?: string;
        size?: number;
        url_private?: string;
        url_private_download?: string;
        permalink?: string;
      };
      try {
        const answer = await client.files.info({ file: ref.id });
        info = answer.file ?? {};
      } catch (error) {
        const code = (error as { data?: { error?: string } }).data?.error;
        throw new UnreadableDocument(code && NOT_VISIBLE.has(code) ? "not_visible" : "download_failed", {
          cause: error,
        });
      }
      const name = info.name ?? ref.name ?? ref.id;
      const kind = documentKind(name, info.mimetype ?? ref.mimetype);
      if (!kind) throw new UnreadableDocument("unsupported");
      if ((info.size ?? 0) > MAX_DOCUMENT_BYTES) throw new UnreadableDocument("too_large");
      const url = info.url_private_download ?? info.url_private;
      if (!url) throw new UnreadableDocument("not_visible");
      const bytes = await download(options, url);
      const text = await readDocumentText(bytes, kind);
      return {
        name,
        ...(info.permalink ? { permalink: info.permalink } : {}),
        text,
        sourceRef: sourceRefOf(readHeading(text), name),
      };
    },
  };
}

/** Redirects followed at most for one download. */
const MAX_REDIRECTS = 3;
/** Slack's own hosts, where a file may be served from (Enterprise Grid, GovSlack, its CDN). */
const SLACK_FILE_HOSTS = [".slack.com", ".slack-edge.com", ".slack-files.com", ".slack-gov.com"];

/**
 * Whether a redirect leads to a file on Slack's side: a file path (/files-pri/…), on the host
 * the file was asked of (an emulator or GovSlack set by SLACK_API_URL) or, over https, on one
 * of Slack's hosts.
 */
export function isSlackFileUrl(next: URL, original: URL): boolean {
  if (!next.pathname.startsWith("/files-")) return false;
  if (next.origin === original.origin) return true;
  const host = `.${next.hostname}`;
  return next.protocol === "https:" && SLACK_FILE_HOSTS.some((suffix) => host.endsWith(suffix));
}

/** The largest evidence file 立卷归档 keeps (a scanned report, a photo, a short video). */
const MAX_ARCHIVED_BYTES = 200 * 1024 * 1024;

/**
 * An evidence file's bytes for 立卷归档 (files.info, then url_private with the bot token), or null
 * when Slack no longer serves it (deleted, not visible, gone with the workspace, too large).
 */
export async function fetchEvidence(
  options: { token: string; fetch: typeof globalThis.fetch },
  client: WebClient,
  fileId: string,
): Promise<Buffer | null> {
  try {
    const info = (await client.files.info({ file: fileId })).file ?? {};
    const url = info.url_private_download ?? info.url_private;
    if (!url) return null;
    return await download(options, url, MAX_ARCHIVED_BYTES);
  } catch {
    return null;
  }
}

/** The file's bytes, at most `max` of them; Slack's login page (a bad token) is a failure. */
async function download(
  options: { token: string; fetch: typeof globalThis.fetch },
  url: string,
  max = MAX_DOCUMENT_BYTES,
): Promise<Buffer> {
  let response: Response;
  let at = new URL(url);
  try {
    for (let hop = 0; ; hop++) {
      response = await options.fetch(at, {
        headers: { Authorization: `Bearer ${options.token}` },
        redirect: "manual",
        signal: AbortSignal.timeout(30_000),
      });
      const location = response.headers.get("location");
      if (response.status < 300 || response.status >= 400 || !location) break;
      // Enterprise Grid serves files from its own hosts: a redirect to another of Slack's file
      // paths is followed; anything else (a sign-in page, a host not Slack's) is not, and the
      // token never leaves for a host that is not Slack's.
      const next = new URL(location, at);
      if (hop >= MAX_REDIRECTS || !isSlackFileUrl(next, new URL(url))) break;
      await response.body?.cancel().catch(() => undefined);
      at = next;
    }
  } catch (error) {
    throw new UnreadableDocument("download_failed", { cause: error });
  }
  // Without a good token Slack answers with a redirect to its sign-in page, not the file.
  const type = response.headers.get("content-type") ?? "";
  if (response.status !== 200 || type.startsWith("text/html") || !response.body) {
    await response.body?.cancel().catch(() => undefined);
    throw new UnreadableDocument("download_failed");
  }
  const declared = Number(response.headers.get("content-length") ?? 0);
  if (declared > max) {
    await response.body.cancel().catch(() => undefined);
    throw new UnreadableDocument("too_large");
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > max) {
        await reader.cancel().catch(() => undefined);
        throw new UnreadableDocument("too_large");
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof UnreadableDocument) throw error;
    throw new UnreadableDocument("download_failed", { cause: error });
  }
  return Buffer.concat(chunks);
}

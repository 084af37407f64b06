import path from "node:path";
import { writeArchive } from "../../archive/archive.js";
import type { OutboxEntry, OwedMessage } from "../../domain/outbox.js";
import { yearCounts } from "../../services/archive.js";
import { fetchEvidence } from "../documents.js";
import type { DeliveryContext } from "./deliver.js";

/** Where archives are written: ARCHIVE_DIR, else `archive` beside the SQLite file (or in data/). */
export function archiveDir(): string {
  if (process.env.ARCHIVE_DIR) return path.resolve(process.env.ARCHIVE_DIR);
  const url = process.env.DATABASE_URL ?? "";
  return url.startsWith("file:")
    ? path.join(path.dirname(path.resolve(url.slice(5))), "archive")
    : path.resolve("data/archive");
}

const sizeOf = (bytes: number) =>
  bytes >= 1024 * 1024
    ? `${(bytes / 1024 / 1024).toFixed(1)} MB`
    : `${Math.max(1, Math.round(bytes / 1024))} KB`;

/**
 * 立卷归档 (`/ducha 归档 2026`): the year's ZIP written on the server, the admin told by DM when it
 * starts, as it goes (at most every tenth of the way) and how it ended. A run that stops (a crash,
 * a full disk) goes on from the last whole task when asked again.
 */
export async function deliverArchive(
  message: Extract<OwedMessage, { kind: "archive" }>,
  _entry: OutboxEntry,
  ctx: DeliveryContext,
): Promise<{ outcome: "sent" }> {
  const A = ctx.render.m.archive;
  const dm = async (text: string) => {
    const posted = await ctx.web.chat.postMessage({ channel: message.userId, text }).catch(() => undefined);
    return posted?.ts && posted.channel ? { ts: posted.ts, channel: posted.channel } : null;
  };
  const counts = await yearCounts(ctx.services, message.year);
  const progress = await dm(A.started({ year: message.year, ...counts }));
  let shown = 0;
  try {
    const result = await writeArchive({
      deps: ctx.services,
      year: message.year,
      dir: archiveDir(),
      m: ctx.render.m,
      locale: ctx.render.locale,
      tz: ctx.render.tz,
      fetchFile: (file) =>
        fetchEvidence({ token: ctx.web.token ?? "", fetch: ctx.fetch }, ctx.web, file.fileId),
      onProgress: async (done, total) => {
        if (!progress || done - shown < Math.max(1, Math.ceil(total / 10))) return;
        shown = done;
        await ctx.web.chat
          .update({ channel: progress.channel, ts: progress.ts, text: A.progress({ done, total }) })
          .catch(() => undefined);
      },
    });
    await dm(
      A.done({
        file: path.basename(result.file),
        size: sizeOf(result.size),
        tasks: result.tasks,
        files: result.files,
        missing: result.missing,
      }),
    );
  } catch (error) {
    const code = (error as { code?: string }).code;
    await dm(
      A.failed({ reason: code === "ENOSPC" ? A.diskFull : String((error as Error).message ?? error) }),
    );
    if (code !== "ENOSPC") throw error;
  }
  return { outcome: "sent" };
}

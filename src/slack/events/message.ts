import { z } from "zod";
import type { SharedFile } from "../../domain/model.js";
import { infoThreadReply } from "../../services/information.js";
import { deleteThreadReply, editThreadReply, recordThreadReply } from "../../services/thread-replies.js";
import { answerFileInDm } from "../decision-start.js";
import type { SlackDeps } from "../deps.js";
import { slackToPlain } from "../slack-text.js";

/** A person's message: bots (ducha included) have a bot_id or the bot_message subtype. */
const ZPersonMessage = z.object({
  user: z.string(),
  text: z.string().default(""),
  ts: z.string(),
  thread_ts: z.string().optional(),
  bot_id: z.undefined().optional(),
});

/** A file in a message event; a deleted or hidden one (`tombstone`, `hidden_by_limit`) has no name. */
const ZFile = z.object({
  id: z.string(),
  name: z.string().optional(),
  title: z.string().optional(),
  mimetype: z.string().optional(),
  size: z.number().optional(),
  permalink: z.string().optional(),
  mode: z.string().optional(),
  /** "check_file_info": a stub (Slack Connect channels, some DMs); its details come from files.info. */
  file_access: z.string().optional(),
});

/**
 * A new message: plain, with files (`file_share`, a scanned document as the report), or a
 * thread reply also sent to the channel (`thread_broadcast`). All three are reports.
 */
const ZNewMessage = ZPersonMessage.extend({
  channel: z.string(),
  subtype: z.enum(["file_share", "thread_broadcast"]).optional(),
  files: z.array(ZFile).optional(),
});

/** A file shared with the bot in a DM, not in a thread: it may be a decision (src/slack/actions/decision-from-file.ts). */
const ZFileInDm = ZNewMessage.extend({
  channel_type: z.literal("im"),
  subtype: z.literal("file_share"),
  thread_ts: z.undefined().optional(),
  files: z.array(ZFile).min(1),
});

type EventFile = z.infer<typeof ZFile>;

/**
 * A message's files with the stubs filled in: in Slack Connect channels and DMs Slack sends
 * `{ id, file_access: "check_file_info" }` with no name, and the details come from files.info.
 * A stub the bot may not see is left out, as a deleted file is.
 */
async function withDetails(deps: SlackDeps, files: EventFile[] | undefined): Promise<EventFile[]> {
  const out: EventFile[] = [];
  for (const file of files ?? []) {
    if (file.file_access !== "check_file_info" || file.name) {
      out.push(file);
      continue;
    }
    const info = await deps.services.slack.fileInfo(file.id);
    if (info)
      out.push({
        id: file.id,
        name: info.name,
        title: info.title,
        mimetype: info.mimetype,
        ...(info.size !== null ? { size: info.size } : {}),
        ...(info.permalink ? { permalink: info.permalink } : {}),
      });
  }
  return out;
}

function sharedFiles(files: EventFile[] | undefined): SharedFile[] {
  return (files ?? []).flatMap((f) =>
    f.name && f.mode !== "tombstone" && f.mode !== "hidden_by_limit"
      ? [
          {
            fileId: f.id,
            name: f.name,
            title: f.title ?? f.name,
            mimetype: f.mimetype ?? "",
            size: f.size ?? null,
            permalink: f.permalink ?? null,
          },
        ]
      : [],
  );
}
const ZChanged = z.object({
  subtype: z.literal("message_changed"),
  channel: z.string(),
  message: ZPersonMessage,
});
const ZDeleted = z.object({
  subtype: z.literal("message_deleted"),
  channel: z.string(),
  deleted_ts: z.string(),
  previous_message: z
    .object({ thread_ts: z.string().optional(), bot_id: z.string().optional() })
    .passthrough()
    .optional(),
});

/**
 * A `message` event, taken from the inbox (src/slack/intake.ts): replies in a task card's
 * thread are progress reports (or comments); edits and deletions are followed. Everything else
 * in the channels the bot is in is none of its business.
 */
export async function handleMessageEvent(deps: SlackDeps, event: unknown, eventId?: string): Promise<void> {
  {
    const direct = ZFileInDm.safeParse(event);
    if (direct.success) {
      const files = sharedFiles(await withDetails(deps, direct.data.files)).map((f) => ({
        id: f.fileId,
        name: f.name,
        mimetype: f.mimetype,
      }));
      await answerFileInDm(deps, {
        user: direct.data.user,
        channel: direct.data.channel,
        ts: direct.data.ts,
        files,
      });
      return;
    }
    const reply = ZNewMessage.safeParse(event);
    if (reply.success) {
      const { thread_ts: threadTs, ts } = reply.data;
      if (!threadTs || threadTs === ts) return;
      const recorded = await recordThreadReply(deps.services, {
        userId: reply.data.user,
        channelId: reply.data.channel,
        threadTs,
        ts,
        text: reply.data.text,
        files: sharedFiles(await withDetails(deps, reply.data.files)),
        ...(eventId ? { eventId } : {}),
      });
      // Not a task's thread: perhaps an information report's (a 续报 in its thread).
      if (recorded.kind === "ignored")
        await infoThreadReply(deps.services, {
          userId: reply.data.user,
          channelId: reply.data.channel,
          threadTs,
          ts,
          text: slackToPlain(reply.data.text),
        });
      return;
    }
    const changed = ZChanged.safeParse(event);
    if (changed.success) {
      const { message } = changed.data;
      if (!message.thread_ts || message.thread_ts === message.ts) return;
      await editThreadReply(deps.services, {
        channelId: changed.data.channel,
        ts: message.ts,
        text: message.text,
        ...(eventId ? { eventId } : {}),
      });
      return;
    }
    const deleted = ZDeleted.safeParse(event);
    if (deleted.success && !deleted.data.previous_message?.bot_id) {
      await deleteThreadReply(deps.services, {
        channelId: deleted.data.channel,
        ts: deleted.data.deleted_ts,
        ...(eventId ? { eventId } : {}),
      });
    }
  }
}

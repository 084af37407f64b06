import type { WebClient } from "@slack/web-api";
import { DateTime } from "luxon";
import { ledgerFileName } from "../../domain/ledger.js";
import type { TaskView } from "../../domain/model.js";
import { type OwedMessage, owe } from "../../domain/outbox.js";
import { ledgerSource } from "../../services/ledger.js";
import type { ServiceDeps } from "../../services/ports.js";
import { lightSignature } from "../../services/supervision.js";
import type { OutboxEntry } from "../../store/outbox.js";
import type { Store } from "../../store/store.js";
import { type Reply, section } from "../render/blocks.js";
import { deliveryProblemReply } from "../render/delivery-problem.js";
import { digestReply, escalationReply } from "../render/digest.js";
import { lightOf, type RenderContext } from "../render/format.js";
import { periodLabel, summaryReply } from "../render/summary.js";
import { coNotice, secretDetails, taskCard } from "../render/task-card.js";
import { rollup } from "../render/task-list.js";
import { taskNoticeReply } from "../render/task-notice.js";
import { uploadLedger } from "./upload.js";

/** What a delivery came to. */
export type Delivered =
  /** Sent (the ts of the posted message, when there is one). */
  | { outcome: "sent"; ts?: string }
  /** Nothing to send any more (the card it updates was never posted, the task is gone). */
  | { outcome: "moot"; why: string }
  /** Not yet: it depends on another message (a notice waits for its card). */
  | { outcome: "wait"; why: string };

export interface DeliveryContext {
  web: WebClient;
  store: Store;
  render: RenderContext;
  /** How long a notice waits for its card before it goes without the link. */
  waitForCardMs: number;
  /** The last attempt may have reached Slack: look before posting again. */
  reconcile: boolean;
  /** Real time, for waiting. */
  now: Date;
  createdAt: Date;
  /** What the ledger's queries need. */
  services: ServiceDeps;
  /** fetch for file uploads (through the proxy, when there is one). */
  fetch: typeof globalThis.fetch;
}

/** The light a card shows, as the scheduled runs compare it. */
function signatureOf(task: TaskView, render: RenderContext): string {
  const { light, reasons } = lightOf(task, render);
  return lightSignature(light, reasons);
}

/** Marks a message as ours, so a crash between posting and recording can be reconciled. */
function metadata(key: string) {
  return { event_type: "ducha_outbox", event_payload: { key } };
}

async function permalink(web: WebClient, channel: string, ts: string): Promise<string | null> {
  try {
    return (await web.chat.getPermalink({ channel, message_ts: ts })).permalink ?? null;
  } catch {
    return null;
  }
}

/**
 * After an attempt whose outcome is unknown (a timeout, a 5xx, a process that died mid-send),
 * the message may already be in Slack: look for it by the key in its metadata before posting
 * again, so nothing is sent twice. Direct messages cannot be searched (no im:history).
 */
async function findPosted(web: WebClient, channel: string, key: string, threadTs?: string) {
  if (/^[UW]/.test(channel)) return null;
  const found = threadTs
    ? (await web.conversations.replies({ channel, ts: threadTs, include_all_metadata: true, limit: 200 }))
        .messages
    : (await web.conversations.history({ channel, include_all_metadata: true, limit: 100 })).messages;
  const mine = found?.find((m) => (m.metadata?.event_payload as { key?: unknown } | undefined)?.key === key);
  return mine?.ts ? { ts: mine.ts, channel } : null;
}

async function post(ctx: DeliveryContext, channel: string, reply: Reply, key: string, threadTs?: string) {
  const { web } = ctx;
  if (ctx.reconcile) {
    const already = await findPosted(web, channel, key, threadTs);
    if (already) return already;
  }
  const result = await web.chat.postMessage({
    channel,
    text: reply.text,
    ...(reply.blocks.length ? { blocks: reply.blocks } : {}),
    unfurl_links: false,
    unfurl_media: false,
    metadata: metadata(key),
    ...(threadTs ? { thread_ts: threadTs } : {}),
  });
  return { ts: result.ts ?? "", channel: result.channel ?? channel };
}

/** Sends one owed message, rendering cards and rollups from the current state. Slack errors propagate. */
export async function deliver(entry: OutboxEntry, ctx: DeliveryContext): Promise<Delivered> {
  const message: OwedMessage = entry.message;
  const { web, store } = ctx;
  switch (message.kind) {
    case "card.post": {
      const task = await store.read((tx) => tx.tasks.view(message.taskId));
      if (!task) return { outcome: "moot", why: "task not found" };
      if (task.card) return { outcome: "moot", why: "card already posted" };
      const posted = await post(ctx, task.leadDept.channelId, taskCard(task, ctx.render), entry.key);
      const url = await permalink(web, posted.channel, posted.ts);
      await store.transaction(async (tx) => {
        await tx.tasks.setCard(task.id, { channelId: posted.channel, ts: posted.ts, url });
        await tx.tasks.setCardLight(task.id, signatureOf(task, ctx.render));
        // The rollup, if already posted, now gets the card's link.
        const decision = await tx.decisions.view(task.decision.id);
        if (decision?.rollup) {
          await tx.outbox.enqueue(owe.rollupUpdate(decision.id));
        }
      });
      return { outcome: "sent", ts: posted.ts };
    }
    case "card.update": {
      const task = await store.read((tx) => tx.tasks.view(message.taskId));
      if (!task) return { outcome: "moot", why: "task not found" };
      if (!task.card) {
        // The card may still be on its way: it shows the state when it is posted, but a change
        // made while it was being posted must follow it.
        const post = await store.read((tx) => tx.outbox.byKey(`card:${task.id}`));
        return post?.state === "pending" || post?.state === "sending"
          ? { outcome: "wait", why: "the card is not posted yet" }
          : { outcome: "moot", why: "no card to update" };
      }
      const reply = taskCard(task, ctx.render);
      await web.chat.update({
        channel: task.card.channelId,
        ts: task.card.ts,
        text: reply.text,
        blocks: reply.blocks,
      });
      await store.transaction((tx) => tx.tasks.setCardLight(task.id, signatureOf(task, ctx.render)));
      return { outcome: "sent", ts: task.card.ts };
    }
    case "notice.co":
    case "secret.dm": {
      const task = await store.read((tx) => tx.tasks.view(message.taskId));
      if (!task) return { outcome: "moot", why: "task not found" };
      if (!task.card && ctx.now.getTime() - ctx.createdAt.getTime() < ctx.waitForCardMs) {
        return { outcome: "wait", why: "the card is not posted yet" };
      }
      if (message.kind === "secret.dm") {
        const posted = await post(ctx, message.userId, secretDetails(task, ctx.render), entry.key);
        return { outcome: "sent", ts: posted.ts };
      }
      const co = task.coDepts.find((d) => d.id === message.departmentId);
      if (!co) return { outcome: "moot", why: "no longer a co-operating department" };
      const posted = await post(ctx, co.channelId, coNotice(task, co.name, ctx.render), entry.key);
      return { outcome: "sent", ts: posted.ts };
    }
    case "rollup.post": {
      const decision = await store.read((tx) => tx.decisions.view(message.decisionId));
      if (!decision) return { outcome: "moot", why: "decision not found" };
      if (decision.rollup) return { outcome: "moot", why: "rollup already posted" };
      const thread = entry.lane === decision.sourceChannelId ? (decision.sourceTs ?? undefined) : undefined;
      const posted = await post(ctx, entry.lane, rollup(decision, ctx.render), entry.key, thread);
      const url = await permalink(web, posted.channel, posted.ts);
      await store.transaction((tx) =>
        tx.decisions.setRollup(decision.id, { channelId: posted.channel, ts: posted.ts, url }),
      );
      return { outcome: "sent", ts: posted.ts };
    }
    case "rollup.update": {
      const decision = await store.read((tx) => tx.decisions.view(message.decisionId));
      if (!decision?.rollup) return { outcome: "moot", why: "no rollup to update" };
      const reply = rollup(decision, ctx.render);
      await web.chat.update({
        channel: decision.rollup.channelId,
        ts: decision.rollup.ts,
        text: reply.text,
        blocks: reply.blocks,
      });
      return { outcome: "sent", ts: decision.rollup.ts };
    }
    case "task.notice": {
      const task = await store.read((tx) => tx.tasks.view(message.taskId));
      if (!task) return { outcome: "moot", why: "task not found" };
      if (!task.card) return { outcome: "wait", why: "the card is not posted yet" };
      const notice = message.notice;
      const reportId = "reportId" in notice ? notice.reportId : undefined;
      const report = reportId === undefined ? null : await store.read((tx) => tx.reports.byId(reportId));
      const reply = taskNoticeReply(task, notice, ctx.render, report);
      if (message.visibleTo) {
        await web.chat.postEphemeral({
          channel: task.card.channelId,
          user: message.visibleTo,
          thread_ts: task.card.ts,
          text: reply.text,
          blocks: reply.blocks,
        });
        return { outcome: "sent" };
      }
      const posted = await post(ctx, task.card.channelId, reply, entry.key, task.card.ts);
      return { outcome: "sent", ts: posted.ts };
    }
    case "digest": {
      const department = await store.read((tx) => tx.departments.findById(message.departmentId));
      if (!department?.active) return { outcome: "moot", why: "department removed" };
      const load = (ids: readonly number[]) =>
        store.read(
          async (tx) =>
            await tx.tasks.list(
              { ids, states: ["dispatched", "in_progress"] },
              { skip: 0, take: ids.length },
            ),
        );
      const groups = {
        overdue: await load(message.groups.overdue),
        dueSoon: await load(message.groups.dueSoon),
        ackLate: await load(message.groups.ackLate),
        reportOwed: await load(message.groups.reportOwed),
      };
      const posted = await post(
        ctx,
        department.channelId,
        digestReply(department.name, groups, ctx.render),
        entry.key,
      );
      return { outcome: "sent", ts: posted.ts };
    }
    case "escalation": {
      const task = await store.read((tx) => tx.tasks.view(message.taskId));
      if (!task) return { outcome: "moot", why: "task not found" };
      const posted = await post(
        ctx,
        entry.lane,
        escalationReply(task, message.reasons, message.to, ctx.render),
        entry.key,
      );
      return { outcome: "sent", ts: posted.ts };
    }
    case "reaction": {
      try {
        if (message.remove)
          await web.reactions.remove({ channel: message.channel, timestamp: message.ts, name: message.name });
        else await web.reactions.add({ channel: message.channel, timestamp: message.ts, name: message.name });
      } catch (error) {
        const code = (error as { data?: { error?: string } }).data?.error;
        // Already there, or already gone: the message shows what it should.
        if (code === "already_reacted" || code === "no_reaction") return { outcome: "moot", why: code };
        throw error;
      }
      return { outcome: "sent" };
    }
    case "ephemeral": {
      let threadTs: string | undefined;
      if (message.threadOfTask !== undefined) {
        const taskId = message.threadOfTask;
        const task = await store.read((tx) => tx.tasks.view(taskId));
        threadTs = task?.card?.ts;
      }
      await web.chat.postEphemeral({
        channel: message.channel,
        user: message.user,
        text: message.text,
        ...(message.blocks?.length ? { blocks: message.blocks as unknown as Reply["blocks"] } : {}),
        ...(threadTs ? { thread_ts: threadTs } : {}),
      });
      return { outcome: "sent" };
    }
    case "summary.post": {
      const summary = message.summary;
      const reply = summaryReply(summary, ctx.render, {
        ledgerAttached: summary.issueNo !== null || summary.overflow,
      });
      const posted = await post(ctx, message.channel, reply, entry.key);
      return { outcome: "sent", ts: posted.ts };
    }
    case "ledger.upload": {
      const L = ctx.render.m.ledger;
      const source = ledgerSource(ctx.services, message.filter);
      const period = message.filter.period;
      const label =
        message.label ??
        (period
          ? periodLabel({ ...period, complete: period.end <= ctx.render.now }, ctx.render)
          : L.allTasks);
      const stamp = period
        ? `${period.key}${message.issueNo ? `-${message.issueNo}` : ""}`
        : DateTime.fromJSDate(ctx.createdAt, { zone: ctx.render.tz }).toFormat("yyyy-MM-dd-HHmmss");
      const title = L.fileTitle({ label });
      await uploadLedger({
        web,
        source,
        render: ctx.render,
        target: message.channel,
        filename: ledgerFileName(L.filePrefix, stamp),
        title,
        comment: (written) =>
          message.reason === "export"
            ? ctx.render.m.export.comment({ filter: label, count: written.tasks })
            : title,
        revealSecret: message.revealSecret ?? false,
        reconcile: ctx.reconcile,
        fetch: ctx.fetch,
      });
      return { outcome: "sent" };
    }
    case "calendar.unknown": {
      const text = ctx.render.m.settings.calendarUnknown({ year: message.year });
      const posted = await post(ctx, message.channel, { text, blocks: [section(text)] }, entry.key);
      return { outcome: "sent", ts: posted.ts };
    }
    case "delivery.problem": {
      const posted = await post(ctx, message.channel, deliveryProblemReply(message, ctx.render), entry.key);
      return { outcome: "sent", ts: posted.ts };
    }
    case "text": {
      let threadTs: string | undefined;
      if (message.threadOfTask !== undefined) {
        const taskId = message.threadOfTask;
        const task = await store.read((tx) => tx.tasks.view(taskId));
        if (!task) return { outcome: "moot", why: "task not found" };
        if (!task.card) return { outcome: "wait", why: "the card is not posted yet" };
        threadTs = task.card.ts;
      }
      const reply = { text: message.text, blocks: (message.blocks ?? []) as unknown as Reply["blocks"] };
      const posted = await post(ctx, message.channel, reply, entry.key, threadTs);
      return { outcome: "sent", ts: posted.ts };
    }
  }
}

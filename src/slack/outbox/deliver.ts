import type { WebClient } from "@slack/web-api";
import { DateTime } from "luxon";
import { bulletinDocx } from "../../bulletin/docx.js";
import { scoreChartPng } from "../../charts/scores.js";
import { ledgerFileName } from "../../domain/ledger.js";
import type { TaskView } from "../../domain/model.js";
import type { OutboxEntry, OwedKind, OwedMessage } from "../../domain/outbox.js";
import type { DeliveryReads } from "../../services/delivery-reads.js";
import { ledgerSource } from "../../services/ledger.js";
import type { ServiceDeps } from "../../services/ports.js";
import { loadSettings } from "../../services/settings.js";
import { lightSignature } from "../../services/supervision.js";
import { fitMessage, type Reply, section, splitReply } from "../render/blocks.js";
import { coordinationDeclinedReply, coordinationNoticeReply } from "../render/coordination.js";
import { deliveryProblemReply } from "../render/delivery-problem.js";
import { digestReply, escalationReply, escalationsReply } from "../render/digest.js";
import { lightOf, type RenderContext } from "../render/format.js";
import { periodLabel, summaryReply } from "../render/summary.js";
import { coNotice, secretDetails, taskCard } from "../render/task-card.js";
import { rollup } from "../render/task-list.js";
import { experienceReply, taskNoticeReply } from "../render/task-notice.js";
import { deliverArchive } from "./deliver-archive.js";
import { INFO_HANDLERS } from "./deliver-info.js";
import { LOOP_HANDLERS } from "./deliver-loops.js";
import { shareFiles, uploadLedger } from "./upload.js";

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
  /** What delivery reads and records, through the services. */
  reads: DeliveryReads;
  render: RenderContext;
  /** How long a notice waits for its card before it goes without the link. */
  waitForCardMs: number;
  /** A long build's progress message is updated at most this often. */
  progressEveryMs: number;
  /** The last attempt may have reached Slack: look before posting again. */
  reconcile: boolean;
  /**
   * An earlier attempt failed: a message continued in several may have posted its first parts,
   * which are looked for before posting again.
   */
  retried: boolean;
  /** How long a reconciling upload looks for a file Slack is still sharing before sharing again. */
  shareSettleMs: number;
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
 * again, so nothing is sent twice. A DM (addressed to a person) is looked for in the bot's
 * conversation with them (im:history), so a confidential DM is not sent twice either.
 */
async function findPosted(web: WebClient, channel: string, key: string, threadTs?: string) {
  const where = /^[UW]/.test(channel)
    ? ((await web.conversations.open({ users: channel })).channel?.id ?? channel)
    : channel;
  const found = threadTs
    ? (
        await web.conversations.replies({
          channel: where,
          ts: threadTs,
          include_all_metadata: true,
          limit: 200,
        })
      ).messages
    : (await web.conversations.history({ channel: where, include_all_metadata: true, limit: 100 })).messages;
  const mine = found?.find((m) => (m.metadata?.event_payload as { key?: unknown } | undefined)?.key === key);
  return mine?.ts ? { ts: mine.ts, channel: where } : null;
}

/**
 * Posts a reply; one too long for a message goes as numbered messages in order (each part keyed
 * `key`, `key#2`, …, so a retry finds the parts already posted). Returns the first message.
 */
async function post(ctx: DeliveryContext, channel: string, reply: Reply, key: string, threadTs?: string) {
  const parts = splitReply(reply, ctx.render.m.continued);
  let first: { ts: string; channel: string } | undefined;
  for (const [i, part] of parts.entries()) {
    const partKey = i === 0 ? key : `${key}#${i + 1}`;
    const posted = await postOne(ctx, channel, part, partKey, parts.length > 1 && ctx.retried, threadTs);
    first ??= posted;
  }
  return first ?? { ts: "", channel };
}

async function postOne(
  ctx: DeliveryContext,
  channel: string,
  reply: Reply,
  key: string,
  retried: boolean,
  threadTs?: string,
) {
  const { web } = ctx;
  if (ctx.reconcile || retried) {
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

/**
 * Blocks for a message that must stay one (an update, an ephemeral): within the limits, with a
 * last line that says what was cut and where to look, if a renderer overran them.
 */
function oneMessage(reply: Reply, render: RenderContext) {
  return fitMessage(reply.blocks, (count) => render.m.continued.cut({ count }));
}

/** Posts words already chosen and reports what came of it. */
async function postReply(
  ctx: DeliveryContext,
  entry: OutboxEntry,
  channel: string,
  reply: Reply,
  threadTs?: string,
) {
  const posted = await post(ctx, channel, reply, entry.key, threadTs);
  return { outcome: "sent" as const, ts: posted.ts };
}

/** The thread of a task's card, or why a message in it cannot go yet. */
async function cardThread(
  ctx: DeliveryContext,
  taskId: number,
): Promise<{ task: TaskView; ts: string } | Exclude<Delivered, { outcome: "sent" }>> {
  const task = await ctx.reads.task(taskId);
  if (!task) return { outcome: "moot", why: "task not found" };
  if (!task.card) return { outcome: "wait", why: "the card is not posted yet" };
  return { task, ts: task.card.ts };
}

type Handler<K extends OwedKind> = (
  message: Extract<OwedMessage, { kind: K }>,
  entry: OutboxEntry,
  ctx: DeliveryContext,
) => Promise<Delivered>;

/** 协调事项 still waiting for their answer, with their task's card link (a run's message lists them). */
async function awaitingCoordinations(ctx: DeliveryContext, ids: readonly number[]) {
  const requests = (await ctx.reads.coordinations(ids)).filter(
    (r) => r.state === "open" || r.state === "accepted",
  );
  const tasks = await ctx.reads.openTasks([...new Set(requests.map((r) => r.taskId))]);
  const urls = new Map(tasks.map((task) => [task.id, task.card?.url ?? null]));
  return requests.map((request) => ({ request, url: urls.get(request.taskId) ?? null }));
}

/** The 信息报送 messages, sent by src/slack/outbox/deliver-info.ts with this file's posting. */
function infoHandler<K extends keyof typeof INFO_HANDLERS>(kind: K): Handler<K> {
  return (message, entry, ctx) =>
    INFO_HANDLERS[kind](message as never, entry, {
      ctx,
      post: (channel, reply, e, threadTs) => postReply(ctx, e, channel, reply, threadTs),
      permalink: (channel, ts) => permalink(ctx.web, channel, ts),
    });
}

/** The loop messages (报结), sent by src/slack/outbox/deliver-loops.ts with this file's posting. */
function loopHandler<K extends keyof typeof LOOP_HANDLERS>(kind: K): Handler<K> {
  return (message, entry, ctx) =>
    LOOP_HANDLERS[kind](message as never, entry, {
      ctx,
      post: (channel, reply, e, threadTs) => postReply(ctx, e, channel, reply, threadTs),
    });
}

/** One handler per kind of owed message: how it is rendered, sent and recorded. */
const HANDLERS: { [K in OwedKind]: Handler<K> } = {
  archive: deliverArchive,
  "bulletin.docx": loopHandler("bulletin.docx"),
  "info.card": infoHandler("info.card"),
  "info.copy": infoHandler("info.copy"),
  "info.update": infoHandler("info.update"),
  "info.notice": infoHandler("info.notice"),
  "info.escalation": infoHandler("info.escalation"),
  "info.digest": infoHandler("info.digest"),
  "closure.line": loopHandler("closure.line"),
  "closure.report": loopHandler("closure.report"),
  "closure.notice": loopHandler("closure.notice"),
  "card.post": async (message, entry, ctx) => {
    const task = await ctx.reads.task(message.taskId);
    if (!task) return { outcome: "moot", why: "task not found" };
    if (task.card) return { outcome: "moot", why: "card already posted" };
    const posted = await post(ctx, task.leadDept.channelId, taskCard(task, ctx.render), entry.key);
    const url = await permalink(ctx.web, posted.channel, posted.ts);
    await ctx.reads.cardPosted(
      task.id,
      { channelId: posted.channel, ts: posted.ts, url },
      signatureOf(task, ctx.render),
    );
    return { outcome: "sent", ts: posted.ts };
  },

  "card.update": async (message, _entry, ctx) => {
    const task = await ctx.reads.task(message.taskId);
    if (!task) return { outcome: "moot", why: "task not found" };
    if (!task.card) {
      // A card still to be posted will show the state when it is; one being posted right now
      // was rendered before this change, which must follow it.
      return (await ctx.reads.cardBeingPosted(task.id))
        ? { outcome: "wait", why: "the card is not posted yet" }
        : { outcome: "moot", why: "no card to update" };
    }
    const reply = taskCard(task, ctx.render);
    await ctx.web.chat.update({
      channel: task.card.channelId,
      ts: task.card.ts,
      text: reply.text,
      blocks: oneMessage(reply, ctx.render),
    });
    await ctx.reads.cardShown(task.id, signatureOf(task, ctx.render));
    return { outcome: "sent", ts: task.card.ts };
  },

  "notice.co": async (message, entry, ctx) => {
    const task = await ctx.reads.task(message.taskId);
    if (!task) return { outcome: "moot", why: "task not found" };
    if (!task.card && ctx.now.getTime() - ctx.createdAt.getTime() < ctx.waitForCardMs) {
      return { outcome: "wait", why: "the card is not posted yet" };
    }
    const co = task.coDepts.find((d) => d.id === message.departmentId);
    if (!co) return { outcome: "moot", why: "no longer a co-operating department" };
    return postReply(ctx, entry, co.channelId, coNotice(task, co.name, ctx.render));
  },

  "secret.dm": async (message, entry, ctx) => {
    const task = await ctx.reads.task(message.taskId);
    if (!task) return { outcome: "moot", why: "task not found" };
    if (!task.card && ctx.now.getTime() - ctx.createdAt.getTime() < ctx.waitForCardMs) {
      return { outcome: "wait", why: "the card is not posted yet" };
    }
    return postReply(ctx, entry, message.userId, secretDetails(task, ctx.render));
  },

  "rollup.post": async (message, entry, ctx) => {
    const decision = await ctx.reads.decision(message.decisionId);
    if (!decision) return { outcome: "moot", why: "decision not found" };
    if (decision.rollup) return { outcome: "moot", why: "rollup already posted" };
    const thread = entry.lane === decision.sourceChannelId ? (decision.sourceTs ?? undefined) : undefined;
    const posted = await post(ctx, entry.lane, rollup(decision, ctx.render), entry.key, thread);
    const url = await permalink(ctx.web, posted.channel, posted.ts);
    await ctx.reads.rollupPosted(decision.id, { channelId: posted.channel, ts: posted.ts, url });
    return { outcome: "sent", ts: posted.ts };
  },

  "rollup.update": async (message, _entry, ctx) => {
    const decision = await ctx.reads.decision(message.decisionId);
    if (!decision?.rollup) return { outcome: "moot", why: "no rollup to update" };
    const reply = rollup(decision, ctx.render);
    await ctx.web.chat.update({
      channel: decision.rollup.channelId,
      ts: decision.rollup.ts,
      text: reply.text,
      blocks: oneMessage(reply, ctx.render),
    });
    return { outcome: "sent", ts: decision.rollup.ts };
  },

  experience: async (message, entry, ctx) => {
    const task = await ctx.reads.task(message.taskId);
    const report = await ctx.reads.report(message.reportId);
    if (!task || !report || report.starredBy === null || task.confidentiality === "secret")
      return { outcome: "moot", why: "the report is no longer starred, or not to be shown" };
    return postReply(ctx, entry, message.channel, experienceReply(task, report, ctx.render));
  },

  "task.notice": async (message, entry, ctx) => {
    const thread = await cardThread(ctx, message.taskId);
    if ("outcome" in thread) return thread;
    const { task } = thread;
    const notice = message.notice;
    const reportId = "reportId" in notice ? notice.reportId : undefined;
    const report = reportId === undefined ? null : await ctx.reads.report(reportId);
    const coordination =
      "coordinationId" in notice ? await ctx.reads.coordination(notice.coordinationId) : null;
    if ("coordinationId" in notice && !coordination) return { outcome: "moot", why: "request not found" };
    const reply = taskNoticeReply(task, notice, ctx.render, report, coordination);
    if (message.visibleTo) {
      await ctx.web.chat.postEphemeral({
        channel: task.card?.channelId ?? task.leadDept.channelId,
        user: message.visibleTo,
        thread_ts: thread.ts,
        text: reply.text,
        blocks: oneMessage(reply, ctx.render),
      });
      return { outcome: "sent" };
    }
    return postReply(ctx, entry, task.card?.channelId ?? task.leadDept.channelId, reply, thread.ts);
  },

  digest: async (message, entry, ctx) => {
    const department = await ctx.reads.department(message.departmentId);
    if (!department?.active) return { outcome: "moot", why: "department removed" };
    const groups = {
      overdue: await ctx.reads.openTasks(message.groups.overdue),
      dueSoon: await ctx.reads.openTasks(message.groups.dueSoon),
      ackLate: await ctx.reads.openTasks(message.groups.ackLate),
      reportOwed: await ctx.reads.openTasks(message.groups.reportOwed),
      reminded: await ctx.reads.openTasks(message.groups.reminded),
      urged: await ctx.reads.openTasks(message.groups.urged),
      coordinations: await awaitingCoordinations(ctx, message.groups.coordinations),
    };
    if (Object.values(groups).every((tasks) => tasks.length === 0))
      return { outcome: "moot", why: "every task listed has been closed" };
    const reply = digestReply(department, groups, ctx.render, {
      urgent: message.urgent === true,
      ...(message.madeUpFor ? { madeUpFor: new Date(message.madeUpFor) } : {}),
    });
    return postReply(ctx, entry, department.channelId, reply);
  },

  escalations: async (message, entry, ctx) => {
    const tasks = new Map(
      (await ctx.reads.openTasks(message.entries.map((e) => e.taskId))).map((task) => [task.id, task]),
    );
    const entries = message.entries.flatMap(({ taskId, reasons }) => {
      const task = tasks.get(taskId);
      return task ? [{ task, reasons }] : [];
    });
    const coordinations = await awaitingCoordinations(ctx, message.coordinations);
    if (entries.length === 0 && coordinations.length === 0)
      return { outcome: "moot", why: "every task listed has been closed" };
    const reply = escalationsReply(entries, message.to, ctx.render, coordinations);
    return postReply(ctx, entry, entry.lane, reply);
  },

  escalation: async (message, entry, ctx) => {
    const task = await ctx.reads.task(message.taskId);
    if (!task) return { outcome: "moot", why: "task not found" };
    return postReply(ctx, entry, entry.lane, escalationReply(task, message.reasons, message.to, ctx.render));
  },

  "coordination.notice": async (message, entry, ctx) => {
    const request = await ctx.reads.coordination(message.coordinationId);
    if (!request) return { outcome: "moot", why: "request not found" };
    const task = await ctx.reads.task(request.taskId);
    const reply =
      message.purpose === "declined"
        ? coordinationDeclinedReply(request, ctx.render)
        : coordinationNoticeReply(request, task ?? { card: null }, ctx.render, {
            fallback: message.channel !== request.toDept.channelId,
          });
    return postReply(ctx, entry, message.channel, reply);
  },

  reaction: async (message, _entry, ctx) => {
    try {
      const args = { channel: message.channel, timestamp: message.ts, name: message.name };
      if (message.remove) await ctx.web.reactions.remove(args);
      else await ctx.web.reactions.add(args);
    } catch (error) {
      const code = (error as { data?: { error?: string } }).data?.error;
      // Already there, or already gone: the message shows what it should.
      if (code === "already_reacted" || code === "no_reaction") return { outcome: "moot", why: code };
      throw error;
    }
    return { outcome: "sent" };
  },

  ephemeral: async (message, _entry, ctx) => {
    let threadTs: string | undefined;
    if (message.threadOfTask !== undefined) threadTs = (await ctx.reads.task(message.threadOfTask))?.card?.ts;
    await ctx.web.chat.postEphemeral({
      channel: message.channel,
      user: message.user,
      text: message.text,
      ...(message.blocks?.length ? { blocks: message.blocks as unknown as Reply["blocks"] } : {}),
      ...(threadTs ? { thread_ts: threadTs } : {}),
    });
    return { outcome: "sent" };
  },

  "summary.post": async (message, entry, ctx) => {
    const summary = message.summary;
    const reply = summaryReply(summary, ctx.render, {
      ledgerAttached: summary.issueNo !== null || summary.overflow,
    });
    return postReply(ctx, entry, message.channel, reply);
  },

  "ledger.upload": async (message, _entry, ctx) => {
    const L = ctx.render.m.ledger;
    const source = ledgerSource(ctx.services, message.filter);
    const period = message.filter.period;
    const label =
      message.label ??
      (period ? periodLabel({ ...period, complete: period.end <= ctx.render.now }, ctx.render) : L.allTasks);
    const stamp = period
      ? `${period.key}${message.issueNo ? `-${message.issueNo}` : ""}`
      : DateTime.fromJSDate(ctx.createdAt, { zone: ctx.render.tz }).toFormat("yyyy-MM-dd-HHmmss");
    const title = L.fileTitle({ label });
    const attachments = [];
    if (message.summary) {
      const settings = await loadSettings(ctx.services);
      const bytes = await bulletinDocx({
        summary: message.summary,
        office: settings.officeName,
        distribution: settings.bulletinDistribution,
        label,
        m: ctx.render.m,
        locale: ctx.render.locale,
        tz: ctx.render.tz,
      });
      const B = ctx.render.m.bulletin;
      const fileTitle = B.fileTitle({ no: message.issueNo ?? null, label });
      const filename = message.issueNo ? `${fileTitle}.docx` : B.fileName({ key: message.summary.key });
      attachments.push({ filename, title: fileTitle, bytes });
    }
    const P = ctx.render.m.export.progress;
    const what =
      message.reason === "bulletin"
        ? P.bulletin({ no: message.issueNo ?? null })
        : message.reason === "export"
          ? P.ledger({ label })
          : P.overflow;
    await uploadLedger({
      attachments,
      progress: {
        building: (percent) => P.building({ what, percent }),
        ready: (seconds) => P.ready({ what, seconds }),
        failed: () => P.failed({ what }),
        everyMs: ctx.progressEveryMs,
      },
      web: ctx.web,
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
      shareSettleMs: ctx.shareSettleMs,
      fetch: ctx.fetch,
    });
    return { outcome: "sent" };
  },

  "chart.upload": async (message, _entry, ctx) => {
    const { summary } = message;
    const s = ctx.render.m.summary;
    const label = periodLabel(summary, ctx.render);
    const title = s.title({
      kind: summary.kind,
      label,
      issueNo: summary.issueNo,
      complete: summary.complete,
    });
    const c = ctx.render.m.chart;
    const png = await scoreChartPng(summary, ctx.render.m, c.title({ title }));
    const name = c.fileName({ key: `${summary.key}${summary.issueNo ? `-${summary.issueNo}` : ""}` });
    await shareFiles({
      web: ctx.web,
      target: message.channel,
      files: [{ filename: name, title: c.title({ title }), bytes: png }],
      comment: c.comment({ label }),
      reconcile: ctx.reconcile,
      shareSettleMs: ctx.shareSettleMs,
      ...(ctx.fetch ? { fetch: ctx.fetch } : {}),
    });
    return { outcome: "sent" };
  },

  "calendar.unknown": async (message, entry, ctx) => {
    const text = ctx.render.m.settings.calendarUnknown({ year: message.year });
    return postReply(ctx, entry, message.channel, { text, blocks: [section(text)] });
  },

  "delivery.problem": async (message, entry, ctx) =>
    postReply(ctx, entry, message.channel, deliveryProblemReply(message, ctx.render)),

  text: async (message, entry, ctx) => {
    let threadTs: string | undefined;
    if (message.threadOfTask !== undefined) {
      const thread = await cardThread(ctx, message.threadOfTask);
      if ("outcome" in thread) return thread;
      threadTs = thread.ts;
    }
    const reply = { text: message.text, blocks: (message.blocks ?? []) as unknown as Reply["blocks"] };
    return postReply(ctx, entry, message.channel, reply, threadTs);
  },
};

/** Sends one owed message by the handler of its kind. Slack's errors propagate to the worker. */
export function deliver(entry: OutboxEntry, ctx: DeliveryContext): Promise<Delivered> {
  const handler = HANDLERS[entry.message.kind] as Handler<OwedKind>;
  return handler(entry.message, entry, ctx);
}

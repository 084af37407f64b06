import { DateTime } from "luxon";
import { BASE_SCORE, SCORING_WEIGHTS, type ScoreRule } from "../../domain/scoring.js";
import { type Summary, scoreScaleTop, type TaskLine } from "../../domain/summary.js";
import { formatTaskNumber } from "../../domain/task-number.js";
import { formatDate } from "../../domain/time.js";
import { esc, user } from "../../i18n/format.js";
import { ACTION } from "../ids.js";
import {
  context,
  divider,
  header,
  type KnownBlock,
  LIMITS,
  type Reply,
  section,
  textSections,
} from "./blocks.js";
import { LIGHT_EMOJI, type RenderContext } from "./format.js";
import { reasonWords } from "./task-notice.js";

/** How many cells a department's bar has at most. */
const BAR_CELLS = 10;

export interface SummaryRenderOptions {
  /** The ledger goes with the post (a bulletin, or a summary that did not fit). */
  ledgerAttached: boolean;
  /** Shown to one person by /ducha summary: with the button to post it when they may. */
  preview?: { canPost: boolean };
}

/** "第50周（12月7日—12月13日）", "2026年12月", "2026年"; "截至 …" while the period runs. */
export function periodLabel(
  summary: Pick<Summary, "kind" | "start" | "end" | "complete">,
  ctx: RenderContext,
): string {
  const s = ctx.m.summary;
  const start = DateTime.fromJSDate(summary.start, { zone: ctx.tz });
  const label =
    summary.kind === "week"
      ? s.weekLabel({
          week: start.weekNumber,
          from: formatDate(summary.start, ctx.tz, ctx.locale, summary.start),
          to: formatDate(
            summary.complete ? new Date(summary.end.getTime() - 1) : start.plus({ days: 6 }).toJSDate(),
            ctx.tz,
            ctx.locale,
            summary.start,
          ),
        })
      : summary.kind === "month"
        ? s.monthLabel({ year: start.year, month: start.month })
        : s.yearLabel({ year: start.year });
  return summary.complete
    ? label
    : `${label}${s.asOf({ at: formatDate(summary.end, ctx.tz, ctx.locale, summary.end, true) })}`;
}

function signed(n: number): string {
  return n > 0 ? `+${n}` : n < 0 ? `−${-n}` : "0";
}

function rankChange(change: number | null, hadPrevious: boolean, ctx: RenderContext): string {
  const s = ctx.m.summary;
  if (change === null) return hadPrevious ? s.rankNew : "";
  return change > 0 ? s.rankUp(change) : change < 0 ? s.rankDown(-change) : s.rankSame;
}

function taskLine(task: TaskLine, ctx: RenderContext): string {
  const number = formatTaskNumber(task, ctx.locale);
  const link = task.url ? `<${task.url}|${number}>` : number;
  const title = task.title === null ? ctx.m.card.secretTitle : esc(task.title);
  const reasons = task.reasons.length ? ` · ${reasonWords(task.reasons, ctx)}` : "";
  return `${LIGHT_EMOJI[task.light]} ${link}“${title}”（${esc(task.department)}）${reasons}`;
}

function pointsText(points: Record<string, number>, ctx: RenderContext, sign: "minus" | "plus"): string {
  return Object.entries(points)
    .filter(([, p]) => (sign === "minus" ? p < 0 : p > 0))
    .map(([rule, p]) => `${ctx.m.summary.ruleName[rule as ScoreRule]} ${signed(p)}`)
    .join(ctx.m.listSeparator);
}

function causesText(causes: Record<string, number>, ctx: RenderContext): string {
  return Object.entries(causes)
    .sort((a, b) => b[1] - a[1])
    .map(([cause, n]) => `${ctx.m.causeName[cause] ?? cause} ${n}`)
    .join(ctx.m.listSeparator);
}

/** Bars in a code block, split across sections when many departments would pass 3,000 characters. */
function barSections(summary: Summary, ctx: RenderContext): KnownBlock[] {
  const hadPrevious = summary.previousKey !== null;
  // On a scale from 0 to 100, as scores are read: 94 and 82 look close, as they are; credits
  // past 100 stretch the scale, so the best are told apart.
  const top = scoreScaleTop(summary.bars.map((bar) => bar.score));
  const lines = summary.bars.map((bar) => {
    const cells =
      bar.rank === null ? 0 : Math.max(0, Math.min(BAR_CELLS, Math.round((BAR_CELLS * bar.score) / top)));
    const change = rankChange(bar.rankChange, hadPrevious && bar.rank !== null, ctx);
    const label = bar.rank === null ? ` (${ctx.m.ledger.insufficient})` : change ? ` ${change}` : "";
    return `${"█".repeat(cells)}${"░".repeat(BAR_CELLS - cells)} ${String(bar.score).padStart(4)} ${esc(bar.name)}${label}`;
  });
  const blocks: KnownBlock[] = [];
  let chunk: string[] = [];
  const fence = "```";
  const flush = () => {
    if (chunk.length)
      blocks.push(
        section(
          `${blocks.length === 0 ? `${ctx.m.summary.barsHeading}\n` : ""}${fence}\n${chunk.join("\n")}\n${fence}`,
        ),
      );
    chunk = [];
  };
  for (const line of lines) {
    if ([...chunk, line].join("\n").length + 40 > LIMITS.sectionText) flush();
    chunk.push(line);
  }
  flush();
  return blocks;
}

/**
 * The summary as a Slack message. Every list was capped when the summary was composed, and
 * what the caps left out is counted in the message and found in the attached ledger; nothing is
 * cut here. Two hundred departments' bars pass one message's text: the delivery continues it
 * in numbered messages (splitReply).
 */
export function summaryReply(summary: Summary, ctx: RenderContext, options: SummaryRenderOptions): Reply {
  const s = ctx.m.summary;
  const label = periodLabel(summary, ctx);
  const title = s.title({ kind: summary.kind, label, issueNo: summary.issueNo, complete: summary.complete });
  const t = summary.totals;
  const totals = s.totals({
    total: t.total,
    closed: t.closed,
    pct: t.closedPct,
    open: t.open,
    overdue: t.overdue,
    closedLate: t.closedLate,
  });
  const blocks: KnownBlock[] = [
    header(title),
    section(`${totals}\n${s.lightsNow({ red: t.red, yellow: t.yellow })}`),
  ];
  if (summary.totalsChange) {
    const c = summary.totalsChange;
    blocks.push(
      context(
        s.change({
          since: s.since[summary.kind],
          total: signed(c.total),
          closed: signed(c.closed),
          overdue: signed(c.overdue),
        }),
      ),
    );
  }
  const hadPrevious = summary.previousKey !== null;
  const deptHead = (d: Summary["best"][number] | Summary["worst"][number]) =>
    s.department({
      rank: d.rank ?? 0,
      name: d.name,
      score: d.score,
      change: rankChange(d.rankChange, hadPrevious, ctx),
    });

  if (t.total === 0) {
    blocks.push(section(s.empty));
  } else if (summary.best.length === 0) {
    blocks.push(section(s.notRanked({ min: summary.minSample })));
  } else {
    blocks.push(divider(), section(s.bestHeading({ count: summary.best.length })));
    for (const d of summary.best) {
      const lines = [
        `${deptHead(d)} · ${s.closedOnTime({ count: d.closedOnTime })}`,
        ...(d.starred.length
          ? d.starred.map((q) =>
              q.text === null
                ? s.secretQuote({ number: formatTaskNumber(q.task, ctx.locale) })
                : s.quote({
                    number: q.task.url
                      ? `<${q.task.url}|${formatTaskNumber(q.task, ctx.locale)}>`
                      : formatTaskNumber(q.task, ctx.locale),
                    title: q.task.title === null ? ctx.m.card.secretTitle : esc(q.task.title),
                    text: esc(q.text),
                    by: user(q.userId),
                  }),
            )
          : [`_${s.starredNone}_`]),
        ...(d.starredMore ? [s.more({ count: d.starredMore })] : []),
      ];
      blocks.push(section(lines.join("\n")));
    }
    blocks.push(divider(), section(s.worstHeading({ count: summary.worst.length })));
    for (const d of summary.worst) {
      const deductions = pointsText(d.points, ctx, "minus");
      const lines = [
        `${deptHead(d)} · ${s.red({ count: d.redCount, stalled: d.stalled })} · ${deductions ? s.points({ items: deductions }) : s.noDeductions}`,
        ...d.red.map((task) => `• ${taskLine(task, ctx)}`),
        ...(d.redMore ? [s.more({ count: d.redMore })] : []),
        ...(Object.keys(d.causes).length ? [s.causes({ items: causesText(d.causes, ctx) })] : []),
      ];
      blocks.push(section(lines.join("\n")));
    }
  }
  const loopLines = closingLines(summary, ctx);
  if (summary.information.length) {
    const sum = (key: "sent" | "adopted" | "late" | "missed") =>
      summary.information.reduce((n, r) => n + r[key], 0);
    loopLines.push(
      ctx.m.info.bulletinTotals({
        sent: sum("sent"),
        adopted: sum("adopted"),
        late: sum("late"),
        missed: sum("missed"),
      }),
    );
  }
  if (loopLines.length) blocks.push(section(loopLines.join("\n")));
  if (summary.middle.count > 0) {
    const m = summary.middle;
    blocks.push(
      section(
        m.named.length
          ? s.middleNamed({
              items: m.named
                .map((d) =>
                  s.middleItem({
                    name: d.name,
                    score: d.score,
                    change: rankChange(d.rankChange, hadPrevious, ctx),
                  }),
                )
                .join(ctx.m.listSeparator),
            })
          : s.middleRange({ count: m.count, min: m.min ?? 0, max: m.max ?? 0, average: m.average ?? 0 }),
      ),
    );
  }
  if (summary.insufficient.length) {
    blocks.push(
      context(
        s.insufficient({
          names: summary.insufficient.map(esc).join(ctx.m.listSeparator),
          min: summary.minSample,
        }),
      ),
    );
  }

  const difficulties = summary.difficulties;
  const blockerCount = difficulties.items.length + difficulties.more;
  const coordinationCount = difficulties.coordinations.length + difficulties.coordinationsMore;
  const hot = summary.hotspots;
  if (blockerCount > 0 || coordinationCount > 0 || hot.items.length > 0) blocks.push(divider());
  if (blockerCount > 0) {
    blocks.push(
      ...textSections([
        `${s.difficultiesHeading({ count: blockerCount })}　${causesText(difficulties.causes, ctx)}`,
        ...difficulties.items.map(
          (d) =>
            `• ${s.difficulty({
              line: taskLine(d, ctx),
              cause: ctx.m.causeName[d.cause ?? "other"] ?? "",
              since: formatDate(d.since, ctx.tz, ctx.locale, summary.end),
            })}`,
        ),
        ...(difficulties.more ? [s.more({ count: difficulties.more })] : []),
      ]),
    );
  }
  if (coordinationCount > 0) {
    blocks.push(
      ...textSections([
        s.coordinationsHeading({ count: coordinationCount }),
        ...difficulties.coordinations.map((c) => {
          const number = formatTaskNumber(c, ctx.locale);
          return `• ${s.coordination({
            link: c.url ? `<${c.url}|${number}>` : number,
            title: c.title === null ? ctx.m.card.secretTitle : esc(c.title),
            from: c.from,
            to: c.to,
            workdays: c.workdays,
            answered: c.answered,
          })}`;
        }),
        ...(difficulties.coordinationsMore ? [s.more({ count: difficulties.coordinationsMore })] : []),
      ]),
    );
  }
  if (hot.items.length > 0) {
    blocks.push(
      ...textSections([
        s.hotspotsHeading({
          tags: hot.tags.map(esc).join(ctx.m.listSeparator),
          count: hot.items.length + hot.more,
        }),
        ...hot.items.map((task) => `• ${taskLine(task, ctx)}`),
        ...(hot.more ? [s.more({ count: hot.more })] : []),
      ]),
    );
  }
  if (summary.bars.length > 0) blocks.push(divider(), ...barSections(summary, ctx));

  const rules = (Object.keys(SCORING_WEIGHTS) as ScoreRule[])
    .map((rule) => `${s.ruleName[rule]} ${signed(SCORING_WEIGHTS[rule])}`)
    .join(ctx.m.listSeparator);
  const notes = [s.rules({ items: rules, base: BASE_SCORE, min: summary.minSample })];
  if (options.ledgerAttached) notes.push(summary.overflow ? s.overflow : s.bulletinLedger);
  blocks.push(context(notes.join("\n")));
  if (options.preview) {
    // A leader is never told of a button only supervisors see.
    blocks.push(context(options.preview.canPost ? s.previewCanPost : s.preview));
    if (options.preview.canPost) {
      blocks.push({
        type: "actions",
        block_id: "summary_actions",
        elements: [
          {
            type: "button",
            action_id: ACTION.postSummary,
            text: { type: "plain_text", text: s.postButton },
            style: "primary",
            value: summary.kind,
            confirm: {
              title: { type: "plain_text", text: s.postButton.slice(0, 24) },
              text: { type: "plain_text", text: s.postConfirm },
              confirm: { type: "plain_text", text: s.postButton.slice(0, 24) },
              deny: { type: "plain_text", text: s.cancel },
            },
          },
        ],
      });
    }
  }
  const fallback = `${title}\n${totals}`;
  return { text: fallback, blocks };
}

/** 反弹 and 虚报 named, and the previous bulletin's 整改: who answered, who still owes. */
export function closingLines(summary: Summary, ctx: Pick<RenderContext, "m" | "locale">): string[] {
  const L = ctx.m.loops;
  const lines = summary.flagged.map((f) =>
    L.flagged({
      rule: f.rule,
      department: esc(f.department),
      task: formatTaskNumber(f, ctx.locale),
      title: f.title === null ? ctx.m.card.secretTitle : esc(f.title),
    }),
  );
  const [first] = summary.rectifications;
  if (first) {
    const names = (done: boolean) =>
      summary.rectifications
        .filter((r) => r.done === done)
        .map((r) => esc(r.department))
        .join(ctx.m.listSeparator);
    lines.push(L.rectified({ issueNo: first.issueNo, done: names(true), owed: names(false) }));
  }
  return lines;
}

import { randomUUID } from "node:crypto";
import { AppError } from "../../domain/errors.js";
import type { PeriodKind } from "../../domain/period.js";
import { currentPeriod, previousPeriod } from "../../domain/period.js";
import { formatTaskNumber } from "../../domain/task-number.js";
import { esc } from "../../i18n/format.js";
import { is } from "../../i18n/words.js";
import { infoRanking } from "../../services/information.js";
import {
  departmentScore,
  type ExportRequest,
  requestExport,
  summaryForViewer,
} from "../../services/summary.js";
import type { SlackDeps } from "../deps.js";
import { periodWord } from "../parse.js";
import { context, type Reply, section, textReply, textSections } from "../render/blocks.js";
import { periodLabel, summaryReply } from "../render/summary.js";
import { renderContext } from "../render-context.js";
import type { Subcommand } from "./context.js";

type PeriodChoice = { kind: PeriodKind; which: "current" | "previous" };

/** The word for a period: 本周, 上月. */
const periodName = (choice: PeriodChoice) =>
  choice.which === "current" ? choice.kind : (`last-${choice.kind}` as const);

/** `/ducha summary [week|month|year]` (`汇总`): the period so far, shown to the person, with a button to post it. */
export const summary: Subcommand = async (ctx) => {
  const [word, ...rest] = ctx.args;
  if (is(word, "info")) return infoSummary(ctx.deps, ctx.userId, rest);
  const choice = word === undefined ? ({ kind: "week", which: "current" } as const) : periodWord(word);
  if (!choice || rest.length) throw new AppError("usage", { usage: "summary", detail: word });
  const result = await summaryForViewer(ctx.deps.services, { actor: ctx.userId, ...choice });
  const rctx = await renderContext(ctx.deps);
  return summaryReply(result.summary, rctx, {
    ledgerAttached: false,
    preview: { canPost: result.canPost },
  });
};

/** `/ducha score DEPT [week|month|year]` (`得分`): the score and every item behind it. */
export const score: Subcommand = async (ctx) => {
  const words = [...ctx.args];
  const choice = periodWord(words.at(-1)) ?? ({ kind: "month", which: "current" } as const);
  if (periodWord(words.at(-1))) words.pop();
  const named = words.join(" ");
  if (!named) throw new AppError("usage", { usage: "score" });
  const department = words.length === 1 && is(named, "own") ? ({ own: true } as const) : named;
  const view = await departmentScore(ctx.deps.services, { actor: ctx.userId, department, ...choice });
  const rctx = await renderContext(ctx.deps, view.setup);
  const m = rctx.m;
  const s = view.score;
  const rank =
    view.rank !== null
      ? m.score.rank({ rank: view.rank, of: view.ranked })
      : m.score.insufficient({ count: s.scoredTasks, min: view.minSample });
  const label = `${m.summary.periodWords[periodName(choice)]}（${periodLabel(view.period, rctx)}）`;
  const title = m.score.title({ name: view.department.name, period: label, score: s.score, rank });
  const lines = s.items.map((item) => {
    const task = view.tasks.get(item.taskId);
    return m.score.item({
      number: task ? formatTaskNumber(task, rctx.locale) : `#${item.taskId}`,
      title: !task ? "" : task.confidentiality === "secret" ? m.card.secretTitle : esc(task.title),
      rule: m.summary.ruleName[item.rule],
      count: item.count,
      points: item.points,
    });
  });
  // The items never crowd out the total: past Slack's limits the rest is counted.
  const shown = lines.slice(0, 150);
  const blocks = [
    section(title),
    ...textSections(shown.length ? shown : [m.score.noItems]),
    ...(lines.length > shown.length
      ? [context(m.score.moreItems({ count: lines.length - shown.length }))]
      : []),
  ];
  return { text: title, blocks: blocks.slice(0, 50) };
};

/** `/ducha export [week|month|year] [open|red|yellow|stalled] [dept NAME]` (`导出`): the ledger by DM. */
export const exportLedger: Subcommand = async (ctx) => {
  const m = ctx.deps.messages;
  const request: ExportRequest = {};
  const labels: string[] = [];
  const args = [...ctx.args];
  while (args.length) {
    const word = args.shift();
    const choice = periodWord(word);
    if (choice) {
      request.period = choice;
      labels.push(m.summary.periodWords[periodName(choice)]);
    } else if (is(word, "open")) {
      request.open = true;
      labels.push(m.export.filterWords.open ?? "");
    } else if (is(word, "red") || is(word, "yellow")) {
      request.light = is(word, "red") ? "red" : "yellow";
      labels.push(m.export.filterWords[request.light] ?? "");
    } else if (is(word, "stalled")) {
      request.stalled = true;
      labels.push(m.export.filterWords.stalled ?? "");
    } else if (is(word, "dept")) {
      request.department = args.splice(0).join(" ");
      if (!request.department) throw new AppError("usage", { usage: "export" });
    } else if (!is(word, "all")) {
      throw new AppError("usage", { usage: "export", detail: word });
    }
  }
  const { count, label } = await requestExport(ctx.deps.services, {
    actor: ctx.userId,
    request,
    // The department by its registered name, as found.
    label: (department) =>
      [...labels, ...(department ? [department] : [])].join(m.listSeparator) ||
      (m.export.filterWords.all ?? ""),
    requestKey: randomUUID(),
  });
  if (count === 0) return textReply(m.export.empty({ filter: label }));
  return textReply(m.export.started({ filter: label, count }));
};

/** `/ducha 汇总 信息 [本月|上月|本周|上周]`: 信息工作, 抓两头带中间. */
export async function infoSummary(deps: SlackDeps, actor: string, args: readonly string[]): Promise<Reply> {
  const [word, ...rest] = args;
  const choice = word === undefined ? ({ kind: "month", which: "current" } as const) : periodWord(word);
  if (!choice || rest.length) throw new AppError("usage", { usage: "summary" });
  const now = deps.services.clock.now();
  const tz = deps.services.timeZone;
  const period =
    choice.which === "current" ? currentPeriod(choice.kind, now, tz) : previousPeriod(choice.kind, now, tz);
  const { rows, best, worst } = await infoRanking(deps.services, { actor, period });
  const ctx = await renderContext(deps);
  const I = deps.messages.info;
  const title = I.rankingTitle({ label: periodLabel({ ...period, complete: period.end <= now }, ctx) });
  if (rows.length === 0) return { text: title, blocks: [section(`*${title}*`), section(I.rankingEmpty)] };
  const line = (r: (typeof rows)[number]) => I.rankingLine({ ...r, unit: esc(r.name) });
  const middle = rows.filter(
    (r) => r.rank !== null && !best.includes(r.departmentId) && !worst.includes(r.departmentId),
  );
  const blocks = [
    section(`*${title}*`),
    section(
      [`*${I.rankingBest}*`, ...rows.filter((r) => best.includes(r.departmentId)).map(line)].join("\n"),
    ),
    section(
      [`*${I.rankingWorst}*`, ...rows.filter((r) => worst.includes(r.departmentId)).map(line)].join("\n"),
    ),
    section([I.rankingMiddle({ count: middle.length }), ...middle.map(line)].join("\n")),
    context(I.rankingRules),
  ];
  return { text: title, blocks };
}

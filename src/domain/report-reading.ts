import { CN, parseNumber } from "./splitter/numerals.js";

/** Cause categories offices use to analyse why a task is stuck (帮助分析原因). */
export const CAUSES = ["funding", "policy", "coordination", "staffing", "other"] as const;
export type Cause = (typeof CAUSES)[number];

/** What a progress report says, as read from its words. */
export interface ReadReport {
  /** The percentage done, when the report gives one (0–100). */
  progress: number | null;
  blocker: boolean;
  cause: Cause | null;
  /** "已完成", "已办结": the department says it is done (offer 申请办结, close nothing). */
  doneClaim: boolean;
  /** 走过场: filler only, or the previous report again, with no new percentage. */
  perfunctory: boolean;
}

const PERCENT = new RegExp(
  `(?:进度|完成|达到|已完成)?\\s*(\\d{1,3}(?:\\.\\d+)?)\\s*[%％]|百分之([${CN}]{1,3}|一百)`,
);

const BLOCKER_WORDS =
  /困难|受阻|阻力|问题|卡在|卡住|需协调|需要协调|难以推进|无法推进|推不动|停滞|瓶颈|障碍|(?:需|需要|亟需|有待)[^，,。；;！!？?\n]{1,12}?(?:协调|配合)/g;
/** "没有困难", "无问题", "问题已解决": no blocker. */
const NEGATED_BEFORE = /(?:没有|没|无|未遇到|不存在|暂无|并无)\s*$/;
const RESOLVED_AFTER = /^\s*(?:已|已经|均已)?(?:解决|协调好|协调解决|消除|处理完毕)/;

const CAUSE_WORDS: [Cause, RegExp][] = [
  ["funding", /资金|经费|拨款|预算|钱|财力|配套款/],
  ["policy", /政策|审批|手续|规定|许可|依据|规划调整|立项/],
  ["staffing", /人手|人员不足|人力|编制|缺人|力量不足|人员紧张/],
  ["coordination", /协调|配合|衔接|会签|推诿|部门之间|其他部门|对接/],
];

/** "已完成" alone ends a clause; "已完成招标" only finished a step. */
const DONE =
  /已办结|办结了|全部完成|全面完成|圆满完成|任务完成|已全部落实|(?:已|已经)完成(?=\s*(?:[。！!，,；;]|$|请))/;
const NOT_DONE = /未完成|尚未完成|没有完成|未办结|完成率|完成了\d/;

/** Words that say nothing new on their own (走过场 when a report is only these). */
const FILLER =
  /正在推进|按计划进行|按计划推进|稳步推进|有序推进|正在办理|持续推进|积极推进|抓紧推进|正常推进|进展顺利|正在落实|正在进行|推进中|办理中|在办|继续推进|加快推进|全力推进|工作|相关|目前|我们|本单位|各项|有关|事项|正在|按计划|进展|情况|良好|正常|顺利|中/g;

function normalise(text: string): string {
  return text.replace(/[\s，。、；：,.;:!！?？“”"'（）()【】\-—…]+/g, "");
}

function readPercent(text: string): number | null {
  const match = PERCENT.exec(text);
  if (!match) return null;
  const value =
    match[1] !== undefined ? Number(match[1]) : match[2] === "一百" ? 100 : parseNumber(match[2] ?? "");
  if (value === undefined || !Number.isFinite(value) || value < 0 || value > 100) return null;
  return Math.round(value);
}

function readBlocker(text: string): boolean {
  for (const match of text.matchAll(BLOCKER_WORDS)) {
    const before = text.slice(Math.max(0, match.index - 4), match.index);
    const after = text.slice(match.index + match[0].length, match.index + match[0].length + 8);
    if (NEGATED_BEFORE.test(before) || RESOLVED_AFTER.test(after)) continue;
    return true;
  }
  return false;
}

function readCause(text: string): Cause {
  let best: { cause: Cause; at: number } | undefined;
  for (const [cause, pattern] of CAUSE_WORDS) {
    const match = pattern.exec(text);
    if (match && (!best || match.index < best.at)) best = { cause, at: match.index };
  }
  return best?.cause ?? "other";
}

/**
 * Reads a progress report: its percentage, a blocker and its cause, a claim of being done,
 * and whether it says anything new compared with the previous report of the same task.
 */
export function readReport(text: string, previous?: { text: string; progress: number | null }): ReadReport {
  const progress = readPercent(text);
  const blocker = readBlocker(text);
  // "初稿已完成，进度40%": a step is done, not the task; a percentage below 100 says so.
  const doneClaim =
    (DONE.test(text) && !NOT_DONE.test(text) && (progress === null || progress === 100)) || progress === 100;
  const unchangedProgress = progress === null || (previous !== undefined && previous.progress === progress);
  const body = normalise(text).replace(/\d{1,3}(?:\.\d+)?[%％]/g, "");
  const fillerOnly = body.replace(FILLER, "").length <= 2;
  const repeat = previous !== undefined && normalise(previous.text) === normalise(text);
  const perfunctory = !blocker && !doneClaim && unchangedProgress && (fillerOnly || repeat);
  return { progress, blocker, cause: blocker ? readCause(text) : null, doneClaim, perfunctory };
}

/** A blocker still open: since when, why, and what the latest report of it says. */
export interface OpenBlocker {
  since: Date;
  cause: string | null;
  text: string;
}

/**
 * The one rule of an open blocker (中梗阻): it stays open while the latest reports keep
 * reporting one, and began with the first of that run. Its cause and words are the latest
 * report's (the cause named most recently, when the latest names none). Reports newest first.
 */
export function openBlockerOf(
  newestFirst: readonly { blocker: boolean; cause: string | null; at: Date; text: string }[],
): OpenBlocker | null {
  let open: OpenBlocker | null = null;
  for (const report of newestFirst) {
    if (!report.blocker) break;
    open = open
      ? { since: report.at, cause: open.cause ?? report.cause, text: open.text }
      : { since: report.at, cause: report.cause, text: report.text };
  }
  return open;
}

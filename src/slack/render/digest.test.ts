import { describe, expect, it } from "vitest";
import { blocksTextLength } from "../../../test/fake-slack/block-kit.js";
import { createWorkCalendar } from "../../domain/calendar.js";
import { DEFAULT_THRESHOLDS } from "../../domain/lights.js";
import type { TaskView } from "../../domain/model.js";
import { messagesFor } from "../../i18n/index.js";
import { LIMITS } from "./blocks.js";
import { digestReply, escalationsReply } from "./digest.js";
import type { RenderContext } from "./format.js";

const ctx: RenderContext = {
  m: messagesFor("zh-CN"),
  locale: "zh-CN",
  tz: "Asia/Shanghai",
  now: new Date("2026-12-14T01:00:00Z"),
  calendar: createWorkCalendar(),
  thresholds: DEFAULT_THRESHOLDS,
};

const department = (id: number) => ({
  id,
  name: `第${id}局`,
  channelId: `C${id}`,
  members: [`U${id}A`, `U${id}B`],
});

/** An open task stalled since dispatch a month ago, with a card to link to. */
function stalled(seq: number, dept = 1): TaskView {
  const dispatchedAt = new Date("2026-11-10T01:00:00Z");
  return {
    id: seq,
    year: 2026,
    seq,
    title: `完成第${seq}项专项整治工作并形成长效机制的书面报告`,
    requirement: "",
    state: "in_progress",
    urgent: false,
    confidentiality: seq % 7 === 0 ? "secret" : "public",
    cadence: { kind: "none" },
    dispatchedAt,
    dispatchedBy: "U0SUPER01",
    dueAt: new Date("2026-12-31T16:00:00Z"),
    originalDueAt: new Date("2026-12-31T16:00:00Z"),
    ackAt: dispatchedAt,
    ackBy: "U1A",
    claimedAt: null,
    closedAt: null,
    extensionCount: 0,
    returnCount: 0,
    progress: null,
    lastSubstantiveAt: null,
    escalationStep: 1,
    episodeStartedAt: dispatchedAt,
    escalatedAt: dispatchedAt,
    version: 1,
    leadDept: department(dept),
    coDepts: [],
    tags: [],
    decision: {
      id: 1,
      source: "meeting",
      sourceRef: "",
      sourceUrl: null,
      sourceFileName: null,
      sourceFileUrl: null,
      leaderUserId: "U0LEADER1",
      decidedOn: dispatchedAt,
      createdBy: "U0SUPER01",
    },
    card: {
      channelId: `C${dept}`,
      ts: `17000000${seq}.000100`,
      url: `https://x.slack.com/archives/C${dept}/p${seq}`,
    },
    lastReport: null,
    openBlocker: null,
    pendingExtension: null,
    coordinations: [],
  };
}

const textOf = (blocks: unknown[]) => JSON.stringify(blocks);
const numbers = (blocks: unknown[]) => textOf(blocks).match(/督〔2026〕\d+号/g)?.length ?? 0;

describe("a run's messages", () => {
  it("list every task of a department in one message, and past Slack's limits count the rest in words", () => {
    const few = Array.from({ length: 40 }, (_, i) => stalled(i + 1));
    const small = digestReply(department(1), { ...emptyGroups(), urged: few }, ctx);
    expect(numbers(small.blocks)).toBe(40);
    expect(textOf(small.blocks)).toContain("*催办：仍无实质进展的，将报督查室和交办领导*（40 项）");
    expect(textOf(small.blocks)).toContain("请 <@U1A>、<@U1B> 在各事项的消息列中反馈实质进展。");
    // A confidential task's title stays out; its number and link stay in.
    expect(textOf(small.blocks)).not.toContain("完成第7项专项整治");

    const many = Array.from({ length: 3000 }, (_, i) => stalled(i + 1));
    const large = digestReply(department(1), { ...emptyGroups(), reminded: many }, ctx);
    expect(large.blocks.length).toBeLessThanOrEqual(LIMITS.messageBlocks);
    // Slack's undocumented total of a message's text (msg_blocks_too_long), as the fake counts it.
    expect(blocksTextLength(large.blocks)).toBeLessThanOrEqual(LIMITS.messageText);
    const shown = numbers(large.blocks);
    // As many as the text allows: the next line would not have fitted.
    expect(shown).toBeGreaterThan(60);
    expect(blocksTextLength(large.blocks) + 120).toBeGreaterThan(LIMITS.messageText);
    expect(textOf(large.blocks)).toContain(
      `……另有${3000 - shown}项未列出，请用 \`/ducha 列表 单位 ${department(1).name}\` 或在督查助手主页查看。`,
    );
    for (const block of large.blocks)
      expect(JSON.stringify(block).length).toBeLessThan(LIMITS.sectionText + 200);
  });

  it("put a run's escalations in one message, grouped by lead department with its members", () => {
    const entries = [stalled(1, 1), stalled(2, 2), stalled(3, 1)].map((task) => ({
      task,
      reasons: ["stalled"],
    }));
    const reply = escalationsReply(entries, "supervision", ctx);
    const text = textOf(reply.blocks);
    expect(reply.text).toContain("以下 3 项经提醒、催办仍无实质进展");
    expect(text.indexOf("*第1局*（承办人：<@U1A>、<@U1B>）")).toBeLessThan(text.indexOf("督〔2026〕3号"));
    expect(text.indexOf("督〔2026〕3号")).toBeLessThan(text.indexOf("*第2局*"));
    expect(text).toContain("督〔2026〕1号> 完成第1项专项整治工作并形成长效机制的书面报告 — 长期无实质进展");
    const toLeader = escalationsReply(entries, "leader", ctx);
    expect(toLeader.text).toContain("您交办的以下 3 项");
    expect(textOf(toLeader.blocks)).not.toContain("承办人");
  });
});

function emptyGroups() {
  return {
    overdue: [],
    dueSoon: [],
    ackLate: [],
    reportOwed: [],
    reminded: [],
    urged: [],
    coordinations: [],
  };
}

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readReport } from "./report-reading.js";

describe("reading a progress report", () => {
  it.each([
    ["进度60%，已完成招标", { progress: 60, blocker: false, doneClaim: false, perfunctory: false }],
    ["完成60％", { progress: 60 }],
    ["目前 45% 了", { progress: 45 }],
    ["已完成百分之八十", { progress: 80 }],
    ["预计增长150%", { progress: null }],
    ["资金拨付遇到困难，市财政配套款未到位", { blocker: true, cause: "funding" }],
    ["项目审批卡在规划调整环节", { blocker: true, cause: "policy" }],
    ["需协调住建局提供图纸，对方一直未回复", { blocker: true, cause: "coordination" }],
    ["人手不足，施工受阻", { blocker: true, cause: "staffing" }],
    ["遇到一些问题", { blocker: true, cause: "other" }],
    ["没有困难，按节点推进", { blocker: false, cause: null }],
    ["前期问题已解决，进度70%", { blocker: false, progress: 70 }],
    ["已全部完成，请验收", { doneClaim: true }],
    ["已办结", { doneClaim: true }],
    ["进度100%", { doneClaim: true, progress: 100 }],
    ["尚未完成，进度90%", { doneClaim: false }],
    ["进度40%，方案初稿已完成，正征求意见", { doneClaim: false, progress: 40 }],
    ["正在推进", { perfunctory: true }],
    ["按计划进行。", { perfunctory: true }],
    ["工作正在有序推进中，进展顺利", { perfunctory: true }],
    ["正在推进，已与3家施工单位签订合同", { perfunctory: false }],
  ] as const)("%s", (text, expected) => {
    expect(readReport(text)).toMatchObject(expected);
  });

  it("flags the previous report repeated, or filler with the same percentage, as 走过场", () => {
    const previous = { text: "进度40%，正在组织施工", progress: 40 };
    expect(readReport("进度40%，正在组织施工", previous).perfunctory).toBe(true);
    expect(readReport("进度40%，正在推进", previous).perfunctory).toBe(true);
    expect(readReport("进度55%，正在推进", previous).perfunctory).toBe(false);
    expect(readReport("进度40%，主体结构已封顶", previous).perfunctory).toBe(false);
  });

  it("never throws and keeps percentages within 0–100", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        const read = readReport(text);
        if (read.progress !== null) expect(read.progress).toBeGreaterThanOrEqual(0);
        if (read.progress !== null) expect(read.progress).toBeLessThanOrEqual(100);
        expect(read.cause === null).toBe(!read.blocker);
      }),
    );
  });
});

import { describe, expect, it } from "vitest";
import { guessSource } from "./decision.js";

describe("where a decision came from", () => {
  it("is read from its words, whichever way it arrived", () => {
    expect(guessSource("市政府第15次常务会议研究决定：一、……", true)).toBe("meeting");
    expect(guessSource("赵市长批示：请住建局抓紧落实。", false)).toBe("instruction");
    expect(guessSource("关于印发《城中村改造实施方案》的通知（市政办〔2026〕15号）", true)).toBe("document");
  });

  it("without such words, is a meeting's when typed and an instruction when taken from a message", () => {
    expect(guessSource("一、财政局12月15日前完成资金拨付。", false)).toBe("meeting");
    expect(guessSource("请财政局12月15日前完成资金拨付。", true)).toBe("instruction");
  });
});

import { describe, expect, it } from "vitest";
import { esc } from "./format.js";

describe("esc", () => {
  it("keeps what a person typed from acting as markup: links, mentions, bold, code", () => {
    expect(esc("<!channel> <@U1> <https://evil|看这里>")).toBe(
      "&lt;!channel&gt; &lt;@U1&gt; &lt;https://evil|看这里&gt;",
    );
    expect(esc("市财政局```")).toBe("市财政局｀｀｀");
    expect(esc("*重点*_任务_~撤~")).toBe("＊重点＊＿任务＿～撤～");
    expect(esc("A&B")).toBe("A&amp;B");
  });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cleanDeep, cleanText } from "./clean-text.js";

describe("cleanText", () => {
  it("removes control and invisible characters and keeps line breaks, tabs and Chinese punctuation", () => {
    expect(cleanText("进度\u000030%\u001b[31m，\u200b已完成\u202e招标\t\n下周进场！")).toBe(
      "进度30%[31m，已完成招标\t\n下周进场！",
    );
    expect(cleanText("第一行\u2028第二行")).toBe("第一行\n第二行");
  });

  it("leaves nothing invisible in any string, and changes nothing else", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 200 }), (s) => {
        const cleaned = cleanText(s);
        expect(cleaned).not.toMatch(/[\p{Cf}]|[^\P{Cc}\n\t]/u);
        expect(cleanText(cleaned)).toBe(cleaned);
        const visible = [...s].filter(
          (ch) => !/[\p{Cf}\p{Cc}\u2028\u2029]/u.test(ch) || ch === "\n" || ch === "\t",
        );
        expect([...cleaned].filter((ch) => ch !== "\n").join("")).toBe(
          visible.filter((ch) => ch !== "\n").join(""),
        );
      }),
    );
  });

  it("cleans a payload in place, at every depth", () => {
    const body = {
      text: "a\u0000b",
      view: { state: { values: { b: { a: { value: "\u200b市财政局" } } } } },
      n: 1,
    };
    cleanDeep(body);
    expect(body).toEqual({
      text: "ab",
      view: { state: { values: { b: { a: { value: "市财政局" } } } } },
      n: 1,
    });
  });
});

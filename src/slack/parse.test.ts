import { describe, expect, it } from "vitest";
import { AppError } from "../domain/errors.js";
import {
  channelMention,
  looksLikeHandMention,
  requireChannel,
  requireUser,
  tokenize,
  userMention,
} from "./parse.js";

describe("tokenize", () => {
  it.each([
    ["单位 添加 市财政局", ["单位", "添加", "市财政局"]],
    ["单位\u3000添加\u3000市财政局", ["单位", "添加", "市财政局"]],
    ['dept add "Finance Bureau" <#C1|fin>', ["dept", "add", "Finance Bureau", "<#C1|fin>"]],
    ["单位 添加 “市 财政局” 「别名 甲」", ["单位", "添加", "市 财政局", "别名 甲"]],
    ["  ", []],
    ["R&amp;D &lt;b&gt;", ["R&D", "<b>"]],
  ])("%j → %j", (text, tokens) => {
    expect(tokenize(text)).toEqual(tokens);
  });
});

describe("mentions", () => {
  it("reads escaped user and channel mentions", () => {
    expect(userMention("<@U012AB3CD|zhang>")).toBe("U012AB3CD");
    expect(userMention("<@W012AB3CD>")).toBe("W012AB3CD");
    expect(channelMention("<#C012AB3CD|caizheng>")).toBe("C012AB3CD");
    expect(channelMention("<#G012AB3CD|>")).toBe("G012AB3CD");
    expect(userMention("<#C012AB3CD|caizheng>")).toBeUndefined();
    expect(channelMention("<!channel>")).toBeUndefined();
  });

  it("refuses names typed by hand with the error that says so", () => {
    expect(() => requireUser("@张三")).toThrow(AppError);
    expect(() => requireChannel("#caizheng")).toThrowError(/need_channel_mention/);
    expect(looksLikeHandMention("@张三")).toBe("user");
    expect(looksLikeHandMention("＃财政")).toBe("channel");
    expect(looksLikeHandMention("财政")).toBeUndefined();
  });
});

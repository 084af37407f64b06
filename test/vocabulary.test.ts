import { describe, expect, it } from "vitest";
import { DEFAULT_THRESHOLDS } from "../src/domain/lights.js";
import { JOB_IDS } from "../src/domain/settings.js";
import { messagesFor } from "../src/i18n/index.js";
import { COMMANDS, jobOf, thresholdOf, WORDS } from "../src/i18n/words.js";
import { SUBCOMMANDS } from "../src/slack/commands/ducha-command.js";
import { helpView } from "../src/slack/render/admin-views.js";

const text = (blocks: unknown) => JSON.stringify(blocks);

describe("one vocabulary of commands", () => {
  it("has a handler for every command in the table, and nothing else", () => {
    expect(Object.keys(SUBCOMMANDS).sort()).toEqual(COMMANDS.map((c) => c.word).sort());
  });

  it("generates help that describes every command, 汇总, 得分 and 导出 included", () => {
    const zh = text(helpView(messagesFor("zh-CN"), "zh-CN").blocks);
    for (const word of ["帮助", "新建", "列表", "查看", "汇总", "得分", "导出", "单位", "角色", "设置"]) {
      expect(zh).toContain(`/ducha ${word}`);
    }
    for (const c of COMMANDS) expect(zh).toContain(`\`${WORDS[c.word][0]}\``);
    const en = text(helpView(messagesFor("en"), "en").blocks);
    for (const word of [
      "help",
      "new",
      "list",
      "show",
      "summary",
      "score",
      "export",
      "dept",
      "role",
      "settings",
    ]) {
      expect(en).toContain(`/ducha ${word}`);
    }
    expect(en).toContain("`汇总`");
  });

  it("shows jobs and thresholds by the words that are typed for them", () => {
    const m = messagesFor("zh-CN").settings;
    for (const job of JOB_IDS) expect(jobOf(m.jobName[job])).toBe(job);
    for (const key of Object.keys(DEFAULT_THRESHOLDS) as (keyof typeof DEFAULT_THRESHOLDS)[]) {
      expect(thresholdOf(m.thresholdName[key])).toBe(key);
      expect(thresholdOf(key)).toBe(key);
    }
  });
});

/**
 * Every string the Chinese catalogue can produce, rendered with sample values: what an office
 * worker reads. Functions are called with a proxy whose every field is "X" (or 2), so each
 * template's fixed words are checked.
 */
function everyString(value: unknown, out: string[] = []): string[] {
  const sample: Record<string, unknown> = new Proxy(
    {},
    {
      get: (_, key) =>
        key === "members" || key === "names" || key === "workdays" || key === "items"
          ? []
          : key === "count"
            ? 2
            : "X",
    },
  );
  if (typeof value === "string") out.push(value);
  else if (typeof value === "function") {
    try {
      everyString((value as (p: unknown) => unknown)(sample), out);
    } catch {
      // A template that needs a shape the proxy cannot give: its words are checked elsewhere.
    }
  } else if (Array.isArray(value)) for (const v of value) everyString(v, out);
  else if (value && typeof value === "object") for (const v of Object.values(value)) everyString(v, out);
  return out;
}

describe("the words an office worker reads (zh-CN)", () => {
  const all = everyString(messagesFor("zh-CN"));

  it.each([
    ["线程", "Slack's Chinese client says 消息列"],
    ["App Home", "督查助手主页"],
    ["「", "quotation marks are “” (GB/T 15834)"],
    ["」", "quotation marks are “” (GB/T 15834)"],
    ["走过场", "one term: 反馈内容空泛"],
    ["升级", "提级督办"],
    ["逾期后申请", "超期后申请"],
    ["超过时限后申请", "超期后申请"],
    ["周调度", "a meeting's name, not the weekly report's"],
    ["密级", "知悉范围: 密级 is the legal term for classified matters"],
    ["涉密事项", "one word for the hidden-title case: 不公开事项"],
    ["机密事项", "one word for the hidden-title case: 不公开事项"],
    ["标星", "列为先进经验"],
    ["帮助分析原因（后", "排名靠后单位（帮助分析原因）"],
    ["你", "one register: 您"],
  ])("never says %s (%s)", (word) => {
    // The one place the legal terms belong: the form's warning that classified matters stay out of Slack.
    const said = all.filter((s) => s.includes(word) && !s.includes("不得在 Slack 中办理"));
    expect(said).toEqual([]);
  });

  it("warns in the decision form that classified (涉密) matters must not be handled in Slack", () => {
    expect(messagesFor("zh-CN").decisionModal.confidentialityHint).toContain(
      "涉密事项（绝密、机密、秘密）不得在 Slack 中办理",
    );
  });

  it("calls the bot 督查助手 in Chinese sentences (ducha only in /ducha and @ducha)", () => {
    expect(
      all.filter((s) => /(?<![/@.:])\bducha\b(?![_.:])/.test(s.replace(/file:\S+|postgresql:\S+/g, ""))),
    ).toEqual([]);
  });

  it("titles the weekly report by its dates, not by an ISO week number", () => {
    const s = messagesFor("zh-CN").summary;
    const label = s.weekLabel({ week: 50, from: "12月7日", to: "12月13日" });
    expect(s.title({ kind: "week", label, issueNo: null, complete: true })).toBe("督查周报（12月7日—13日）");
    expect(s.weekLabel({ week: 1, from: "12月28日", to: "1月3日" })).toBe("12月28日—1月3日");
  });
});

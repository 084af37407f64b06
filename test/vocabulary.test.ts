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

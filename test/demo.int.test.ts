import { spawn } from "node:child_process";
import { once } from "node:events";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "..");

describe("npm run demo", () => {
  it("plays the scenario end to end, prints the conversation, exits 0 and leaves nothing running", async () => {
    const child = spawn(
      process.execPath,
      ["--import", import.meta.resolve("tsx"), path.join(ROOT, "scripts/demo/main.ts")],
      {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "" },
      },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += String(chunk);
    });
    child.stderr.on("data", (chunk) => {
      stderr += String(chunk);
    });
    // The process ends by itself only if the demo closed every server, socket and timer.
    const [code] = await once(child, "exit");
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toContain("#general · 王主任: /ducha 单位 添加 市财政局 #caizheng @张财 @刘会");
    expect(stdout).toContain("仅 王主任 可见 · ducha: 已添加单位“市财政局”");
    expect(stdout).toContain("只有管理员可以修改单位、角色和设置");
    expect(stdout).toContain("【单位列表（共 3 个）】");
    // 协调: 交通局's blocker names 财政: 财政局 is asked in its channel, answers in the thread.
    expect(stdout).toContain(
      "#caizheng · ducha: :handshake: 协调事项 督〔2026〕3号“完成全市公交站台安全隐患排查整改”（牵头：市交通运输局）需要贵单位协调：部分站台改造资金遇到困难，需财政支持",
    );
    expect(stdout).toContain(":handshake: 协调中：市财政局（已答复）");
    // 抓两头带中间: the weekly post, the scores, the export by DM and the numbered bulletin with its ledger.
    expect(stdout).toContain("#lingdao · ducha: 【督查周报（12月7日—13日）】");
    expect(stdout).toContain("私信 李督查 · ducha: 督查台账：全部事项，共 7 项。 📎 督查台账 · 全部事项");
    expect(stdout).toContain("#lingdao · ducha: 【督查通报 第1期 · 2026年12月】");
    expect(stdout).toContain(
      "#lingdao · ducha: 各单位得分图：2026年12月 📎 督查通报 第1期 · 2026年12月 · 各单位得分",
    );
    expect(stdout).toMatch(
      /#lingdao · ducha: ✅ 第1期通报的 Word 文件和台账已生成（用时 \d+ 秒），见下方文件。/,
    );
    expect(stdout).toContain(
      "#lingdao · ducha: 督查台账 · 2026年12月 📎 督查台账 · 2026年12月 📎 督查通报第1期（2026年12月）",
    );
    // The loops: 实地核查 before 验收, 报结 to the leader with the report, 回头看 on its day.
    expect(stdout).toContain("实地核查：属实");
    expect(stdout).toContain("将于 12月14日 回头看");
    expect(stdout).toMatch(/私信 赵市长 · ducha: .*已验收办结（已办结 1\/5 项）/);
    expect(stdout).toContain("📎 关于“赵市长批示（市长批〔2026〕88号）”批示件办理情况的报告");
    expect(stdout).toContain("已阅");
    expect(stdout).toContain("🔍 回头看：本事项办结已有一段时间");
    expect(stdout).toContain("认定回头看成果巩固");
    // 信息报送: an urgent report, a 续报, 采用 into the 要情, a leader's 批示 becoming a task.
    expect(stdout).toContain("#ducha · ducha: 【信〔2026〕1号 解放路立交桥伸缩缝断裂】");
    expect(stdout).toContain("报送用时 1小时30分（时限 4小时）");
    expect(stdout).toContain("续报（@周交）：经专家初步检测");
    expect(stdout).toContain("#lingdao · ducha: 【《要情》第1期】");
    expect(stdout).toContain("来源：批示 《要情》第1期批示：解放路立交桥伸缩缝断裂");
    expect(stdout).toContain("演示结束");
  });
});

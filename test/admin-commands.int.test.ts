import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CHANNELS, PEOPLE, startTestBot, type TestBot, textOf } from "./support/harness.js";

let t: TestBot;

const ch = (c: { id: string; name: string }) => `<#${c.id}|${c.name}>`;
const at = (p: { id: string; name: string }) => `<@${p.id}|${p.name}>`;

/** Runs `/ducha text` as a person and returns the one ephemeral reply they got. */
async function ducha(userId: string, text: string, channelId: string = CHANNELS.general.id): Promise<string> {
  const before = t.slack.ephemeralsFor(userId).length;
  const delivery = await t.slack.command(userId, channelId, text);
  expect(delivery.status).toBe(200);
  await t.settle();
  const replies = t.slack.ephemeralsFor(userId).slice(before);
  expect(replies, `replies to "${text}"`).toHaveLength(1);
  return textOf(replies[0]);
}

async function departmentCount(): Promise<number> {
  return (await t.store.read((r) => r.departments.listActive())).length;
}

beforeEach(async () => {
  t = await startTestBot();
});
afterEach(async () => {
  await t.stop();
});

describe("/ducha help", () => {
  it("lists the commands in Chinese, ephemerally, for anyone", async () => {
    const reply = await ducha(PEOPLE.outsider.id, "帮助");
    expect(reply).toContain("督查助手使用说明");
    expect(reply).toContain("/ducha 单位 添加");
    expect(reply).toContain("/ducha 角色 添加 @用户 督查员|领导|管理员");
    expect(t.slack.messages(CHANNELS.general.id)).toHaveLength(0);
  });

  it("answers help to an empty command and to the English word", async () => {
    expect(await ducha(PEOPLE.outsider.id, "")).toContain("使用说明");
    expect(await ducha(PEOPLE.outsider.id, "help")).toContain("使用说明");
  });

  it("says an unknown subcommand is unknown and points to help", async () => {
    const reply = await ducha(PEOPLE.outsider.id, "飞行 模式");
    expect(reply).toContain("没有“飞行”这个命令");
    expect(reply).toContain("/ducha 帮助");
  });
});

describe("/ducha dept", () => {
  it("adds a department with channel, members and aliases, and lists it", async () => {
    const reply = await ducha(
      PEOPLE.admin.id,
      `单位 添加 市财政局 ${ch(CHANNELS.finance)} ${at(PEOPLE.finance1)} ${at(PEOPLE.finance2)} 别名:财政局,财政`,
    );
    expect(reply).toContain("已添加单位“市财政局”");
    expect(reply).toContain(`<#${CHANNELS.finance.id}>`);
    expect(reply).toContain(`<@${PEOPLE.finance1.id}>`);
    expect(reply).toContain("别名 财政、财政局");
    const stored = await t.store.read((r) => r.departments.findByNameOrAlias("财政"));
    expect(stored).toMatchObject({
      name: "市财政局",
      channelId: CHANNELS.finance.id,
      members: [PEOPLE.finance1.id, PEOPLE.finance2.id],
      aliases: ["财政", "财政局"],
    });
    const list = await ducha(PEOPLE.outsider.id, "单位 列表");
    expect(list).toContain("单位列表（共 1 个）");
    expect(list).toContain("*市财政局*");
    expect(list).toContain("别名：财政、财政局");
  });

  it("accepts the English form and full-width punctuation in aliases", async () => {
    await ducha(PEOPLE.admin.id, `dept add 市住建局 ${ch(CHANNELS.housing)} 别名：住建局，住建`);
    expect((await t.store.read((r) => r.departments.findByNameOrAlias("住建")))?.name).toBe("市住建局");
  });

  it("records the change in the audit trail", async () => {
    await ducha(PEOPLE.admin.id, `单位 添加 市财政局 ${ch(CHANNELS.finance)}`);
    const [event] = await t.store.read((r) => r.events.listRecent(1));
    if (event?.type !== "department.added") throw new Error(`not a department.added event: ${event?.type}`);
    expect(event.actor).toBe(PEOPLE.admin.id);
    expect(event.after).toMatchObject({ name: "市财政局", channelId: CHANNELS.finance.id });
  });

  it("refuses a non-admin and says who can", async () => {
    const reply = await ducha(PEOPLE.finance1.id, `单位 添加 市财政局 ${ch(CHANNELS.finance)}`);
    expect(reply).toContain("只有管理员可以修改单位、角色和设置");
    expect(reply).toContain(`<@${PEOPLE.admin.id}>`);
    expect(await departmentCount()).toBe(0);
  });

  it("shows the right form when the channel is missing or doubled", async () => {
    expect(await ducha(PEOPLE.admin.id, "单位 添加 市财政局")).toContain(
      "正确的写法：`/ducha 单位 添加 名称 #频道",
    );
    expect(
      await ducha(PEOPLE.admin.id, `单位 添加 市财政局 ${ch(CHANNELS.finance)} ${ch(CHANNELS.housing)}`),
    ).toContain("正确的写法");
    expect(await ducha(PEOPLE.admin.id, `单位 添加 ${ch(CHANNELS.finance)} 市财政局`)).toContain(
      "正确的写法",
    );
    expect(await departmentCount()).toBe(0);
  });

  it("says so when a channel or a person is named by hand instead of mentioned", async () => {
    expect(await ducha(PEOPLE.admin.id, "单位 添加 市财政局 #caizheng")).toContain("“#caizheng”不是频道提及");
    expect(await ducha(PEOPLE.admin.id, `单位 添加 市财政局 ${ch(CHANNELS.finance)} @张财`)).toContain(
      "“@张财”不是成员提及",
    );
    expect(await ducha(PEOPLE.admin.id, `单位 添加 市财政局 ${ch(CHANNELS.finance)} 张财`)).toContain("张财");
    expect(await departmentCount()).toBe(0);
  });

  it("refuses a duplicate name and an alias another department uses, writing nothing", async () => {
    await ducha(PEOPLE.admin.id, `单位 添加 市财政局 ${ch(CHANNELS.finance)} 别名:财政`);
    expect(await ducha(PEOPLE.admin.id, `单位 添加 市财政局 ${ch(CHANNELS.housing)}`)).toContain("已存在");
    expect(
      await ducha(PEOPLE.admin.id, `单位 添加 市住建局 ${ch(CHANNELS.housing)} 别名:住建,财政`),
    ).toContain("“财政”已被单位“市财政局”使用");
    expect(await ducha(PEOPLE.admin.id, `单位 添加 财政 ${ch(CHANNELS.housing)}`)).toContain(
      "已被单位“市财政局”使用",
    );
    expect(await departmentCount()).toBe(1);
    expect(await t.store.read((r) => r.departments.findByNameOrAlias("住建"))).toBeNull();
  });

  it("takes a look-alike name for the name it looks like, strips control characters, refuses markup", async () => {
    await ducha(PEOPLE.admin.id, `单位 添加 市财政局 ${ch(CHANNELS.finance)}`);
    // A zero-width space and a right-to-left mark inside: the same name to the eye, and to ducha.
    expect(await ducha(PEOPLE.admin.id, `单位 添加 市财\u200b政\u200f局 ${ch(CHANNELS.housing)}`)).toContain(
      "单位“市财政局”已存在",
    );
    // Full-width letters and NUL/ESC: stored as what they look like, without the control characters.
    expect(
      await ducha(PEOPLE.admin.id, `单位 添加 市住建局\u0000\u001b ${ch(CHANNELS.housing)} 别名:ＺＪＪ`),
    ).toContain("已添加单位“市住建局”");
    const housing = await t.store.read((r) => r.departments.findByNameOrAlias("ZJJ"));
    expect(housing?.name).toBe("市住建局");
    // An unclosed ``` would turn every list that names it into code: refused, shown without it.
    const refused = await ducha(PEOPLE.admin.id, `单位 添加 市交通局\`\`\` ${ch(CHANNELS.transport)}`);
    expect(refused).toContain("“市交通局”");
    expect(refused).not.toContain("```");
    expect(await departmentCount()).toBe(2);
    // No invisible or control character in what is listed (line breaks aside).
    expect((await ducha(PEOPLE.admin.id, "单位 列表")).replaceAll("\n", "")).not.toMatch(/[\p{Cc}\p{Cf}]/u);
  });

  it("shortens, visibly, a refusal that would echo a 40,000-character command", async () => {
    const reply = await ducha(PEOPLE.admin.id, `设置 ${"甲".repeat(40_000)}`);
    expect(reply).toContain("过长已截断");
    expect(reply.length).toBeLessThanOrEqual(2_000);
  });

  it("warns when the bot is not in the department's channel", async () => {
    t.slack.removeBot(CHANNELS.housing.id);
    const reply = await ducha(PEOPLE.admin.id, `单位 添加 市住建局 ${ch(CHANNELS.housing)}`);
    expect(reply).toContain("已添加单位“市住建局”");
    expect(reply).toContain("督查助手还不在");
    expect(reply).toContain("/invite @ducha");
  });

  it("still adds the department when Slack cannot be asked about the channel, and logs why", async () => {
    t.slack.failNext({ method: "conversations.info", status: 500, times: 3 });
    const reply = await ducha(PEOPLE.admin.id, `单位 添加 市住建局 ${ch(CHANNELS.housing)}`);
    expect(reply).toContain("已添加单位“市住建局”");
    expect(t.logs.some((l) => l.msg === "could not check a channel")).toBe(true);
  });

  it("removes a department; its name can be added again later", async () => {
    await ducha(PEOPLE.admin.id, `单位 添加 市财政局 ${ch(CHANNELS.finance)} 别名:财政`);
    expect(await ducha(PEOPLE.admin.id, "单位 删除 财政")).toContain("已删除单位“市财政局”");
    expect(await departmentCount()).toBe(0);
    expect(await ducha(PEOPLE.outsider.id, "单位 列表")).toContain("还没有单位");
    const again = await ducha(PEOPLE.admin.id, `单位 添加 市财政局 ${ch(CHANNELS.housing)}`);
    expect(again).toContain("此前已删除，现已恢复");
    expect((await t.store.read((r) => r.departments.findByNameOrAlias("市财政局")))?.channelId).toBe(
      CHANNELS.housing.id,
    );
  });

  it("refuses to remove an unknown department, or for a non-admin", async () => {
    expect(await ducha(PEOPLE.admin.id, "单位 删除 市教育局")).toContain("没有找到单位“市教育局”");
    await ducha(PEOPLE.admin.id, `单位 添加 市财政局 ${ch(CHANNELS.finance)}`);
    expect(await ducha(PEOPLE.finance1.id, "单位 删除 市财政局")).toContain("只有管理员");
    expect(await departmentCount()).toBe(1);
  });

  it("sets and shows members; only admins set them", async () => {
    await ducha(PEOPLE.admin.id, `单位 添加 市财政局 ${ch(CHANNELS.finance)} ${at(PEOPLE.finance1)}`);
    const reply = await ducha(
      PEOPLE.admin.id,
      `单位 成员 市财政局 ${at(PEOPLE.finance2)} ${at(PEOPLE.housing1)}`,
    );
    expect(reply).toContain(`新增：<@${PEOPLE.finance2.id}>、<@${PEOPLE.housing1.id}>`);
    expect(reply).toContain(`移出：<@${PEOPLE.finance1.id}>`);
    expect(await ducha(PEOPLE.finance1.id, "单位 成员 市财政局")).toContain(`<@${PEOPLE.finance2.id}>`);
    expect(await ducha(PEOPLE.finance1.id, `单位 成员 市财政局 ${at(PEOPLE.finance1)}`)).toContain(
      "只有管理员",
    );
    expect(await ducha(PEOPLE.admin.id, "单位 成员 市财政局 张财")).toContain("“张财”不是成员提及");
    expect((await t.store.read((r) => r.departments.findByNameOrAlias("市财政局")))?.members).toEqual([
      PEOPLE.finance2.id,
      PEOPLE.housing1.id,
    ]);
  });
});

describe("/ducha role", () => {
  it("grants, lists and revokes roles in Chinese and English words", async () => {
    expect(await ducha(PEOPLE.admin.id, `角色 添加 ${at(PEOPLE.supervisor)} 督查员`)).toContain("设为督查员");
    expect(await ducha(PEOPLE.admin.id, `role add ${at(PEOPLE.leader)} leader`)).toContain("设为领导");
    expect(await ducha(PEOPLE.admin.id, `角色 添加 ${at(PEOPLE.supervisor)} 督查员`)).toContain(
      "已经是督查员",
    );
    const list = await ducha(PEOPLE.outsider.id, "角色 列表");
    expect(list).toContain(`*督查员*：<@${PEOPLE.supervisor.id}>`);
    expect(list).toContain(`*领导*：<@${PEOPLE.leader.id}>`);
    expect(list).toContain(`<@${PEOPLE.admin.id}>（启动配置）`);
    expect(await ducha(PEOPLE.admin.id, `角色 删除 ${at(PEOPLE.supervisor)} 督查员`)).toContain("已取消");
    expect(await t.store.read((r) => r.roles.rolesOf(PEOPLE.supervisor.id))).toEqual([]);
    expect(await t.store.read((r) => r.roles.rolesOf(PEOPLE.leader.id))).toEqual(["leader"]);
  });

  it("lets a granted admin manage, but never removes the admins of DUCHA_ADMINS or the last admin", async () => {
    await ducha(PEOPLE.admin.id, `角色 添加 ${at(PEOPLE.supervisor)} 管理员`);
    expect(await ducha(PEOPLE.supervisor.id, `角色 添加 ${at(PEOPLE.leader)} 领导`)).toContain("设为领导");
    expect(await ducha(PEOPLE.supervisor.id, `角色 删除 ${at(PEOPLE.admin)} 管理员`)).toContain(
      "DUCHA_ADMINS",
    );
    expect(await ducha(PEOPLE.supervisor.id, `角色 删除 ${at(PEOPLE.supervisor)} 管理员`)).toContain(
      "已取消",
    );
  });

  it("refuses non-admins, unknown roles, names instead of mentions and roles not held", async () => {
    expect(await ducha(PEOPLE.finance1.id, `角色 添加 ${at(PEOPLE.finance1)} 管理员`)).toContain(
      "只有管理员",
    );
    expect(await ducha(PEOPLE.admin.id, `角色 添加 ${at(PEOPLE.finance1)} 局长`)).toContain(
      "没有“局长”这个角色",
    );
    expect(await ducha(PEOPLE.admin.id, "角色 添加 李督查 督查员")).toContain("“李督查”不是成员提及");
    expect(await ducha(PEOPLE.admin.id, `角色 删除 ${at(PEOPLE.finance1)} 领导`)).toContain("不是领导");
    expect(await ducha(PEOPLE.admin.id, "角色 添加")).toContain("正确的写法：`/ducha 角色 添加 @用户");
    expect(await t.store.read((r) => r.roles.list())).toEqual([]);
  });
});

describe("/ducha settings", () => {
  it("shows the settings and sets the leadership and supervision channels", async () => {
    expect(await ducha(PEOPLE.outsider.id, "设置")).toContain("未设置");
    expect(await ducha(PEOPLE.admin.id, `设置 领导频道 ${ch(CHANNELS.leadership)}`)).toContain(
      "已将领导频道",
    );
    expect(await ducha(PEOPLE.admin.id, `settings supervision ${ch(CHANNELS.supervision)}`)).toContain(
      "督查频道",
    );
    const shown = await ducha(PEOPLE.outsider.id, "设置");
    expect(shown).toContain(`*领导频道（汇总、通报）*：<#${CHANNELS.leadership.id}>`);
    expect(shown).toContain(`*督查频道（提级督办、系统提醒）*：<#${CHANNELS.supervision.id}>`);
    expect(shown).toContain("Asia/Shanghai");
    // The language by its name, as a clerk reads it.
    expect(shown).toContain("*界面语言*：中文");
  });

  it("refuses non-admins and malformed settings", async () => {
    expect(await ducha(PEOPLE.finance1.id, `设置 领导频道 ${ch(CHANNELS.leadership)}`)).toContain(
      "只有管理员",
    );
    expect(await ducha(PEOPLE.admin.id, "设置 领导频道 lingdao")).toContain("“lingdao”不是频道提及");
    expect(await ducha(PEOPLE.admin.id, "设置 领导频道")).toContain("正确的写法");
    expect(await ducha(PEOPLE.admin.id, `设置 天气 ${ch(CHANNELS.leadership)}`)).toContain("正确的写法");
    expect(await t.store.read((r) => r.settings.all())).toEqual(new Map());
  });
});

describe("in English", () => {
  it("answers in English when DUCHA_LOCALE is en", async () => {
    await t.stop();
    t = await startTestBot({ locale: "en" });
    expect(await ducha(PEOPLE.outsider.id, "help")).toContain("ducha — supervision assistant");
    expect(await ducha(PEOPLE.finance1.id, `dept add Finance ${ch(CHANNELS.finance)}`)).toContain(
      "Only admins change departments",
    );
  });
});

describe("/ducha settings for schedules, thresholds and the calendar", () => {
  it("sets a job's schedule, refusing what is not a cron expression", async () => {
    expect(await ducha(PEOPLE.admin.id, "设置 计划 每日 30 8 * * 1-5")).toContain(
      "已将每日提醒设为 `30 8 * * 1-5`",
    );
    expect(await ducha(PEOPLE.admin.id, "设置 计划 每日 0 25 * * *")).toContain("不是有效的计划");
    expect(await ducha(PEOPLE.admin.id, "settings schedule daily every morning")).toContain("不是有效的计划");
    expect(await ducha(PEOPLE.admin.id, "设置 计划 每年 0 9 * * *")).toContain("正确的写法");
    expect(await ducha(PEOPLE.finance1.id, "设置 计划 每日 0 9 * * *")).toContain("只有管理员");
    const shown = await ducha(PEOPLE.outsider.id, "设置");
    expect(shown).toContain("每日提醒：`30 8 * * 1-5`");
    expect(shown).toContain("急件检查：`0 * * * *`");
  });

  it("sets thresholds by their Chinese or English names, within range", async () => {
    expect(await ducha(PEOPLE.admin.id, "设置 阈值 临期工作日 5")).toContain("已将临期工作日设为 5");
    expect(await ducha(PEOPLE.admin.id, "settings threshold urgentAckHours 2")).toContain(
      "急件签收小时设为 2",
    );
    expect(await ducha(PEOPLE.admin.id, "设置 阈值 临期工作日 500")).toContain("应为 0 到 60 的整数");
    expect(await ducha(PEOPLE.admin.id, "设置 阈值 心情 5")).toContain("正确的写法");
    const shown = await ducha(PEOPLE.outsider.id, "设置");
    expect(shown).toContain("临期工作日：5");
    expect(shown).toContain("签收工作日：1");
  });

  it("sets how summaries pick their ends, their sample and their hot tags", async () => {
    let shown = await ducha(PEOPLE.outsider.id, "设置");
    expect(shown).toContain("两头各列单位数：3");
    expect(shown).toContain("参与排名的最少计分事项：2");
    expect(shown).toContain("热点标签：民生");
    expect(await ducha(PEOPLE.admin.id, "设置 汇总 两头 5")).toContain("已将两头各列单位数设为 5");
    expect(await ducha(PEOPLE.admin.id, "设置 汇总 样本 3")).toContain("已将参与排名的最少计分事项设为 3");
    expect(await ducha(PEOPLE.admin.id, "设置 汇总 热点 民生，安全生产")).toContain(
      "已将热点标签设为 民生、安全生产",
    );
    expect(await ducha(PEOPLE.admin.id, "设置 汇总 两头 99")).toContain("`/ducha 设置 汇总 两头 3`");
    expect(await ducha(PEOPLE.admin.id, "设置 汇总 两头 很多")).toContain("正确的写法");
    expect(await ducha(PEOPLE.finance1.id, "设置 汇总 两头 1")).toContain("只有管理员可以修改");
    shown = await ducha(PEOPLE.outsider.id, "设置");
    expect(shown).toContain("两头各列单位数：5");
    expect(shown).toContain("参与排名的最少计分事项：3");
    expect(shown).toContain("热点标签：民生、安全生产");
  });

  it("sets the jobs' time zone and the catch-up window, refusing bad values", async () => {
    expect(await ducha(PEOPLE.admin.id, "设置 时区 Asia/Urumqi")).toContain("已将计划时区设为 Asia/Urumqi");
    expect(await ducha(PEOPLE.admin.id, "设置 时区 Beijing")).toContain("“Beijing”不是时区名称");
    expect(await ducha(PEOPLE.admin.id, "设置 补跑 48")).toContain("48");
    expect(await ducha(PEOPLE.admin.id, "设置 补跑 两天")).toContain("正确的写法");
    expect(await ducha(PEOPLE.admin.id, "设置 补跑 500")).toContain("应为 0 到 168 的整数");
    const shown = await ducha(PEOPLE.outsider.id, "设置");
    expect(shown).toContain("计划时区*：Asia/Urumqi");
    expect(shown).toContain("48 小时内的在启动时补跑一次");
  });

  it("adds holidays and make-up workdays the built-in calendar does not know", async () => {
    expect(await ducha(PEOPLE.admin.id, "设置 日历 2027-02-06 班")).toContain("已将 2027-02-06 设为工作日");
    expect(await ducha(PEOPLE.admin.id, "设置 日历 2027-02-11 休")).toContain("设为休息日");
    expect(await ducha(PEOPLE.admin.id, "设置 日历 明天 休")).toContain("正确的写法");
    expect(await ducha(PEOPLE.outsider.id, "设置")).toContain("日历调整：2 天");
    const overrides = await t.store.read((r) => r.calendar.overrides());
    expect([...overrides]).toEqual([
      ["2027-02-06", "workday"],
      ["2027-02-11", "holiday"],
    ]);
    expect(await ducha(PEOPLE.admin.id, "设置 日历 2027-02-06 删除")).toContain("按内置日历");
    expect((await t.store.read((r) => r.calendar.overrides())).size).toBe(1);
  });
});

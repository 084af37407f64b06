import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createDuchaApp } from "../../src/app.js";
import { startOfDay } from "../../src/domain/time.js";
import { createLogger } from "../../src/logger.js";
import { DECISION_SHORTCUT_CALLBACK_ID } from "../../src/slack/contract.js";
import { openDatabase } from "../../src/store/database.js";
import { createStore } from "../../src/store/store.js";
import { FakeSlack } from "../../test/fake-slack/fake-slack.js";
import { duchaAs, MEETING_DECISION, setUpOffice } from "../../test/fake-slack/scenario.js";
import { Transcript } from "../../test/fake-slack/transcript.js";
import { CHANNELS, channelRef, PEOPLE, populate } from "../../test/fake-slack/workspace.js";
import { ManualClock } from "../../test/support/manual-clock.js";

/** The demo's story starts on a Tuesday morning, 9:00 Beijing time. */
export const DEMO_START = new Date("2026-12-01T01:00:00Z");

export interface DemoResult {
  lines: string[];
}

/**
 * Plays the scripted scenario against the real bot and a fake Slack, with no workspace and no
 * configuration, and returns the conversation as a person would read it.
 */
export async function runDemo(
  write: (line: string) => void = () => {},
  /** Where to write every file the bot shared (the ledgers, the bulletin, the charts). */
  options: { saveFilesTo?: string } = {},
): Promise<DemoResult> {
  const lines: string[] = [];
  const out = (line: string) => {
    lines.push(line);
    write(line);
  };
  const clock = new ManualClock(DEMO_START);
  const slack = new FakeSlack({ now: () => clock.now().getTime() });
  await slack.start();
  populate(slack);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ducha-demo-"));
  const store = createStore(await openDatabase(`file:${path.join(dir, "ducha.db")}`));
  const signingSecret = crypto.randomBytes(16).toString("hex");
  const bot = createDuchaApp({
    config: {
      slack: { botToken: slack.botToken, signingSecret, appToken: undefined, apiUrl: slack.apiUrl },
      port: 0,
      timeZone: "Asia/Shanghai",
      locale: "zh-CN",
      admins: [PEOPLE.admin.id],
    },
    store,
    clock,
    logger: createLogger(process.env.DEMO_LOG_LEVEL ?? "silent"),
    // The demo's story is told in order: deliver at once, one message after another.
    outbox: { paceMs: 0, debounceMs: 0, dependencyWaitMs: 5, pollMs: 50 },
    // The story's clock moves by hand; the demo runs the scheduler's slots itself.
    startScheduler: false,
  });
  const transcript = new Transcript(slack, out);
  try {
    const { port } = await bot.start();
    slack.connectHttp(`http://127.0.0.1:${port}/slack/events`, signingSecret);
    const settle = async () => {
      for (let i = 0; i < 3; i++) {
        await slack.idle();
        await bot.idle();
        await bot.settleOutbox();
      }
      transcript.flush();
    };
    const ducha = duchaAs(slack, settle);

    transcript.heading("一、管理员王主任设置单位、角色和频道");
    await setUpOffice(ducha);

    transcript.heading("二、不是管理员的人不能改设置，写错了会被告知正确写法");
    await ducha(PEOPLE.finance1, `单位 添加 市教育局 ${channelRef(CHANNELS.general)}`, CHANNELS.finance);
    await ducha(PEOPLE.admin, "单位 添加 市教育局 #jiaoyu");

    transcript.heading("三、大家查看单位、角色、设置和帮助");
    await ducha(PEOPLE.supervisor, "单位 列表");
    await ducha(PEOPLE.supervisor, "角色 列表");
    await ducha(PEOPLE.supervisor, "设置");
    await ducha(PEOPLE.outsider, "帮助");

    transcript.heading("四、赵市长在 #general 发布会议决定，李督查把它转为督办事项");
    const decision = await slack.say(PEOPLE.leader.id, CHANNELS.general.id, MEETING_DECISION);
    await settle();
    await slack.messageShortcut(
      PEOPLE.supervisor.id,
      CHANNELS.general.id,
      decision.ts,
      DECISION_SHORTCUT_CALLBACK_ID,
    );
    await settle();
    const modal = slack.openModal(PEOPLE.supervisor.id);
    if (!modal) throw new Error("the decision modal did not open");
    transcript.note("李督查核对拆分结果，填写文号后点“交办”");
    await slack.submit(PEOPLE.supervisor.id, modal.id, {
      d_source: "meeting",
      d_ref: "市政府常务会议纪要〔2026〕15号",
      d_leader: PEOPLE.leader.id,
    });
    await settle();

    const card = (seq: number) => {
      for (const channel of slack.channels.values()) {
        const found = channel.messages.find((m) => m.botId && m.text.startsWith(`督〔2026〕${seq}号`));
        if (found) return found;
      }
      throw new Error(`no card for task ${seq}`);
    };
    const press = async (person: { id: string }, seq: number, actionId: string) => {
      const c = card(seq);
      await slack.clickInMessage(person.id, c.channel, c.ts, actionId);
      await settle();
    };
    const fill = async (person: { id: string }, inputs: Record<string, string | string[]>) => {
      const open = slack.openModal(person.id);
      if (!open) throw new Error("no modal to fill");
      await slack.submit(person.id, open.id, inputs);
      await settle();
    };
    const replyIn = async (person: { id: string }, seq: number, text: string) => {
      const c = card(seq);
      await slack.say(person.id, c.channel, text, { threadTs: c.ts });
      await settle();
    };

    transcript.heading("五、各单位签收，在卡片的消息列中反馈进展");
    await press(PEOPLE.finance1, 1, "task_ack");
    await press(PEOPLE.housing1, 2, "task_ack");
    await replyIn(PEOPLE.housing1, 2, "进度30%，已完成三个片区入户调查，签约率62%");
    await replyIn(
      PEOPLE.transport1,
      3,
      "已排查站台412个，发现隐患37处；部分站台改造资金遇到困难，需财政支持",
    );
    transcript.note(
      "周交的困难点名了财政：督查助手在财政局频道发出协调事项，限 2 个工作日内答复；张财在事项消息列中答复",
    );
    await replyIn(PEOPLE.finance1, 3, "财政局已收到，站台改造资金正在安排，本周内下达");
    await replyIn(PEOPLE.housing1, 5, "正在推进");
    transcript.note("“正在推进”被记为走过场：有记录，但不算实质进展");

    transcript.heading("六、申请延期，督查员批准");
    await press(PEOPLE.transport1, 3, "task_extend");
    await fill(PEOPLE.transport1, {
      a_date: "2026-12-31",
      a_reason: "排查范围扩大到郊区线路，新增站台186个",
    });
    await press(PEOPLE.supervisor, 3, "task_extension_approve");

    transcript.heading("七、申请办结，被退回，补充材料、实地核查后验收办结，定下回头看");
    await press(PEOPLE.finance1, 4, "task_ack");
    await press(PEOPLE.finance1, 4, "task_claim");
    await fill(PEOPLE.finance1, { a_text: "供暖补贴资金已下达" });
    await press(PEOPLE.supervisor, 4, "task_return");
    await fill(PEOPLE.supervisor, { a_reason: "请附拨付凭证和各区到账情况" });
    await press(PEOPLE.finance1, 4, "task_claim");
    await fill(PEOPLE.finance1, {
      a_text:
        "补贴资金3,200万元已全部下达，6个区均已到账，拨付凭证见 https://oa.example.gov.cn/doc/2026-1208",
    });
    transcript.note("供暖补贴是民生事项：验收前须实地核查，不能只看书面材料");
    await press(PEOPLE.supervisor, 4, "task_verify");
    await press(PEOPLE.supervisor, 4, "task_site_check");
    await fill(PEOPLE.supervisor, {
      l_checkers: "李督查、王科长",
      l_date: "2026-12-01",
      l_place: "城东区、城西区街道办和3户居民家",
      l_finding: "true",
      l_note: "入户核实，补贴均已到账",
    });
    await press(PEOPLE.supervisor, 4, "task_verify");
    await fill(PEOPLE.supervisor, { l_note: "经实地核查属实，同意办结", l_recheck_on: "2026-12-14" });
    transcript.note("会议决定有交办领导：每办结一项，赵市长收到一条报结消息；全部办结后收到办理情况报告");

    transcript.heading("七之二、领导批示件：办结后向赵市长报结，赵市长阅示");
    await ducha(
      PEOPLE.supervisor,
      "新建 赵市长批示：请住建局牵头，12月10日前完成幸福小区雨污管网积水点整治，并报结果。",
    );
    const instruction = slack.openModal(PEOPLE.supervisor.id);
    if (!instruction) throw new Error("the decision modal did not open");
    await slack.submit(PEOPLE.supervisor.id, instruction.id, {
      d_source: "instruction",
      d_ref: "赵市长批示（市长批〔2026〕88号）",
      d_leader: PEOPLE.leader.id,
    });
    await settle();
    await press(PEOPLE.housing1, 6, "task_ack");
    await press(PEOPLE.housing1, 6, "task_claim");
    await fill(PEOPLE.housing1, { a_text: "积水点3处已全部完成管网改造，经两次降雨检验无积水" });
    await press(PEOPLE.supervisor, 6, "task_verify");
    await fill(PEOPLE.supervisor, { l_note: "整治到位，同意办结" });
    const closure = [...slack.directMessages(PEOPLE.leader.id)]
      .reverse()
      .find((m) => JSON.stringify(m.blocks ?? []).includes("closure_read"));
    if (!closure) throw new Error("no 报结 in the leader's DM");
    await slack.clickInMessage(PEOPLE.leader.id, closure.channel, closure.ts, "closure_read");
    await settle();
    await ducha(PEOPLE.supervisor, "列表 报结");

    transcript.heading("七之三、信息报送：突发事件四小时内上报，续报，采用编入要情，领导批示转为督办");
    transcript.note("交通局周交报告今晨7时30分发生的险情（未设信息频道时，信息卡片发到督查频道）");
    await ducha(PEOPLE.transport1, "报送");
    await fill(PEOPLE.transport1, {
      i_title: "解放路立交桥伸缩缝断裂",
      i_date: "2026-12-01",
      i_time: "07:30",
      i_place: "解放路立交桥",
      i_category: "incident",
      i_urgency: "urgent",
      i_text: "7时30分巡查发现解放路立交桥东侧伸缩缝断裂，已封闭一条车道，暂无人员伤亡。",
      i_conf: "internal",
    });
    const infoCard = (channelId: string) => {
      const found = slack.messages(channelId).find((m) => m.botId && m.text.startsWith("信〔2026〕1号"));
      if (!found) throw new Error(`no information card in ${channelId}`);
      return found;
    };
    const copy = infoCard(CHANNELS.transport.id);
    await slack.say(
      PEOPLE.transport1.id,
      copy.channel,
      "续报：经专家初步检测，桥体结构安全，预计今晚完成临时修复",
      {
        threadTs: copy.ts,
      },
    );
    await settle();
    transcript.note("李督查采用：紧急信息即时编入《要情》呈送领导");
    const office = infoCard(CHANNELS.supervision.id);
    await slack.clickInMessage(PEOPLE.supervisor.id, office.channel, office.ts, "info_adopt");
    await settle();
    const digest = slack
      .messages(CHANNELS.leadership.id)
      .find((m) => m.files.length === 0 && m.text.includes("《要情》"));
    if (!digest) throw new Error("no 要情 in the leadership channel");
    transcript.note("赵市长在要情上批示，批示转为督办事项");
    await slack.clickInMessage(PEOPLE.leader.id, digest.channel, digest.ts, "info_instruct");
    await settle();
    await fill(PEOPLE.leader, { i_text: "请交通局牵头，12月10日前完成全市桥梁伸缩缝隐患排查。" });
    await fill(PEOPLE.leader, { d_leader: PEOPLE.leader.id });

    transcript.heading("八、两周过去：每日提醒、按期反馈的催要、停滞事项逐级升级");
    /** The clock reaches 09:00 (Beijing) on a day, and the scheduler's minute tick fires. */
    const morning = async (date: string, time = "09:00") => {
      const [h, m] = time.split(":").map(Number);
      clock.set(new Date(startOfDay(date, "Asia/Shanghai").getTime() + ((h ?? 0) * 60 + (m ?? 0)) * 60_000));
      transcript.note(`${date.slice(5).replace("-", "月")}日 ${time}`);
      await bot.scheduler.tick(clock.now());
      await settle();
    };
    await morning("2026-12-02");
    await morning("2026-12-04", "10:00");
    await replyIn(PEOPLE.housing1, 5, "进度40%，施工围挡整治方案初稿已完成，正征求交通局意见");
    await morning("2026-12-07", "15:00");
    await replyIn(
      PEOPLE.transport1,
      3,
      "经协调，市财政已安排站台改造资金，困难已解决。进度60%，已整改隐患22处",
    );
    await morning("2026-12-08");
    await replyIn(PEOPLE.housing1, 2, "进度55%，城中村改造实施方案已完成专家评审");
    await morning("2026-12-10");
    await morning("2026-12-11");
    await morning("2026-12-14");
    transcript.note("回头看：供暖补贴办结两周后，张财在消息列确认成果巩固，李督查认定");
    await replyIn(PEOPLE.finance1, 4, "回头看：补贴发放后无新增投诉，6个区供热正常，附抽查记录");
    const recheck = [...slack.replies(card(4).channel, card(4).ts)]
      .reverse()
      .find((m) => JSON.stringify(m.blocks ?? []).includes("recheck_held"));
    if (!recheck) throw new Error("no 回头看 question in the thread");
    await slack.clickInMessage(PEOPLE.supervisor.id, recheck.channel, recheck.ts, "recheck_held");
    await settle();
    transcript.note("张财在卡片消息列中补报实质进展，停滞状态解除");
    await replyIn(PEOPLE.finance1, 1, "进度80%，老旧小区改造资金已拨付至4个区，剩余2个区本周内完成");
    await morning("2026-12-15");

    transcript.heading("九、抓两头带中间：查看得分和汇总，导出台账，月初发出督查通报");
    transcript.note("李督查把张财的进展标为先进经验，查看住建局上周的得分明细");
    await press(PEOPLE.supervisor, 1, "report_star");
    await ducha(PEOPLE.supervisor, "得分 住建局 上周");
    await ducha(PEOPLE.leader, "汇总 本月");
    transcript.note("李督查导出台账，Excel 文件私信发给他");
    await ducha(PEOPLE.supervisor, "导出");
    transcript.note("1月1日元旦放假：月度通报顺延到下一个工作日");
    await morning("2027-01-01", "09:30");
    await morning("2027-01-04", "09:30");
    if (options.saveFilesTo) {
      fs.mkdirSync(options.saveFilesTo, { recursive: true });
      for (const file of slack.files.values()) {
        if (file.user === undefined) fs.writeFileSync(path.join(options.saveFilesTo, file.name), file.bytes);
      }
    }
    return { lines };
  } finally {
    await bot.stop();
    await store.close();
    await slack.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

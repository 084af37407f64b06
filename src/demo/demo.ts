import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createDuchaApp } from "../app.js";
import { ManualClock } from "../clock.js";
import { FakeSlack } from "../emulator/fake-slack.js";
import { duchaAs, MEETING_DECISION, setUpOffice } from "../emulator/scenario.js";
import { Transcript } from "../emulator/transcript.js";
import { CHANNELS, channelRef, PEOPLE, populate } from "../emulator/workspace.js";
import { createLogger } from "../logger.js";
import { DECISION_SHORTCUT_CALLBACK_ID } from "../slack/contract.js";
import { openDatabase } from "../store/database.js";
import { createStore } from "../store/store.js";

/** The demo's story starts on a Tuesday morning, 9:00 Beijing time. */
export const DEMO_START = new Date("2026-12-01T01:00:00Z");

export interface DemoResult {
  lines: string[];
}

/**
 * Plays the scripted scenario against the real bot and a fake Slack, with no workspace and no
 * configuration, and returns the conversation as a person would read it.
 */
export async function runDemo(write: (line: string) => void = () => {}): Promise<DemoResult> {
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
    return { lines };
  } finally {
    await bot.stop();
    await store.close();
    await slack.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

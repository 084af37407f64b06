import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createDuchaApp } from "../app.js";
import { ManualClock } from "../clock.js";
import { FakeSlack } from "../emulator/fake-slack.js";
import { Transcript } from "../emulator/transcript.js";
import { mention as at, CHANNELS, channelRef as ch, PEOPLE, populate } from "../emulator/workspace.js";
import { createLogger } from "../logger.js";
import { openDatabase } from "../store/database.js";
import { createStore } from "../store/store.js";

/** The demo's story starts on a Monday morning in Beijing time. */
export const DEMO_START = new Date("2026-11-30T01:00:00Z");

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
  });
  const transcript = new Transcript(slack, out);
  try {
    const { port } = await bot.start();
    slack.connectHttp(`http://127.0.0.1:${port}/slack/events`, signingSecret);
    const settle = async () => {
      for (let i = 0; i < 3; i++) {
        await slack.idle();
        await bot.idle();
      }
      transcript.flush();
    };
    const ducha = async (
      person: { id: string },
      text: string,
      channel: { id: string } = CHANNELS.general,
    ) => {
      await slack.command(person.id, channel.id, text);
      await settle();
    };

    transcript.heading("一、管理员王主任设置单位、角色和频道");
    await ducha(
      PEOPLE.admin,
      `单位 添加 市财政局 ${ch(CHANNELS.finance)} ${at(PEOPLE.finance1)} ${at(PEOPLE.finance2)} 别名:财政局,财政`,
    );
    await ducha(
      PEOPLE.admin,
      `单位 添加 市住房和城乡建设局 ${ch(CHANNELS.housing)} ${at(PEOPLE.housing1)} 别名:住建局,住建`,
    );
    await ducha(
      PEOPLE.admin,
      `单位 添加 市交通运输局 ${ch(CHANNELS.transport)} ${at(PEOPLE.transport1)} 别名:交通局,交通`,
    );
    await ducha(PEOPLE.admin, `角色 添加 ${at(PEOPLE.supervisor)} 督查员`);
    await ducha(PEOPLE.admin, `角色 添加 ${at(PEOPLE.leader)} 领导`);
    await ducha(PEOPLE.admin, `设置 领导频道 ${ch(CHANNELS.leadership)}`);
    await ducha(PEOPLE.admin, `设置 督查频道 ${ch(CHANNELS.supervision)}`);

    transcript.heading("二、不是管理员的人不能改设置，写错了会被告知正确写法");
    await ducha(PEOPLE.finance1, `单位 添加 市教育局 ${ch(CHANNELS.general)}`, CHANNELS.finance);
    await ducha(PEOPLE.admin, "单位 添加 市教育局 #jiaoyu");

    transcript.heading("三、大家查看单位、角色、设置和帮助");
    await ducha(PEOPLE.supervisor, "单位 列表");
    await ducha(PEOPLE.supervisor, "角色 列表");
    await ducha(PEOPLE.supervisor, "设置");
    await ducha(PEOPLE.outsider, "帮助");
    return { lines };
  } finally {
    await bot.stop();
    await store.close();
    await slack.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

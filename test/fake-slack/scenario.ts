import type { FakeSlack } from "./fake-slack.js";
import { mention as at, CHANNELS, channelRef as ch, PEOPLE } from "./workspace.js";

/** Runs `/ducha …` as a person and waits until the bot has answered. */
export type Ducha = (person: { id: string }, text: string, channel?: { id: string }) => Promise<void>;

export function duchaAs(slack: FakeSlack, settle: () => Promise<void>): Ducha {
  return async (person, text, channel = CHANNELS.general) => {
    await slack.command(person.id, channel.id, text);
    await settle();
  };
}

/**
 * The office every story starts with: three bureaus with their channels, members and
 * aliases, a supervisor, a leader, and the leadership and supervision channels.
 */
export async function setUpOffice(ducha: Ducha): Promise<void> {
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
}

/** A five-item meeting decision across the three bureaus, as the leader posts it. */
export const MEETING_DECISION = `市政府第15次常务会议研究决定：
一、由财政局牵头，住建局、交通局配合，12月15日前完成老旧小区改造资金拨付。
二、住建局负责，本月底前制定城中村改造实施方案，每周报送进展。
三、交通局牵头，两周内完成全市公交站台安全隐患排查整改，切实保障群众出行安全。
四、财政局年底前足额下达冬季供暖补贴资金。
五、住建局会同交通局，10个工作日内拿出主干道施工围挡整治方案。`;

import type { FakeSlack } from "./fake-slack.js";

/** The people of the demo and test workspace: a city government's supervision office and three bureaus. */
export const PEOPLE = {
  admin: { id: "U0ADMIN01", name: "wang.zhuren", realName: "王主任" },
  supervisor: { id: "U0SUPER01", name: "li.ducha", realName: "李督查" },
  leader: { id: "U0LEADER1", name: "zhao.shizhang", realName: "赵市长" },
  finance1: { id: "U0FIN0001", name: "zhang.cai", realName: "张财" },
  finance2: { id: "U0FIN0002", name: "liu.kuai", realName: "刘会" },
  housing1: { id: "U0HOUSE01", name: "chen.jian", realName: "陈建" },
  transport1: { id: "U0TRANS01", name: "zhou.jiao", realName: "周交" },
  outsider: { id: "U0OUTSID1", name: "sun.wai", realName: "孙外" },
} as const;

export const CHANNELS = {
  general: { id: "C0GENERAL", name: "general" },
  finance: { id: "C0FINANCE", name: "caizheng" },
  housing: { id: "C0HOUSING", name: "zhujian" },
  transport: { id: "C0TRANSPO", name: "jiaotong" },
  leadership: { id: "C0LEADERS", name: "lingdao" },
  supervision: { id: "C0SUPERVI", name: "ducha" },
} as const;

/** Adds PEOPLE and CHANNELS to a fake Slack; everyone and the bot are in every channel. */
export function populate(slack: FakeSlack): void {
  for (const person of Object.values(PEOPLE)) slack.addUser(person);
  const everyone = Object.values(PEOPLE).map((p) => p.id);
  for (const channel of Object.values(CHANNELS)) slack.addChannel({ ...channel, members: everyone });
}

/** How a person types a mention with `should_escape` on: `<@U…|name>`. */
export const mention = (person: { id: string; name: string }) => `<@${person.id}|${person.name}>`;
/** How a channel arrives with `should_escape` on: `<#C…|name>`. */
export const channelRef = (channel: { id: string; name: string }) => `<#${channel.id}|${channel.name}>`;

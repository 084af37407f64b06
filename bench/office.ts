/**
 * The seeded office as the loads meet it (bench.ts and open-loop.ts): cards in the fake Slack
 * for open tasks, and row counts read from outside the bot, the way an operator would.
 */
import { WebClient } from "@slack/web-api";
import Database from "better-sqlite3";
import pg from "pg";
import type { FakeSlack } from "../test/fake-slack/fake-slack.js";

/** How many open tasks get a card in the fake Slack, for clicks and thread replies. */
export const CARDS = 64;

export interface Card {
  taskId: number;
  ref: string;
  channel: string;
  ts: string;
  member: string;
}

export /** Counts rows the way an operator would, from outside the bot. */
type Count = (sql: string) => Promise<number>;

export function sqliteCount(file: string): Count {
  return async (sql) => {
    const db = new Database(file, { readonly: true });
    try {
      return Number((db.prepare(sql).get() as { n: number }).n);
    } finally {
      db.close();
    }
  };
}

export function pgCount(url: string): Count {
  return async (sql) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return Number((await client.query<{ n: string }>(sql)).rows[0]?.n ?? 0);
    } finally {
      await client.end();
    }
  };
}

/** Posts a card for each of the first CARDS open public tasks and records it on the task. */
export async function postCards(slack: FakeSlack, dbFile: string): Promise<Card[]> {
  const db = new Database(dbFile);
  try {
    const rows = db
      .prepare(
        `SELECT t.id, t.year, t.seq, d.channelId AS channel, (SELECT m.userId FROM "Member" m WHERE m.departmentId = d.id ORDER BY m.userId LIMIT 1) AS member
           FROM "Task" t JOIN "Department" d ON d.id = t.leadDeptId
          WHERE t.closedAt IS NULL AND t.cancelledAt IS NULL AND t.confidentiality = 'public' AND t.state IN ('dispatched', 'in_progress')
          ORDER BY t.id LIMIT ?`,
      )
      .all(CARDS) as { id: number; year: number; seq: number; channel: string; member: string }[];
    const web = new WebClient(slack.botToken, { slackApiUrl: slack.apiUrl });
    const cards: Card[] = [];
    const update = db.prepare('UPDATE "Task" SET cardChannelId = ?, cardTs = ? WHERE id = ?');
    for (const row of rows) {
      if (!slack.channels.has(row.channel)) {
        slack.addUser({ id: row.member, name: row.member.toLowerCase() });
        slack.addChannel({
          id: row.channel,
          name: `dept-${row.channel.toLowerCase()}`,
          members: [row.member],
        });
      }
      const posted = await web.chat.postMessage({
        channel: row.channel,
        text: `督办事项 ${row.year}-${row.seq}`,
        blocks: [
          { type: "section", text: { type: "mrkdwn", text: `督办事项 ${row.year}-${row.seq}` } },
          {
            type: "actions",
            elements: [
              {
                type: "button",
                action_id: "task_urge",
                text: { type: "plain_text", text: "催办" },
                value: String(row.id),
              },
            ],
          },
        ],
      });
      update.run(row.channel, posted.ts, row.id);
      cards.push({
        taskId: row.id,
        ref: `${row.year}-${row.seq}`,
        channel: row.channel,
        ts: String(posted.ts),
        member: row.member,
      });
    }
    return cards;
  } finally {
    db.close();
  }
}

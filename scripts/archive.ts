/**
 * 立卷归档 on the server, without Slack's command (a year closed long ago, a workspace about to go):
 *
 *   npm run archive -- 2026 /srv/ducha/archive
 *
 * It reads DATABASE_URL, DUCHA_TZ and DUCHA_LOCALE as the bot does; with SLACK_BOT_TOKEN the
 * evidence files are downloaded from Slack (files:read), without it they are listed as missing.
 * A run that stops goes on from the last whole task when started again.
 */
import { WebClient } from "@slack/web-api";
import { writeArchive } from "../src/archive/archive.js";
import { loadDotEnv, parseConfig } from "../src/config.js";
import { messagesFor } from "../src/i18n/index.js";
import { fetchEvidence } from "../src/slack/documents.js";
import { openDatabase } from "../src/store/database.js";
import { createStore } from "../src/store/store.js";

async function main(): Promise<void> {
  const [yearWord, dir] = process.argv.slice(2);
  const year = Number(yearWord);
  if (!yearWord || !dir || !/^\d{4}$/.test(yearWord)) {
    process.stderr.write("usage: npm run archive -- 2026 /path/to/dir\n");
    process.exit(2);
  }
  loadDotEnv();
  const env = { SLACK_BOT_TOKEN: "xoxb-archive", SLACK_SIGNING_SECRET: "archive", ...process.env };
  const config = parseConfig(env);
  const store = createStore(await openDatabase(config.databaseUrl, {}));
  const token = process.env.SLACK_BOT_TOKEN;
  const web = token
    ? new WebClient(token, process.env.SLACK_API_URL ? { slackApiUrl: process.env.SLACK_API_URL } : {})
    : null;
  try {
    const result = await writeArchive({
      deps: { store },
      year,
      dir,
      m: messagesFor(config.locale),
      locale: config.locale,
      tz: config.timeZone,
      fetchFile: (file) =>
        web && token ? fetchEvidence({ token, fetch }, web, file.fileId) : Promise.resolve(null),
      onProgress: (done, total) => {
        process.stdout.write(`\r${done}/${total}`);
      },
    });
    process.stdout.write(
      `\n${result.file}: ${result.size} bytes, ${result.tasks} tasks, ${result.files} files, ${result.missing} missing\n`,
    );
  } finally {
    await store.close();
  }
}

await main();

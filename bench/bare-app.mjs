// A bare Bolt app for bench/startup.ts and bench/open-loop.ts: acknowledges, answers "ok", nothing else. Plain
// JavaScript run by node itself, so its start-up is Node's and Bolt's alone.
import { App, LogLevel } from "@slack/bolt";

const app = new App({
  token: process.env.SLACK_BOT_TOKEN,
  signingSecret: process.env.SLACK_SIGNING_SECRET,
  clientOptions: { slackApiUrl: process.env.SLACK_API_URL },
  logLevel: LogLevel.ERROR,
});
app.command(/.*/, async ({ ack }) => ack("ok"));
app.event(/.*/, async () => {});
app.action(/.*/, async ({ ack }) => ack());
const server = await app.start(0);
process.stdout.write(`${JSON.stringify({ msg: "listening", port: server.address().port })}\n`);

import http from "node:http";
import type { AddressInfo } from "node:net";
import { ErrorCode, WebClient } from "@slack/web-api";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeSlack } from "./fake-slack/fake-slack.js";

let slack: FakeSlack;
let web: WebClient;

beforeEach(async () => {
  slack = new FakeSlack();
  await slack.start();
  slack.addUser({ id: "U0PERSON1", name: "person" });
  slack.addChannel({ id: "C0OPEN001", name: "open", members: ["U0PERSON1"] });
  slack.addChannel({ id: "C0NOBOT01", name: "nobot", members: ["U0PERSON1"], botIsMember: false });
  web = new WebClient(slack.botToken, {
    slackApiUrl: slack.apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    logger: quiet,
  });
});
afterEach(async () => {
  await slack.stop();
});

async function slackError(call: Promise<unknown>): Promise<{ error?: string; messages?: string[] }> {
  try {
    await call;
  } catch (error) {
    const data = (error as { data?: { error?: string; response_metadata?: { messages?: string[] } } }).data;
    return { error: data?.error, messages: data?.response_metadata?.messages };
  }
  throw new Error("the call succeeded");
}

const section = (text: string, i = 0) => ({
  type: "section",
  block_id: `s${i}`,
  text: { type: "mrkdwn", text },
});
const sections = (n: number) => Array.from({ length: n }, (_, i) => section(`line ${i}`, i));
const modal = (extra: Record<string, unknown> = {}) => ({
  type: "modal",
  title: { type: "plain_text", text: "督办" },
  blocks: [section("hi")],
  ...extra,
});

const quiet = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  setLevel() {},
  getLevel: () => "error" as never,
  setName() {},
};

describe("the scopes the install granted", () => {
  it("are manifest.yml's unless told otherwise", () => {
    expect(slack.scopes).toContain("reactions:write");
    expect(slack.scopes).toContain("chat:write");
  });

  it("refuse a call outside them with missing_scope, naming what was needed and what was given", async () => {
    slack.grantScopes(["chat:write", "channels:read"]);
    const ts = (await web.chat.postMessage({ channel: "C0OPEN001", text: "hi" })).ts ?? "";
    let data: { error?: string; needed?: string; provided?: string } | undefined;
    try {
      await web.reactions.add({ channel: "C0OPEN001", timestamp: ts, name: "white_check_mark" });
    } catch (error) {
      data = (error as { data?: typeof data }).data;
    }
    expect(data).toMatchObject({ error: "missing_scope", needed: "reactions:write" });
    expect(data?.provided?.split(",").sort()).toEqual(["channels:read", "chat:write"]);
  });

  it("ask for the scope of the conversation's type: groups:read for a private channel", async () => {
    slack.addChannel({ id: "G0PRIVATE", name: "secret", isPrivate: true, members: ["U0PERSON1"] });
    slack.grantScopes(["chat:write", "channels:read"]);
    expect((await web.conversations.info({ channel: "C0OPEN001" })).ok).toBe(true);
    expect(await slackError(web.conversations.info({ channel: "G0PRIVATE" }))).toMatchObject({
      error: "missing_scope",
    });
  });
});

describe("the fake Slack Web API", () => {
  it("authenticates the bot token and refuses others", async () => {
    expect((await web.auth.test()).user_id).toBe("U0DUCHABOT");
    const bad = new WebClient("xoxb-wrong", {
      slackApiUrl: slack.apiUrl,
      retryConfig: { retries: 0 },
      logger: quiet,
    });
    expect((await slackError(bad.auth.test())).error).toBe("invalid_auth");
  });

  it("posts, threads, updates and records messages and calls", async () => {
    const parent = await web.chat.postMessage({ channel: "C0OPEN001", text: "card" });
    await web.chat.postMessage({ channel: "C0OPEN001", text: "reply", thread_ts: parent.ts });
    await web.chat.update({ channel: "C0OPEN001", ts: parent.ts ?? "", text: "card v2" });
    expect(slack.messages("C0OPEN001").map((m) => m.text)).toEqual(["card v2"]);
    expect(slack.replies("C0OPEN001", parent.ts ?? "").map((m) => m.text)).toEqual(["reply"]);
    expect(slack.callsTo("chat.postMessage")).toHaveLength(2);
    const thread = await web.conversations.replies({ channel: "C0OPEN001", ts: parent.ts ?? "" });
    expect(thread.messages?.map((m) => m.text)).toEqual(["card v2", "reply"]);
  });

  it("rejects a channel the bot is not in, and one that does not exist", async () => {
    expect((await slackError(web.chat.postMessage({ channel: "C0NOBOT01", text: "x" }))).error).toBe(
      "not_in_channel",
    );
    expect((await slackError(web.chat.postMessage({ channel: "C0MISSING", text: "x" }))).error).toBe(
      "channel_not_found",
    );
    slack.inviteBot("C0NOBOT01");
    expect((await web.chat.postMessage({ channel: "C0NOBOT01", text: "x" })).ok).toBe(true);
  });

  it("rejects more than 50 blocks in a message", async () => {
    expect((await web.chat.postMessage({ channel: "C0OPEN001", text: "ok", blocks: sections(50) })).ok).toBe(
      true,
    );
    const result = await slackError(
      web.chat.postMessage({ channel: "C0OPEN001", text: "x", blocks: sections(51) }),
    );
    expect(result.error).toBe("invalid_blocks");
    expect(result.messages?.[0]).toContain("no more than 50 items allowed");
  });

  it("rejects section text over 3000 characters and header text over 150", async () => {
    const long = await slackError(
      web.chat.postMessage({ channel: "C0OPEN001", text: "x", blocks: [section("字".repeat(3001))] }),
    );
    expect(long.error).toBe("invalid_blocks");
    expect(long.messages?.[0]).toContain("/blocks/0/text/text");
    expect(
      (await web.chat.postMessage({ channel: "C0OPEN001", text: "x", blocks: [section("字".repeat(3000))] }))
        .ok,
    ).toBe(true);
    const header = { type: "header", text: { type: "plain_text", text: "标".repeat(151) } };
    expect(
      (await slackError(web.chat.postMessage({ channel: "C0OPEN001", text: "x", blocks: [header] }))).error,
    ).toBe("invalid_blocks");
  });

  it("rejects button text over 75 characters and duplicate block or action ids", async () => {
    const button = (text: string, id: string) => ({
      type: "button",
      action_id: id,
      text: { type: "plain_text", text },
    });
    const actions = (elements: unknown[], id = "a") => ({ type: "actions", block_id: id, elements });
    const post = (blocks: unknown[]) =>
      web.chat.postMessage({ channel: "C0OPEN001", text: "x", blocks: blocks as never });
    expect((await slackError(post([actions([button("按".repeat(76), "b1")])]))).error).toBe("invalid_blocks");
    expect((await post([actions([button("按".repeat(75), "b1")])])).ok).toBe(true);
    expect((await slackError(post([actions([button("一", "same"), button("二", "same")])]))).error).toBe(
      "invalid_blocks",
    );
    expect((await slackError(post([section("a", 1), section("b", 1)]))).error).toBe("invalid_blocks");
    expect(
      (await post([actions([button("一", "same")], "x"), actions([button("二", "same")], "y")])).ok,
    ).toBe(true);
  });

  it("rejects a modal title over 24 characters and more than 100 blocks in a view", async () => {
    const trigger1 = slack.issueTriggerId("U0PERSON1");
    const longTitle = modal({ title: { type: "plain_text", text: "题".repeat(25) } });
    const title = await slackError(web.views.open({ trigger_id: trigger1, view: longTitle as never }));
    expect(title.error).toBe("invalid_arguments");
    expect(title.messages?.[0]).toContain("/view/title/text");
    const trigger2 = slack.issueTriggerId("U0PERSON1");
    const tooMany = await slackError(
      web.views.open({ trigger_id: trigger2, view: modal({ blocks: sections(101) }) as never }),
    );
    expect(tooMany.messages?.[0]).toContain("no more than 100 items allowed");
    const trigger3 = slack.issueTriggerId("U0PERSON1");
    expect(
      (await web.views.open({ trigger_id: trigger3, view: modal({ blocks: sections(100) }) as never })).ok,
    ).toBe(true);
  });

  it("refuses an unknown, reused or expired trigger_id", async () => {
    expect((await slackError(web.views.open({ trigger_id: "1.bogus", view: modal() as never }))).error).toBe(
      "invalid_trigger_id",
    );
    const trigger = slack.issueTriggerId("U0PERSON1");
    expect((await web.views.open({ trigger_id: trigger, view: modal() as never })).ok).toBe(true);
    expect((await slackError(web.views.open({ trigger_id: trigger, view: modal() as never }))).error).toBe(
      "exchanged_trigger_id",
    );
    const quick = new FakeSlack({ triggerLifetimeMs: 0 });
    await quick.start();
    try {
      quick.addUser({ id: "U0PERSON1", name: "person" });
      const late = quick.issueTriggerId("U0PERSON1");
      await new Promise((resolve) => setTimeout(resolve, 5));
      const client = new WebClient(quick.botToken, {
        slackApiUrl: quick.apiUrl,
        retryConfig: { retries: 0 },
        logger: quiet,
      });
      expect((await slackError(client.views.open({ trigger_id: late, view: modal() as never }))).error).toBe(
        "expired_trigger_id",
      );
    } finally {
      await quick.stop();
    }
  });

  it("answers 429 with Retry-After, then 500s, for as many calls as told, then recovers", async () => {
    slack.failNext({ method: "chat.postMessage", status: 429, retryAfter: 7 });
    const limited = await web.chat.postMessage({ channel: "C0OPEN001", text: "x" }).catch((e: unknown) => e);
    expect((limited as { code?: string }).code).toBe(ErrorCode.RateLimitedError);
    expect((limited as { retryAfter?: number }).retryAfter).toBe(7);
    slack.failNext({ status: 500, times: 2 });
    for (let i = 0; i < 2; i++) {
      const failed = await web.chat.postMessage({ channel: "C0OPEN001", text: "x" }).catch((e: unknown) => e);
      expect((failed as { code?: string }).code).toBe(ErrorCode.HTTPError);
    }
    expect((await web.chat.postMessage({ channel: "C0OPEN001", text: "x" })).ok).toBe(true);
    expect(slack.callsTo("chat.postMessage").map((c) => c.status)).toEqual([429, 500, 500, 200]);
  });

  it("keeps a Home tab per user and refuses a stale hash", async () => {
    const home = { type: "home", blocks: [section("board")] };
    const first = await web.views.publish({ user_id: "U0PERSON1", view: home as never });
    await web.views.publish({ user_id: "U0PERSON1", view: home as never, hash: first.view?.hash });
    expect(
      (
        await slackError(
          web.views.publish({ user_id: "U0PERSON1", view: home as never, hash: first.view?.hash }),
        )
      ).error,
    ).toBe("hash_conflict");
    expect(slack.homeView("U0PERSON1")?.view.blocks).toEqual(home.blocks);
  });

  it("takes a file upload in three steps and shares it", async () => {
    await web.filesUploadV2({
      channel_id: "C0OPEN001",
      file: Buffer.from("台账内容"),
      filename: "ledger.xlsx",
      title: "台账",
      initial_comment: "本月台账",
    });
    const [message] = slack.messages("C0OPEN001");
    expect(message?.text).toBe("本月台账");
    expect(message?.files[0]?.bytes.toString("utf8")).toBe("台账内容");
  });

  it("serves a person's file at url_private only with the bot token, and only one the bot can see", async () => {
    const seen = slack.shareFile("U0PERSON1", { name: "纪要.txt", bytes: "会议纪要正文" });
    seen.channels.push("C0OPEN001");
    const hidden = slack.shareFile("U0PERSON1", { name: "私密.txt", bytes: "不给机器人看" });
    hidden.channels.push("C0NOBOT01");
    const info = await web.files.info({ file: seen.id });
    const url = info.file?.url_private ?? "";
    const withToken = await fetch(url, {
      headers: { Authorization: `Bearer ${slack.botToken}` },
      redirect: "manual",
    });
    expect(withToken.status).toBe(200);
    expect(await withToken.text()).toBe("会议纪要正文");
    // Without the token Slack sends a browser to its sign-in page: a redirect, not the file.
    const anonymous = await fetch(url, { redirect: "manual" });
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("location")).toMatch(/^https:\/\/.+\.slack\.com\/\?redir=/);
    expect(await slackError(web.files.info({ file: hidden.id }))).toMatchObject({
      error: "file_not_found",
    });
    const withoutScope = new FakeSlack({ scopes: ["chat:write"] });
    await withoutScope.start();
    try {
      const client = new WebClient(withoutScope.botToken, {
        slackApiUrl: withoutScope.apiUrl,
        retryConfig: { retries: 0 },
        logger: quiet,
      });
      expect(await slackError(client.files.info({ file: "F1" }))).toMatchObject({ error: "missing_scope" });
    } finally {
      await withoutScope.stop();
    }
  });
});

describe("Slack's deadline for an acknowledgement", () => {
  it("counts an answer later than the deadline as no answer, as Slack does", async () => {
    const late = new FakeSlack({ ackDeadlineMs: 300 });
    await late.start();
    late.addUser({ id: "U0PERSON1", name: "person" });
    late.addChannel({ id: "C0OPEN001", name: "open", members: ["U0PERSON1"] });
    let delayMs = 600;
    const app = http.createServer((_req, res) => {
      setTimeout(() => res.writeHead(200).end(), delayMs);
    });
    await new Promise<void>((resolve) => app.listen(0, "127.0.0.1", resolve));
    try {
      late.connectHttp(`http://127.0.0.1:${(app.address() as AddressInfo).port}/slack/events`, "secret");
      const slow = await late.command("U0PERSON1", "C0OPEN001", "帮助");
      expect(slow).toMatchObject({ timedOut: true, status: 0 });
      expect(late.lateAcks).toEqual([{ type: "slash_commands", waitedMs: expect.any(Number) }]);
      delayMs = 10;
      expect(await late.command("U0PERSON1", "C0OPEN001", "帮助")).toMatchObject({ status: 200 });
      expect(late.lateAcks).toHaveLength(1);
    } finally {
      app.closeAllConnections();
      await new Promise((resolve) => app.close(resolve));
      await late.stop();
    }
  });
});

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CHANNELS, PEOPLE, startTestBot, type TestBot, textOf } from "./support/harness.js";

let t: TestBot;

beforeEach(async () => {
  t = await startTestBot({ socketMode: true });
});
afterEach(async () => {
  await t.stop();
});

describe("Socket Mode", () => {
  it("connects with the app token over apps.connections.open", () => {
    expect(t.slack.socketConnected).toBe(true);
    expect(t.slack.callsTo("apps.connections.open")).toHaveLength(1);
  });

  it("acknowledges slash commands and answers them", async () => {
    const delivery = await t.slack.command(PEOPLE.admin.id, CHANNELS.general.id, "帮助");
    expect(delivery.status).toBe(200);
    await t.settle();
    expect(textOf(t.slack.lastEphemeral(PEOPLE.admin.id))).toContain("使用说明");
  });

  it("runs an admin command through the whole stack", async () => {
    await t.slack.command(
      PEOPLE.admin.id,
      CHANNELS.general.id,
      `单位 添加 市财政局 <#${CHANNELS.finance.id}|caizheng>`,
    );
    await t.settle();
    expect(textOf(t.slack.lastEphemeral(PEOPLE.admin.id))).toContain("已添加单位");
    expect(await t.store.read((r) => r.departments.findByNameOrAlias("市财政局"))).not.toBeNull();
  });

  it("serves /healthz on its own port", async () => {
    // What start-up owes (the notice that next year's holidays are unknown) is delivered first.
    await t.settle();
    const response = await fetch(`http://127.0.0.1:${t.port}/healthz`);
    expect(await response.json()).toMatchObject({ status: "ok", db: "ok", outbox: { owed: 0 } });
  });
});

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PEOPLE, startTestBot, type TestBot } from "./support/harness.js";
import { dispatchMeeting, ducha, officeReady } from "./support/office.js";
import { TestProxy } from "./support/proxy.js";

let proxy: TestProxy;
let t: TestBot | undefined;
beforeEach(async () => {
  proxy = new TestProxy();
  await proxy.start();
});
afterEach(async () => {
  await t?.stop();
  t = undefined;
  await proxy.stop();
});

describe("behind an office's proxy (HTTPS_PROXY / HTTP_PROXY)", () => {
  it("sends every Web API call, file upload and response_url answer through the proxy", async () => {
    t = await startTestBot({ proxy: { httpProxy: proxy.url, httpsProxy: proxy.url } });
    await officeReady(t);
    await dispatchMeeting(t);
    await ducha(t, PEOPLE.supervisor, "导出");
    const api = proxy.paths("/api/").map((p) => p.slice("/api/".length));
    // Every call the fake Slack answered came through the tunnel.
    expect(api.length).toBe(t.slack.calls.length);
    expect(api).toEqual(
      expect.arrayContaining(["auth.test", "chat.postMessage", "files.completeUploadExternal"]),
    );
    expect(proxy.paths("/upload/")).toHaveLength(1);
    expect(proxy.paths("/response/").length).toBeGreaterThan(0);
  });

  it("goes direct to the hosts NO_PROXY names", async () => {
    t = await startTestBot({ proxy: { httpProxy: proxy.url, noProxy: "127.0.0.1,localhost" } });
    await officeReady(t);
    expect(t.slack.calls.length).toBeGreaterThan(0);
    expect(proxy.requests).toEqual([]);
  });

  it("opens the Socket Mode WebSocket through the proxy too", async () => {
    t = await startTestBot({ socketMode: true, proxy: { httpProxy: proxy.url } });
    await officeReady(t);
    expect(proxy.paths("/api/apps.connections.open")).toHaveLength(1);
    expect(proxy.requests.some((r) => r.method === "GET" && r.path.startsWith("/socket-mode"))).toBe(true);
  });
});

import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { BOT_SCOPES, methodsNeeding, WEB_API_METHODS } from "../src/slack/contract.js";

const ROOT = path.resolve(import.meta.dirname, "..");

/** The product's own code that may call Slack: src/, without tests, the generated client or the store (its `client` is Prisma's). */
function productFiles(dir = path.join(ROOT, "src")): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      return entry.name === "generated" || full === path.join(ROOT, "src/store") ? [] : productFiles(full);
    }
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") ? [full] : [];
  });
}

/** Web API methods called in a piece of code: `client.chat.postMessage(`, `web.files.info(`, `apiCall("x.y"`. */
function webApiCalls(code: string): string[] {
  const found = new Set<string>();
  for (const match of code.matchAll(/\b(?:web|client)\.([a-z]+)\.([a-zA-Z]+)\s*\(/g)) {
    found.add(`${match[1]}.${match[2]}`);
  }
  for (const match of code.matchAll(/\bapiCall\(\s*["'`]([a-z]+\.[a-zA-Z.]+)["'`]/g)) {
    if (match[1]) found.add(match[1]);
  }
  return [...found];
}

const called = new Map<string, string[]>();
for (const file of productFiles()) {
  for (const method of webApiCalls(fs.readFileSync(file, "utf8"))) {
    called.set(method, [...(called.get(method) ?? []), path.relative(ROOT, file)]);
  }
}

describe("the table of Web API methods and their scopes", () => {
  it("finds calls in code as they are written", () => {
    expect(
      webApiCalls(
        "await args.client.views.open({});\nweb.reactions.add({ name });\nclient.apiCall('files.info', {})",
      ).sort(),
    ).toEqual(["files.info", "reactions.add", "views.open"]);
    expect(webApiCalls("users.map((u) => u)")).toEqual([]);
  });

  it("lists every method the code calls", () => {
    const unlisted = [...called.keys()].filter((method) => !(method in WEB_API_METHODS));
    expect(
      unlisted.map((m) => `${m} in ${called.get(m)?.join(", ")}`),
      "add these to WEB_API_METHODS in src/slack/contract.ts, with their scopes",
    ).toEqual([]);
  });

  it("lists no method the code no longer calls (its scope would be asked for in vain)", () => {
    expect(Object.keys(WEB_API_METHODS).filter((method) => !called.has(method))).toEqual([]);
  });

  it("derives the bot scopes, reactions:write included", () => {
    expect(BOT_SCOPES).toContain("reactions:write");
    expect(methodsNeeding("reactions:write").sort()).toEqual(["reactions.add", "reactions.remove"]);
  });
});

import fs from "node:fs";
import path from "node:path";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import {
  BOT_EVENTS,
  BOT_SCOPES,
  COMMAND,
  DECISION_SHORTCUT_CALLBACK_ID,
  EVENTS_PATH,
  INFO_SHORTCUT_CALLBACK_ID,
} from "../src/slack/contract.js";

const ROOT = path.resolve(import.meta.dirname, "..");
const SCHEMA = path.join(ROOT, "test/fixtures/slack/manifest.schema.1.0.0.json");

interface Manifest {
  features: {
    slash_commands: { command: string; url: string; should_escape: boolean }[];
    shortcuts: { callback_id: string; type: string; name: string }[];
    app_home: { home_tab_enabled: boolean };
  };
  oauth_config: { scopes: { bot: string[] } };
  settings: {
    event_subscriptions: { request_url: string; bot_events: string[] };
    interactivity: { is_enabled: boolean; request_url: string };
  };
}

function validator() {
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addFormat("uri", (value: string) => URL.canParse(value));
  // Slack's schema says "regex" where JSON Schema says "pattern": enforce it all the same.
  ajv.addKeyword({
    keyword: "regex",
    type: "string",
    schemaType: "string",
    validate: (pattern: string, data: string) => new RegExp(pattern).test(data),
  });
  return ajv.compile(JSON.parse(fs.readFileSync(SCHEMA, "utf8")) as object);
}

const manifest = parse(fs.readFileSync(path.join(ROOT, "manifest.yml"), "utf8")) as Manifest;

describe("manifest.yml", () => {
  it("is valid against Slack's published manifest schema", () => {
    const validate = validator();
    const valid = validate(manifest);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it("fails the schema when broken, so the check above means something", () => {
    const validate = validator();
    const broken = structuredClone(manifest) as unknown as {
      display_information: { background_color: string };
    };
    broken.display_information.background_color = "red";
    expect(validate(broken)).toBe(false);
  });

  it("asks for exactly the bot scopes the code uses", () => {
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([...BOT_SCOPES].sort());
  });

  it("declares /ducha with escaping, the shortcut, the events and Home that the code handles", () => {
    const [command] = manifest.features.slash_commands;
    expect(command).toMatchObject({ command: COMMAND, should_escape: true });
    expect(command?.url.endsWith(EVENTS_PATH)).toBe(true);
    expect(manifest.features.shortcuts).toEqual([
      expect.objectContaining({
        type: "message",
        callback_id: DECISION_SHORTCUT_CALLBACK_ID,
        name: "转为督办事项",
      }),
      expect.objectContaining({ type: "message", callback_id: INFO_SHORTCUT_CALLBACK_ID, name: "报送信息" }),
    ]);
    expect([...manifest.settings.event_subscriptions.bot_events].sort()).toEqual([...BOT_EVENTS].sort());
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
  });
});

import { describe, expect, it } from "vitest";
import { ConfigError, DEFAULT_DATABASE_URL, parseConfig } from "./config.js";

const minimal = { SLACK_BOT_TOKEN: "xoxb-123-abc", SLACK_SIGNING_SECRET: "s3cret" };

function errorOf(env: Record<string, string | undefined>): ConfigError {
  try {
    parseConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("the configuration was accepted");
}

describe("parseConfig", () => {
  it("fills every default around the two required variables", () => {
    expect(parseConfig(minimal)).toEqual({
      slack: {
        botToken: "xoxb-123-abc",
        signingSecret: "s3cret",
        appToken: undefined,
        apiUrl: "https://slack.com/api/",
      },
      databaseUrl: DEFAULT_DATABASE_URL,
      port: 3000,
      proxy: {},
      timeZone: "Asia/Shanghai",
      locale: "zh-CN",
      admins: [],
      logLevel: "info",
      workers: 1,
    });
  });

  it("takes DUCHA_WORKERS from 1 to 16, and names it when it is not such a number", () => {
    expect(parseConfig({ ...minimal, DUCHA_WORKERS: "2" }).workers).toBe(2);
    for (const bad of ["0", "17", "two", "1.5"])
      expect(errorOf({ ...minimal, DUCHA_WORKERS: bad }).variables).toEqual(["DUCHA_WORKERS"]);
  });

  it("names every missing variable at once, in Chinese by default", () => {
    const error = errorOf({});
    expect(error.variables).toEqual(["SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"]);
    expect(error.message).toContain("SLACK_BOT_TOKEN (未设置)");
    expect(error.message).toContain("xoxb-");
    expect(error.message).not.toMatch(/at \w+ \(/); // no stack trace
  });

  it("accepts Socket Mode instead of a signing secret", () => {
    const config = parseConfig({ SLACK_BOT_TOKEN: "xoxb-1", SLACK_APP_TOKEN: "xapp-1-A1-2-abc" });
    expect(config.slack.appToken).toBe("xapp-1-A1-2-abc");
    expect(config.slack.signingSecret).toBeUndefined();
  });

  it("names each malformed variable with what it expects, in English when asked", () => {
    const error = errorOf({
      ...minimal,
      SLACK_BOT_TOKEN: "xoxp-user-token",
      SLACK_APP_TOKEN: "not-an-app-token",
      SLACK_API_URL: "ftp://example",
      DATABASE_URL: "mysql://db",
      PORT: "80a",
      DUCHA_TZ: "Mars/Olympus",
      DUCHA_LOCALE: "en",
      DUCHA_ADMINS: "U0123ABC, alice",
      LOG_LEVEL: "loud",
    });
    expect([...error.variables].sort()).toEqual(
      [
        "DATABASE_URL",
        "DUCHA_ADMINS",
        "DUCHA_TZ",
        "LOG_LEVEL",
        "PORT",
        "SLACK_API_URL",
        "SLACK_APP_TOKEN",
        "SLACK_BOT_TOKEN",
      ].sort(),
    );
    expect(error.message).toContain('PORT ("80a"): a port number');
    expect(error.message).toContain('DUCHA_TZ ("Mars/Olympus"): an IANA time zone');
  });

  it("takes PostgreSQL as the database, and refuses a PostgreSQL URL without a host or database", () => {
    const url = "postgresql://ducha:pw@db.example:5432/ducha";
    expect(parseConfig({ ...minimal, DATABASE_URL: url }).databaseUrl).toBe(url);
    expect(parseConfig({ ...minimal, DATABASE_URL: "postgres://db/ducha" }).databaseUrl).toBe(
      "postgres://db/ducha",
    );
    for (const bad of ["postgresql://db.example:5432", "postgresql://", "postgresql:ducha"]) {
      const error = errorOf({ ...minimal, DATABASE_URL: bad });
      expect(error.variables).toEqual(["DATABASE_URL"]);
      expect(error.message).toContain("postgresql://");
    }
    // The password stays out of the message.
    expect(errorOf({ ...minimal, DATABASE_URL: "postgresql://ducha:pw@" }).message).not.toContain("pw@");
  });

  it("never echoes a secret back", () => {
    const error = errorOf({ SLACK_BOT_TOKEN: "xoxp-very-secret-user-token", SLACK_SIGNING_SECRET: "x" });
    expect(error.message).not.toContain("very-secret");
  });

  it("treats blank values as unset and reads lists of admins with Chinese commas", () => {
    const config = parseConfig({ ...minimal, PORT: " ", DUCHA_ADMINS: "U0123ABC，W0456DEF U0789GHI" });
    expect(config.port).toBe(3000);
    expect(config.admins).toEqual(["U0123ABC", "W0456DEF", "U0789GHI"]);
  });

  it("adds the trailing slash the Web API client needs", () => {
    expect(parseConfig({ ...minimal, SLACK_API_URL: "http://127.0.0.1:9999/api" }).slack.apiUrl).toBe(
      "http://127.0.0.1:9999/api/",
    );
  });
});

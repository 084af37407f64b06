import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { en } from "../src/i18n/en.js";
import { zhCN } from "../src/i18n/zh-CN.js";

const ROOT = path.resolve(import.meta.dirname, "..");

/** Every leaf of a catalogue, as a dotted path. */
function leaves(value: unknown, prefix = ""): string[] {
  if (value && typeof value === "object" && !Array.isArray(value)) {
    return Object.entries(value as Record<string, unknown>).flatMap(([key, child]) =>
      leaves(child, prefix ? `${prefix}.${key}` : key),
    );
  }
  return [prefix];
}

/** The product's code outside the catalogues, where the words are used. */
function productCode(dir = path.join(ROOT, "src")): string {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .map((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return entry.name === "generated" ? "" : productCode(full);
      if (!entry.name.endsWith(".ts") || entry.name.endsWith(".test.ts")) return "";
      if (full === path.join(ROOT, "src/i18n/zh-CN.ts") || full === path.join(ROOT, "src/i18n/en.ts"))
        return "";
      return fs.readFileSync(full, "utf8");
    })
    .join("\n");
}

describe("the message catalogues", () => {
  it("have the same keys in every language: none missing", () => {
    const zh = leaves(zhCN).sort();
    const english = leaves(en).sort();
    expect(english.filter((k) => !zh.includes(k))).toEqual([]);
    expect(zh.filter((k) => !english.includes(k))).toEqual([]);
  });

  it("have no key the code never names: none unused", () => {
    const code = productCode();
    // Looked up by a composed name: taskModal.problems[`${field}_${problem}`] (decision-submit.ts).
    const composed = (key: string) => key.startsWith("taskModal.problems.");
    const unused = leaves(zhCN).filter((key) => {
      if (composed(key)) return false;
      const name = key.split(".").at(-1) ?? key;
      return !new RegExp(`(?<![\\w$])${name.replace(/[.*+?^${}()|[\]\\-]/g, "\\$&")}(?![\\w$])`).test(code);
    });
    expect(unused).toEqual([]);
  });
});

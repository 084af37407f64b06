import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The house rules, checked over the source itself (README: Architecture): arrows point down
 * only — Slack and the jobs reach the database through the use cases, the domain imports no
 * layer, and one Slack surface never imports another — and no room holds more than one thing.
 */

const ROOT = path.resolve(import.meta.dirname, "..");
const SRC = path.join(ROOT, "src");

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "generated" ? [] : sources(full);
    return entry.name.endsWith(".ts") ? [full] : [];
  });
}

/** Every relative import and re-export of a file, as a path from src/. */
function importsOf(file: string, text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/(?:import|export)\b[^;]*?\bfrom\s+["'](\.[^"']+)["']/g)) {
    const target = path.normalize(path.join(path.dirname(file), m[1] ?? ""));
    found.push(path.relative(SRC, target).replace(/\.js$/, ".ts"));
  }
  return found;
}

const SURFACES = ["commands", "actions", "views", "events", "shortcuts"];

/** The arrows that break the layering, as "from → to". */
function wrongArrows(files: { file: string; text: string }[]): string[] {
  const wrong: string[] = [];
  for (const { file, text } of files) {
    const from = path.relative(SRC, file);
    const [layer, surface] = from.split(path.sep);
    for (const to of importsOf(file, text)) {
      const [toLayer, toSurface] = to.split(path.sep);
      const arrow = `${from} → ${to}`;
      if ((layer === "slack" || layer === "jobs") && (toLayer === "store" || toLayer === "generated"))
        wrong.push(arrow);
      if (layer === "domain" && toLayer !== "domain") wrong.push(arrow);
      if (
        layer === "slack" &&
        toLayer === "slack" &&
        SURFACES.includes(surface ?? "") &&
        SURFACES.includes(toSurface ?? "") &&
        surface !== toSurface
      )
        wrong.push(arrow);
    }
  }
  return wrong;
}

const all = sources(SRC).map((file) => ({ file, text: fs.readFileSync(file, "utf8") }));
/** What runs: the tests beside the code may reach for fixtures and fakes. */
const product = all.filter(({ file }) => !file.endsWith(".test.ts"));

describe("the layers", () => {
  it("have no arrow from slack/ or jobs/ to the store, none out of the domain, none between Slack surfaces", () => {
    expect(wrongArrows(product)).toEqual([]);
  });

  it("would see such an arrow (the check can fail)", () => {
    const file = path.join(SRC, "slack", "commands", "probe.ts");
    expect(
      wrongArrows([
        {
          file,
          text: 'import type { Store } from "../../store/store.js";\nimport { x } from "../actions/y.js";',
        },
      ]),
    ).toEqual([
      `slack${path.sep}commands${path.sep}probe.ts → store${path.sep}store.ts`,
      `slack${path.sep}commands${path.sep}probe.ts → slack${path.sep}actions${path.sep}y.ts`,
    ]);
  });

  it("are kept by the linter too: Biome refuses a slack/ file that imports store/", () => {
    const biome = path.join(ROOT, "node_modules", ".bin", "biome");
    const probe = 'import type { Store } from "../../store/store.js";\nexport type Probe = Store;\n';
    // A real file in the tree (Biome applies its per-folder rules to paths it walks), removed after.
    const lint = (folder: string) => {
      const file = path.join(SRC, folder, `zz-architecture-probe-${process.pid}.ts`);
      fs.writeFileSync(file, probe);
      try {
        return spawnSync(biome, ["lint", path.relative(ROOT, file)], { cwd: ROOT, encoding: "utf8" });
      } finally {
        fs.rmSync(file, { force: true });
      }
    };
    const refused = lint(path.join("slack", "commands"));
    expect(refused.status).not.toBe(0);
    expect(`${refused.stdout}${refused.stderr}`).toContain("lint/style/noRestrictedImports");
    // The same import is a use case's own business.
    expect(lint("services").status).toBe(0);
  }, 60_000);
});

describe("the rooms", () => {
  it("hold at most 600 lines each, but for the two message catalogues", () => {
    const long = all
      .filter(({ file }) => !file.includes(`${path.sep}i18n${path.sep}`))
      .map(({ file, text }) => ({ file: path.relative(ROOT, file), lines: text.split("\n").length }))
      .filter(({ lines }) => lines > 600);
    expect(long).toEqual([]);
  });
});

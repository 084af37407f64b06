/**
 * Writes prisma/postgresql/schema.prisma: prisma/schema.prisma with PostgreSQL as its provider
 * and its client generated into src/generated/prisma-pg. The one schema stays the only place
 * the data model is written; this copy is derived (npm's postinstall runs this script) and is
 * not committed.
 *
 *   tsx scripts/pg-schema.ts && prisma generate --schema prisma/postgresql/schema.prisma
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
export const SCHEMA = path.join(root, "prisma", "schema.prisma");
export const PG_SCHEMA = path.join(root, "prisma", "postgresql", "schema.prisma");

/** The PostgreSQL flavour of a schema written for SQLite. */
export function toPostgres(schema: string): string {
  const provider = /(datasource db \{[^}]*?provider\s*=\s*)"sqlite"/;
  const url = /(datasource db \{[^}]*?url\s*=\s*)"[^"]*"/;
  const output = /(generator client \{[^}]*?output\s*=\s*)"[^"]*"/;
  for (const [what, pattern] of [
    ["provider", provider],
    ["url", url],
    ["output", output],
  ] as const) {
    if (!pattern.test(schema)) throw new Error(`schema.prisma: cannot find the ${what} to change`);
  }
  return [
    "// Derived from ../schema.prisma by scripts/pg-schema.ts: do not edit, edit that one.",
    schema
      .replace(provider, '$1"postgresql"')
      .replace(url, '$1"postgresql://localhost/ducha"')
      .replace(output, '$1"../../src/generated/prisma-pg"'),
  ].join("\n");
}

export function writePgSchema(): string {
  const text = toPostgres(fs.readFileSync(SCHEMA, "utf8"));
  fs.mkdirSync(path.dirname(PG_SCHEMA), { recursive: true });
  if (!fs.existsSync(PG_SCHEMA) || fs.readFileSync(PG_SCHEMA, "utf8") !== text)
    fs.writeFileSync(PG_SCHEMA, text);
  return PG_SCHEMA;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) writePgSchema();

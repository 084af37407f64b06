import fs from "node:fs";
import path from "node:path";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { defineConfig } from "prisma/config";

// The CLI runs offline: the JavaScript schema engine with a driver adapter needs no downloaded
// binary. The running bot does not read this file; src/store/database.ts opens the database.
const url = process.env.DATABASE_URL?.startsWith("file:") ? process.env.DATABASE_URL : "file:./data/ducha.db";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join("prisma", "schema.prisma"),
  adapter: async () => {
    fs.mkdirSync(path.dirname(url.slice("file:".length)), { recursive: true });
    return new PrismaBetterSQLite3({ url });
  },
});

import type { TestProject } from "vitest/node";
import { migratePostgres } from "../../src/store/migrate.js";
import { adminQuery, dropDatabases, startTestPostgres, withDatabase } from "./postgres.js";

/**
 * Global setup of the PostgreSQL projects: a server (TEST_POSTGRES_URL's, or one started here),
 * a template database migrated once, removed with everything the run made at the end. A server
 * that cannot be had fails the run with the reason: the PostgreSQL tests are never skipped.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startTestPostgres();
  const prefix = `ducha_t_${process.pid}_${Date.now().toString(36)}`;
  const template = `${prefix}_template`;
  try {
    await adminQuery(server.adminUrl, `CREATE DATABASE "${template}"`);
    await migratePostgres(withDatabase(server.adminUrl, template));
  } catch (error) {
    await server.stop();
    throw error;
  }
  project.provide("postgres", { adminUrl: server.adminUrl, prefix, template });
  return async () => {
    try {
      await dropDatabases(server.adminUrl, prefix);
    } finally {
      await server.stop();
    }
  };
}

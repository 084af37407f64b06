import type { Tx } from "./database.js";
import { forgetLights } from "./task-lights.js";

/** Raw settings rows: keys and JSON values. What they mean lives in src/domain/settings.ts. */
export class SettingRepository {
  constructor(private readonly db: Tx) {}

  /** Read once a transaction (this repository lives for one): several parts of an interaction ask. */
  private read: Promise<Map<string, unknown>> | undefined;

  async all(): Promise<Map<string, unknown>> {
    this.read ??= this.readAll();
    try {
      return new Map(await this.read);
    } catch (error) {
      this.read = undefined;
      throw error;
    }
  }

  private async readAll(): Promise<Map<string, unknown>> {
    // Raw: read several times an interaction (a light needs the thresholds); Prisma's statement
    // cost ~0.5 ms against ~0.1 ms.
    const rows = await this.db.$queryRaw<
      { key: string; value: string }[]
    >`SELECT "key", "value" FROM "Setting"`;
    return new Map(rows.map((row) => [row.key, JSON.parse(row.value) as unknown]));
  }

  async get(key: string): Promise<unknown> {
    const row = await this.db.setting.findUnique({ where: { key } });
    return row ? (JSON.parse(row.value) as unknown) : undefined;
  }

  async set(key: string, value: unknown, by: string): Promise<void> {
    this.read = undefined;
    const json = JSON.stringify(value);
    await this.db.setting.upsert({
      where: { key },
      create: { key, value: json, updatedBy: by },
      update: { value: json, updatedBy: by },
    });
    // A threshold or the jobs' time zone may have changed: every stored light is worked out again.
    await forgetLights(this.db);
  }
}
